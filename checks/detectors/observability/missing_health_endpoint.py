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
            if "'health_check" in f.text or '"health_check' in f.text:
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
        found: list[tuple[Site, str]] = []
        for name, sites in fx.calls.items():
            django = name in _DJANGO_ROUTES
            routing = django or name.rsplit(".", 1)[-1] in _ROUTE_FUNCS
            for site, call in sites:
                for value in _route_strings(call, routing, django):
                    if health_path(value):
                        found.append((site, value))
        if not found:
            return None
        site, value = min(found, key=lambda t: (t[0].path, t[0].line))
        return value, site


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
