"""No automated scanning of dependencies for known vulnerabilities.

## What it flags
A Python project (it has a dependency file: ``requirements*.txt``, ``pyproject.toml``,
``Pipfile``, ``setup.py``/``setup.cfg``, a lock file) with none of:

- Dependabot (``.github/dependabot.yml``) or Renovate (``renovate.json``, ``renovate.json5``,
  ``.renovaterc``, ``.github/renovate.json`` ...);
- a vulnerability scanner in CI or hooks: ``pip-audit``, ``safety``, ``snyk``,
  ``osv-scanner``, ``trivy``, ``grype``, OWASP ``dependency-check``, GitHub's
  ``dependency-review-action``, mentioned in ``.github/workflows/*``, ``.gitlab-ci.yml``,
  ``.circleci/config.yml``, ``azure-pipelines.yml``, ``bitbucket-pipelines.yml``,
  ``.pre-commit-config.yaml``, ``tox.ini``, ``noxfile.py`` or a ``Makefile``.

One finding for the project, on the main dependency file. This is a heuristic: scanning set up
outside the repository (organisation-wide Dependabot, a platform scanner) is invisible here;
waive the finding saying where it runs.

## Why it matters
Most of a service's code is its dependencies, and new vulnerabilities are published in them
every week. Without a scanner that runs on every change and on a schedule, a known, exploitable
version stays deployed until someone happens to notice.

## Example
A repository with ``requirements.txt`` and a CI workflow that only runs ``pytest``.

## Use instead
```yaml
# .github/dependabot.yml
version: 2
updates:
  - package-ecosystem: pip
    directory: "/"
    schedule: {interval: weekly}
```
or a CI step ``pipx run pip-audit -r requirements.txt`` (or ``osv-scanner``, ``trivy fs``).

## References
- OWASP Top 10, A06 Vulnerable and Outdated Components:
  https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/
- GitHub, Dependabot version updates:
  https://docs.github.com/en/code-security/dependabot/dependabot-version-updates
- pip-audit: https://pypi.org/project/pip-audit/
- OSV-Scanner: https://google.github.io/osv-scanner/
"""

from __future__ import annotations

import posixpath
import re

from checks.detector import Detector, Project

_BOTS = (
    ".github/dependabot.yml", ".github/dependabot.yaml", "renovate.json", "renovate.json5",
    ".renovaterc", ".renovaterc.json", ".renovaterc.json5", ".github/renovate.json",
    ".github/renovate.json5", ".gitlab/renovate.json", ".gitlab/renovate.json5",
)
_SCANNERS = re.compile(
    r"pip-audit|pip_audit|gh-action-pip-audit|\bsafety\s+(?:check|scan)|pyupio/safety"
    r"|\bsnyk\b|osv-scanner|\btrivy\b|\bgrype\b|dependency-check|dependency-review-action"
    r"|jake\s+ddt|ossaudit|\bbandit\b.*--dependencies",
    re.IGNORECASE,
)
_CI_FILES = re.compile(
    r"^\.github/workflows/[^/]+\.ya?ml$|^\.gitlab-ci\.yml$|^\.gitlab/.*\.ya?ml$"
    r"|^\.circleci/config\.ya?ml$|(^|/)azure-pipelines\.ya?ml$|^bitbucket-pipelines\.ya?ml$"
    r"|(^|/)\.pre-commit-config\.ya?ml$|(^|/)tox\.ini$|(^|/)noxfile\.py$|(^|/)makefile$"
    r"|^\.github/actions/.*\.ya?ml$|(^|/)justfile$|(^|/)taskfile\.ya?ml$"
)
_DEPENDENCY_FILES = ("pyproject.toml", "requirements.txt", "pipfile", "setup.py", "setup.cfg",
                     "poetry.lock", "uv.lock", "pdm.lock", "pipfile.lock")


class DependencyScanningMissing(Detector):
    """Flags projects with no automated dependency vulnerability scanning (see module
    docstring)."""

    slug = "dependency-scanning-missing"
    items = ("SEC-11",)

    def finish(self, project: Project) -> None:
        tree = project.tree
        manifests = [p for p in tree.paths if _is_manifest(p)]
        if not manifests:
            self.not_applicable("SEC-11", "no Python dependency file (requirements, pyproject, "
                                          "Pipfile, setup.py)")
            return
        for bot in _BOTS:
            if tree.exists(bot):
                self.evidence("SEC-11", f"dependency updates configured in {bot}")
                return
        for path in tree.paths:
            if not _CI_FILES.search(path.lower()):
                continue
            text = project.text(path) or ""
            m = _SCANNERS.search(text)
            if m:
                line = text.count("\n", 0, m.start()) + 1
                self.evidence("SEC-11", f"`{m.group(0)}` runs from {path}:{line}")
                return
        target = min(manifests, key=lambda p: (p.count("/"), _rank(p), p))
        self.report(
            "SEC-11", target, 0,
            "no dependency scanning found: no Dependabot or Renovate config, and no pip-audit, "
            "safety, snyk, osv-scanner or trivy in CI workflows or pre-commit hooks",
            "Add .github/dependabot.yml for the pip ecosystem, or a CI step running pip-audit "
            "(or osv-scanner, trivy) on every pull request and on a schedule; if scanning runs "
            "outside the repository, waive this saying where.",
            key="dependency-scanning-missing",
        )


def _is_manifest(path: str) -> bool:
    base = posixpath.basename(path).lower()
    return base in _DEPENDENCY_FILES or (base.startswith("requirements") and base.endswith(
        (".txt", ".in")))


def _rank(path: str) -> int:
    base = posixpath.basename(path).lower()
    order = ["pyproject.toml", "requirements.txt", "pipfile", "setup.py", "setup.cfg"]
    return order.index(base) if base in order else len(order)
