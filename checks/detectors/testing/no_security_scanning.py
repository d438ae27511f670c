"""No security scanner or security test anywhere in CI, hooks or tests.

## What it flags
A project with service code where no CI workflow, pre-commit hook, tox/nox session, Makefile or
packaging file runs a security check: no Bandit, pip-audit, Safety, Semgrep, CodeQL, OWASP ZAP,
Snyk, Trivy, Grype, OSV-Scanner, Gitleaks, detect-secrets or TruffleHog; no ruff ``S``
(flake8-bandit) rules selected; no such tool declared as a dependency; and no test module or
folder named for security. One project-level finding.

## Why it matters
Injection sinks, weak crypto, hard-coded secrets and dependencies with published CVEs are found
cheaply by scanners on every push, and expensively by attackers later (TEST-05). Heuristic:
scans configured outside the repository (GitHub's default CodeQL setup, a SaaS scanner) are
invisible here; a reviewer can waive the finding.

## Example
```yaml
# .github/workflows/ci.yml
- run: pytest
```

## Use instead
```yaml
- run: pip-audit -r requirements.txt
- run: bandit -r app -ll
```
or select ruff's ``S`` rules and add ``github/codeql-action`` to CI.

## References
- OWASP, Vulnerable and Outdated Components: https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/
- Bandit: https://bandit.readthedocs.io/
- pip-audit: https://pypi.org/project/pip-audit/
- CWE-1104, Use of Unmaintained Third Party Components: https://cwe.mitre.org/data/definitions/1104.html
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from checks.detector import Detector, Project
from checks.detectors.testing._common import first_match, service_modules, tool_config_texts

_SCANNERS = re.compile(
    r"\b(bandit|pip-audit|pip_audit|safety (check|scan)|pyupio/safety|semgrep|codeql|zaproxy|"
    r"zap-baseline|zap-full-scan|zap-api-scan|owasp zap|snyk|trivy|grype|osv-scanner|gitleaks|"
    r"detect-secrets|trufflehog|dependency-check|ossf/scorecard|pyright-security|guarddog)\b",
    re.IGNORECASE,
)
_TOOLS = ("bandit", "pip-audit", "safety", "semgrep", "detect-secrets", "flake8-bandit",
          "pytest-bandit", "dlint")
_SECURITY_TESTS = re.compile(r"(^|/)(security|pentest|sec_tests?)(/|$)|(^|/)test_security\w*\.py$")


class NoSecurityScanning(Detector):
    """Flags a project whose CI and hooks run no security check (see module docstring)."""

    slug = "no-security-scanning"
    items = ("TEST-05",)

    def finish(self, project: Project) -> None:
        if not service_modules(project):
            self.not_applicable("TEST-05", "no service modules with functions or classes")
            return
        found = self._signal(project)
        if found is not None:
            self.evidence("TEST-05", found)
            return
        self.report(
            "TEST-05", "", 0,
            "no security scanner (Bandit, pip-audit, Semgrep, CodeQL, ZAP...) runs in CI or "
            "pre-commit, and no security tests were found",
            "Run a dependency audit (pip-audit) and a static security scan (Bandit, ruff's S "
            "rules, Semgrep or CodeQL) on every pull request.",
            key="no-security-scanning",
        )

    @staticmethod
    def _signal(project: Project) -> str | None:
        hit = first_match(_SCANNERS, tool_config_texts(project))
        if hit is not None:
            return f"{hit[2]!r} at {hit[0]}:{hit[1]}"
        tool = next((t for t in _TOOLS if t in project.dependencies), None)
        if tool is not None:
            return f"{tool} declared as a dependency"
        for path in ("pyproject.toml", "ruff.toml", ".ruff.toml"):
            text = project.text(path)
            if text is not None and _ruff_selects_bandit(text, nested=path == "pyproject.toml"):
                return f"ruff flake8-bandit (S) rules selected in {path}"
        for path in project.tree.paths:
            # Every match names "sec" or "pentest": cheap tests before the pattern.
            if path.endswith(".py"):
                lower = path.lower()
                if ("sec" in lower or "pentest" in lower) and _SECURITY_TESTS.search(lower):
                    return f"security tests {path}"
        return None


def _ruff_selects_bandit(text: str, *, nested: bool) -> bool:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    ruff = data.get("tool", {}).get("ruff", {}) if nested else data
    if not isinstance(ruff, dict):
        return False
    selected: list[Any] = []
    for table in (ruff, ruff.get("lint", {})):
        if isinstance(table, dict):
            for key in ("select", "extend-select"):
                value = table.get(key)
                if isinstance(value, list):
                    selected.extend(value)
    return any(isinstance(c, str) and (c == "ALL" or re.fullmatch(r"S\d*", c)) for c in selected)
