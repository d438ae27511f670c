"""HTTP endpoints that no test calls through a test client.

## What it flags
A project that declares HTTP endpoints (FastAPI/Starlette/Flask/Quart/Ninja routes, Django
views named in ``urlpatterns``, DRF views) whose tests never call the API: no FastAPI/Starlette
``TestClient``, ``httpx.AsyncClient`` with ``ASGITransport``, Flask ``app.test_client()``, DRF
``APIClient``/``APITestCase``, Django ``Client`` (``self.client.get(...)``), pytest fixtures used
as ``client.get(...)``, aiohttp/litestar test clients, schemathesis, Pact or Tavern. One finding,
on the first route found.

## Why it matters
Unit tests of handler functions do not exercise routing, request validation, serialisation,
status codes or authentication; only requests through the app check the contract clients rely
on (TEST-03). Heuristic: the detector sees that API tests exist, not that they cover every
endpoint.

## Example
```python
@app.get("/orders/{order_id}")
def get_order(order_id: int) -> Order: ...
```
(and tests only call ``get_order(1)`` directly)

## Use instead
```python
from fastapi.testclient import TestClient

def test_get_order_returns_404_for_unknown_id():
    response = TestClient(app).get("/orders/999")
    assert response.status_code == 404
```

## References
- FastAPI, Testing: https://fastapi.tiangolo.com/tutorial/testing/
- Flask, Testing Flask Applications: https://flask.palletsprojects.com/en/stable/testing/
- Django REST framework, Testing: https://www.django-rest-framework.org/api-guide/testing/
- Schemathesis (property-based OpenAPI contract tests): https://schemathesis.readthedocs.io/
"""

from __future__ import annotations

import ast
import posixpath

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.api._routes import project_routes

# Fully resolved names of test clients and contract-test tools (a prefix match).
_CLIENT_NAMES = (
    "fastapi.testclient", "starlette.testclient", "httpx.ASGITransport", "httpx.WSGITransport",
    "rest_framework.test", "django.test.Client", "django.test.AsyncClient",
    "django.test.client", "aiohttp.test_utils", "litestar.testing", "sanic_testing",
    "webtest", "falcon.testing", "schemathesis", "pact", "async_asgi_testclient",
    "pytest_flask", "flask.testing", "quart.testing", "ninja.testing",
)
_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
_CONTRACT_FILES = (".tavern.yaml", ".tavern.yml", ".postman_collection.json")


class ApiWithoutContractTests(Detector):
    """Flags HTTP routes with no test that calls the app (see module docstring)."""

    slug = "api-without-contract-tests"
    items = ("TEST-03",)
    calls = _HTTP_VERBS | {"test_client"}

    def __init__(self) -> None:
        super().__init__()
        self._client: str | None = None

    def start_file(self, ctx: FileContext) -> bool:
        if self._client is None and ctx.file.is_test:
            for target in ctx.file.imports.values():
                if target.startswith(_CLIENT_NAMES):
                    self._client = f"{target} imported in {ctx.path}"
                    break
        return self._client is None and ctx.file.is_test

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._client is not None or not ctx.file.is_test:
            return
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        if func.attr == "test_client":
            what = pyast.dotted(func) or "app.test_client"
            self._client = f"{what}() in {ctx.path}:{node.lineno}"
        elif func.attr in _HTTP_VERBS:
            receiver = pyast.dotted(func.value) or ""
            if "client" in receiver.rsplit(".", 1)[-1].lower():
                self._client = f"{receiver}.{func.attr}() in {ctx.path}:{node.lineno}"

    def finish(self, project: Project) -> None:
        found = project_routes(project).routes
        if not found:
            self.not_applicable("TEST-03", "no HTTP routes found")
            return
        if self._client is None:
            for path in project.tree.paths:
                if posixpath.basename(path).lower().endswith(_CONTRACT_FILES):
                    self._client = f"contract test file {path}"
                    break
        if self._client is not None:
            self.evidence("TEST-03", f"API tests: {self._client}")
            return
        first = found[0]
        self.report(
            "TEST-03", first.file, first.line,
            f"the project serves {len(found)} HTTP route(s) (first: {first.describe()}) but no "
            "test calls them through a test client",
            "Test the API through the app (FastAPI TestClient, Flask app.test_client(), DRF "
            "APIClient) and assert status codes and response bodies; schemathesis can check "
            "every route against the OpenAPI schema.",
            key="no-api-tests",
        )
