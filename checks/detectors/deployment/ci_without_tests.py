"""CI pipeline that never runs the tests.

## What it flags
A repository that has CI configuration (see DEPLOY-03) in which no job runs a test suite: no
``pytest``, ``tox``, ``nox``, ``python -m unittest``, ``manage.py test``, ``coverage run``,
``hatch test``, no ``make``/``just``/``task``/``poetry run``/``uv run`` target whose name (or
Makefile recipe) runs tests, no script with ``test`` in its name, and no job or step named
"test". One finding, on the first CI file. CI files whose content is not available (a
Jenkinsfile) are not judged.

## Why it matters
A pipeline that builds and lints but never tests lets regressions merge with a green check,
which is worse than no check: reviewers trust it (TEST-08).

## Example
```yaml
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: ruff check .
```

## Use instead
```yaml
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt
      - run: pytest --cov
```

## References
- GitHub Actions, building and testing Python: https://docs.github.com/en/actions/use-cases-and-examples/building-and-testing/building-and-testing-python
- GitLab CI, unit test reports: https://docs.gitlab.com/ee/ci/testing/unit_test_reports.html
"""

from __future__ import annotations

import re

from checks.detector import Detector, Project
from checks.detectors.deployment._ci import Command, ci_files, commands, makefile_targets

RUNNER = re.compile(
    r"\b(py\.?test|tox|nox|unittest|coverage\s+run|manage\.py\s+test|hatch\s+test|trial"
    r"|behave|nosetests)\b|\bmanage\s+test\b",
    re.IGNORECASE,
)
TARGET = re.compile(
    r"\b(make|just|task|invoke|inv|hatch\s+run|pdm\s+run|poetry\s+run|uv\s+run|rye\s+run"
    r"|pipenv\s+run|npm\s+run|yarn|nox\s+-s|tox\s+-e)\s+[\w:.-]*test"
    r"|workflows/[\w.-]*test[\w.-]*\.ya?ml",
    re.IGNORECASE,
)
SCRIPT = re.compile(r"(^|[\s/])[\w.-]*tests?[\w.-]*\.(sh|py|bash|ps1)\b", re.IGNORECASE)
_TEST_CONTEXT = re.compile(r"(^|[\s_:-])(tests?|pytest|unit|unittests?|testing)($|[\s_:-])",
                           re.IGNORECASE)
_SETUP = re.compile(r"^(actions/|\S*checkout|\S*setup-)|\bpip3?\s+install\b|\binstall\b",
                    re.IGNORECASE)
_MAKE = re.compile(r"\bmake\s+(?:-\S+\s+)*([\w.-]+)")
_INSTALL = re.compile(
    r"\b(pip3?|uv\s+pip|uv|poetry|pdm|pipenv|apt-get|apt|brew|npm|yarn|conda)\s+(install|add|sync)\b"
)


def runs_tests(cmd: Command, targets: dict[str, str], tier: int = 4) -> bool:
    """True when ``cmd`` runs a test suite (liberally: a missed test run is a false alarm).

    ``tier`` 1 accepts only a test runner named in the command (pytest, tox, unittest...);
    2 adds test targets (``make test``, ``task py:test``, a Makefile recipe that runs a runner
    or a test target); 3 adds scripts named for tests (``scripts/test.sh``); 4 adds any command
    of a job or step named "test" (set-up steps aside). Installing a test tool
    (``pip install pytest-cov``) is not running it."""
    if _INSTALL.search(cmd.text):
        return False
    if RUNNER.search(cmd.text):
        return True
    if tier >= 2:
        if TARGET.search(cmd.text):
            return True
        for m in _MAKE.finditer(cmd.text):
            recipe = targets.get(m.group(1), "")
            if RUNNER.search(recipe) or TARGET.search(recipe):
                return True
    if tier >= 3 and SCRIPT.search(cmd.text):
        return True
    return tier >= 4 and bool(_TEST_CONTEXT.search(cmd.context)) and not _SETUP.search(cmd.text)


class CiWithoutTests(Detector):
    """Flags CI configuration in which no job runs tests (see module docstring)."""

    slug = "ci-without-tests"
    items = ("TEST-08",)

    def finish(self, project: Project) -> None:
        files = ci_files(project)
        if not files:
            self.not_applicable("TEST-08", "no CI configuration (see DEPLOY-03)")
            return
        targets = makefile_targets(project)
        readable = [p for p in files if project.text(p) is not None]
        for tier in (1, 2, 3, 4):
            for path in readable:
                for cmd in commands(project, path):
                    if runs_tests(cmd, targets, tier):
                        self.evidence("TEST-08", f"tests run in CI: `{cmd.text[:80]}` in {path}")
                        return
        if not readable:
            self.evidence("TEST-08", "CI configuration not readable here: "
                                     + ", ".join(files[:3]))
            return
        shown = ", ".join(readable[:4]) + (" ..." if len(readable) > 4 else "")
        self.report(
            "TEST-08", readable[0], 0,
            f"CI runs no tests: no job in {shown} runs pytest, tox, nox, unittest or a test target",
            "Add a job that runs the test suite (e.g. `pytest`) on every push and pull request, "
            "and make it a required status check.",
            key=f"{self.slug}:none",
        )
