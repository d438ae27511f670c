from checks.detectors.deployment.container_runs_as_root import ContainerRunsAsRoot
from checks.model import Status
from tests.helpers import found, run, status


def test_flags_missing_user_on_final_from_line() -> None:
    dockerfile = (
        "FROM python:3.12-slim AS build\n"
        "USER builder\n"
        "FROM python:3.12-slim\n"
        "COPY --from=build /app /app\n"
        'CMD ["gunicorn", "app:app"]\n'
    )
    report = run(ContainerRunsAsRoot, {"Dockerfile": dockerfile})
    assert found(report) == [("DEPLOY-01", "Dockerfile", 3)]
    assert status(report, "DEPLOY-01") is Status.WARN


def test_flags_last_user_root() -> None:
    dockerfile = "FROM python:3.12\nUSER app\nRUN make\nUSER 0\n"
    report = run(ContainerRunsAsRoot, {"Dockerfile": dockerfile})
    assert found(report) == [("DEPLOY-01", "Dockerfile", 4)]
    assert report.result("DEPLOY-01").findings[0].message == (
        "The image's last USER is `0`: the container runs as root"
    )


def test_user_inherited_from_parent_stage_and_nonroot_bases_pass() -> None:
    inherited = "FROM python:3.12 AS base\nUSER 10001\nFROM base AS final\nCMD run\n"
    report = run(ContainerRunsAsRoot, {"Dockerfile": inherited})
    assert found(report) == []
    assert report.result("DEPLOY-01").evidence == ["Dockerfile runs as USER 10001 (Dockerfile:2)"]
    distroless = "FROM python:3.12 AS b\nFROM gcr.io/distroless/python3-debian12:nonroot\n"
    assert found(run(ContainerRunsAsRoot, {"Dockerfile": distroless})) == []


def test_privilege_drop_in_entrypoint_passes() -> None:
    dockerfile = "FROM python:3.12\nRUN apt-get install -y gosu\nENTRYPOINT [\"/entry.sh\"]\n"
    report = run(ContainerRunsAsRoot, {"Dockerfile": dockerfile})
    assert found(report) == []
    assert report.result("DEPLOY-01").evidence == [
        "Dockerfile starts as root and drops privileges with gosu (Dockerfile:2)"
    ]


def test_unknown_base_image_is_left_alone() -> None:
    assert found(run(ContainerRunsAsRoot, {"Dockerfile": "ARG IMG\nFROM $IMG\nCMD x\n"})) == []


def test_no_dockerfile_is_not_applicable() -> None:
    report = run(ContainerRunsAsRoot, {"Procfile": "web: gunicorn app:app\n"})
    assert status(report, "DEPLOY-01") is Status.NOT_APPLICABLE
