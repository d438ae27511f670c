"""No sign of integration tests.

## What it flags
A project with service code whose tests show no sign of testing components together: no
``integration``/``e2e``/``functional``/``acceptance`` test folder or module, no
``integration``/``e2e``/``django_db`` pytest marker, no test that talks to a real database or
broker (Django ``TestCase``/``TransactionTestCase``/``LiveServerTestCase``, DRF
``APITestCase``, the pytest-django ``db`` fixtures, testcontainers, pytest-postgresql,
pytest-docker, SQLAlchemy ``create_engine`` in tests) and no test that drives the app through
a test client. One project-level finding.

## Why it matters
Unit tests with every collaborator mocked pass while the SQL, the serialisation or the wiring
between components is broken; the checklist asks for integration tests over the critical paths
(TEST-02). Heuristic: it sees that such tests exist, not which paths they cover.

## Example
```text
tests/
  test_pricing.py      # pure functions only, repositories mocked
```

## Use instead
```python
# tests/integration/test_checkout.py
@pytest.mark.integration
def test_checkout_persists_the_order(db_session, client):
    client.post("/checkout", json={"sku": "A1", "qty": 2})
    assert db_session.scalar(select(func.count(Order.id))) == 1
```

## References
- pytest, working with custom markers: https://docs.pytest.org/en/stable/example/markers.html
- Testcontainers for Python: https://testcontainers-python.readthedocs.io/
- Django, testing tools: https://docs.djangoproject.com/en/stable/topics/testing/tools/
"""

from __future__ import annotations

import ast
import re

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.testing._common import find_test_modules, service_modules

_DIRS = frozenset({"integration", "integration_tests", "integrationtests", "e2e", "end_to_end",
                   "functional", "functional_tests", "acceptance", "system_tests", "it"})
_NAME = re.compile(r"(integration|e2e|end_to_end|functional|acceptance)", re.IGNORECASE)
_MARKERS = frozenset({"integration", "e2e", "django_db", "functional", "acceptance", "db",
                      "database", "system", "end_to_end"})
_MARKER_CONFIG = re.compile(r"^[ \t]*[\"']?(integration|e2e|functional|acceptance)\b",
                            re.MULTILINE | re.IGNORECASE)
_REAL_SERVICE_IMPORTS = ("testcontainers", "pytest_postgresql", "pytest_mysql", "pytest_redis",
                         "pytest_docker", "pytest_mongodb", "fastapi.testclient",
                         "starlette.testclient", "rest_framework.test", "aiohttp.test_utils",
                         "litestar.testing", "pytest_django", "sqlalchemy_utils",
                         "asgi_lifespan", "httpx.ASGITransport", "pytest_docker_compose")
_DB_BASES = frozenset({"django.test.TestCase", "django.test.TransactionTestCase",
                       "django.test.LiveServerTestCase", "rest_framework.test.APITestCase",
                       "rest_framework.test.APITransactionTestCase",
                       "django.contrib.staticfiles.testing.StaticLiveServerTestCase"})
_DB_FIXTURES = frozenset({"db", "transactional_db", "live_server", "django_db_setup",
                          "db_session", "dbsession", "engine", "database", "async_session"})
_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
_DB_CALLS = frozenset({"sqlalchemy.create_engine", "sqlalchemy.ext.asyncio.create_async_engine",
                       "asyncpg.connect", "psycopg.connect", "psycopg2.connect"})


class NoIntegrationTests(Detector):
    """Flags a test suite with no integration-test signal (see module docstring)."""

    slug = "no-integration-tests"
    items = ("TEST-02",)
    calls = frozenset({*(n.rsplit(".", 1)[-1] for n in _DB_CALLS), "test_client", *_HTTP_VERBS})
    attributes = _MARKERS

    def __init__(self) -> None:
        super().__init__()
        self._signal: str | None = None

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        if self._signal is not None or not f.is_test:
            return False
        parts = f.path.lower().split("/")
        if any(p in _DIRS for p in parts[:-1]) or _NAME.search(parts[-1]):
            self._signal = f"integration test module {f.path}"
            return False
        for target in f.imports.values():
            if target.startswith(_REAL_SERVICE_IMPORTS):
                self._signal = f"{target} imported in {f.path}"
                return False
        return True

    def visit_Attribute(self, node: ast.Attribute, ctx: FileContext) -> None:
        if self._signal is None and ctx.file.is_test and node.attr in _MARKERS:
            name = pyast.resolve(node, ctx.file) or ""
            if name == f"pytest.mark.{node.attr}":
                self._signal = f"@pytest.mark.{node.attr} in {ctx.path}:{node.lineno}"

    def visit_ClassDef(self, node: ast.ClassDef, ctx: FileContext) -> None:
        if self._signal is None and ctx.file.is_test:
            for base in node.bases:
                name = pyast.resolve(base, ctx.file) or ""
                if name in _DB_BASES:
                    self._signal = f"{node.name}({name}) in {ctx.path}:{node.lineno}"
                    return

    def visit_FunctionDef(self, node: ast.FunctionDef, ctx: FileContext) -> None:
        self._visit_function(node, ctx)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, ctx: FileContext) -> None:
        self._visit_function(node, ctx)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef,
                        ctx: FileContext) -> None:
        if self._signal is not None or not ctx.file.is_test or not node.name.startswith("test"):
            return
        for arg in node.args.args:
            if arg.arg in _DB_FIXTURES:
                self._signal = f"{node.name}() uses the {arg.arg} fixture in {ctx.path}"
                return

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._signal is None and ctx.file.is_test:
            name = pyast.call_name(node, ctx.file) or ""
            if name in _DB_CALLS:
                self._signal = f"{name}() in {ctx.path}:{node.lineno}"
            elif isinstance(node.func, ast.Attribute) and node.func.attr == "test_client":
                self._signal = f"app.test_client() in {ctx.path}:{node.lineno}"
            elif isinstance(node.func, ast.Attribute) and node.func.attr in _HTTP_VERBS:
                receiver = pyast.dotted(node.func.value) or ""
                if "client" in receiver.rsplit(".", 1)[-1].lower():
                    self._signal = (f"requests through the app: {receiver}.{node.func.attr}() "
                                    f"in {ctx.path}:{node.lineno}")

    def finish(self, project: Project) -> None:
        modules = service_modules(project)
        if not modules:
            self.not_applicable("TEST-02", "no service modules with functions or classes")
            return
        if self._signal is None:
            for path in sorted(project.tree.files):
                base = path.rsplit("/", 1)[-1].lower()
                if base in ("pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini"):
                    text = project.text(path) or ""
                    if "markers" in text:
                        m = _MARKER_CONFIG.search(text)
                        if m:
                            line = text.count("\n", 0, m.start()) + 1
                            self._signal = f"pytest marker {m.group(1)!r} declared at {path}:{line}"
                            break
        if self._signal is not None:
            self.evidence("TEST-02", f"integration tests: {self._signal}")
            return
        tests = find_test_modules(project)
        what = (f"{len(tests)} test module(s) but none" if tests else "no tests at all, so no test")
        self.report(
            "TEST-02", "", 0,
            f"{what} exercises components together (no integration/e2e folder or marker, no "
            "real database fixture, no test client)",
            "Add integration tests for the critical paths under tests/integration/, marked "
            "@pytest.mark.integration, against a real database (testcontainers, "
            "pytest-postgresql or the framework's test database).",
            key="no-integration-tests",
        )
