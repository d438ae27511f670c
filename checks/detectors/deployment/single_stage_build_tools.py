"""Single-stage Dockerfile that ships its build toolchain.

## What it flags
A Dockerfile with one ``FROM`` (no build stage) that installs compilers or build dependencies
(``gcc``, ``g++``, ``build-essential``, ``build-base``, ``cmake``, ``cargo``, ``*-dev`` and
``*-devel`` packages) with apt, apk, yum or dnf, or installs a packaging tool
(``poetry``, ``pipenv``, ``pdm``, ``hatch``, ``pip-tools``) with pip, and does not remove them in
the same ``RUN``. The finding sits on the ``FROM`` line.

## Why it matters
Whatever is needed only to build wheels then ships in the runtime image: hundreds of megabytes
more to pull on every deploy and scale-out, and more packages for scanners to report and
attackers to use (DEPLOY-01).

## Example
```dockerfile
FROM python:3.12-slim
RUN apt-get update && apt-get install -y build-essential libpq-dev
RUN pip install poetry && poetry install --only main
```

## Use instead
```dockerfile
FROM python:3.12-slim AS build
RUN apt-get update && apt-get install -y build-essential libpq-dev
RUN pip wheel --wheel-dir /wheels -r requirements.txt

FROM python:3.12-slim
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*
```

## References
- Docker multi-stage builds: https://docs.docker.com/build/building/multi-stage/
- Dockerfile best practices: https://docs.docker.com/build/building/best-practices/
"""

from __future__ import annotations

import re

from checks.detector import Detector, Project
from checks.detectors.deployment._dockerfile import Instruction, dockerfiles
from checks.detectors.deployment.unpinned_base_image import NO_DOCKERFILE

_OS_INSTALL = re.compile(
    r"\b(apt-get|apt|apk|yum|dnf|microdnf)\s+(?:-\S+\s+)*(install|add)\b([^;&|]*)"
)
_OS_REMOVE = re.compile(
    r"\b(apt-get|apt|apk|yum|dnf)\s+(?:-\S+\s+)*(purge|remove|del|autoremove)\b"
)
_PIP_INSTALL = re.compile(r"\bpip3?\s+install\b([^;&|]*)")
_TOOLCHAIN = frozenset({"gcc", "g++", "build-essential", "build-base", "cmake", "clang", "cargo",
                        "rustc", "gfortran", "autoconf", "automake", "libtool"})
_PACKAGERS = frozenset({"poetry", "pipenv", "pdm", "hatch", "pip-tools"})


def build_tools(run: Instruction) -> list[str]:
    """Build tools a ``RUN`` installs and does not remove in the same instruction."""
    found: list[str] = []
    for m in _OS_INSTALL.finditer(run.args):
        for token in m.group(3).split():
            package = token.split("=")[0]
            if package.startswith("-"):
                continue
            if package in _TOOLCHAIN or package.endswith(("-dev", "-devel")):
                found.append(package)
    if found and _OS_REMOVE.search(run.args):
        found = []
    for m in _PIP_INSTALL.finditer(run.args):
        for token in m.group(1).split():
            package = re.split(r"[=<>~!\[]", token)[0].lower()
            if package in _PACKAGERS:
                found.append(package)
    return found


class SingleStageBuildTools(Detector):
    """Flags single-stage Dockerfiles that install build tooling (see module docstring)."""

    slug = "single-stage-build-tools"
    items = ("DEPLOY-01",)

    def finish(self, project: Project) -> None:
        files = dockerfiles(project)
        if not files:
            self.not_applicable("DEPLOY-01", NO_DOCKERFILE)
            return
        for df in files:
            if len(df.stages) > 1:
                self.evidence("DEPLOY-01", f"{df.path} is a multi-stage build "
                                           f"({len(df.stages)} stages)")
                continue
            if not df.stages:
                continue
            stage = df.stages[0]
            tools: list[str] = []
            for ins in stage.instructions:
                if ins.keyword == "RUN":
                    tools.extend(t for t in build_tools(ins) if t not in tools)
            if not tools:
                continue
            shown = ", ".join(f"`{t}`" for t in tools[:5]) + (" ..." if len(tools) > 5 else "")
            self.report(
                "DEPLOY-01", df.path, stage.start.line,
                f"Single-stage image installs build tooling ({shown}) that ships to production",
                "Build wheels (or the virtualenv) in a `FROM ... AS build` stage and copy only "
                "the result into a slim final stage.",
                key=f"{self.slug}:{','.join(sorted(tools))}",
            )
