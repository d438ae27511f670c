"""Test files scattered among service code.

## What it flags
When a project keeps all its tests in one ``tests/`` (or ``test/``) folder, each test module
(``test_*.py``, ``*_test.py`` holding a test function or class) that sits elsewhere, next to
service code. Projects that place
tests beside the code (no tests folder at all, or one per package as Django apps do) are left
alone: that is a choice, not a mess. Samples and documentation folders are skipped.

## Why it matters
With two conventions in one repository nobody knows where the test for a module lives, test
discovery settings (``testpaths``) miss some of them, and test-only code ships in the package
(CODE-07).

## Example
```text
app/billing.py
app/test_billing.py      # while the other tests live in tests/
tests/test_orders.py
```

## Use instead
```text
app/billing.py
tests/test_billing.py
tests/test_orders.py
```

## References
- pytest, good integration practices (test layout): https://docs.pytest.org/en/stable/explanation/goodpractices.html
"""

from __future__ import annotations

import posixpath
import re

from checks.detector import Detector, Project
from checks.detectors.observability._facts import in_service_dir

_TEST_DIRS = frozenset({"tests", "test", "testing"})


_TEST_CODE = re.compile(r"^\s*(async\s+)?def\s+test|^\s*class\s+Test", re.MULTILINE)


def _test_module(project: Project, path: str) -> bool:
    """A ``test_*.py``/``*_test.py`` file that holds tests (a script named ``load_test.py``
    with no test function is not one)."""
    name = posixpath.basename(path)
    if not (path.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))):
        return False
    text = project.text(path)
    return text is None or bool(_TEST_CODE.search(text))


def _tests_folder(path: str) -> str:
    parts = path.split("/")
    for i, part in enumerate(parts[:-1]):
        if part in _TEST_DIRS:
            return "/".join(parts[: i + 1])
    return posixpath.dirname(path)


class ScatteredTestFiles(Detector):
    """Flags test modules outside the tests folder (see module docstring)."""

    slug = "scattered-test-files"
    items = ("CODE-07",)

    def finish(self, project: Project) -> None:
        tests = [p for p in project.tree.paths if in_service_dir(p) and _test_module(project, p)]
        if not tests:
            self.not_applicable("CODE-07", "no test modules (test_*.py, *_test.py) found")
            return
        inside = [p for p in tests if any(d in _TEST_DIRS for d in p.split("/")[:-1])]
        outside = [p for p in tests if p not in inside]
        if not inside:
            self.evidence("CODE-07", f"{len(tests)} test modules, all placed beside the code")
            return
        folders = sorted({_tests_folder(p) for p in inside})
        shown = ", ".join(f + "/" for f in folders[:3]) + (" ..." if len(folders) > 3 else "")
        if len(folders) > 1:
            self.evidence("CODE-07", f"{len(tests)} test modules kept beside their packages "
                                     f"({shown})")
            return
        for path in outside:
            self.report(
                "CODE-07", path, 0,
                f"Test module outside the tests folders ({shown}) that hold the other tests",
                "Move it under the tests folder, mirroring the package layout, so one "
                "`testpaths` setting finds every test.",
                key=f"{self.slug}:{posixpath.basename(path)}",
            )
        if not outside:
            self.evidence("CODE-07", f"{len(inside)} test modules under {shown}")
