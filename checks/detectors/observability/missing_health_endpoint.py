"""HTTP service without a health check endpoint.

## What it flags
A project that creates an HTTP application (FastAPI, Flask, Django, aiohttp, Starlette, Quart,
Litestar, Sanic, Falcon, Tornado, Connexion) but registers no route whose path names a health
check (``/health``, ``/healthz``, ``/livez``, ``/readyz``, ``/ping``, ``/status``,
``/heartbeat``...), uses no health-check library (django-health-check, django-watchman,
fastapi-health, flask-healthz, py-healthcheck) and has no Dockerfile ``HEALTHCHECK`` nor
Kubernetes probe. One finding, on the line that creates the application.

Routes are read from the first argument of routing calls and decorators (``@app.get(...)``,
``@bp.route(...)``, ``add_api_route``, ``add_url_rule``, ``router.add_get``, Django's ``path`` and
``re_path``, Starlette's ``Route``) and from ``prefix``/``url_prefix`` keywords.

## Why it matters
Load balancers, orchestrators and uptime monitors need a cheap endpoint that says whether the
process can serve; without one a hung or half-started instance keeps receiving traffic and is
never restarted (OBS-06).

## Example
```python
app = FastAPI()

@app.get("/users/{user_id}")
async def get_user(user_id: int) -> User: ...
```

## Use instead
```python
app = FastAPI()

@app.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
```

## References
- Kubernetes liveness, readiness and startup probes: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
- Microsoft, Health Endpoint Monitoring pattern: https://learn.microsoft.com/en-us/azure/architecture/patterns/health-endpoint-monitoring
"""

from __future__ import annotations

import ast
import re

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.observability._facts import (
    Facts,
    Site,
    dependency_site,
    facts,
    in_service_dir,
    is_dockerfile,
    text_site,
)
from checks.detectors.observability._syntax import walk_order
from checks.pyfile import PyFile

_ROUTE_FUNCS = frozenset(
    {"get", "head", "post", "route", "api_route", "add_api_route", "add_route", "add_get",
     "add_head", "add_url_rule", "Route", "Mount", "HTTPRoute", "add_resource"}
)
_DJANGO_ROUTES = frozenset({"django.urls.path", "django.urls.re_path", "django.conf.urls.url"})

# Segments that name a health check wherever they sit in the path.
_HEALTH = re.compile(
    r"_*(health|healthz|healthcheck|health[-_]check|healthy|livez|readyz|liveness|readiness"
    r"|heartbeat|lbheartbeat)_*",
    re.IGNORECASE,
)
# Segments that name one only as the last segment of a path without parameters.
_HEALTH_LAST = re.compile(r"_*(ping|status|alive|live|ready|up)_*", re.IGNORECASE)
_PARAM = re.compile(r"[{<(]")
_LIBRARIES = ("health_check", "watchman", "fastapi_health", "flask_healthz", "healthcheck",
              "django_alive")
_LIBRARY_DISTS = ("django-health-check", "django-watchman", "fastapi-health", "flask-healthz",
                  "healthcheck", "py-healthcheck", "django-alive")
_PROBE = re.compile(r"^\s*(HEALTHCHECK\s+(?!NONE\b)\S.*|(liveness|readiness|startup)Probe\s*:.*)",
                    re.IGNORECASE)


def health_path(path: str) -> bool:
    """True when the route path ``path`` names a health check (see module docstring)."""
    cleaned = path.strip().strip("^$").replace("\\", "")
    segments = [s for s in re.split(r"/+", cleaned) if s]
    if not segments:
        return False
    if any(_HEALTH.fullmatch(s) for s in segments):
        return True
    return not _PARAM.search(cleaned) and bool(_HEALTH_LAST.fullmatch(segments[-1]))


