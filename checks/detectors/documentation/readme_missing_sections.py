"""README missing, or missing the sections a service's README needs.

## What it flags
- A repository with no README at its root (nor one folder down): one project-level finding.
- A README without a heading about one of: installation/setup, usage/running, configuration,
  testing and, for a network service (web framework, Dockerfile or Procfile), deployment. One
  finding per missing section, on the README's first line. Headings are matched
  case-insensitively with synonyms ("Getting started", "Quickstart" and "Local development"
  count as setup; "Settings" and "Environment variables" as configuration; "Running the tests"
  as testing; "Production" and "Releasing" as deployment), in Markdown (``#``, underlined,
  whole-line bold, ``<h2>``) and reStructuredText.

## Why it matters
The README is the first thing a new engineer, an on-call responder or an auditor reads; when it
does not say how to install, run, configure, test and ship the service, that knowledge lives in
people's heads (DOC-07). Heuristic: a section can exist under an unexpected title.

## Example
```markdown
# Orders service
Handles orders.
```

## Use instead
```markdown
# Orders service
## Installation
## Usage
## Configuration
## Testing
## Deployment
```

## References
- GitHub Docs, About READMEs: https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-readmes
- Make a README: https://www.makeareadme.com/
"""

from __future__ import annotations

from checks.detector import Detector, Project
from checks.detectors.documentation._common import file_headings, find_readme, topic_heading
from checks.detectors.testing._common import service_modules, web_framework

_SERVICE_FILES = frozenset({"dockerfile", "procfile", "containerfile"})
_EXAMPLES = {
    "installation": "'Installation', 'Setup', 'Getting started'",
    "usage": "'Usage', 'Running', 'How to use'",
    "configuration": "'Configuration', 'Settings', 'Environment variables'",
    "testing": "'Testing', 'Running the tests'",
    "deployment": "'Deployment', 'Production', 'Releasing'",
}


class ReadmeMissingSections(Detector):
    """Flags a missing README and its missing sections (see module docstring)."""

    slug = "readme-missing-sections"
    items = ("DOC-07",)

    def finish(self, project: Project) -> None:
        if not project.python:
            self.not_applicable("DOC-07", "no Python code")
            return
        readme = find_readme(project)
        if readme is None:
            self.report(
                "DOC-07", "", 0, "the repository has no README",
                "Add a README.md saying what the service does and how to install, run, "
                "configure, test and deploy it.",
                key="no-readme",
            )
            return
        heads = file_headings(project, readme)
        wanted = ["installation", "usage", "testing"]
        if service_modules(project) or any(
            p.rsplit("/", 1)[-1].lower() in _SERVICE_FILES for p in project.tree.paths
        ):
            wanted.insert(2, "configuration")
        if web_framework(project) is not None or any(
            p.rsplit("/", 1)[-1].lower() in _SERVICE_FILES for p in project.tree.paths
        ):
            wanted.append("deployment")
        present = []
        for topic in wanted:
            h = topic_heading(heads, topic)
            if h is not None:
                present.append(f"{topic} ({readme}:{h.line} {h.text!r})")
                continue
            self.report(
                "DOC-07", readme, 1,
                f"{readme} has no section on {topic} (no heading like {_EXAMPLES[topic]})",
                f"Add a '{topic.capitalize()}' section to {readme}, or link from it to the "
                "document that covers it.",
                key=topic,
            )
        if present:
            self.evidence("DOC-07", "README sections: " + "; ".join(present))
