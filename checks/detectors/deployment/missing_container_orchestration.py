"""Deployable service with no orchestration or platform configuration.

## What it flags
A deployable service (a web application or worker, or a Dockerfile) whose repository says nothing
about where and how it runs: no Kubernetes manifest (a YAML document with ``apiVersion`` and a
workload ``kind``), Helm chart (``Chart.yaml``), Kustomize file, Docker Compose or Swarm file,
Nomad job, ECS task definition (``containerDefinitions``), Cloud Run/App Engine/Fly.io/Render/
Railway/Heroku/Elastic Beanstalk/App Runner/Serverless/Zappa configuration (files under
``.devcontainer/`` or tests, and compose files named for dev, test or CI, do not count). One
finding, on the Dockerfile when there is one, else on the line that creates the application.
A heuristic: the manifests often live in a separate deployment repository.

## Why it matters
Replicas, resource limits, restart policy, probes and rollout strategy are part of the service's
architecture; when they exist only in someone's console they cannot be reviewed, versioned or
rebuilt after an incident (DEPLOY-02).

## Example
```text
Dockerfile
app/main.py      # no k8s/, no compose file, no fly.toml ...
```

## Use instead
```yaml
# deploy/k8s/deployment.yaml
apiVersion: apps/v1
kind: Deployment
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.4.2
          resources: {limits: {memory: 512Mi}}
```

## References
- Kubernetes Deployments: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
- Docker Compose file reference: https://docs.docker.com/reference/compose-file/
"""

from __future__ import annotations

import posixpath
import re

from checks.detector import Detector, Project
from checks.detectors.deployment._dockerfile import DEV_TOKENS, dockerfiles
from checks.detectors.deployment._service import service_signal
from checks.detectors.observability._facts import facts, in_service_dir, is_compose_file

_PLATFORM_FILES = frozenset({
    "chart.yaml", "kustomization.yaml", "kustomization.yml", "skaffold.yaml", "fly.toml",
    "render.yaml", "app.yaml", "railway.json", "railway.toml", "procfile", "app.json",
    "dockerrun.aws.json", "apprunner.yaml", "serverless.yml", "serverless.yaml",
    "zappa_settings.json", "zappa_settings.yaml", "vercel.json", "service.yaml", "tiltfile",
    "docker-stack.yml", "nais.yaml", "cloudrun.yaml", ".platform.app.yaml",
    "okteto.yml", "devspace.yaml", "porter.yaml", "copilot.yml", "manifest.yml",
})
_K8S = re.compile(
    r"^kind:\s*(Deployment|StatefulSet|DaemonSet|Service|Job|CronJob|Ingress|Pod"
    r"|HorizontalPodAutoscaler|Rollout|KnativeService|HelmRelease|Application)\s*$",
    re.MULTILINE,
)
_ECS = re.compile(r'"containerDefinitions"|\baws_ecs_task_definition\b|\bkubernetes_deployment\b')


def _counts(path: str) -> bool:
    """Service folders only: not samples, docs, tests nor development containers."""
    parts = path.lower().split("/")
    return in_service_dir(path) and not any(
        p in (".devcontainer", "tests", "test") for p in parts[:-1]
    )


def _dev_named(path: str) -> bool:
    tokens = set(re.split(r"[._-]+", posixpath.basename(path).lower()))
    return bool(tokens & DEV_TOKENS)


def orchestration_site(project: Project) -> str | None:
    """The first orchestration or platform file found, described, or None. Each path is
    matched on its name first: whether its folder counts is asked only for a match."""
    for path in project.tree.paths:
        base = path.rpartition("/")[2].lower()
        if base in _PLATFORM_FILES or base.endswith((".nomad", ".nomad.hcl")):
            found = path
        elif "compose" in base and is_compose_file(path) and not _dev_named(path):
            found = f"compose file {path}"
        elif path.startswith(".ebextensions/") or path.startswith("copilot/"):
            found = path
        else:
            continue
        if _counts(path):
            return found
    for path in sorted(project.tree.files):
        if not path.endswith((".yaml", ".yml", ".json", ".tf")) or path.startswith(".github/"):
            continue
        if not _counts(path):
            continue
        text = project.text(path) or ""
        if path.endswith((".yaml", ".yml")) and "apiVersion:" in text:
            m = _K8S.search(text)
            if m:
                line = text.count("\n", 0, m.start()) + 1
                return f"Kubernetes {m.group(1)} at {path}:{line}"
        if _ECS.search(text):
            return f"task definition in {path}"
    return None


class MissingContainerOrchestration(Detector):
    """Flags a service with no orchestration/platform configuration (see module docstring)."""

    slug = "missing-container-orchestration"
    items = ("DEPLOY-02",)

    def finish(self, project: Project) -> None:
        service = service_signal(project)
        if service is None:
            self.not_applicable("DEPLOY-02", "not a deployable service (no web app, worker, "
                                             "Dockerfile or Procfile)")
            return
        found = orchestration_site(project)
        if found is not None:
            self.evidence("DEPLOY-02", f"found {found}")
            return
        files = dockerfiles(project)
        app = facts(project).entry()
        if files:
            path, line = files[0].path, 0
        elif app is not None:
            path, line = app.site.path, app.site.line
        else:
            path, line = "", 0
        self.report(
            "DEPLOY-02", path, line,
            f"No orchestration or platform configuration for this service ({service}): no "
            "Kubernetes manifests, Helm chart, compose file, ECS task definition or PaaS config",
            "Version how the service runs next to its code: Kubernetes manifests or a Helm "
            "chart (replicas, limits, probes), a compose file, or the platform's config "
            "(fly.toml, render.yaml, app.yaml). If it lives in another repository, say so "
            "and disable DEPLOY-02 in .github/archreview.yml.",
            key=f"{self.slug}:none",
        )
