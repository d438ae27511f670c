"""Repository without a CI pipeline.

## What it flags
A repository with no continuous-integration configuration at all: no GitHub Actions workflow
(``.github/workflows/*.yml``), ``.gitlab-ci.yml``, ``.circleci/config.yml``, ``Jenkinsfile``,
``azure-pipelines.yml``, ``bitbucket-pipelines.yml``, ``.travis.yml``, ``.drone.yml``,
Buildkite pipeline or ``cloudbuild.yaml``. One finding for the whole project.

## Why it matters
Without a pipeline every merge relies on each contributor having run the tests, linters and
build locally, and every release is assembled by hand; broken main branches and "works on my
machine" deployments follow (DEPLOY-03).

## Example
```text
app/
tests/
pyproject.toml        # no .github/workflows/, no .gitlab-ci.yml
```

## Use instead
```yaml
# .github/workflows/ci.yml
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v5
      - run: uv run pytest
```

## References
- GitHub Actions, building and testing Python: https://docs.github.com/en/actions/use-cases-and-examples/building-and-testing/building-and-testing-python
- Martin Fowler, Continuous Integration: https://martinfowler.com/articles/continuousIntegration.html
"""

from __future__ import annotations

from checks.detector import Detector, Project
from checks.detectors.deployment._ci import ci_files


class MissingCiPipeline(Detector):
    """Flags a repository with no CI configuration (see module docstring)."""

    slug = "missing-ci-pipeline"
    items = ("DEPLOY-03",)

    def finish(self, project: Project) -> None:
        files = ci_files(project)
        if files:
            shown = ", ".join(files[:4]) + (" ..." if len(files) > 4 else "")
            self.evidence("DEPLOY-03", f"CI configuration: {shown}")
            return
        self.report(
            "DEPLOY-03", "", 0,
            "No CI pipeline: no GitHub Actions workflow, .gitlab-ci.yml, CircleCI, Jenkinsfile "
            "or other CI configuration in the repository",
            "Add a pipeline (e.g. .github/workflows/ci.yml) that installs the locked "
            "dependencies, runs linters and tests on every pull request, and builds the image.",
            key=f"{self.slug}:none",
        )
