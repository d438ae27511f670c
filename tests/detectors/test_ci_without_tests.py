from checks.detectors.deployment.ci_without_tests import CiWithoutTests
from checks.model import Status
from tests.helpers import found, run, status

LINT_ONLY = """\
name: lint
on: [push]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Install
        run: pip install -r requirements-test.txt
      - run: |
          ruff check .
          mypy app
  build:
    steps:
      - run: docker build .
"""


def test_flags_workflows_that_only_lint_and_build() -> None:
    report = run(CiWithoutTests, {".github/workflows/lint.yml": LINT_ONLY,
                                  ".github/workflows/release.yml": "on: push\njobs: {}\n"})
    assert found(report) == [("TEST-08", ".github/workflows/lint.yml", 0)]
    assert status(report, "TEST-08") is Status.WARN


def test_pytest_step_passes_with_evidence() -> None:
    workflow = LINT_ONLY + "      - run: python -m pytest -q\n"
    report = run(CiWithoutTests, {".github/workflows/lint.yml": workflow})
    assert found(report) == []
    assert report.result("TEST-08").evidence == [
        "tests run in CI: `python -m pytest -q` in .github/workflows/lint.yml"
    ]


def test_make_target_resolved_through_makefile() -> None:
    workflow = LINT_ONLY + "      - run: make check\n"
    files = {".github/workflows/ci.yml": workflow}
    assert found(run(CiWithoutTests, files)) == [("TEST-08", ".github/workflows/ci.yml", 0)]
    makefile = "check: lint\n\tpytest tests\n\nlint:\n\truff check .\n"
    assert found(run(CiWithoutTests, {**files, "Makefile": makefile})) == []


def test_make_prerequisites_and_continued_lines() -> None:
    workflow = "jobs:\n  ci:\n    steps:\n      - run: make ci\n"
    makefile = "ci: messages test\n\t@coverage report\n\nmessages:\n\tmsgfmt\n\ntest:\n\t@echo\n"
    report = run(CiWithoutTests, {".github/workflows/ci.yml": workflow, "Makefile": makefile})
    assert report.result("TEST-08").evidence == [
        "tests run in CI: `make ci` in .github/workflows/ci.yml"
    ]
    install = (
        "jobs:\n  tests:\n    steps:\n      - run: |\n          pip install \\\n"
        "            \"Django @ git+https://x/django.git@main\"\n          pip install pytest-cov\n"
    )
    assert found(run(CiWithoutTests, {".github/workflows/ci.yml": install})) == [
        ("TEST-08", ".github/workflows/ci.yml", 0)
    ]


def test_gitlab_job_named_test_and_script_files_count() -> None:
    gitlab = "stages: [test]\nunit-tests:\n  stage: test\n  script:\n    - ./ci/run.sh\n"
    assert found(run(CiWithoutTests, {".gitlab-ci.yml": gitlab})) == []
    script = "jobs:\n  ci:\n    steps:\n      - run: bash scripts/test.sh\n"
    assert found(run(CiWithoutTests, {".github/workflows/ci.yml": script})) == []
    tox = "jobs:\n  ci:\n    steps:\n      - run: tox -e py312\n"
    assert found(run(CiWithoutTests, {".github/workflows/ci.yml": tox})) == []


def test_not_applicable_without_ci_and_jenkinsfile_judged() -> None:
    assert status(run(CiWithoutTests, {"a.py": "x = 1\n"}), "TEST-08") is Status.NOT_APPLICABLE
    report = run(CiWithoutTests, {"Jenkinsfile": "pipeline { }\n"})
    assert found(report) == [("TEST-08", "Jenkinsfile", 0)]
    tested = "pipeline { stages { stage('t') { steps { sh 'pytest -q' } } } }\n"
    assert found(run(CiWithoutTests, {"Jenkinsfile": tested})) == []


def test_invalid_yaml_is_read_line_by_line() -> None:
    broken = "jobs:\n  t:\n    steps:\n      - run: pytest\n   bad: [\n"
    assert found(run(CiWithoutTests, {".github/workflows/ci.yml": broken})) == []
