from checks.detectors.deployment.missing_container_orchestration import (
    MissingContainerOrchestration,
)
from checks.model import Status
from tests.helpers import found, run, status

APP = {"app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}


def test_flags_dockerfile_when_nothing_says_where_it_runs() -> None:
    report = run(MissingContainerOrchestration, {**APP, "Dockerfile": "FROM python:3.12\n"})
    assert found(report) == [("DEPLOY-02", "Dockerfile", 0)]
    assert status(report, "DEPLOY-02") is Status.WARN


def test_flags_app_line_without_dockerfile() -> None:
    assert found(run(MissingContainerOrchestration, APP)) == [("DEPLOY-02", "app/main.py", 3)]


def test_manifests_compose_and_platform_files_pass() -> None:
    k8s = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n"
    report = run(MissingContainerOrchestration, {**APP, "deploy/api.yaml": k8s})
    assert found(report) == []
    assert report.result("DEPLOY-02").evidence == [
        "found Kubernetes Deployment at deploy/api.yaml:2"
    ]
    for extra in ("docker-compose.yml", "fly.toml", "charts/api/Chart.yaml", "render.yaml"):
        assert found(run(MissingContainerOrchestration, {**APP, extra: "x = 1\n"})) == [], extra
    ecs = {**APP, "infra/task.json": '{"family": "api", "containerDefinitions": []}'}
    assert found(run(MissingContainerOrchestration, ecs)) == []


def test_dev_compose_and_devcontainer_do_not_count() -> None:
    files = {**APP, "docker-compose.dev.yml": "services: {}\n",
             ".devcontainer/docker-compose.yml": "services: {}\n"}
    assert found(run(MissingContainerOrchestration, files)) == [("DEPLOY-02", "app/main.py", 3)]


def test_library_is_not_applicable() -> None:
    report = run(MissingContainerOrchestration, {"lib/core.py": "x = 1\n"})
    assert status(report, "DEPLOY-02") is Status.NOT_APPLICABLE
