from checks.detectors.security.dependency_scanning_missing import DependencyScanningMissing
from checks.model import Status
from tests.helpers import found, run, status

CI = """\
name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: pytest
"""


def test_flags_a_project_without_any_scanner() -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'x'\n",
        "services/api/requirements.txt": "fastapi\n",
        ".github/workflows/ci.yml": CI,
        "app/main.py": "import fastapi\n",
    }
    report = run(DependencyScanningMissing, files)
    assert found(report) == [("SEC-11", "pyproject.toml", 0)]
    assert status(report, "SEC-11") is Status.WARN


def test_dependabot_renovate_or_a_ci_scanner_pass() -> None:
    base = {"requirements.txt": "flask\n", ".github/workflows/ci.yml": CI}
    with_bot = {**base, ".github/dependabot.yml": "version: 2\n"}
    report = run(DependencyScanningMissing, with_bot)
    assert status(report, "SEC-11") is Status.PASS
    assert report.result("SEC-11").evidence == [
        "dependency updates configured in .github/dependabot.yml"]

    with_renovate = {**base, "renovate.json5": "{}"}  # not read, but present
    assert status(run(DependencyScanningMissing, with_renovate), "SEC-11") is Status.PASS

    audit = CI + "      - run: pipx run pip-audit -r requirements.txt\n"
    report = run(DependencyScanningMissing, {**base, ".github/workflows/ci.yml": audit})
    assert status(report, "SEC-11") is Status.PASS
    assert report.result("SEC-11").evidence == [
        "`pip-audit` runs from .github/workflows/ci.yml:8"]

    hooks = "repos:\n  - repo: https://github.com/pypa/pip-audit\n"
    report = run(DependencyScanningMissing, {**base, ".pre-commit-config.yaml": hooks})
    assert status(report, "SEC-11") is Status.PASS


def test_not_applicable_without_dependency_files() -> None:
    report = run(DependencyScanningMissing, {"app/main.py": "print(1)\n"})
    assert status(report, "SEC-11") is Status.NOT_APPLICABLE
