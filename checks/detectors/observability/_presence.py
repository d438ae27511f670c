"""The shape shared by "the service has no X" detectors (metrics, tracing, error tracking, APM):
look for an initialising call, an import, a declared dependency or a launcher wrapper
(``ddtrace-run``); report once on the service's entry point when none is found."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.observability._facts import (
    Facts,
    dependency_site,
    facts,
    launcher_files,
    text_site,
)


@dataclass(frozen=True, slots=True)
class Tooling:
    """What counts as having the tool.

    ``calls``: resolved names of initialising calls (strongest evidence); ``modules``: import
    prefixes; ``dists``/``dist_prefixes``: distribution names; ``launchers``: commands that wrap
    the server process (``ddtrace-run gunicorn ...``) in a Dockerfile, Procfile or compose file.
    """

    label: str
    calls: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    dists: tuple[str, ...] = ()
    dist_prefixes: tuple[str, ...] = ()
    launchers: tuple[str, ...] = ()


SENTRY_TRACING_KEYWORDS = ("traces_sample_rate", "traces_sampler", "enable_tracing")


def sentry_tracing_site(fx: Facts) -> str | None:
    """Evidence text when ``sentry_sdk.init`` enables performance tracing, else None."""
    for _, site, call in fx.call_sites("sentry_sdk.init"):
        for name in SENTRY_TRACING_KEYWORDS:
            value = pyast.keyword(call, name)
            if value is not None and pyast.const(value) not in (0, 0.0, False, None):
                return f"sentry_sdk.init({name}=...) at {site}"
    return None


class MissingTooling(Detector):
    """Base of the presence detectors; subclasses set ``tooling``, ``what`` and ``hint``."""

    tooling: ClassVar[Tooling]
    what: ClassVar[str]
    hint: ClassVar[str]

    def extra_evidence(self, fx: Facts) -> str | None:
        """Further evidence a subclass accepts (Sentry with tracing on, say)."""
        return None

    def finish(self, project: Project) -> None:
        item = self.items[0]
        fx = facts(project)
        app = fx.entry()
        if app is None:
            self.not_applicable(item, f"no web application or worker found: {self.what} is "
                                      "expected of a running service")
            return
        found = self.find(project, fx)
        if found is not None:
            self.evidence(item, f"found {found}")
            return
        kind = "service" if app.http else "worker"
        self.report(
            item, app.site.path, app.site.line,
            f"No {self.what} in this {app.framework} {kind}: none of "
            f"{self.examples()} is imported, declared or launched",
            self.hint, key=f"{self.slug}:{app.framework}",
        )

    def examples(self) -> str:
        """The first few tool names, for the message."""
        names = [m.split(".")[0] for m in self.tooling.modules]
        unique = list(dict.fromkeys(names))
        return ", ".join(unique[:6]) + (" ..." if len(unique) > 6 else "")

    def find(self, project: Project, fx: Facts) -> str | None:
        """Evidence text for the tool, strongest first, or None."""
        t = self.tooling
        for name, site, _ in fx.call_sites(*t.calls):
            return f"{name}() at {site}"
        extra = self.extra_evidence(fx)
        if extra:
            return extra
        imported = fx.import_site(*t.modules)
        if imported is not None:
            return f"{imported[0]} imported at {imported[1]}"
        declared = dependency_site(project, t.dists, t.dist_prefixes)
        if declared is not None:
            return f"dependency {declared[0]} at {declared[1]}"
        if t.launchers:
            pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, t.launchers)) +
                                 r")(?![\w-])")
            launched = text_site(project, pattern, launcher_files(project))
            if launched is not None:
                return f"`{launched[0]}` at {launched[1]}"
        if project.uses(*t.dists):
            return f"a dependency on {', '.join(t.dists[:3])} ..."
        return None
