"""Reading a project's documentation: where the README is, its headings (Markdown and
reStructuredText), the documentation files, and which topic a heading is about."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from checks.detector import Project

_README_ORDER = ("readme.md", "readme.rst", "readme.markdown", "readme.txt", "readme")
_DOC_DIRS = frozenset({"docs", "doc", "documentation", "wiki", "handbook", "runbooks"})
_DOC_SUFFIXES = (".md", ".rst", ".txt", ".markdown", ".adoc")

# Topics a README section can be about, each as a regex over the heading's words.
TOPICS: dict[str, re.Pattern[str]] = {
    "installation": re.compile(
        r"\b(install\w*|set\s*-?\s*up|setting up|getting started|get started|quick\s*-?\s*start"
        r"|prerequisites?|requirements|local development|development environment"
        r"|dev(elopment)? setup|building|bootstrap\w*)\b", re.I),
    "usage": re.compile(
        r"\b(usage|using|how to use|run|running|runs|start\w*|launch\w*|quick\s*-?\s*start"
        r"|getting started|examples?|serv(e|ing)|commands?)\b"
        r"|^(api|endpoints|cli)\b", re.I),
    "configuration": re.compile(
        r"\b(config\w*|settings|environment|env vars?|env variables|variables|options"
        r"|\.env|secrets)\b", re.I),
    "testing": re.compile(r"\b(test\w*|qa)\b", re.I),
    "deployment": re.compile(
        r"\b(deploy\w*|production|releas\w*|hosting|hosted|operations|ops|kubernetes|k8s|helm"
        r"|heroku|shipping|rollout|provisioning|infrastructure|ci/cd)\b", re.I),
    "contributing": re.compile(r"\b(contribut\w*|development workflow|pull requests?)\b", re.I),
}

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}\s*$")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)([^*_].*?)\1:?\s*$")
_HTML = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.I)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


@dataclass(frozen=True, slots=True)
class Heading:
    """A section title: its 1-based line and its text (markup stripped)."""

    line: int
    text: str


def find_readme(project: Project) -> str | None:
    """The README at the repository root (Markdown first), else the shallowest one, or None
    (looked for once per review)."""
    return project.memo("documentation.readme", lambda: _find_readme(project.tree.paths))


def _find_readme(paths: list[str]) -> str | None:
    by_name: dict[str, str] = {}
    for path in paths:
        if "/" not in path:
            by_name.setdefault(path.lower(), path)
    for name in _README_ORDER:
        if name in by_name:
            return by_name[name]
    nested = [p for p in paths
              if p.count("/") == 1 and posixpath.basename(p).lower().startswith("readme")
              and not p.lower().startswith(("docs/", "doc/", "tests/", ".github/"))]
    return nested[0] if nested else None


def headings(text: str) -> list[Heading]:
    """Section titles of a Markdown or reStructuredText document, outside code blocks."""
    out: list[Heading] = []
    lines = text.splitlines()
    in_fence = False
    for i, line in enumerate(lines):
        prev = lines[i - 1].strip() if i else ""
        underline = (re.search(r"\w", prev) and _RST_UNDERLINE.match(line.strip())
                     and len(line.strip()) >= len(prev))
        if _FENCE.match(line) and not (underline and not in_fence):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = _ATX.match(line)
        if m:
            out.append(Heading(i + 1, _clean(m.group(2))))
            continue
        m = _BOLD_LINE.match(line)
        if m and len(m.group(2)) <= 60:
            out.append(Heading(i + 1, _clean(m.group(2))))
            continue
        for h in _HTML.findall(line):
            out.append(Heading(i + 1, _clean(h)))
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        title = line.strip()
        if title and not title.startswith(("<", "|", "-", "*", "!", "[", ">", "..")) and (
            (_SETEXT.match(nxt) and not line.startswith(" "))
            or (_RST_UNDERLINE.match(nxt.strip()) and len(nxt.strip()) >= len(title) - 1)
        ):
            out.append(Heading(i + 1, _clean(title)))
    return out


def _clean(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text.strip(" *_`:#").strip()


def topic_heading(heads: list[Heading], topic: str) -> Heading | None:
    """The first heading about ``topic`` (a key of :data:`TOPICS`), or None."""
    pattern = TOPICS[topic]
    for h in heads:
        if pattern.search(h.text):
            return h
    return None


def file_headings(project: Project, path: str) -> list[Heading]:
    """:func:`headings` of the held file ``path`` (none when it is not held), read once per
    review: several detectors look for their topic in the same documents."""
    cache: dict[str, list[Heading]] = project.memo("documentation.headings", dict)
    found = cache.get(path)
    if found is None:
        found = cache[path] = headings(project.text(path) or "")
    return found


def doc_files(project: Project) -> list[str]:
    """Documentation files held in the tree: Markdown/reST/text files under a docs folder or at
    the root (README included), sorted (listed once per review: do not change the list)."""
    return project.memo("documentation.doc_files", lambda: _doc_files(project.tree.files))


def _doc_files(files: dict[str, bytes]) -> list[str]:
    out = []
    for path in sorted(files):
        lower = path.lower()
        if not lower.endswith(_DOC_SUFFIXES) and posixpath.basename(lower) != "readme":
            continue
        parts = lower.split("/")
        if posixpath.basename(lower).startswith(("requirements", "license", "changelog")):
            continue
        if len(parts) == 1 or any(p in _DOC_DIRS for p in parts[:-1]) or (
            len(parts) == 2 and parts[0] == ".github"
        ):
            out.append(path)
    return out


def doc_paths(project: Project) -> list[str]:
    """Every path (held or not) under a docs folder, sorted (listed once per review: do not
    change the list)."""
    return project.memo("documentation.doc_paths", lambda: [
        p for p in project.tree.paths
        if "/" in p and not _DOC_DIRS.isdisjoint(p.lower().split("/")[:-1])])


def find_topic(project: Project, topic: str, name_words: tuple[str, ...]
               ) -> tuple[str, int, str] | None:
    """Where the documentation covers ``topic``: a heading about it in the README, else a
    documentation file whose name holds one of ``name_words``, else a heading about it in
    another documentation file. Returns ``(path, line, what)`` or None."""
    readme = find_readme(project)
    files = doc_files(project)
    if readme is not None:
        h = topic_heading(file_headings(project, readme), topic)
        if h is not None:
            return readme, h.line, f"section {h.text!r}"
    for path in [*files, *doc_paths(project)]:
        if any(w in part for w in name_words for part in _doc_name_parts(path)):
            return path, 0, "document"
    for path in files:
        if path == readme:
            continue
        h = topic_heading(file_headings(project, path), topic)
        if h is not None:
            return path, h.line, f"section {h.text!r}"
    return None


def _doc_name_parts(path: str) -> list[str]:
    """The file's stem and the folders below the docs folder (``docs/contributing/index.md``
    -> ``["contributing", "index"]``), lower-cased."""
    parts = path.lower().split("/")
    below = [p for p in parts[:-1] if p not in _DOC_DIRS]
    return [*below, parts[-1].rsplit(".", 1)[0]]


def readme_command(project: Project, pattern: re.Pattern[str]) -> tuple[str, int, str] | None:
    """The first match of ``pattern`` in the README: ``(path, line, matched text)``, or None
    when there is no README or no match."""
    readme = find_readme(project)
    text = project.text(readme) if readme is not None else None
    if readme is None or text is None:
        return None
    m = pattern.search(text)
    if m is None:
        return None
    return readme, text.count("\n", 0, m.start()) + 1, m.group(0)


def readme_location(project: Project) -> tuple[str, int]:
    """Where a project-level documentation finding goes: line 1 of the README, or the
    project as a whole when there is none."""
    readme = find_readme(project)
    return (readme, 1) if readme is not None else ("", 0)
