"""Service code changed without any test change.

## What it flags
In a pull request: the diff adds or modifies code in service modules (Python files that are
not tests, migrations, settings, docs, scripts or entry-point boilerplate; comments, blank lines
and docstrings do not count) but adds or modifies no test file. One finding, on the first added
code line of the first changed module.

In a full review (no diff): a project with service modules and no test module at all.

## Why it matters
Code that changes without a test that pins its new behaviour is how regressions ship; the
checklist asks for unit tests with high coverage (TEST-01), and coverage only stays high when
every change brings its tests. This is a heuristic: a refactor covered by existing tests is a
legitimate exception, which a reviewer can waive.

## Example
```diff
 # app/pricing.py
+def discount(total):
+    return total * 0.9 if total > 100 else total
```
(and no file under ``tests/`` in the diff)

## Use instead
```diff
+# tests/test_pricing.py
+def test_discount_applies_above_100():
+    assert discount(200) == 180
```

## References
- pytest, good integration practices: https://docs.pytest.org/en/stable/explanation/goodpractices.html
- coverage.py, ``fail_under``: https://coverage.readthedocs.io/en/latest/config.html#report-fail-under
"""

from __future__ import annotations

import ast
import re

from checks.detector import Detector, Project
from checks.detectors.testing._common import (
    find_test_modules,
    is_service_source,
    service_modules,
)
from checks.pyfile import PyFile, is_test_path

_FAIL_UNDER = re.compile(r"(fail_under\s*=\s*|--cov-fail-under[= ])(\d+)")


class SourceChangedWithoutTests(Detector):
    """Flags a diff that changes service code but no test (see module docstring)."""

    slug = "source-changed-without-tests"
    items = ("TEST-01",)

    def finish(self, project: Project) -> None:
        self._coverage_gate(project)
        if project.diff.files:
            self._review_diff(project)
        else:
            self._review_project(project)

    def _review_diff(self, project: Project) -> None:
        changed: list[tuple[str, int]] = []
        tests: list[str] = []
        for path in sorted(project.diff.changed_paths()):
            change = project.diff.files[path]
            if is_test_path(path) and path.endswith(".py"):
                tests.append(path)
                continue
            if not is_service_source(path) or not change.added_lines:
                continue
            first = _first_code_line(project.python.get(path), sorted(change.added_lines))
            if first:
                changed.append((path, first))
        if tests:
            self.evidence("TEST-01", f"tests changed: {', '.join(tests[:5])}")
            return
        if not changed:
            self.evidence("TEST-01", "the diff changes no service code")
            return
        path, line = changed[0]
        names = ", ".join(p for p, _ in changed[:4])
        more = f" and {len(changed) - 4} more" if len(changed) > 4 else ""
        self.report(
            "TEST-01", path, line,
            f"service code changed in {len(changed)} module(s) ({names}{more}) but the pull "
            "request adds or modifies no test file",
            "Add or update tests that exercise the changed behaviour (tests/test_<module>.py), "
            "or waive this finding when existing tests already cover the change.",
            key="source-changed-without-tests",
        )

    def _review_project(self, project: Project) -> None:
        modules = service_modules(project)
        if not modules:
            self.not_applicable("TEST-01", "no service modules with functions or classes")
            return
        tests = find_test_modules(project)
        if tests:
            example = next((t for t in tests if not t.endswith("conftest.py")), tests[0])
            self.evidence("TEST-01", f"{len(tests)} test module(s), e.g. {example}")
            return
        # Test files that did not parse (or are not Python) still count as tests.
        others = [p for p in project.tree.paths if is_test_path(p) and p.endswith(".py")
                  and p not in project.python]
        if others:
            self.evidence("TEST-01", f"test files present, e.g. {others[0]}")
            return
        self.report(
            "TEST-01", "", 0,
            f"{len(modules)} service module(s) (e.g. {modules[0]}) but no test module at all",
            "Add a tests/ package with pytest tests for the service's behaviour, and measure "
            "coverage in CI (pytest --cov --cov-fail-under=80).",
            key="no-tests",
        )

    def _coverage_gate(self, project: Project) -> None:
        for path in sorted(project.tree.files):
            base = path.rsplit("/", 1)[-1].lower()
            if base not in ("pyproject.toml", "setup.cfg", "tox.ini", "pytest.ini",
                            ".coveragerc") and not path.startswith(".github/workflows/"):
                continue
            text = project.text(path) or ""
            m = _FAIL_UNDER.search(text)
            if m:
                line = text.count("\n", 0, m.start()) + 1
                self.evidence("TEST-01", f"coverage gate fail_under={m.group(2)} at {path}:{line}")
                return


def _first_code_line(f: PyFile | None, added: list[int]) -> int:
    """The first added line that holds code (not blank, a comment or inside a docstring)."""
    if f is None:
        return added[0] if added else 0
    docstrings = _docstring_lines(f.tree)
    for line in added:
        text = f.line(line).strip()
        if text and not text.startswith("#") and line not in docstrings:
            return line
    return 0


def _docstring_lines(tree: ast.Module) -> set[int]:
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                first = body[0]
                out.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return out
