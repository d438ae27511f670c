"""One service serving its API through two web frameworks at once.

## What it flags
Two or more of FastAPI/Starlette, Flask/Quart and Django (DRF and Ninja counted as Django)
serving endpoints in the same service: an app object (``FastAPI()``, ``Flask()``) or a Django
urlconf, under the same service root (the nearest folder holding a ``pyproject.toml``,
``setup.py``, ``requirements*.txt``, ``Pipfile``, ``Dockerfile`` or ``manage.py``). One finding,
on the app of the framework with fewer endpoints. Separate services of a monorepo, examples,
docs and scripts are not compared; an app mounted inside the other (``WSGIMiddleware``,
``a2wsgi``, ``DispatcherMiddleware``), a deliberate migration bridge, is not flagged.
Heuristic: a reviewer may attest a reason.

## Why it matters
Two frameworks in one service mean two routing, validation, authentication, error-handling and
documentation stacks: conventions drift between them, middleware (auth, rate limits, CORS) must
be configured twice, and clients meet two API styles (API-01).

## Example
```python
# app/main.py
api = FastAPI()
# app/legacy.py
web = Flask(__name__)
```

## Use instead
Serve the API from one framework; while migrating, mount the old app under one prefix
(``api.mount("/legacy", WSGIMiddleware(web))``) and track its removal.

## References
- Microsoft REST API Guidelines, consistency: https://github.com/microsoft/api-guidelines
- FastAPI, Including WSGI (Flask, Django): https://fastapi.tiangolo.com/advanced/wsgi/
"""

from __future__ import annotations

import posixpath
from collections import Counter

from checks.detector import Detector, Project
from checks.detectors.api._routes import (
    DJANGO,
    DRF,
    FASTAPI,
    FLASK,
    NINJA,
    django_root_urlconf,
    project_routes,
    serves_http,
)

_MARKERS = frozenset({"pyproject.toml", "setup.py", "setup.cfg", "pipfile", "dockerfile",
                      "manage.py"})
_SKIP_DIRS = frozenset({"examples", "example", "docs", "doc", "samples", "sample", "scripts",
                        "benchmarks", "tools"})
_BRIDGES = ("WSGIMiddleware", "a2wsgi", "DispatcherMiddleware", "AsgiToWsgi", "WsgiToAsgi",
            "asgiref.wsgi")
_NAMES = {FASTAPI: "FastAPI", FLASK: "Flask", DJANGO: "Django"}


class MixedWebFrameworks(Detector):
    """Flags services that serve HTTP through two frameworks (see module docstring)."""

    slug = "mixed-web-frameworks"
    items = ("API-01",)

    def finish(self, project: Project) -> None:
        if not serves_http(project):
            self.not_applicable("API-01", "no web framework in the project")
            return
        roots = _service_roots(project)
        pr = project_routes(project)
        # (service root, framework) -> (first location, number of endpoints)
        sites: dict[tuple[str, str], tuple[str, int]] = {}
        counts: Counter[tuple[str, str]] = Counter()
        for app in pr.apps:
            if app.kind == "app" and not _skipped(app.file):
                key = (_root_of(app.file, roots), _family(app.framework))
                sites.setdefault(key, (app.file, app.line))
        conf = django_root_urlconf(project)
        if conf is not None and not _skipped(conf[0]):
            sites.setdefault((_root_of(conf[0], roots), DJANGO), conf)
        for r in pr.routes:
            counts[(_root_of(r.file, roots), _family(r.framework))] += 1
        by_root: dict[str, list[str]] = {}
        for root, family in sites:
            by_root.setdefault(root, []).append(family)
        for root, families in sorted(by_root.items()):
            if len(families) < 2:
                continue
            bridged = project.memo("api.framework_bridge", lambda: _bridge(project))
            if bridged is not None:
                self.evidence("API-01", f"frameworks bridged on purpose: {bridged}")
                continue
            ranked = sorted(families, key=lambda fam: (-counts[(root, fam)], fam))
            minor = ranked[-1]
            path, line = sites[(root, minor)]
            listed = ", ".join(
                f"{_NAMES[fam]} ({counts[(root, fam)]} endpoints, {_where(sites[(root, fam)])})"
                for fam in ranked)
            self.report("API-01", path, line,
                        f"one service serves HTTP through {len(ranked)} frameworks: {listed}",
                        "Serve the API from one framework; if a migration is under way, mount "
                        "the old app under one prefix and record the plan.",
                        key=f"mixed-frameworks:{root}")
        if not self.findings:
            families = sorted({_NAMES[fam] for _root, fam in sites})
            if families:
                self.evidence("API-01", f"one web framework per service: {', '.join(families)}")


def _where(site: tuple[str, int]) -> str:
    return f"{site[0]}:{site[1]}"


def _family(framework: str) -> str:
    return DJANGO if framework in (DJANGO, DRF, NINJA) else framework


def _skipped(path: str) -> bool:
    return any(p in _SKIP_DIRS for p in path.split("/")[:-1])


def _service_roots(project: Project) -> list[str]:
    roots = {""}
    for path in project.tree.paths:
        base = posixpath.basename(path).lower()
        if base in _MARKERS or (base.startswith("requirements") and base.endswith(".txt")):
            roots.add(posixpath.dirname(path))
    return sorted(roots, key=len, reverse=True)


def _root_of(path: str, roots: list[str]) -> str:
    for root in roots:
        if not root or path.startswith(root + "/"):
            return root
    return ""


def _bridge(project: Project) -> str | None:
    for f in project.service_files():
        for name in _BRIDGES:
            if name in f.text:
                return f"{name} in {f.path}"
    return None
