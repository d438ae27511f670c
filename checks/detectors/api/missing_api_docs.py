"""HTTP API with no generated documentation and no OpenAPI description.

## What it flags
- a FastAPI (or Django Ninja) app built with ``openapi_url=None``, or with both ``docs_url=None``
  and ``redoc_url=None``, when no custom docs route (``get_swagger_ui_html``,
  ``get_redoc_html``, ``get_openapi``) replaces them: API-06; with ``openapi_url=None`` and no
  OpenAPI file in the repository, API-10 too;
- a Django REST framework API with neither drf-spectacular nor drf-yasg nor DRF's own
  ``get_schema_view``/``DEFAULT_SCHEMA_CLASS``: API-06, and API-10 unless an OpenAPI file is in
  the repository; reported on the ``REST_FRAMEWORK`` settings;
- a Flask API (routes that return data, not templates) with none of flasgger, flask-smorest,
  apispec, spectree, flask-restx, APIFlask, flask-openapi3, Connexion: the same, on ``Flask()``.

An ``openapi.yaml``/``openapi.json``/``swagger.yaml`` (any name starting with ``openapi`` or
``swagger``) in the repository satisfies API-10. Not applicable when the project has no HTTP API.

## Why it matters
Generated documentation follows the code: clients, SDK generators, contract tests and API
gateways read the OpenAPI description, and reviewers see the contract change in the pull request.
Hand-written or missing docs drift from the implementation after the first change.

## Example
```python
app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
```

## Use instead
```python
app = FastAPI(docs_url="/docs", openapi_url="/openapi.json")
# or keep the UI off in production but export the schema in CI:
#   python -c "import json, app.main; print(json.dumps(app.main.app.openapi()))" > openapi.json
```

## References
- FastAPI, Metadata and Docs URLs: https://fastapi.tiangolo.com/tutorial/metadata/#docs-urls
- drf-spectacular: https://drf-spectacular.readthedocs.io/
- flask-smorest: https://flask-smorest.readthedocs.io/
- OpenAPI Specification: https://spec.openapis.org/oas/latest.html
"""

from __future__ import annotations

import ast
import re

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.api._routes import (
    DRF,
    FASTAPI,
    FLASK,
    NINJA,
    AppObject,
    is_api_route,
    module_assignment_line,
    project_routes,
)
from checks.detectors.observability._syntax import mentions, walk_order

_SPEC_FILE = re.compile(r"(^|/)(openapi|swagger)[^/]*\.(ya?ml|json)$", re.IGNORECASE)
_SPEC_LAST = frozenset("lLnN")
"""The last letter of every path :data:`_SPEC_FILE` matches (``.yml``, ``.yaml``, ``.json``)."""
_CUSTOM_DOCS = ("get_swagger_ui_html", "get_redoc_html", "get_openapi")
_DRF_DOCS = ("drf_spectacular", "drf-spectacular", "drf_yasg", "drf-yasg")
_DRF_DOCS_CODE = ("get_schema_view", "DEFAULT_SCHEMA_CLASS", "SpectacularAPIView",
                  "SchemaGenerator")
_FLASK_DOCS = ("flasgger", "flask_smorest", "flask-smorest", "apispec", "spectree",
               "flask_restx", "flask-restx", "flask_restplus", "flask-restplus", "apiflask",
               "flask_openapi3", "flask-openapi3", "connexion", "flask_pydantic_spec",
               "flask-pydantic-spec", "flask_apispec", "flask-apispec", "flask_swagger",
               "flask-swagger", "flask_rebar", "flask-rebar")


