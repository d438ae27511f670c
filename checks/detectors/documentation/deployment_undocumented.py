"""A service whose deployment process is written down nowhere.

## What it flags
A network service (it imports or declares a web framework, or ships a Dockerfile or Procfile)
whose README and documentation files have no section about deployment ("Deployment",
"Deploying", "Production", "Releasing", "Operations", "Kubernetes"...), no document named for it
(``docs/deployment.md``, ``DEPLOY.md``, ``docs/production/``) and no deploy command in the README
(``kubectl apply``, ``helm upgrade``, ``fly deploy``, ``gcloud run deploy``, ``terraform
apply``...). One finding, on the README's first line (or on the project when there is none).

## Why it matters
When only one person knows how a release reaches production, releases wait for that person,
and an incident at 3 a.m. becomes archaeology; the steps, environments, migrations and rollback
must be written down (DOC-05). Heuristic: a pipeline that deploys on merge documents itself
only partly.

## Example
```markdown
# Orders service
## Installation
## Usage
```

## Use instead
```markdown
## Deployment
Merging to `main` builds the image and deploys to staging; production is promoted with
`make release`. Migrations run as a pre-deploy job; roll back with `helm rollback orders`.
```

## References
- The Twelve-Factor App, V. Build, release, run: https://12factor.net/build-release-run
- Google SRE Workbook, Canarying releases: https://sre.google/workbook/canarying-releases/
"""

from __future__ import annotations

import re

from checks.detector import Detector, Project
from checks.detectors.documentation._common import find_topic, readme_command, readme_location
from checks.detectors.testing._common import web_framework

_NAMES = ("deploy", "production", "releasing", "release-process", "release_process",
          "hosting", "infrastructure")
_SERVICE_FILES = frozenset({"dockerfile", "procfile", "containerfile"})
_COMMANDS = re.compile(
    r"\b(kubectl apply|helm (install|upgrade)|fly deploy|flyctl deploy|gcloud (app|run) deploy"
    r"|heroku (create|container)|git push heroku|terraform apply|serverless deploy|sam deploy"
    r"|cdk deploy|ansible-playbook|docker push|eb deploy|zappa (deploy|update)|railway up"
    r"|kamal deploy|copilot (svc|app) deploy|az webapp)\b",
)


class DeploymentUndocumented(Detector):
    """Flags a service with no deployment documentation (see module docstring)."""

    slug = "deployment-undocumented"
    items = ("DOC-05",)

    def finish(self, project: Project) -> None:
        service = web_framework(project) or next(
            (p for p in project.tree.paths if p.rsplit("/", 1)[-1].lower() in _SERVICE_FILES),
            None)
        if service is None:
            self.not_applicable("DOC-05", "not a deployed service (no web framework, "
                                          "Dockerfile or Procfile)")
            return
        hit = find_topic(project, "deployment", _NAMES)
        if hit is not None:
            path, line, what = hit
            self.evidence("DOC-05", f"deployment documented: {what} at {path}:{line}")
            return
        command = readme_command(project, _COMMANDS)
        if command is not None:
            readme, line, found = command
            self.evidence("DOC-05", f"deploy command {found!r} at {readme}:{line}")
            return
        path, line = readme_location(project)
        self.report(
            "DOC-05", path, line,
            "the deployment process is not documented: no deployment section or document, and "
            "no deploy command in the README",
            "Document how a change reaches production: environments, the pipeline or commands, "
            "how migrations run and how to roll back (a 'Deployment' section or "
            "docs/deployment.md).",
            key="no-deployment-docs",
        )
