"""No architecture diagram in the repository.

## What it flags
A repository with no diagram: no diagram source (``.drawio``, ``.mmd``, ``.puml``/``.plantuml``,
``.excalidraw``, Structurizr ``.dsl``, Graphviz ``.dot``/``.gv``), no image in a docs folder
(logos, icons, badges and screenshots aside) nor any image named for an architecture
(``architecture``, ``diagram``, ``overview``, ``c4``, ``topology``, ``sequence``...), and no
Mermaid/PlantUML/Graphviz block (```` ```mermaid ````, ``@startuml``, ``.. mermaid::``) in any
Markdown or reST file. One finding, on the README's first line (or on the project).

## Why it matters
Components, data stores, queues and external dependencies, and how requests flow between them,
are what a reviewer, a new engineer and an incident responder need first; prose alone hides the
boundaries (DOC-02). A diagram kept as text (Mermaid, PlantUML, Structurizr) is reviewed and
versioned with the code. Heuristic: an image in ``docs/`` may not be an architecture diagram.

## Example
```text
README.md  app/  tests/      # no picture of the system anywhere
```

## Use instead
````markdown
```mermaid
flowchart LR
  client --> api[Orders API] --> db[(Postgres)]
  api --> queue[[Redis queue]] --> worker[Worker]
```
````

## References
- The C4 model: https://c4model.com/
- GitHub Docs, Creating diagrams (Mermaid in Markdown): https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams
"""

from __future__ import annotations

import re

from checks.detector import Detector, Project
from checks.detectors.documentation._common import readme_location

_SOURCES = (".drawio", ".dio", ".mmd", ".mermaid", ".puml", ".plantuml", ".pu", ".excalidraw",
            ".dsl", ".dot", ".gv", ".graphml", ".vsdx", ".c4")
_IMAGES = (".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp")
_DOC_DIRS = frozenset({"docs", "doc", "documentation", "diagrams", "architecture", "adr",
                       "design"})
_DIAGRAM_NAME = re.compile(r"arch|diagram|overview|c4|topolog|sequence|component|infra|"
                           r"flow|system|design|context|container|deployment", re.I)
_NOT_DIAGRAM = re.compile(r"logo|icon|favicon|banner|badge|screenshot|screen_?shot|avatar", re.I)
_SKIP_DIRS = frozenset({"node_modules", ".venv", "venv", "site-packages", "static", "assets",
                        "tests", "test", "fixtures", "templates", "media", "branding", "brand",
                        "logos", "icons", "screenshots"})
_BLOCKS = re.compile(r"^[ \t]*(```+[ \t]*\{?(mermaid|plantuml|puml|dot|graphviz|d2)\b|@startuml"
                     r"|\.\. (mermaid|uml|graphviz|plantuml|diagrams?)::)", re.M | re.I)


class ArchitectureDiagramMissing(Detector):
    """Flags a repository with no architecture diagram (see module docstring)."""

    slug = "architecture-diagram-missing"
    items = ("DOC-02",)

    def finish(self, project: Project) -> None:
        if not project.python:
            self.not_applicable("DOC-02", "no Python code")
            return
        found = _diagram_file(project.tree.paths) or _diagram_block(project)
        if found is not None:
            self.evidence("DOC-02", found)
            return
        path, line = readme_location(project)
        self.report(
            "DOC-02", path, line,
            "no architecture diagram: no diagram file, no image in docs/, no Mermaid or "
            "PlantUML block in the documentation",
            "Add a diagram of the components, data stores and external dependencies, ideally as "
            "text that lives with the code (a ```mermaid block in README.md or "
            "docs/architecture.md, or a C4/Structurizr model).",
            key="no-architecture-diagram",
        )


def _diagram_file(paths: list[str]) -> str | None:
    for path in paths:
        lower = path.lower()
        parts = lower.split("/")
        base = parts.pop()  # parts: the folders
        if parts and not _SKIP_DIRS.isdisjoint(parts):
            continue
        if base.endswith(_SOURCES):
            return f"diagram source {path}"
        if not base.endswith(_IMAGES) or _NOT_DIAGRAM.search(base):
            continue
        if _DIAGRAM_NAME.search(base) or not _DOC_DIRS.isdisjoint(parts):
            return f"diagram image {path}"
    return None


def _diagram_block(project: Project) -> str | None:
    for path in sorted(project.tree.files):
        if not path.lower().endswith((".md", ".rst", ".markdown")):
            continue
        text = project.text(path) or ""
        m = _BLOCKS.search(text)
        if m:
            line = text.count("\n", 0, m.start()) + 1
            return f"diagram block {m.group(0).strip()!r} at {path}:{line}"
    return None
