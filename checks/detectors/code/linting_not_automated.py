"""Linting and formatting that nothing runs automatically.

## What it flags
A repository where no linter or formatter (Ruff, Black, Flake8, Pylint, isort, pycodestyle,
autopep8, YAPF, Blue) runs automatically: no such hook in ``.pre-commit-config.yaml`` and no CI
step that runs one (directly, through ``pre-commit run``, a pre-commit/ruff/black action, or a
``make``/``tox``/``nox``/script target named lint, format, style or check). One finding: on the
tool's configuration (``[tool.ruff]`` in pyproject.toml, ``ruff.toml``, ``.flake8``,
``setup.cfg [flake8]``...) when there is one, since it is then configured but not enforced;
else for the whole project.

## Why it matters
A linter that each developer may or may not run locally does not keep a codebase consistent:
style debates and easily caught bugs (unused imports, undefined names) come back in every review
(CODE-09, CODE-08).

## Example
```toml
# pyproject.toml, and no pre-commit hook or CI step runs it
[tool.ruff]
line-length = 100
```

## Use instead
```yaml
# .pre-commit-config.yaml (and `pre-commit run --all-files` in CI)
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.6.9
    hooks:
      - id: ruff
      - id: ruff-format
```

## References
- Ruff: https://docs.astral.sh/ruff/
- pre-commit: https://pre-commit.com/
- PEP 8: https://peps.python.org/pep-0008/
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

import yaml

from checks.detector import Detector, Project
from checks.detectors.deployment._ci import ci_files, commands, makefile_targets

_TOOLS = ("ruff", "black", "flake8", "pylint", "isort", "pycodestyle", "autopep8", "yapf",
          "blue", "pyflakes", "flakeheaven", "wemake-python-styleguide", "prospector")
_TOOL = re.compile(r"\b(" + "|".join(re.escape(t) for t in _TOOLS) + r")\b", re.IGNORECASE)
_RUNNER = re.compile(
    r"\bpre-commit\s+run\b|\bprek\s+run\b|pre-commit/action|pre-commit-ci|ruff-action"
    r"|psf/black|\b(make|just|task|invoke|inv|hatch\s+run|pdm\s+run|poetry\s+run|uv\s+run"
    r"|rye\s+run|pipenv\s+run|tox\s+-e|nox\s+-s|hatch\s+fmt)\s+[\w:.-]*(lint|format|fmt|style"
    r"|check|static)"
    r"|(^|[\s/])[\w.-]*(lint|format|style)[\w.-]*\.(sh|py|bash)\b|\bhatch\s+fmt\b",
    re.IGNORECASE,
)
_MAKE = re.compile(r"\bmake\s+(?:-\S+\s+)*([\w.-]+)")
_TOX = re.compile(r"\b(tox|nox)\b")
_PYPROJECT_SECTION = re.compile(
    r"^\s*\[tool\.(ruff|black|isort|pylint|flake8|autopep8|yapf|pycodestyle)[\].]"
)
_INI_SECTION = re.compile(r"^\s*\[(flake8|isort|pylint[^\]]*|pycodestyle|pep8|yapf)\]")
_CONFIG_FILES = {"ruff.toml": "ruff", ".ruff.toml": "ruff", ".flake8": "flake8",
                 ".pylintrc": "pylint", "pylintrc": "pylint", ".isort.cfg": "isort",
                 ".style.yapf": "yapf"}


def linter_config(project: Project) -> tuple[str, str, int] | None:
    """``(tool, path, line)`` of the first linter/formatter configuration found."""
    for path in project.tree.paths:
        base = posixpath.basename(path)
        if path.count("/") == 0 and base in _CONFIG_FILES:
            return _CONFIG_FILES[base], path, 0
    for path in ("pyproject.toml", "setup.cfg", "tox.ini"):
        text = project.text(path)
        if text is None:
            continue
        pattern = _PYPROJECT_SECTION if path == "pyproject.toml" else _INI_SECTION
        for number, line in enumerate(text.splitlines(), start=1):
            m = pattern.match(line)
            if m:
                return m.group(1).split(".")[0].split(":")[0], path, number
    return None


def _precommit_hooks(text: str) -> list[tuple[str, str]]:
    """``(hook id, entry)`` of every hook in a pre-commit config."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        return [(m.group(1), "") for m in re.finditer(r"id:\s*([\w.-]+)", text)]
    hooks: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for repo in data.get("repos") or []:
            if isinstance(repo, dict):
                for hook in repo.get("hooks") or []:
                    if isinstance(hook, dict):
                        hooks.append((str(hook.get("id", "")), str(hook.get("entry", ""))))
    return hooks


def automation(project: Project) -> str | None:
    """Evidence that a linter or formatter runs automatically, or None."""
    for path in (".pre-commit-config.yaml", ".pre-commit-config.yml"):
        text = project.text(path)
        if text is None:
            continue
        for hook_id, entry in _precommit_hooks(text):
            if _TOOL.search(hook_id) or _TOOL.search(entry):
                return f"pre-commit hook `{hook_id}` in {path}"
    targets = makefile_targets(project)
    tox_text = (project.text("tox.ini") or "") + (project.text("noxfile.py") or "")
    for path in ci_files(project):
        for cmd in commands(project, path):
            if _TOOL.search(cmd.text) or _RUNNER.search(cmd.text):
                return f"`{cmd.text[:80]}` in {path}"
            for m in _MAKE.finditer(cmd.text):
                if _TOOL.search(targets.get(m.group(1), "")):
                    return f"`{cmd.text[:80]}` (Makefile) in {path}"
            if _TOX.search(cmd.text) and _TOOL.search(tox_text):
                return f"`{cmd.text[:80]}` (tox/nox session) in {path}"
    return None


class LintingNotAutomated(Detector):
    """Flags repositories where no linter/formatter runs automatically (see module docstring)."""

    slug = "linting-not-automated"
    items = ("CODE-09",)

    def finish(self, project: Project) -> None:
        automated = automation(project)
        if automated is not None:
            self.evidence("CODE-09", f"linting runs automatically: {automated}")
            return
        config = linter_config(project)
        hint = ("Run the linter and formatter on every change: a pre-commit hook "
                "(ruff, ruff-format) plus `pre-commit run --all-files` or `ruff check` and "
                "`ruff format --check` as a CI step.")
        if config is not None:
            tool, path, line = config
            where = f"{path}:{line}" if line else path
            self.report(
                "CODE-09", path, line,
                f"{tool} is configured ({where}) but nothing runs it automatically: no "
                "pre-commit hook and no CI step",
                hint, key=f"{self.slug}:configured:{tool}",
            )
            return
        self.report(
            "CODE-09", "", 0,
            "No linter or formatter is configured or run automatically (Ruff, Black, Flake8, "
            "Pylint, isort)",
            "Configure Ruff in pyproject.toml ([tool.ruff]) and " + hint[0].lower() + hint[1:],
            key=f"{self.slug}:none",
        )
