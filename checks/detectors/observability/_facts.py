"""Project facts several project-level detectors need: which web applications or workers the
service creates (and where), which modules it imports (first site of each), which functions it
calls, and where a dependency is declared.

Each is computed once per review, on first use, from the files that can hold it (never a walk
of every tree), and memoised on the :class:`~checks.detector.Project`, so the OBS, DEPLOY and
CODE detectors that ask share the work. Nothing here reads the disk.
"""

from __future__ import annotations

import ast
import functools
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from checks import pyast
from checks.detector import Project
from checks.detectors.observability._syntax import (
    definitions,
    import_tops,
    module_tops,
    statements,
    walk_order,
)
from checks.pyfile import PyFile

# Folders whose code is not the service itself: samples and documentation snippets.
NON_SERVICE_DIRS = frozenset(
    {"examples", "example", "docs", "doc", "docs_src", "samples", "sample", "benchmarks",
     "tutorial", "tutorials"}
)


@dataclass(frozen=True, slots=True)
class Site:
    """A place in the repository; ``line`` 0 means the whole file."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, slots=True)
class App:
    """A web application or worker created by the service: ``FastAPI()`` at app/main.py:5."""

    framework: str
    site: Site
    http: bool


# Resolved constructor name -> (framework, serves HTTP).
_APP_CALLS: dict[str, tuple[str, bool]] = {
    "fastapi.FastAPI": ("FastAPI", True),
    "fastapi.applications.FastAPI": ("FastAPI", True),
    "flask.Flask": ("Flask", True),
    "flask.app.Flask": ("Flask", True),
    "quart.Quart": ("Quart", True),
    "starlette.applications.Starlette": ("Starlette", True),
    "aiohttp.web.Application": ("aiohttp", True),
    "aiohttp.web_app.Application": ("aiohttp", True),
    "litestar.Litestar": ("Litestar", True),
    "sanic.Sanic": ("Sanic", True),
    "falcon.App": ("Falcon", True),
    "falcon.asgi.App": ("Falcon", True),
    "falcon.API": ("Falcon", True),
    "tornado.web.Application": ("Tornado", True),
    "connexion.App": ("Connexion", True),
    "connexion.FlaskApp": ("Connexion", True),
    "connexion.AsyncApp": ("Connexion", True),
    "django.core.wsgi.get_wsgi_application": ("Django", True),
    "django.core.asgi.get_asgi_application": ("Django", True),
    "celery.Celery": ("Celery", False),
}


# Short string literals worth remembering (first site of each), by marker name.
_JSON_FORMATTER = re.compile(
    r"json[\w.]*formatter|formatter[\w.]*json|jsonformatter|pythonjsonlogger|structlog"
    r"|ecs_logging|jsonlogger|json_log_formatter",
    re.IGNORECASE,
)
_JSON_MODULES = frozenset({"json", "orjson", "ujson", "simplejson"})


class Facts:
    """What :func:`facts` finds in the service code (tests, migrations and samples excluded).

    Each fact is computed on first use, from the files that can hold it: a call resolved to
    ``sentry_sdk.init`` is only looked for in files that import ``sentry_sdk`` and whose text
    names ``init``; an import of ``structlog`` only in files that import it. Where several
    nodes could answer, the one ``ast.walk`` meets first wins, as when the whole tree was
    walked.

    ``json_formatter``: the first string literal naming a JSON log formatter (a ``dictConfig``
    entry such as ``"pythonjsonlogger.json.JsonFormatter"``), with its site;
    ``json_formatter_class``: the first ``*Formatter`` subclass whose body uses a JSON module.
    """

    def __init__(self, project: Project) -> None:
        # Not the project itself: the facts live in its memo, and a reference back would
        # make a cycle that keeps every tree alive until the garbage collector runs.
        self.python = project.python
        self.files: list[PyFile] = [f for f in project.service_files() if in_service_dir(f.path)]
        self._apps: list[App] | None = None
        self._calls: dict[str, list[tuple[Site, ast.Call]]] = {}
        self._formatter: tuple[str, Site] | bool | None = False
        self._formatter_class: tuple[str, Site] | bool | None = False

    # -- applications -------------------------------------------------------------------------
    @property
    def apps(self) -> list[App]:
        """Web applications and workers, HTTP ones first, then by path and line."""
        if self._apps is None:
            self._apps = self._collect_apps()
        return self._apps

    @property
    def http_apps(self) -> list[App]:
        """Applications that serve HTTP (not Celery workers)."""
        return [a for a in self.apps if a.http]

    def entry(self) -> App | None:
        """The application to report project-level findings on: the first HTTP app, else the
        first worker."""
        apps = self.http_apps or self.apps
        return apps[0] if apps else None

    def _collect_apps(self) -> list[App]:
        apps: list[App] = []
        for f in self.files:
            tops = import_tops(f)
            if tops.isdisjoint(_APP_TOPS):
                continue
            lasts = {last for top, last in _APP_TOP_LASTS if top in tops and last in f.text}
            if not lasts:
                continue
            hits = [c for c in _calls_named(f, lasts) if pyast.call_name(c, f) in _APP_CALLS]
            for call in walk_order(f, hits):
                known = _APP_CALLS[pyast.call_name(call, f) or ""]
                apps.append(App(known[0], Site(f.path, call.lineno), known[1]))
        if not any(a.framework == "Django" for a in apps):
            for f in self.files:
                line = _root_urlconf_line(f)
                if line:
                    apps.append(App("Django", Site(f.path, line), True))
                    break
        apps.sort(key=lambda a: (not a.http, a.site.path, a.site.line))
        return apps

    # -- imports ------------------------------------------------------------------------------
    def import_site(self, *prefixes: str) -> tuple[str, Site] | None:
        """The first import of a module equal to or under one of ``prefixes``, by path order
        (each module counted at its first import, ``ast.walk`` order within a file)."""
        tops = frozenset(p.split(".", 1)[0] for p in prefixes)
        for f in self.files:
            if module_tops(f).isdisjoint(tops):
                continue
            # Every import of the first file that has one is before any of a later file.
            first: dict[str, Site] = {}
            nodes = [s for s, _depth in statements(f) if isinstance(s, ast.Import | ast.ImportFrom)]
            for node in walk_order(f, nodes):
                for name in _imported_names(node):
                    if any(name == p or name.startswith(p + ".") for p in prefixes):
                        first.setdefault(name, Site(f.path, node.lineno))
            best: tuple[str, Site] | None = None
            for name, site in first.items():
                if best is None or site.line < best[1].line:
                    best = (name, site)
            if best is not None:
                return best
        return None

    # -- calls --------------------------------------------------------------------------------
    def calls(self, name: str) -> list[tuple[Site, ast.Call]]:
        """Calls whose resolved name is ``name``, in path and line order (``ast.walk`` order
        on one line)."""
        found = self._calls.get(name)
        if found is None:
            found = []
            top, last = name.split(".", 1)[0], name.rsplit(".", 1)[-1]
            for f in self.files:
                if top not in import_tops(f) or last not in f.text:
                    continue
                hits = [c for c in _calls_named(f, {last}) if pyast.call_name(c, f) == name]
                found.extend((Site(f.path, c.lineno), c) for c in walk_order(f, hits))
            found.sort(key=lambda t: (t[0].path, t[0].line))
            self._calls[name] = found
        return found

    def call_sites(self, *names: str) -> Iterator[tuple[str, Site, ast.Call]]:
        """Calls whose resolved name is one of ``names``, in path and line order."""
        out = [(n, s, c) for n in names for s, c in self.calls(n)]
        out.sort(key=lambda t: (t[1].path, t[1].line))
        yield from out

    def calls_under(self, module: str) -> dict[str, list[tuple[Site, ast.Call]]]:
        """Calls resolved to names under ``module`` (``loguru.logger.add``), by name in the
        order names first appear (path order, ``ast.walk`` order within a file), each in path
        and line order. Only files whose text names ``module`` are read."""
        out: dict[str, list[tuple[Site, ast.Call]]] = {}
        for f in self.files:
            if module not in f.text:
                continue
            named = [(c, n) for c in f.nodes(ast.Call)
                     if (n := pyast.call_name(c, f)) is not None and n.startswith(module + ".")]
            names = {id(c): n for c, n in named}
            for call in walk_order(f, [c for c, _n in named]):
                out.setdefault(names[id(call)], []).append((Site(f.path, call.lineno), call))
        for sites in out.values():
            sites.sort(key=lambda t: (t[0].path, t[0].line))
        return out

    def first_seen(self, names: Iterable[str]) -> dict[str, int]:
        """For each of ``names``, the rank of its first call among all calls of the service
        code (path order, ``ast.walk`` order within a file): the order the names would have in
        a table of every call. Slow (it reads every call); for breaking ties only."""
        wanted = set(names)
        out: dict[str, int] = {}
        rank = 0
        for f in self.files:
            for call in walk_order(f, f.nodes(ast.Call)):
                name = pyast.call_name(call, f)
                if name is None:
                    continue
                if name in wanted and name not in out:
                    out[name] = rank
                    if len(out) == len(wanted):
                        return out
                rank += 1
        return out

    # -- JSON log formatters ------------------------------------------------------------------
    @property
    def json_formatter(self) -> tuple[str, Site] | None:
        """The first string literal naming a JSON log formatter, with its site."""
        if self._formatter is False:
            self._formatter = self._find_formatter()
        return self._formatter  # type: ignore[return-value]

    @property
    def json_formatter_class(self) -> tuple[str, Site] | None:
        """The first ``*Formatter`` subclass whose body uses a JSON module, with its site."""
        if self._formatter_class is False:
            self._formatter_class = self._find_formatter_class()
        return self._formatter_class  # type: ignore[return-value]

    def _find_formatter(self) -> tuple[str, Site] | None:
        for f in self.files:
            if not _may_name_formatter(f.text):
                continue
            hits = [node for node in f.nodes(ast.Constant)
                    if isinstance(node.value, str) and len(node.value) < 200
                    and _JSON_FORMATTER.search(node.value)]
            if hits:
                first = walk_order(f, hits)[0]
                assert isinstance(first.value, str)
                return first.value, Site(f.path, first.lineno)
        return None

    def _find_formatter_class(self) -> tuple[str, Site] | None:
        for f in self.files:
            if import_tops(f).isdisjoint(_JSON_MODULES) or "Formatter" not in f.text:
                continue
            hits = [(node, depth) for node, depth in definitions(f)
                    if isinstance(node, ast.ClassDef) and _json_formatter_class(node, f)]
            if hits:
                node, _depth = min(hits, key=lambda pair: pair[1])  # ast.walk: shallowest first
                return node.name, Site(f.path, node.lineno)
        return None


_APP_TOPS = frozenset(name.split(".", 1)[0] for name in _APP_CALLS)
# (top, last) names of _APP_CALLS, each pair once.
_APP_TOP_LASTS = tuple(dict.fromkeys((name.split(".", 1)[0], name.rsplit(".", 1)[-1])
                                     for name in _APP_CALLS))


def _may_name_formatter(text: str) -> bool:
    """False when no string literal of ``text`` can match :data:`_JSON_FORMATTER`: each of its
    patterns needs "json" and "formatter", or "jsonlogger", "structlog" or "ecs_logging" (in
    any case)."""
    low = text.lower()
    if _has_json(low):
        return "formatter" in low or any(n in low for n in ("jsonlogger", "structlog",
                                                           "ecs_logging"))
    return "structlog" in low or "ecs_logging" in low


def _has_json(low: str) -> bool:
    """``"json" in low``, looked for at each "j" (a rare letter: one fast search for a single
    character per hit costs less than one search for the word)."""
    at = low.find("j")
    while at != -1:
        if low.startswith("json", at):
            return True
        at = low.find("j", at + 1)
    return False


def _calls_named(f: PyFile, lasts: set[str]) -> list[ast.Call]:
    """Calls of ``f`` (source order) whose resolved name may end with one of ``lasts``: the
    method or function name called, or the last part of what an imported name refers to."""
    out: list[ast.Call] = []
    imports = f.imports
    for call in f.nodes(ast.Call):
        func = call.func
        if isinstance(func, ast.Attribute):
            last = func.attr
        elif isinstance(func, ast.Name):
            target = imports.get(func.id)
            last = func.id if target is None else target.rsplit(".", 1)[-1]
        else:
            continue
        if last in lasts:
            out.append(call)
    return out


def _imported_names(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The module names an import statement records: ``a.b`` for ``import a.b``; ``a`` and
    ``a.x`` for ``from a import x``; nothing for relative imports."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
    elif not node.level and node.module:
        yield node.module
        for alias in node.names:
            yield f"{node.module}.{alias.name}"


def _root_urlconf_line(f: PyFile) -> int:
    for stmt in f.tree.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ROOT_URLCONF" for t in stmt.targets
        ):
            return stmt.lineno
    return 0


@functools.lru_cache(maxsize=16384)
def in_service_dir(path: str) -> bool:
    """False for files under sample or documentation folders (``examples/``, ``docs/``); asked
    about every path by several detectors, so answers are cached."""
    return not any(p.lower() in NON_SERVICE_DIRS for p in path.split("/")[:-1])


def facts(project: Project) -> Facts:
    """The :class:`Facts` of ``project``, made on first use and shared afterwards (in the
    review's memo: a module-level cache would keep every tree of every review alive)."""
    return project.memo("observability.facts", lambda: Facts(project))


def _json_formatter_class(node: ast.ClassDef, f: PyFile) -> bool:
    """A ``*Formatter`` subclass (``logging.Formatter``) whose body uses a JSON module."""
    if not any((pyast.dotted(b) or "").endswith("Formatter") for b in node.bases):
        return False
    return any(
        isinstance(sub, ast.Name) and f.imports.get(sub.id, "").split(".")[0] in _JSON_MODULES
        for sub in ast.walk(node)
    )


# -- declared dependencies ------------------------------------------------------------------

_DEP_TOKEN = re.compile(r"""^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)""")


def normalise(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def is_requirements_file(path: str) -> bool:
    """requirements*.txt/.in, or a .txt/.in file in a ``requirements/`` folder."""
    lower = path.lower()
    base = posixpath.basename(lower)
    if not base.endswith((".txt", ".in")):
        return False
    return base.startswith("requirements") or "requirements" in lower.split("/")[:-1]


def is_dependency_file(path: str) -> bool:
    """A requirements file, pyproject.toml, Pipfile, setup.py or setup.cfg."""
    base = posixpath.basename(path).lower()
    return is_requirements_file(path) or base in ("pyproject.toml", "pipfile", "setup.py",
                                                  "setup.cfg")


def dependency_site(project: Project, names: Iterable[str],
                    prefixes: Iterable[str] = ()) -> tuple[str, Site] | None:
    """Where one of the distributions ``names`` (or a name starting with one of ``prefixes``,
    such as ``opentelemetry-instrumentation-``) is declared, first by path and line: a
    requirements line, a pyproject/Pipfile/setup entry."""
    wanted = {normalise(n) for n in names}
    starts = tuple(normalise(p) for p in prefixes)
    for path in sorted(project.tree.files):
        if not is_dependency_file(path) or not in_service_dir(path):
            continue
        text = project.text(path) or ""
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith(("#", "[")):
                continue
            m = _DEP_TOKEN.match(stripped)
            name = normalise(m.group(1)) if m else ""
            if name and (name in wanted or (starts and name.startswith(starts))):
                return name, Site(path, number)
    return None


# -- non-Python text ------------------------------------------------------------------------


def is_dockerfile(path: str) -> bool:
    """Dockerfile, Dockerfile.prod, prod.dockerfile, Containerfile."""
    base = posixpath.basename(path).lower()
    return (
        base in ("dockerfile", "containerfile")
        or base.startswith(("dockerfile.", "dockerfile-", "dockerfile_"))
        or base.endswith(".dockerfile")
    )


def is_compose_file(path: str) -> bool:
    """docker-compose.yml, compose.prod.yaml and the like."""
    base = posixpath.basename(path).lower()
    return bool(re.fullmatch(r"(docker-)?compose[\w.-]*\.ya?ml", base))


def text_site(project: Project, pattern: re.Pattern[str],
              paths: Iterable[str]) -> tuple[str, Site] | None:
    """The first line of ``paths`` (held non-Python files) matching ``pattern``."""
    for path in sorted(paths):
        text = project.text(path)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            m = pattern.search(line)
            if m:
                return m.group(0), Site(path, number)
    return None


def launcher_files(project: Project) -> list[str]:
    """Files that say how the service is started: Dockerfiles, Procfiles, compose files."""
    return [
        p for p in project.tree.files
        if in_service_dir(p)
        and (is_dockerfile(p) or is_compose_file(p) or posixpath.basename(p).lower() == "procfile")
    ]
