import pytest

from checks.detectors.testing.no_security_scanning import NoSecurityScanning
from checks.model import Status
from tests.helpers import found, run, status

APP = "def handler(request):\n    return request\n"
CI = "jobs:\n  test:\n    steps:\n      - run: pytest\n"


def test_flags_project_without_security_checks() -> None:
    files = {"app/views.py": APP, ".github/workflows/ci.yml": CI,
             "pyproject.toml": '[project]\ndescription = "type safety for all"\n'
                               '[tool.ruff.lint]\nselect = ["E", "SIM"]\n'}
    report = run(NoSecurityScanning, files)
    assert found(report) == [("TEST-05", "", 0)]
    assert status(report, "TEST-05") is Status.WARN


@pytest.mark.parametrize(
    ("path", "content", "evidence"),
    [
        (".github/workflows/ci.yml", CI + "      - run: pip-audit -r requirements.txt\n",
         "'pip-audit' at .github/workflows/ci.yml:5"),
        (".pre-commit-config.yaml", "repos:\n  - repo: https://github.com/PyCQA/bandit\n",
         "'bandit' at .pre-commit-config.yaml:2"),
        ("requirements-dev.txt", "safety==3.0\n", "safety declared as a dependency"),
        ("pyproject.toml", '[tool.ruff.lint]\nextend-select = ["S"]\n',
         "ruff flake8-bandit (S) rules selected in pyproject.toml"),
        ("ruff.toml", 'select = ["ALL"]\n', "ruff flake8-bandit (S) rules selected in ruff.toml"),
        ("tests/security/test_headers.py", "def test_x():\n    pass\n",
         "security tests tests/security/test_headers.py"),
    ],
)
def test_passes_with_a_scanner(path: str, content: str, evidence: str) -> None:
    report = run(NoSecurityScanning, {"app/views.py": APP, path: content})
    assert found(report) == []
    assert report.result("TEST-05").evidence == [evidence]


def test_not_applicable_without_service_code() -> None:
    report = run(NoSecurityScanning, {"README.md": "# x\n"})
    assert status(report, "TEST-05") is Status.NOT_APPLICABLE
