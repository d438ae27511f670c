from checks.detectors.architecture.conflicting_dependency_manifests import (
    ConflictingDependencyManifests,
)
from checks.model import Status
from tests.helpers import found, run, status

PYPROJECT = """\
[project]
name = "shop"
dependencies = [
    "fastapi>=0.115",
    "sqlalchemy>=2",
    "httpx",
]
"""


def test_flags_requirements_missing_a_declared_package() -> None:
    files = {"pyproject.toml": PYPROJECT,
             "requirements.txt": "fastapi==0.115.0\nsqlalchemy==2.0.35\nanyio==4.6\n"}
    report = run(ConflictingDependencyManifests, files)
    assert found(report) == [("ARCH-06", "pyproject.toml", 6)]
    assert report.findings[0].message == (
        "pyproject.toml and requirements.txt both declare runtime dependencies and disagree: "
        "only pyproject.toml declares httpx")
    assert status(report, "ARCH-06") is Status.WARN


def test_flags_pipfile_and_pyproject_that_differ() -> None:
    pipfile = '[packages]\nfastapi = "*"\nsqlalchemy = "*"\nhttpx = "*"\nredis = "*"\n'
    report = run(ConflictingDependencyManifests, {"pyproject.toml": PYPROJECT,
                                                  "Pipfile": pipfile})
    assert found(report) == [("ARCH-06", "Pipfile", 5)]


def test_passes_for_compiled_requirements_and_self_install() -> None:
    compiled = "anyio==4.6\nfastapi==0.115.0\nhttpx==0.27\nsqlalchemy==2.0.35\n"
    report = run(ConflictingDependencyManifests, {"pyproject.toml": PYPROJECT,
                                                  "requirements.txt": compiled})
    assert found(report) == []
    assert report.result("ARCH-06").evidence == [
        "runtime dependencies declared consistently: pyproject.toml (pep621), "
        "requirements.txt (requirements)"]
    self_install = {"pyproject.toml": PYPROJECT, "requirements.txt": "-e .\n"}
    assert found(run(ConflictingDependencyManifests, self_install)) == []


def test_a_single_manifest_cannot_conflict() -> None:
    report = run(ConflictingDependencyManifests, {"pyproject.toml": PYPROJECT})
    assert found(report) == []
    assert report.result("ARCH-06").evidence == []
