"""HTTP API with no versioning: no version in any path and no versioning scheme configured.

## What it flags
A project whose API routes (FastAPI, Ninja, DRF, and Flask or Django routes that return data)
all have literal paths without a version segment (``/v1/``, ``/api/v2``, ``/v1.1/``, a
``{version}`` parameter), when nothing else versions the API: no DRF
``DEFAULT_VERSIONING_CLASS``/``versioning_class``, no fastapi-versioning/fastapi-versionizer, no
media-type (``application/vnd.x.v1+json``) or header (``API-Version``, ``Accept-Version``)
versioning in the code. Operational paths (health, metrics, docs, static, admin, ``/``) are not
counted. One finding, on the app object or the Django root urlconf, listing a few routes.
Heuristic: a project may version through its gateway or hostnames.

## Why it matters
Without a version, the first breaking change (a renamed field, a removed endpoint) breaks every
existing client at once; with one, old and new contracts can run side by side through a
deprecation period (OWASP API9:2023, Improper Inventory Management).

## Example
```python
app.include_router(users.router, prefix="/users")
app.include_router(orders.router, prefix="/orders")
```

## Use instead
```python
api_v1 = APIRouter(prefix="/api/v1")
api_v1.include_router(users.router, prefix="/users")
api_v1.include_router(orders.router, prefix="/orders")
app.include_router(api_v1)
```

## References
- OWASP API9:2023 Improper Inventory Management: https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
- Django REST framework, Versioning: https://www.django-rest-framework.org/api-guide/versioning/
- RFC 8594, The Sunset HTTP Header Field: https://www.rfc-editor.org/rfc/rfc8594
- Microsoft REST API Guidelines, Versioning: https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#api-versioning
"""

from __future__ import annotations

import re

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.api._common import drf_setting
from checks.detectors.api._routes import (
    Route,
    is_api_route,
    is_param,
    main_app,
    project_routes,
    segments,
)

VERSION_SEGMENT = re.compile(r"^(api[-_]?)?v\d+([._]\d+)*$|^\d{4}-\d{2}-\d{2}$", re.IGNORECASE)
"""A path segment that names a version: ``v1``, ``v2.1``, ``api-v1``, ``2024-01-01``."""

_OPERATIONAL = frozenset({"health", "healthz", "healthcheck", "health-check", "health_check",
                          "ready", "readyz", "readiness", "live", "livez", "liveness", "ping",
                          "status", "metrics", "docs", "redoc", "openapi.json", "openapi",
                          "swagger", "schema", "static", "media", "admin", "favicon.ico",
                          "robots.txt", ".well-known", "__debug__", "internal", "version",
                          "debug"})
_VERSION_LIBRARIES = ("fastapi_versioning", "fastapi-versioning", "fastapi_versionizer",
                      "fastapi-versionizer", "flask_api_versioning", "django_api_versioning")
_VERSION_HEADERS = re.compile(r"""["'](x-)?(api-version|accept-version|api_version)["']|"""
                              r"""application/vnd\.[\w.-]+""", re.IGNORECASE)


def is_versioned(route: Route) -> bool:
    """True when a segment of the route's path names a version or is a version parameter."""
    for seg in segments(route.path):
        if VERSION_SEGMENT.match(seg):
            return True
        if is_param(seg) and "version" in seg.lower():
            return True
    return False


def is_operational(route: Route) -> bool:
    """True for health, metrics, docs, static and admin routes, and the root path."""
    segs = segments(route.path)
    return not segs or segs[0].lower() in _OPERATIONAL or segs[-1].lower() in _OPERATIONAL


class UnversionedApi(Detector):
    """Flags an API with no version anywhere (see module docstring)."""

    slug = "unversioned-api"
    items = ("API-03",)

    def finish(self, project: Project) -> None:
        pr = project_routes(project)
        routes = [r for r in pr.routes if r.path and is_api_route(r) and not is_operational(r)]
        if not routes:
            self.not_applicable("API-03", "no API routes with a known path")
            return
        versioned = [r for r in routes if is_versioned(r)]
        if versioned:
            first = versioned[0]
            self.evidence("API-03", f"{len(versioned)} of {len(routes)} API routes carry a "
                          f"version (e.g. {first.describe()} at {first.file}:{first.line})")
            return
        scheme = _versioning_scheme(project)
        if scheme is not None:
            self.evidence("API-03", scheme)
            return
        path, line = main_app(project)
        examples = ", ".join(r.describe() for r in routes[:3])
        self.report("API-03", path, line,
                    f"none of the {len(routes)} API routes carries a version ({examples}): a "
                    "breaking change has nowhere to go but onto every client",
                    "Put the API under a version prefix (APIRouter(prefix='/api/v1'), a "
                    "Blueprint url_prefix, path('api/v1/', include(...))) or configure header or "
                    "DRF versioning, and document the deprecation policy.",
                    key="unversioned-api")


def _versioning_scheme(project: Project) -> str | None:
    setting = drf_setting(project, "DEFAULT_VERSIONING_CLASS")
    if setting is not None and pyast.const(setting.value) is not None:
        return f"DRF DEFAULT_VERSIONING_CLASS at {setting.path}:{setting.line}"
    library = next((n for n in _VERSION_LIBRARIES if project.uses(n)), None)
    if library is not None:
        return f"versioning library `{library}` is used or declared"
    for f in project.service_files():
        if "versioning_class" in f.text:
            return f"DRF versioning_class in {f.path}"
        lower = f.text.lower()
        if "-ver" not in lower and "_ver" not in lower and "/vnd." not in lower:
            continue  # every pattern of _VERSION_HEADERS holds one of these
        m = _VERSION_HEADERS.search(f.text)
        if m is not None:
            return f"header or media-type versioning ({m.group(0)}) in {f.path}"
    return None