class MissingApiDocs(Detector):
    """Flags APIs whose docs are disabled or never generated (see module docstring)."""

    slug = "missing-api-docs"
    items = ("API-06", "API-10")

    def finish(self, project: Project) -> None:
        pr = project_routes(project)
        api_routes = [r for r in pr.routes if is_api_route(r)]
        spec = next((p for p in project.tree.paths
                     if p[-1:] in _SPEC_LAST and _SPEC_FILE.search(p)), None)
        if not api_routes and not any(a.kind == "app" and a.framework in (FASTAPI, NINJA)
                                      for a in pr.apps):
            for item in self.items:
                self.not_applicable(item, "no HTTP API endpoints found")
            return
        if spec is not None:
            self.evidence("API-10", f"OpenAPI description in the repository: {spec}")
        frameworks = {r.framework for r in api_routes}
        for app in pr.apps:
            if app.kind == "app" and app.framework in (FASTAPI, NINJA) and (
                (pyast.call_name(app.call, project.python[app.file]) or "").endswith(
                    ("FastAPI", "NinjaAPI"))
            ):
                self._fastapi(app, spec, project)
                frameworks.discard(app.framework)
        if DRF in frameworks:
            self._drf(project, spec)
        if FLASK in frameworks:
            self._flask(project, pr.apps, spec)

    def _fastapi(self, app: AppObject, spec: str | None, project: Project) -> None:
        kind = "FastAPI" if app.framework == FASTAPI else "NinjaAPI"
        off = {k for k in ("openapi_url", "docs_url", "redoc_url")
               if (v := pyast.keyword(app.call, k)) is not None and pyast.const(v) is None}
        if not off or ("openapi_url" not in off and not {"docs_url", "redoc_url"} <= off):
            self.evidence("API-06", f"{kind} generates its OpenAPI schema and docs "
                          f"({app.file}:{app.line})")
            self.evidence("API-10", f"{kind} serves its OpenAPI description "
                          f"({app.file}:{app.line})")
            return
        custom = project.memo("api.custom_docs", lambda: _custom_docs(project))
        if custom is not None:
            self.evidence("API-06", f"custom docs route: {custom}")
            self.evidence("API-10", f"custom docs route: {custom}")
            return
        settings = ", ".join(f"{k}=None" for k in sorted(off))
        self.report("API-06", app.file, app.line,
                    f"`{kind}({settings})` turns the generated API docs off",
                    "Keep the generated docs (protect them or serve them only internally if "
                    "the API is private), or export the OpenAPI schema in CI and publish it.",
                    end_line=app.call.end_lineno, key=f"docs-off:{app.name}")
        if "openapi_url" in off and spec is None:
            self.report("API-10", app.file, app.line,
                        f"`{kind}(openapi_url=None)` and no OpenAPI file in the repository: "
                        "the API has no machine-readable description",
                        "Serve /openapi.json (behind auth if needed) or commit the exported "
                        "schema (openapi.json) and check it in CI.",
                        end_line=app.call.end_lineno, key=f"openapi-off:{app.name}")

    def _drf(self, project: Project, spec: str | None) -> None:
        if any(project.uses(n) for n in _DRF_DOCS) or any(
            any(t in f.text for t in _DRF_DOCS_CODE) for f in project.service_files()
        ):
            self.evidence("API-06", "DRF schema generation (drf-spectacular, drf-yasg or "
                          "get_schema_view) is set up")
            self.evidence("API-10", "DRF serves an OpenAPI schema")
            return
        path, line = _drf_settings(project)
        self._missing("Django REST framework API", path, line, spec,
                      "Add drf-spectacular (DEFAULT_SCHEMA_CLASS = "
                      "'drf_spectacular.openapi.AutoSchema', SpectacularAPIView and "
                      "SpectacularSwaggerView routes).", "drf")

    def _flask(self, project: Project, apps: tuple[AppObject, ...], spec: str | None) -> None:
        library = next((n for n in _FLASK_DOCS if project.uses(n)), None)
        if library is not None:
            self.evidence("API-06", f"`{library}` generates the Flask API docs")
            self.evidence("API-10", f"`{library}` produces an OpenAPI description")
            return
        app = next((a for a in apps if a.framework == FLASK and a.kind == "app"), None)
        path, line = (app.file, app.line) if app is not None else ("", 0)
        self._missing("Flask API", path, line, spec,
                      "Generate the docs from the code: flask-smorest or APIFlask (marshmallow "
                      "schemas), spectree or flask-openapi3 (Pydantic), or flasgger.", "flask")

    def _missing(self, what: str, path: str, line: int, spec: str | None, hint: str,
                 key: str) -> None:
        self.report("API-06", path, line,
                    f"{what} with no documentation generator: its reference can only be "
                    "written by hand", hint, key=f"no-docs:{key}")
        if spec is None:
            self.report("API-10", path, line,
                        f"{what} with no OpenAPI description: nothing generates one and no "
                        "openapi/swagger file is in the repository", hint,
                        key=f"no-openapi:{key}")


def _custom_docs(project: Project) -> str | None:
    """The first call of a custom docs function (``ast.walk`` order within a file): the
    function's name is in the text of any file that calls it, so only those files are read."""
    for f in project.service_files():
        if not mentions(f, *_CUSTOM_DOCS):
            continue
        found: list[tuple[ast.Call, str]] = []
        for node in f.nodes(ast.Call):
            name = pyast.call_name(node, f) or ""
            if name.rsplit(".", 1)[-1] in _CUSTOM_DOCS:
                found.append((node, name.rsplit(".", 1)[-1]))
        if found:
            first = walk_order(f, [node for node, _name in found])[0]
            name = next(n for node, n in found if node is first)
            return f"{name}() at {f.path}:{first.lineno}"
    return None


def _drf_settings(project: Project) -> tuple[str, int]:
    for name in ("REST_FRAMEWORK", "INSTALLED_APPS"):
        for f in project.service_files():
            line = module_assignment_line(f, name)
            if line:
                return f.path, line
    return "", 0
