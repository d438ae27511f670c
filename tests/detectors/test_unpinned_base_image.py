from checks.detectors.deployment.unpinned_base_image import UnpinnedBaseImage
from checks.model import Status
from tests.helpers import found, run, status

APP = {"app/main.py": "import fastapi\napp = fastapi.FastAPI()\n"}


def test_flags_untagged_and_latest_images() -> None:
    dockerfile = (
        "# build\n"
        "FROM python AS build\n"
        "RUN pip wheel -r requirements.txt\n"
        "FROM python:latest\n"
        "COPY --from=build /wheels /wheels\n"
    )
    report = run(UnpinnedBaseImage, {**APP, "Dockerfile": dockerfile})
    assert found(report) == [("DEPLOY-01", "Dockerfile", 2), ("DEPLOY-01", "Dockerfile", 4)]
    messages = [f.message for f in report.result("DEPLOY-01").findings]
    assert messages == [
        "Base image `python` has no tag: each build may pull a different image",
        "Base image `python:latest` has the `latest` tag: each build may pull a different image",
    ]
    assert status(report, "DEPLOY-01") is Status.WARN


def test_pinned_tags_digests_scratch_and_stage_references_pass() -> None:
    dockerfile = (
        "ARG PY=3.12\n"
        "FROM registry.local:5000/python:${PY}-slim AS build\n"
        "FROM python@sha256:0123abcd AS other\n"
        "FROM scratch AS empty\n"
        "FROM build\n"
    )
    report = run(UnpinnedBaseImage, {"Dockerfile": dockerfile})
    assert found(report) == []
    assert report.result("DEPLOY-01").evidence == [
        "base images pinned: registry.local:5000/python:3.12-slim (Dockerfile:2), "
        "python@sha256:0123abcd (Dockerfile:3)"
    ]


def test_arg_templates() -> None:
    latest = "ARG TAG=latest\nFROM python:${TAG}\n"
    report = run(UnpinnedBaseImage, {"Dockerfile": latest})
    assert found(report) == [("DEPLOY-01", "Dockerfile", 2)]
    assert "(from `python:${TAG}`)" in report.result("DEPLOY-01").findings[0].message
    build_time = "ARG BASE_IMAGE\nFROM $BASE_IMAGE\nFROM ${BASE_IMAGE:-python}\n"
    assert found(run(UnpinnedBaseImage, {"Dockerfile": build_time})) == []


def test_dev_dockerfiles_skipped_and_no_dockerfile_not_applicable() -> None:
    files = {"Dockerfile.dev": "FROM python\n", ".devcontainer/Dockerfile": "FROM python\n",
             "docs/Dockerfile": "FROM python\n"}
    report = run(UnpinnedBaseImage, files)
    assert found(report) == []
    assert status(report, "DEPLOY-01") is Status.NOT_APPLICABLE


def test_continuations_and_comments_keep_line_numbers() -> None:
    dockerfile = "# syntax=docker/dockerfile:1\n\nFROM --platform=$BUILDPLATFORM \\\n  ubuntu\n"
    assert found(run(UnpinnedBaseImage, {"deploy/api.dockerfile": dockerfile})) == [
        ("DEPLOY-01", "deploy/api.dockerfile", 3)
    ]