class MissingHealthEndpoint(Detector):
    """Flags an HTTP application without a health route (see module docstring)."""

    slug = "missing-health-endpoint"
    items = ("OBS-06",)

    def finish(self, project: Project) -> None:
        fx = facts(project)
        apps = fx.http_apps
        if not apps:
            self.not_applicable("OBS-06", "no HTTP application found (FastAPI, Flask, Django, "
                                          "aiohttp, Starlette...)")
            return
        found = self._find(project, fx)
        if found is not None:
            self.evidence("OBS-06", f"found {found}")
            return
        app = apps[0]
        self.report(
            "OBS-06", app.site.path, app.site.line,
            f"This {app.framework} application exposes no health check endpoint (no route such "
            "as /health, /healthz, /livez, /readyz or /ping)",
            "Add a cheap unauthenticated GET /healthz (liveness) and, if the service has "
            "dependencies, a /readyz that checks them; point the orchestrator's probes at them.",
            key=f"{self.slug}:{app.framework}",
        )

    def _find(self, project: Project, fx: Facts) -> str | None:
        route = self._route(fx)
        if route is not None:
            return f"health route {route[0]!r} at {route[1]}"
        library = fx.import_site(*_LIBRARIES)
        if library is not None:
            return f"{library[0]} imported at {library[1]}"
        declared = dependency_site(project, _LIBRARY_DISTS)
        if declared is not None:
            return f"dependency {declared[0]} at {declared[1]}"
        for f in fx.files:
            if _after_quote(f.text, "health_check"):
                return f"health_check app configured in {f.path}"
        probe_files = [
            p for p in project.tree.files
            if in_service_dir(p) and (is_dockerfile(p) or p.endswith((".yaml", ".yml")))
        ]
        probe = text_site(project, _PROBE, probe_files)
        if probe is not None:
            return f"probe `{probe[0].strip()[:60]}` at {probe[1]}"
        return None

    @staticmethod
    def _route(fx: Facts) -> tuple[str, Site] | None:
        """The health route string registered first by path and line. Only calls with a
        string argument or ``rule=``/``prefix=``/``url_prefix=`` keyword can register one,
        and only in files with a ``"/`` literal or an import of Django's ``path()``."""
        found: list[tuple[Site, str, str, ast.Call]] = []
        for f in fx.files:
            if not _imports_django_routes(f) and not _after_quote(f.text, "/"):
                continue
            if not _may_name_health(f.text):
                continue
            for call in f.nodes(ast.Call):
                if not _may_register(call):
                    continue
                name = pyast.call_name(call, f)
                if name is None:
                    continue
                django = name in _DJANGO_ROUTES
                routing = django or name.rsplit(".", 1)[-1] in _ROUTE_FUNCS
                for value in _route_strings(call, routing, django):
                    if health_path(value):
                        found.append((Site(f.path, call.lineno), value, name, call))
        if not found:
            return None
        best = min((t[0].path, t[0].line) for t in found)
        tied = [t for t in found if (t[0].path, t[0].line) == best]
        if len({id(t[3]) for t in tied}) > 1:
            # Several calls on one line: the order a table of every call by name would give.
            f = fx.python[tied[0][0].path]
            rank = fx.first_seen({t[2] for t in tied})
            walk = {id(c): i for i, c in enumerate(walk_order(f, [t[3] for t in tied],
                                                              source_order=False))}
            tied.sort(key=lambda t: (rank.get(t[2], 0), walk[id(t[3])]))
        site, value = tied[0][0], tied[0][1]
        return value, site


# _HEALTH's words and _HEALTH_LAST's, as the text pre-test reads them: a strong word counts
# anywhere, a weak one at the end of a string literal. Strong words that start with a weak one
# are looked for at its hits ("alive" is left out: each of its hits is one of "live").
_STRONG_WORDS = ("health", "heartbeat", "readiness")
_WEAK_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("live", ("livez", "liveness")), ("ready", ("readyz",)), ("ping", ()), ("status", ()),
    ("up", ()),
)
# What may follow a weak word to the end of a string literal in the source.
_WEAK_TAIL = re.compile(r"_*(?:[/$^\s]|\\[\\ntrvf])*[\"']")


def _may_name_health(text: str) -> bool:
    """False when no string literal of ``text`` can be a path :func:`health_path` accepts:
    it would contain one of :data:`_HEALTH`'s words, or end with one of :data:`_HEALTH_LAST`'s
    (in any case). One search per word, then a look at each hit: cheaper than one pattern with
    alternatives, which the regex engine tries at every position."""
    low = text.lower()
    if any(w in low for w in _STRONG_WORDS):
        return True
    for word, strong in _WEAK_WORDS:
        end = len(word)
        at = low.find(word)
        while at != -1:
            if (strong and low.startswith(strong, at)) or _WEAK_TAIL.match(low, at + end):
                return True
            at = low.find(word, at + 1)
    return False


def _after_quote(text: str, needle: str) -> bool:
    """True when ``needle`` follows a quote in ``text`` (``'/`` or ``"/``), found with one
    search for ``needle`` and a look at the character before each hit: two searches for the
    two-character strings cost far more when ``needle`` is rare."""
    at = text.find(needle)
    while at != -1:
        if at and text[at - 1] in "'\"":
            return True
        at = text.find(needle, at + 1)
    return False


# Imported names a call of one of _DJANGO_ROUTES can resolve through: the routes and their
# dotted prefixes (``django``, ``django.urls``, ``django.urls.path``...).
_DJANGO_ROUTE_IMPORTS = frozenset(
    r.rsplit(".", i)[0] for r in _DJANGO_ROUTES for i in range(r.count(".") + 1)
)


def _imports_django_routes(f: PyFile) -> bool:
    """True when a name in ``f`` can resolve to one of :data:`_DJANGO_ROUTES`."""
    return not _DJANGO_ROUTE_IMPORTS.isdisjoint(f.imports.values())


def _may_register(call: ast.Call) -> bool:
    """True when :func:`_route_strings` could find a string in ``call``."""
    if call.args and isinstance(call.args[0], ast.Constant):
        return True
    return any(kw.arg in ("path", "rule", "prefix", "url_prefix") for kw in call.keywords)


def _route_strings(call: ast.Call, routing: bool, django: bool) -> list[str]:
    """Route paths a call registers: the first argument of a routing call (a Django ``path``
    takes any string; others only one starting with ``/``), ``path=``/``rule=`` of a routing
    call and the ``prefix=``/``url_prefix=`` of any call."""
    out: list[str] = []
    if routing:
        first = pyast.const_str(pyast.argument(call, 0, "path"))
        if first is None:
            first = pyast.const_str(pyast.keyword(call, "rule"))
        if first is not None and (django or first.startswith("/")):
            out.append(first)
    for kw in ("prefix", "url_prefix"):
        value = pyast.const_str(pyast.keyword(call, kw))
        if value is not None and value.startswith("/"):
            out.append(value)
    return out
