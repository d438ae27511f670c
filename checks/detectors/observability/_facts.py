"""Project facts several project-level detectors need: which web applications or workers the
service creates (and where), which modules it imports (first site of each), which functions it
calls, and where a dependency is declared.

They are computed once per review from the parsed files (one ``ast.walk`` per service file) and
memoised on the :class:`~checks.detector.Project`, so the OBS, SCALE, DEPLOY and CODE detectors
that ask share the work. Nothing here reads the disk.
"""

from __future__ import annotations

import ast
import posixpath
import re
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from checks import pyast
from checks.detector import Project
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


@dataclass(slots=True)
class Facts:
    """What :func:`facts` found in the service code (tests, migrations and samples excluded).

    ``json_formatter``: the first string literal naming a JSON log formatter (a ``dictConfig``
    entry such as ``"pythonjsonlogger.json.JsonFormatter"``), with its site;
    ``json_formatter_class``: the first ``*Formatter`` subclass whose body uses a JSON module.
    """

    apps: list[App] = field(default_factory=list)
    json_formatter: tuple[str, Site] | None = None
    json_formatter_class: tuple[str, Site] | None = None
    imports: dict[str, Site] = field(default_factory=dict)
    calls: dict[str, list[tuple[Site, ast.Call]]] = field(default_factory=dict)
    files: list[PyFile] = field(default_factory=list)

    @property
    def http_apps(self) -> list[App]:
        """Applications that serve HTTP (not Celery workers)."""
        return [a for a in self.apps if a.http]

    def entry(self) -> App | None:
        """The application to report project-level findings on: the first HTTP app, else the
        first worker."""
        apps = self.http_apps or self.apps
        return apps[0] if apps else None

    def import_site(self, *prefixes: str) -> tuple[str, Site] | None:
        """The first import of a module equal to or under one of ``prefixes``, by path order."""
        best: tuple[str, Site] | None = None
        for name, site in self.imports.items():
            if any(name == p or name.startswith(p + ".") for p in prefixes) and (
                best is None or (site.path, site.line) < (best[1].path, best[1].line)
            ):
                best = (name, site)
        return best

    def call_sites(self, *names: str) -> Iterator[tuple[str, Site, ast.Call]]:
        """Calls whose resolved name is one of ``names``, in path and line order."""
        out = [(n, s, c) for n in names for s, c in self.calls.get(n, ())]
        out.sort(key=lambda t: (t[1].path, t[1].line))
        yield from out


def in_service_dir(path: str) -> bool:
    """False for files under sample or documentation folders (``examples/``, ``docs/``)."""
    return not any(p.lower() in NON_SERVICE_DIRS for p in path.split("/")[:-1])


_CACHE: weakref.WeakKeyDictionary[Project, Facts] = weakref.WeakKeyDictionary()


def facts(project: Project) -> Facts:
    """The :class:`Facts` of ``project``, computed on first use and shared afterwards."""
    cached = _CACHE.get(project)
    if cached is None:
        cached = _CACHE[project] = _collect(project)
    return cached


def _collect(project: Project) -> Facts:
    out = Facts()
    django_fallback: list[App] = []
    for f in project.service_files():
        if not in_service_dir(f.path):
            continue
        out.files.append(f)
        for node in ast.walk(f.tree):
            if isinstance(node, ast.Call):
                name = pyast.call_name(node, f)
                if name is None:
                    continue
                site = Site(f.path, node.lineno)
                out.calls.setdefault(name, []).append((site, node))
                known = _APP_CALLS.get(name)
                if known is not None:
                    out.apps.append(App(known[0], site, known[1]))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    out.imports.setdefault(alias.name, Site(f.path, node.lineno))
            elif isinstance(node, ast.ImportFrom):
                if node.level or not node.module:
                    continue
                out.imports.setdefault(node.module, Site(f.path, node.lineno))
                for alias in node.names:
                    out.imports.setdefault(f"{node.module}.{alias.name}",
                                           Site(f.path, node.lineno))
            elif isinstance(node, ast.Constant):
                if (
                    out.json_formatter is None
                    and isinstance(node.value, str)
                    and len(node.value) < 200
                    and _JSON_FORMATTER.search(node.value)
                ):
                    out.json_formatter = (node.value, Site(f.path, node.lineno))
            elif (
                isinstance(node, ast.ClassDef)
                and out.json_formatter_class is None
                and _json_formatter_class(node, f)
            ):
                out.json_formatter_class = (node.name, Site(f.path, node.lineno))
        for stmt in f.tree.body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "ROOT_URLCONF" for t in stmt.targets
            ):
                django_fallback.append(App("Django", Site(f.path, stmt.lineno), True))
    if not any(a.framework == "Django" for a in out.apps):
        out.apps.extend(django_fallback[:1])
    out.apps.sort(key=lambda a: (not a.http, a.site.path, a.site.line))
    for sites in out.calls.values():
        sites.sort(key=lambda t: (t[0].path, t[0].line))
    return out


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
