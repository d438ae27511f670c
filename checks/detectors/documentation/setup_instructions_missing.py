"""No setup instructions anywhere in the documentation.

## What it flags
A project whose README and documentation files (``docs/``, ``CONTRIBUTING``, other root-level
Markdown/reST) have no installation or setup section ("Installation", "Setup", "Getting
started", "Quickstart", "Local development"...), no document named for it (``docs/install.md``,
``docs/getting-started.rst``) and no install command in the README (``pip install``, ``poetry
install``, ``uv sync``, ``pipenv install``, ``docker compose up``, ``make install``). One
finding, on the README's first line (or on the project when there is no README).

## Why it matters
A new engineer, a CI image and a disaster-recovery rebuild all start from "how do I get this
running"; when the answer is not written down it is rediscovered by trial and error (DOC-03).
Heuristic: it sees that instructions exist, not that they work.

## Example
```markdown
# Orders service
Handles orders for the shop.
```

## Use instead
````markdown
## Getting started
```bash
python -m venv .venv && . .venv/bin/activate
pip install -e '.[dev]'
cp .env.example .env
uvicorn app.main:app --reload
```
````

## References
- GitHub Docs, About READMEs: https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-readmes
- Diátaxis, How-to guides and tutorials: https://diataxis.fr/tutorials/
"""

from __future__ import annotations

import re

from checks.detector import Detector, Project
from checks.detectors.documentation._common import find_topic, readme_command, readme_location

_NAMES = ("install", "setup", "set-up", "getting-started", "getting_started", "gettingstarted",
          "quickstart", "quick-start", "quick_start", "development", "local-dev", "onboarding")
_COMMANDS = re.compile(
    r"\b(pip3? install|python -m pip install|poetry install|uv sync|uv pip install|pipenv install"
    r"|pdm install|hatch (env create|shell)|conda env create|docker[- ]compose (up|run)"
    r"|make (install|setup|dev|bootstrap)|rye sync|pixi install)\b",
)


class SetupInstructionsMissing(Detector):
    """Flags documentation with no setup instructions (see module docstring)."""

    slug = "setup-instructions-missing"
    items = ("DOC-03",)

    def finish(self, project: Project) -> None:
        if not project.python:
            self.not_applicable("DOC-03", "no Python code")
            return
        hit = find_topic(project, "installation", _NAMES)
        if hit is not None:
            path, line, what = hit
            self.evidence("DOC-03", f"setup instructions: {what} at {path}:{line}")
            return
        command = readme_command(project, _COMMANDS)
        if command is not None:
            readme, line, found = command
            self.evidence("DOC-03", f"install command {found!r} at {readme}:{line}")
            return
        path, line = readme_location(project)
        self.report(
            "DOC-03", path, line,
            "no setup instructions: no installation/getting-started section or document, and "
            "no install command in the README",
            "Add a 'Getting started' section: prerequisites, how to install dependencies, "
            "create the configuration and run the service locally, as copy-pasteable commands.",
            key="no-setup-instructions",
        )
