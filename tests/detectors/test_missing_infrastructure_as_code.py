from checks.detectors.deployment.missing_infrastructure_as_code import (
    MissingInfrastructureAsCode,
)
from checks.model import Status
from tests.helpers import found, run, status

APP = {"app/main.py": "import flask\napp = flask.Flask(__name__)\n"}


def test_flags_service_without_iac() -> None:
    report = run(MissingInfrastructureAsCode, {**APP, "Dockerfile": "FROM python:3.12\n"})
    assert found(report) == [("DEPLOY-05", "", 0)]
    assert status(report, "DEPLOY-05") is Status.WARN


def test_terraform_pulumi_cdk_and_cloudformation_pass() -> None:
    for extra in ("infra/main.tf", "Pulumi.yaml", "cdk.json", "ansible/site.yml",
                  "deploy/roles/web/tasks/main.yml"):
        report = run(MissingInfrastructureAsCode, {**APP, extra: "x: 1\n"})
        assert found(report) == [], extra
    cfn = {**APP, "stack.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n"}
    report = run(MissingInfrastructureAsCode, cfn)
    assert report.result("DEPLOY-05").evidence == ["found CloudFormation template stack.yaml"]


def test_library_is_not_applicable() -> None:
    report = run(MissingInfrastructureAsCode, {"lib/core.py": "x = 1\n"})
    assert status(report, "DEPLOY-05") is Status.NOT_APPLICABLE
