from checks.detectors.deployment.single_stage_build_tools import SingleStageBuildTools
from checks.model import Status
from tests.helpers import found, run, status


def test_flags_single_stage_with_compilers_and_packagers() -> None:
    dockerfile = (
        "FROM python:3.12-slim\n"
        "RUN apt-get update \\\n"
        "    && apt-get install -y --no-install-recommends build-essential libpq-dev \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        "RUN pip install --no-cache-dir poetry==1.8 && poetry install\n"
    )
    report = run(SingleStageBuildTools, {"Dockerfile": dockerfile})
    assert found(report) == [("DEPLOY-01", "Dockerfile", 1)]
    assert report.result("DEPLOY-01").findings[0].message == (
        "Single-stage image installs build tooling (`build-essential`, `libpq-dev`, `poetry`) "
        "that ships to production"
    )
    assert status(report, "DEPLOY-01") is Status.WARN


def test_plain_pip_install_and_removed_toolchain_pass() -> None:
    plain = "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n"
    assert found(run(SingleStageBuildTools, {"Dockerfile": plain})) == []
    removed = (
        "FROM python:3.12-alpine\n"
        "RUN apk add --no-cache --virtual .build-deps gcc musl-dev \\\n"
        "    && pip install -r requirements.txt && apk del .build-deps\n"
    )
    assert found(run(SingleStageBuildTools, {"Dockerfile": removed})) == []


def test_multi_stage_passes_with_evidence() -> None:
    dockerfile = (
        "FROM python:3.12 AS build\nRUN apt-get install -y gcc\n"
        "FROM python:3.12-slim\nCOPY --from=build /w /w\n"
    )
    report = run(SingleStageBuildTools, {"Dockerfile": dockerfile})
    assert found(report) == []
    assert report.result("DEPLOY-01").evidence == ["Dockerfile is a multi-stage build (2 stages)"]


def test_no_dockerfile_is_not_applicable() -> None:
    assert status(run(SingleStageBuildTools, {"a.py": "x = 1\n"}), "DEPLOY-01") is (
        Status.NOT_APPLICABLE
    )
