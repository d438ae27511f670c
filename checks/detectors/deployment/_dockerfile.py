"""A small Dockerfile reader: logical instructions (``\\`` continuations joined, comments left
out, heredoc bodies kept with their instruction), build stages, ``ARG`` defaults substituted
into ``FROM``, and image references split into name, tag and digest.

It follows the Dockerfile reference (https://docs.docker.com/reference/dockerfile/) far enough
for the deployment detectors; it never runs anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from checks.detector import Project
from checks.detectors.observability._facts import in_service_dir, is_dockerfile

_DIRECTIVE = re.compile(r"^#\s*escape\s*=\s*(\S)\s*$", re.IGNORECASE)
_HEREDOC = re.compile(r"<<-?\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?")
_VAR = re.compile(
    r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))"
)
DEV_TOKENS = frozenset({"dev", "development", "test", "tests", "testing", "local", "ci", "debug",
                         "devcontainer", "e2e", "playwright", "cypress", "selenium"})


@dataclass(frozen=True, slots=True)
class Instruction:
    """One logical instruction: upper-case keyword, arguments (continuations joined by a space),
    first and last physical line (1-based)."""

    keyword: str
    args: str
    line: int
    end_line: int


@dataclass(slots=True)
class Stage:
    """A build stage: its ``FROM`` instruction, the image it starts from (``ARG`` defaults
    substituted, None when a variable has no default in the file), its ``AS`` name, the index
    of the earlier stage it builds on (``FROM builder``), and its instructions after ``FROM``."""

    start: Instruction
    written: str
    image: str | None
    name: str | None
    parent: int | None
    instructions: list[Instruction] = field(default_factory=list)


@dataclass(slots=True)
class Dockerfile:
    """A parsed Dockerfile."""

    path: str
    instructions: list[Instruction]
    stages: list[Stage]

    def root_image(self, index: int) -> str | None:
        """The external image stage ``index`` ultimately starts from (following ``FROM
        <earlier stage>``), None when unknown."""
        seen: set[int] = set()
        stage = self.stages[index]
        while stage.parent is not None and stage.parent not in seen:
            seen.add(stage.parent)
            stage = self.stages[stage.parent]
        return stage.image

    def effective_user(self, index: int) -> tuple[str | None, Instruction | None]:
        """The user stage ``index`` runs as (its last ``USER``, else its parent stage's), and the
        ``USER`` instruction that set it; ``(None, None)`` when no stage sets one."""
        seen: set[int] = set()
        current: int | None = index
        while current is not None and current not in seen:
            seen.add(current)
            stage = self.stages[current]
            for ins in reversed(stage.instructions):
                if ins.keyword == "USER":
                    return ins.args.split()[0] if ins.args.split() else "", ins
            current = stage.parent
        return None, None


def parse(path: str, text: str) -> Dockerfile:
    """Parse ``text``; never raises (unknown syntax simply yields fewer instructions)."""
    instructions = list(_instructions(text))
    stages: list[Stage] = []
    args: dict[str, str | None] = {}
    for ins in instructions:
        if ins.keyword == "ARG" and not stages:
            for token in ins.args.split():
                name, eq, default = token.partition("=")
                args[name] = _unquote(default) if eq else None
        elif ins.keyword == "FROM":
            stages.append(_stage(ins, args, stages))
        elif stages:
            stages[-1].instructions.append(ins)
    return Dockerfile(path, instructions, stages)


def dockerfiles(project: Project) -> list[Dockerfile]:
    """The production Dockerfiles of the project (not those named or placed for development,
    tests or samples), parsed, in path order. Found once per review and shared by the
    detectors that ask (read only)."""
    return project.memo("deployment.dockerfiles", lambda: _dockerfiles(project))


def _dockerfiles(project: Project) -> list[Dockerfile]:
    out: list[Dockerfile] = []
    for path in sorted(project.tree.files):
        if not is_dockerfile(path) or not in_service_dir(path):
            continue
        parts = [p.lower() for p in path.split("/")]
        tokens = set(re.split(r"[._-]+", parts[-1])) | {p.strip(".") for p in parts[:-1]}
        if tokens & DEV_TOKENS or any(p in ("tests", "test") for p in parts[:-1]):
            continue
        text = project.text(path)
        if text is not None:
            out.append(parse(path, text))
    return out


def split_image(ref: str) -> tuple[str, str | None, str | None]:
    """``registry:5000/team/python:3.12-slim@sha256:..`` -> (name, tag, digest)."""
    name, _, digest = ref.partition("@")
    tag: str | None = None
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name, tag = name[:colon], name[colon + 1:]
    return name, tag, digest or None


def is_nonroot_image(image: str) -> bool:
    """Base images known to run as a non-root user by default."""
    name, tag, _ = split_image(image)
    return (
        "nonroot" in (tag or "")
        or name.startswith(("cgr.dev/chainguard/", "bitnami/", "docker.io/bitnami/"))
    )


def _stage(ins: Instruction, args: dict[str, str | None], earlier: list[Stage]) -> Stage:
    tokens = [t for t in ins.args.split() if not t.startswith("--")]
    written = tokens[0] if tokens else ""
    name = tokens[2].lower() if len(tokens) >= 3 and tokens[1].lower() == "as" else None
    image = _substitute(written, args)
    parent = None
    if image is not None:
        for i, stage in enumerate(earlier):
            if stage.name is not None and stage.name == image.lower():
                parent = i
    return Stage(ins, written, image, name, parent)


def _substitute(value: str, args: dict[str, str | None]) -> str | None:
    unknown = False

    def repl(m: re.Match[str]) -> str:
        nonlocal unknown
        var = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3) or ""
        current = args.get(var)
        if current is None:
            # Set only at build time (no default in the file): the image is not knowable,
            # even with a ${VAR:-fallback} (the build may always pass it).
            unknown = True
            return ""
        if op == "-":
            return current if current else word
        if op == "+":
            return word if current else ""
        return current

    out = _VAR.sub(repl, value)
    return None if unknown else out


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _instructions(text: str) -> Iterator[Instruction]:
    lines = text.splitlines()
    escape = "\\"
    for raw in lines[:5]:
        m = _DIRECTIVE.match(raw.strip())
        if m:
            escape = m.group(1)
            break
        if not raw.startswith("#"):
            break
    i = 0
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        i += 1
        if not stripped or stripped.startswith("#"):
            continue
        start = i
        parts: list[str] = []
        current = stripped
        while current.endswith(escape):
            parts.append(current[: -len(escape)].strip())
            while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
                i += 1
            if i >= len(lines):
                current = ""
                break
            current = lines[i].strip()
            i += 1
        parts.append(current)
        joined = " ".join(p for p in parts if p)
        keyword, _, args = joined.partition(" ")
        end = i
        heredoc = _HEREDOC.search(args) if keyword.upper() in ("RUN", "COPY", "ADD") else None
        if heredoc is not None:
            word = heredoc.group(1)
            body: list[str] = []
            while i < len(lines) and lines[i].strip() != word:
                body.append(lines[i])
                i += 1
            i += 1
            end = min(i, len(lines))
            args = args + "\n" + "\n".join(body)
        yield Instruction(keyword.upper(), args.strip(), start, end)

