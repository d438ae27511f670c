import pytest

from checks.detectors.documentation.deployment_undocumented import DeploymentUndocumented
from checks.model import Status
from tests.helpers import found, run, status

APP = "from flask import Flask\n\napp = Flask(__name__)\n"


def test_flags_service_without_deployment_docs() -> None:
    files = {"README.md": "# Orders\n## Installation\n## Options\n", "app/web.py": APP,
             "docs/options.md": "# Options\n", "docs/RELEASES.md": "# 1.0\n"}
    report = run(DeploymentUndocumented, files)
    assert found(report) == [("DOC-05", "README.md", 1)]
    assert status(report, "DOC-05") is Status.WARN


def test_a_dockerfile_makes_a_service() -> None:
    report = run(DeploymentUndocumented, {"worker/run.py": "x = 1\n",
                                          "Dockerfile": "FROM python:3.13\n"})
    assert found(report) == [("DOC-05", "", 0)]


@pytest.mark.parametrize(
    ("files", "evidence"),
    [
        ({"README.md": "# Orders\n\nDeploying\n---------\n"},
         "deployment documented: section 'Deploying' at README.md:3"),
        ({"README.md": "# Orders\n", "docs/deployment.md": "Steps.\n"},
         "deployment documented: document at docs/deployment.md:0"),
        ({"README.md": "# Orders\n", "DEPLOY.md": "Steps.\n"},
         "deployment documented: document at DEPLOY.md:0"),
        ({"README.md": "# Orders\n\n    helm upgrade orders ./chart\n"},
         "deploy command 'helm upgrade' at README.md:3"),
    ],
)
def test_passes_with_deployment_docs(files: dict[str, str], evidence: str) -> None:
    report = run(DeploymentUndocumented, {**files, "app/web.py": APP})
    assert found(report) == []
    assert report.result("DOC-05").evidence == [evidence]


def test_not_applicable_for_a_library() -> None:
    report = run(DeploymentUndocumented, {"lib/x.py": "import json\n", "README.md": "# x\n"})
    assert status(report, "DOC-05") is Status.NOT_APPLICABLE
