"""Test setup copied between test modules instead of shared.

## What it flags
- A pytest fixture or a ``unittest`` ``setUp``/``setUpClass``/``asyncSetUp`` whose parameters
  and body are identical to one defined elsewhere in the tests (at least three statements besides
  a docstring and ``super().setUp()``, so one- and two-liners built on a shared base class or
  fixture do not count): one finding per copy after the first.
- A pytest suite where at least two test modules define their own fixtures but no
  ``conftest.py`` defines any, no ``pytest_plugins`` loads a fixture module, and no factory
  library (factory_boy, model_bakery, polyfactory, mixer) is used: one project-level finding.

## Why it matters
Setup that lives in one test module cannot be reused by the next, so it gets copied, and the
copies drift: one test builds the user with a verified e-mail, the other without (TEST-06).
Heuristic: the detector compares syntax trees, not intent.

## Example
```python
# tests/test_orders.py and tests/test_refunds.py, both:
@pytest.fixture
def paid_order(db):
    customer = Customer.objects.create(email="a@example.com")
    return Order.objects.create(customer=customer, status="paid")
```

## Use instead
```python
# tests/conftest.py, found by every test module below it
@pytest.fixture
def paid_order(db):
    customer = Customer.objects.create(email="a@example.com")
    return Order.objects.create(customer=customer, status="paid")
```

## References
- pytest, sharing fixtures with conftest.py: https://docs.pytest.org/en/stable/reference/fixtures.html#conftest-py-sharing-fixtures-across-multiple-files
- factory_boy: https://factoryboy.readthedocs.io/
"""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.testing._common import find_test_modules

_FIXTURE_DECORATORS = ("pytest.fixture", "pytest_asyncio.fixture")
_SETUP_METHODS = frozenset({"setUp", "setUpClass", "asyncSetUp", "setUpTestData", "setup_method",
                            "setup_class"})
_FACTORY_LIBS = ("factory", "model_bakery", "model_mommy", "polyfactory", "mixer",
                 "factory_boy", "pytest_factoryboy")
_MIN_STATEMENTS = 3


@dataclass(frozen=True, slots=True)
class _Setup:
    path: str
    line: int
    name: str
    kind: str  # "fixture" or "setUp"


class DuplicatedTestSetup(Detector):
    """Flags copied fixtures and unshared fixtures (see module docstring)."""

    slug = "duplicated-test-setup"
    items = ("TEST-06",)

    def __init__(self) -> None:
        super().__init__()
        self._by_body: dict[str, list[_Setup]] = {}
        self._local_fixture_modules: set[str] = set()
        self._shared: str | None = None

    def visit_FunctionDef(self, node: ast.FunctionDef, ctx: FileContext) -> None:
        self._visit_function(node, ctx)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, ctx: FileContext) -> None:
        self._visit_function(node, ctx)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef,
                        ctx: FileContext) -> None:
        f = ctx.file
        if not f.is_test or ctx.function is not None:
            return
        is_conftest = posixpath.basename(ctx.path) == "conftest.py"
        if self._is_fixture(node, ctx):
            kind = "fixture"
            if is_conftest:
                self._shared = self._shared or f"fixture {node.name}() in {ctx.path}"
            else:
                self._local_fixture_modules.add(ctx.path)
        elif ctx.classes and node.name in _SETUP_METHODS:
            kind = node.name
        else:
            return
        body = [s for s in node.body if not _is_docstring(s) and not _is_super_call(s)]
        if len(body) < _MIN_STATEMENTS:
            return
        fingerprint = ast.dump(node.args) + "".join(ast.dump(s) for s in body)
        self._by_body.setdefault(fingerprint, []).append(
            _Setup(ctx.path, node.lineno, node.name, kind))

    def visit_Assign(self, node: ast.Assign, ctx: FileContext) -> None:
        if self._shared is None and ctx.function is None and any(
            isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets
        ):
            self._shared = f"pytest_plugins in {ctx.path}:{node.lineno}"

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        if self._shared is None and f.is_test and f.imports_module(*_FACTORY_LIBS):
            self._shared = f"test data factories imported in {ctx.path}"
        if f.is_test:
            return True
        # Outside tests only a ``pytest_plugins = [...]`` matters, until shared setup is found.
        return self._shared is None and "pytest_plugins" in f.text

    @staticmethod
    def _is_fixture(node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: FileContext) -> bool:
        for dec in node.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            name = pyast.resolve(target, ctx.file) or ""
            if name in _FIXTURE_DECORATORS or name.endswith(".fixture"):
                return True
        return False

    def finish(self, project: Project) -> None:
        tests = find_test_modules(project)
        if not tests:
            self.not_applicable("TEST-06", "no test modules")
            return
        copies = 0
        for group in self._by_body.values():
            if len(group) < 2:
                continue
            group = sorted(group, key=lambda s: (s.path, s.line))
            first = group[0]
            for dup in group[1:]:
                copies += 1
                what = f"fixture {dup.name}()" if dup.kind == "fixture" else f"{dup.kind}()"
                self.report(
                    "TEST-06", dup.path, dup.line,
                    f"{what} repeats the setup of {first.name}() at {first.path}:{first.line} "
                    "(identical parameters and body)",
                    "Define the setup once, as a fixture in a conftest.py that both test "
                    "modules see (or a shared base class / factory), and delete the copy.",
                    key=f"duplicate:{dup.name}",
                )
        if self._shared is not None:
            self.evidence("TEST-06", f"shared setup: {self._shared}")
            return
        if len(self._local_fixture_modules) >= 2:
            local = sorted(self._local_fixture_modules)
            self.report(
                "TEST-06", "", 0,
                f"{len(local)} test modules define their own fixtures (e.g. {local[0]}, "
                f"{local[1]}) but no conftest.py shares any",
                "Move fixtures used by more than one module into tests/conftest.py, and build "
                "test data with factories (factory_boy, polyfactory) rather than inline.",
                key="no-shared-fixtures",
            )
        elif not copies:
            self.evidence("TEST-06", "no copied setup found between test modules")


def _is_super_call(stmt: ast.stmt) -> bool:
    """``super().setUp()`` and the like: shared setup, not a copy."""
    if not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
        return False
    func = stmt.value.func
    return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Name) and func.value.func.id == "super")


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(
        stmt.value.value, str)
