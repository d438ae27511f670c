from checks.detectors.deployment.missing_ci_pipeline import MissingCiPipeline
from checks.model import Status
from tests.helpers import found, run, status


def test_flags_repository_without_ci() -> None:
    files = {"app/main.py": "x = 1\n", "tox.ini": "[tox]\n", "docs/ci.yml": "run: pytest\n"}
    report = run(MissingCiPipeline, files)
    assert found(report) == [("DEPLOY-03", "", 0)]
    assert status(report, "DEPLOY-03") is Status.WARN


def test_any_ci_system_passes_with_evidence() -> None:
    for path in (".github/workflows/ci.yaml", ".gitlab-ci.yml", ".circleci/config.yml",
                 "Jenkinsfile", "azure-pipelines.yml", ".buildkite/pipeline.yml"):
        report = run(MissingCiPipeline, {"app/main.py": "x = 1\n", path: "x: 1\n"})
        assert found(report) == [], path
        assert report.result("DEPLOY-03").evidence == [f"CI configuration: {path}"]


def test_nested_gitlab_file_is_not_ci() -> None:
    report = run(MissingCiPipeline, {"vendor/lib/.gitlab-ci.yml": "test: {}\n"})
    assert found(report) == [("DEPLOY-03", "", 0)]
