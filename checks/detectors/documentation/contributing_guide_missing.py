"""No contributing guidelines.

## What it flags
A repository with no ``CONTRIBUTING`` file (Markdown, reST or text; at the root, in ``.github/``
or in ``docs/``) and no "Contributing" section in the README or the docs. One finding, on the
README's first line (or on the project when there is none).

## Why it matters
How to branch, how to run the checks before pushing, what a pull request must contain, who
reviews what: without written rules every contributor guesses, and reviewers repeat the same
comments (DOC-08). GitHub links a ``CONTRIBUTING`` file from every new issue and pull request.

## Example
```text
README.md  app/  tests/      # and nowhere says how to contribute
```

## Use instead
```markdown
<!-- CONTRIBUTING.md -->
# Contributing
1. Branch from `main`; one change per pull request.
2. `make check` (ruff, mypy, pytest) must pass before you push.
3. Describe the change and link the issue; one approving review is required.
```

## References
- GitHub Docs, Setting guidelines for repository contributors: https://docs.github.com/en/communities/setting-up-your-project-for-healthy-contributions/setting-guidelines-for-repository-contributors
"""

from __future__ import annotations

import posixpath

from checks.detector import Detector, Project
from checks.detectors.documentation._common import find_topic, readme_location

_PLACES = ("", ".github/", "docs/", "doc/")


class ContributingGuideMissing(Detector):
    """Flags a repository with no contributing guidelines (see module docstring)."""

    slug = "contributing-guide-missing"
    items = ("DOC-08",)

    def finish(self, project: Project) -> None:
        if not project.python:
            self.not_applicable("DOC-08", "no Python code")
            return
        for path in project.tree.paths:
            if not path.rpartition("/")[2].lower().startswith("contributing"):
                continue
            folder = posixpath.dirname(path)
            if (folder + "/" if folder else "") in _PLACES:
                self.evidence("DOC-08", f"contributing guide {path}")
                return
        hit = find_topic(project, "contributing", ("contributing",))
        if hit is not None:
            path, line, what = hit
            self.evidence("DOC-08", f"contributing guidelines: {what} at {path}:{line}")
            return
        path, line = readme_location(project)
        self.report(
            "DOC-08", path, line,
            "no contributing guidelines: no CONTRIBUTING file and no 'Contributing' section",
            "Add CONTRIBUTING.md: how to set up, the checks to run before pushing, branch and "
            "commit conventions, and what a pull request needs to be reviewed.",
            key="no-contributing-guide",
        )
