"""Test suite written for unittest only, with no pytest set up.

## What it flags
A project whose tests subclass ``unittest.TestCase`` (or Django's ``TestCase``) while nothing
sets pytest up: no ``import pytest`` in tests, no pytest dependency, no ``conftest.py``, no
pytest configuration (``[tool.pytest.ini_options]``, ``pytest.ini``, ``[tool:pytest]`` in
setup.cfg, ``[pytest]`` in tox.ini). One finding, on the first ``TestCase`` class. A heuristic
with low stakes: pytest runs unittest suites unchanged, so this asks for the runner, not for a
rewrite.

## Why it matters
The checklist asks for pytest (CODE-07): its fixtures, parametrisation, plain ``assert``
rewriting and plugins (coverage, xdist, pytest-django) make tests shorter and failures clearer;
``unittest`` alone means ``setUp`` inheritance chains and ``self.assertEqual`` everywhere.

## Example
```python
import unittest

class TestPricing(unittest.TestCase):
    def test_discount(self):
        self.assertEqual(price(100, "TEN"), 90)
```

## Use instead
```python
import pytest

@pytest.mark.parametrize(("code", "expected"), [("TEN", 90), (None, 100)])
def test_discount(code, expected):
    assert price(100, code) == expected
```

## References
- pytest, how to use unittest-based tests: https://docs.pytest.org/en/stable/how-to/unittest.html
- pytest-django: https://pytest-django.readthedocs.io/
"""

from __future__ import annotations

import ast
import functools
import posixpath
import re

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.observability._syntax import definitions
from checks.model import Severity

_TESTCASES = ("unittest.TestCase", "unittest.IsolatedAsyncioTestCase", "django.test.TestCase",
              "django.test.TransactionTestCase", "django.test.SimpleTestCase",
              "rest_framework.test.APITestCase", "unittest.case.TestCase")
_PYTEST_FILES = frozenset({"conftest.py", "pytest.ini"})
_PYTEST_CONFIG = {
    "pyproject.toml": re.compile(r"^\s*\[tool\.pytest", re.MULTILINE),
    "setup.cfg": re.compile(r"^\s*\[tool:pytest\]", re.MULTILINE),
    "tox.ini": re.compile(r"^\s*\[pytest\]", re.MULTILINE),
}


@functools.lru_cache(maxsize=16384)
def _test_file(path: str) -> bool:
    name = posixpath.basename(path)
    parts = path.split("/")[:-1]
    return name.startswith("test") or name.endswith("_test.py") or any(
        p in ("tests", "test") for p in parts
    )


class UnittestWithoutPytest(Detector):
    """Flags unittest-only test suites with no pytest set up (see module docstring)."""

    slug = "unittest-without-pytest"
    items = ("CODE-07",)

    def finish(self, project: Project) -> None:
        if self._pytest(project):
            self.evidence("CODE-07", "pytest is set up")
            return
        first: tuple[str, int, str] | None = None
        count = 0
        for path in sorted(project.python):
            f = project.python[path]
            # Every class of _TESTCASES ends with "TestCase", which the file's text names.
            if not _test_file(path) or "TestCase" not in f.text:
                continue
            found: list[tuple[int, ast.ClassDef, str]] = []
            for node, depth in definitions(f):
                if not isinstance(node, ast.ClassDef):
                    continue
                bases = [pyast.resolve(b, f) or "" for b in node.bases]
                base = next((b for b in bases if b in _TESTCASES), None)
                if base is not None:
                    count += 1
                    found.append((depth, node, base))
            if first is None and found:
                _depth, node, base = min(found, key=lambda t: t[0])  # ast.walk's first
                first = (path, node.lineno, base)
        if first is None:
            return
        path, line, base = first
        django = base.startswith(("django.", "rest_framework."))
        self.report(
            "CODE-07", path, line,
            f"Tests are written for unittest only ({count} {base.rsplit('.', 1)[-1]} "
            "classes) and pytest is not set up",
            "Run the suite with pytest" + (" and pytest-django" if django else "") +
            " (it runs TestCase classes unchanged), add its configuration to pyproject.toml, "
            "and write new tests as plain functions with fixtures.",
            key=f"{self.slug}:unittest", severity=Severity.LOW,
        )

    @staticmethod
    def _pytest(project: Project) -> bool:
        # project.tree.glob_names("conftest.py", "pytest.ini"), stopping at the first.
        if any(p.rpartition("/")[2].lower() in _PYTEST_FILES for p in project.tree.paths) \
                or project.uses("pytest"):
            return True
        for path, pattern in _PYTEST_CONFIG.items():
            text = project.text(path)
            if text is not None and pattern.search(text):
                return True
        deps = project.dependencies
        if "pytest" in deps or any(d.startswith("pytest-") for d in deps):
            return True
        return any(
            f.imports_module("pytest") for p, f in project.python.items() if _test_file(p)
        )
