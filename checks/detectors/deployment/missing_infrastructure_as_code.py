"""Deployable service with no infrastructure as code.

## What it flags
A deployable service (a web application or worker, or a Dockerfile) whose repository holds no
infrastructure definition: no Terraform/OpenTofu (``*.tf``), Pulumi (``Pulumi.yaml``), AWS CDK
(``cdk.json``), CloudFormation/SAM template, Ansible playbook or roles, Bicep, Serverless
Framework, Crossplane or Helm/Kustomize configuration. One finding for the project. A
heuristic: many teams keep infrastructure in a dedicated repository; disable the item there.

## Why it matters
Databases, queues, buckets, DNS and IAM created by hand drift between environments, cannot be
reviewed in a pull request and cannot be recreated after a disaster (DEPLOY-05, DEPLOY-04).

## Example
```text
Dockerfile
app/            # the database, cache and load balancer were created in the console
```

## Use instead
```hcl
# infra/main.tf
resource "aws_db_instance" "orders" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t4g.medium"
}
```

## References
- Terraform: https://developer.hashicorp.com/terraform/intro
- Pulumi: https://www.pulumi.com/docs/
- AWS Well-Architected, operational excellence (OPS05-BP01, use version control): https://docs.aws.amazon.com/wellarchitected/latest/operational-excellence-pillar/welcome.html
"""

from __future__ import annotations

import re

from checks.detector import Detector, Project
from checks.detectors.deployment._service import service_signal
from checks.detectors.observability._facts import in_service_dir

_IAC_NAMES = frozenset({
    "pulumi.yaml", "pulumi.yml", "cdk.json", "cdktf.json", "ansible.cfg", "serverless.yml",
    "serverless.yaml", "template.yaml", "template.yml", "samconfig.toml", "chart.yaml",
    "kustomization.yaml", "kustomization.yml", "terragrunt.hcl", "atlantis.yaml", "cdk8s.yaml",
})
_IAC_SUFFIXES = (".tf", ".tf.json", ".tofu", ".bicep", ".pkr.hcl", ".jsonnet")
_IAC_DIRS = frozenset({"terraform", "pulumi", "cdk", "ansible", "playbooks", "cloudformation",
                       "bicep", "crossplane", "opentofu"})
_CLOUDFORMATION = re.compile(r"AWSTemplateFormatVersion|Transform:\s*AWS::Serverless")


def iac_site(project: Project) -> str | None:
    """The first infrastructure-as-code file found, or None. Each path is matched on its name
    and folders first: whether its folder is a service folder is asked only for a match."""
    for path in project.tree.paths:
        folder, _, base = path.rpartition("/")
        base = base.lower()
        if base in _IAC_NAMES or base.endswith(_IAC_SUFFIXES):
            if in_service_dir(path):
                return path
            continue
        if not folder:
            continue
        parts = folder.lower().split("/")
        in_iac_dir = base.endswith((".py", ".ts", ".yml", ".yaml", ".hcl", ".json")) and (
            not _IAC_DIRS.isdisjoint(parts))
        ansible_tasks = "roles" in parts and "tasks" in parts and base in ("main.yml",
                                                                           "main.yaml")
        if (in_iac_dir or ansible_tasks) and in_service_dir(path):
            return path
    for path in sorted(project.tree.files):
        if path.endswith((".yaml", ".yml", ".json")) and in_service_dir(path):
            text = project.text(path) or ""
            if _CLOUDFORMATION.search(text[:5000]):
                return f"CloudFormation template {path}"
    return None


class MissingInfrastructureAsCode(Detector):
    """Flags a service with no infrastructure as code (see module docstring)."""

    slug = "missing-infrastructure-as-code"
    items = ("DEPLOY-05",)

    def finish(self, project: Project) -> None:
        service = service_signal(project)
        if service is None:
            self.not_applicable("DEPLOY-05", "not a deployable service (no web app, worker, "
                                             "Dockerfile or Procfile)")
            return
        found = iac_site(project)
        if found is not None:
            self.evidence("DEPLOY-05", f"found {found}")
            return
        self.report(
            "DEPLOY-05", "", 0,
            f"No infrastructure as code for this service ({service}): no Terraform, Pulumi, "
            "CDK, CloudFormation, Ansible or Helm definitions in the repository",
            "Describe the infrastructure the service needs (database, cache, queues, DNS, IAM) "
            "in Terraform, Pulumi or CDK. If it lives in another repository, disable DEPLOY-05 "
            "in .github/archreview.yml.",
            key=f"{self.slug}:none",
        )
