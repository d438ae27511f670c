"""CI configuration files and the commands they run.

The commands of a pipeline are read from its YAML (``yaml.safe_load``): every string under a
``run``/``script``/``command``... key, and every ``uses`` of a GitHub Actions step, each with
the name of the job or step it belongs to. A file that is not valid YAML, or a Jenkinsfile, is
read line by line instead.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any

import yaml

from checks.detector import Project

_CI_NAMES = frozenset({".gitlab-ci.yml", "azure-pipelines.yml", "azure-pipelines.yaml",
                       "bitbucket-pipelines.yml", ".travis.yml", ".drone.yml", "jenkinsfile",
                       "cloudbuild.yaml", "cloudbuild.yml", ".woodpecker.yml", "appveyor.yml",
                       "buildspec.yml", "codemagic.yaml"})
_COMMAND_KEYS = frozenset({"run", "script", "scripts", "command", "commands", "before_script",
                           "after_script", "bash", "pwsh", "powershell", "inlinescript", "cmd",
                           "install", "uses", "test", "test_script", "build_script"})
_NAME_KEYS = ("name", "displayName", "stage", "id")


@dataclass(frozen=True, slots=True)
class Command:
    """A command (or ``uses`` reference) in a CI file, with the job/step names around it."""

    path: str
    text: str
    context: str


def ci_files(project: Project) -> list[str]:
    """CI configuration files of the repository, in path order (workflows of GitHub Actions,
    GitLab, CircleCI, Azure Pipelines, Bitbucket, Travis, Drone, Jenkins, Cloud Build...)."""
    out: list[str] = []
    for path in project.tree.paths:
        base = posixpath.basename(path).lower()
        if (
            (path.startswith(".github/workflows/") and base.endswith((".yml", ".yaml")))
            or path in (".circleci/config.yml", ".circleci/config.yaml")
            or (path.startswith(".buildkite/") and base.endswith((".yml", ".yaml")))
            or (path.count("/") == 0 and base in _CI_NAMES)
            or (base == "jenkinsfile")
        ):
            out.append(path)
    return sorted(out)


def commands(project: Project, path: str) -> list[Command]:
    """The commands of one CI file (see the module docstring); empty when not held."""
    text = project.text(path)
    if text is None:
        return []
    if not path.lower().endswith((".yml", ".yaml")):
        return [Command(path, line.strip(), "") for line in text.splitlines() if line.strip()]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return [Command(path, line.strip(), "") for line in text.splitlines() if line.strip()]
    out: list[Command] = []
    _walk(data, "", False, path, out)
    return out


def _walk(node: Any, context: str, in_command: bool, path: str, out: list[Command]) -> None:
    if isinstance(node, dict):
        names = [str(node[k]) for k in _NAME_KEYS if isinstance(node.get(k), str)]
        here = " ".join([context, *names]).strip()
        for key, value in node.items():
            key_text = str(key)
            if key_text in _NAME_KEYS and isinstance(value, str):
                continue
            child_context = here
            if not in_command and isinstance(value, dict) and key_text not in _COMMAND_KEYS:
                child_context = f"{here} {key_text}".strip()
            _walk(value, child_context, in_command or key_text.lower() in _COMMAND_KEYS,
                  path, out)
    elif isinstance(node, list):
        for item in node:
            _walk(item, context, in_command, path, out)
    elif isinstance(node, str) and in_command:
        joined = re.sub(r"\\\s*\n\s*", " ", node)  # shell line continuations
        for line in joined.splitlines():
            if line.strip():
                out.append(Command(path, line.strip(), context))


def makefile_targets(project: Project) -> dict[str, str]:
    """What each target of the top-level Makefile runs: its recipe lines, then, for each
    prerequisite, a ``make <prerequisite>`` line followed by what that one runs (three levels
    deep), so ``ci: lint test`` shows that ``make ci`` runs ``make test``."""
    text = project.text("Makefile") or project.text("makefile") or ""
    prereqs: dict[str, list[str]] = {}
    recipes: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+(?:\s+[A-Za-z0-9_.-]+)*)\s*:(?![=:])(.*)$", line)
        if m and not line.startswith("\t"):
            current = m.group(1).split()
            deps = m.group(2).split(";")[0].split()
            for name in current:
                prereqs.setdefault(name, []).extend(deps)
                recipes.setdefault(name, [])
        elif line.startswith("\t") and current:
            for name in current:
                recipes[name].append(line.strip())
        elif line.strip() and not line.startswith((" ", "#")):
            current = []

    def expand(name: str, depth: int) -> list[str]:
        out = list(recipes.get(name, []))
        if depth < 3:
            for dep in prereqs.get(name, []):
                out.append(f"make {dep}")
                out.extend(expand(dep, depth + 1))
        return out

    return {name: "\n".join(expand(name, 0)) for name in recipes}
