from checks.detectors.code.linting_not_automated import LintingNotAutomated
from checks.model import Status
from tests.helpers import found, run, status

PYPROJECT = '[project]\nname = "svc"\n\n[tool.ruff]\nline-length = 100\n'
TEST_ONLY_CI = "jobs:\n  test:\n    steps:\n      - run: pytest\n"


def test_flags_configured_but_not_run_on_the_config_line() -> None:
    files = {"pyproject.toml": PYPROJECT, ".github/workflows/ci.yml": TEST_ONLY_CI}
    report = run(LintingNotAutomated, files)
    assert found(report) == [("CODE-09", "pyproject.toml", 4)]
    assert report.result("CODE-09").findings[0].message == (
        "ruff is configured (pyproject.toml:4) but nothing runs it automatically: no pre-commit "
        "hook and no CI step"
    )
    assert status(report, "CODE-09") is Status.WARN
    flake8 = run(LintingNotAutomated, {"setup.cfg": "[metadata]\nname = x\n[flake8]\nmax = 1\n"})
    assert found(flake8) == [("CODE-09", "setup.cfg", 3)]


def test_flags_project_without_any_linter() -> None:
    assert found(run(LintingNotAutomated, {"app.py": "x = 1\n"})) == [("CODE-09", "", 0)]


def test_pre_commit_hook_passes() -> None:
    precommit = (
        "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.6.9\n"
        "    hooks:\n      - id: ruff\n      - id: ruff-format\n"
    )
    report = run(LintingNotAutomated, {"pyproject.toml": PYPROJECT,
                                       ".pre-commit-config.yaml": precommit})
    assert found(report) == []
    assert report.result("CODE-09").evidence == [
        "linting runs automatically: pre-commit hook `ruff` in .pre-commit-config.yaml"
    ]


def test_ci_steps_make_targets_and_tox_sessions_pass() -> None:
    direct = TEST_ONLY_CI + "      - run: black --check .\n"
    assert found(run(LintingNotAutomated, {".github/workflows/ci.yml": direct})) == []
    make = TEST_ONLY_CI + "      - run: make verify\n"
    files = {".github/workflows/ci.yml": make, "Makefile": "verify:\n\tflake8 app\n"}
    assert found(run(LintingNotAutomated, files)) == []
    tox = {".gitlab-ci.yml": "job:\n  script:\n    - tox\n",
           "tox.ini": "[testenv:lint]\ncommands = ruff check .\n"}
    assert found(run(LintingNotAutomated, tox)) == []
    action = "jobs:\n  l:\n    steps:\n      - uses: pre-commit/action@v3.0.1\n"
    assert found(run(LintingNotAutomated, {".github/workflows/l.yml": action})) == []
