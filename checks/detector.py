"""The detector protocol: what a detector sees and how it reports.

A detector is a class named after the problem it flags, in a module of the same name under
``checks/detectors/<domain>/``. It declares the items it decides (``items``) and a ``slug``, and
implements any of:

- ``visit_<NodeType>(self, node, ctx)``: called for every node of that ``ast`` type in every
  Python file, during the single traversal the engine makes of each file (all detectors share it,
  see :mod:`checks.traversal`); a detector that sets ``calls`` (``attributes``) gets in
  ``visit_Call`` (``visit_Attribute``) only the calls (attributes) of those names;
- ``start_file(self, ctx)`` / ``end_file(self, ctx)``: around each file's traversal;
- ``finish(self, project)``: once, after all files, for project-wide decisions.

It reports with :meth:`Detector.report` (a finding), :meth:`Detector.not_applicable` (the item
does not apply to this project, with the reason) and :meth:`Detector.evidence` (why it passed).
A fresh instance is made for every review, so detectors may keep state between calls.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, TypeVar

from checks.config import Config
from checks.diff import Diff
from checks.model import Severity
from checks.pyfile import PyFile
from checks.source import SourceTree
from checks.traversal import NOT_DISPATCHED

ScopeNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


@dataclass(slots=True)
class FileContext:
    """Where the traversal is: the file, the enclosing functions and classes (innermost last)
    and how many loops enclose the node within the innermost function."""

    file: PyFile
    functions: list[ScopeNode] = field(default_factory=list)
    classes: list[ast.ClassDef] = field(default_factory=list)
    loop_depth: int = 0

    @property
    def path(self) -> str:
        """The file's path."""
        return self.file.path

    @property
    def function(self) -> ScopeNode | None:
        """The innermost enclosing function or lambda, or None at module or class level."""
        return self.functions[-1] if self.functions else None

    @property
    def in_async(self) -> bool:
        """True when the innermost enclosing function is an ``async def``."""
        return bool(self.functions) and isinstance(self.functions[-1], ast.AsyncFunctionDef)

    @property
    def in_loop(self) -> bool:
        """True when a ``for``/``while`` body or a comprehension encloses the node (within the
        innermost function)."""
        return self.loop_depth > 0


@dataclass(frozen=True, slots=True)
class RawFinding:
    """A finding as a detector reports it; the engine adds fingerprint and placement."""

    item_id: str
    detector: str
    path: str
    start_line: int
    end_line: int
    message: str
    hint: str
    severity: Severity | None = None
    key: str = ""


_T = TypeVar("_T")
_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


class Project:
    """What ``finish`` sees: the tree, the parsed Python files, the diff and the config."""

    def __init__(self, tree: SourceTree, python: dict[str, PyFile], diff: Diff, config: Config,
                 full: bool) -> None:
        self.tree = tree
        self.python = python
        self.diff = diff
        self.config = config
        self.full = full
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, factory: Callable[[], _T]) -> _T:
        """``factory()``, computed once per review under ``key`` and shared by all detectors
        (project-wide facts such as routes or models: compute them once, not per detector).

        A value must not refer back to this project (a reference cycle leaves every syntax tree
        of the review to the garbage collector); ``tests/test_engine.py`` checks it
        (``test_a_review_keeps_no_syntax_tree_alive``)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]  # type: ignore[no-any-return]

    def service_files(self) -> Iterator[PyFile]:
        """Python files that are not tests nor migrations, in path order."""
        for path in sorted(self.python):
            f = self.python[path]
            if not f.is_test and not f.is_migration:
                yield f

    @cached_property
    def imported_modules(self) -> frozenset[str]:
        """Top-level names of every module imported by non-test code (``sqlalchemy``, ``app``)."""
        out: set[str] = set()
        for f in self.service_files():
            for target in f.imports.values():
                if not target.startswith("."):
                    out.add(target.split(".", 1)[0])
        return frozenset(out)

    @cached_property
    def dependencies(self) -> frozenset[str]:
        """Normalised names (PEP 503: lower-case, ``_``/``.`` as ``-``) of every dependency
        declared in requirements*.txt, pyproject.toml (PEP 621 and Poetry) or a Pipfile."""
        names: set[str] = set()
        for path, data in self.tree.files.items():
            base = path.rsplit("/", 1)[-1].lower()
            in_req_dir = "/requirements/" in f"/{path}"
            if (base.startswith("requirements") or in_req_dir) and base.endswith((".txt", ".in")):
                text = data.decode("utf-8", errors="replace")
                for line in text.splitlines():
                    line = line.split("#", 1)[0].strip()
                    if line and not line.startswith("-"):
                        m = _REQ_NAME.match(line)
                        if m:
                            names.add(m.group(1))
            elif base in ("pyproject.toml", "pipfile"):
                names.update(_toml_dependencies(data.decode("utf-8", errors="replace")))
        return frozenset(_normalise(n) for n in names)

    def uses(self, *names: str) -> bool:
        """True when any of ``names`` is imported by service code or declared as a dependency
        (import names and distribution names are both tried, normalised)."""
        imported = self.imported_modules
        deps = self.dependencies
        return any(n in imported or _normalise(n) in deps for n in names)

    def text(self, path: str) -> str | None:
        """A non-Python file's text (see :meth:`SourceTree.text`)."""
        return self.tree.text(path)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _toml_dependencies(text: str) -> set[str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return set()
    out: set[str] = set()
    project = data.get("project", {})
    deps: list[Any] = list(project.get("dependencies", []) or [])
    for extra in (project.get("optional-dependencies", {}) or {}).values():
        deps.extend(extra or [])
    for group in (data.get("dependency-groups", {}) or {}).values():
        deps.extend(d for d in group or [] if isinstance(d, str))
    for dep in deps:
        if isinstance(dep, str):
            m = _REQ_NAME.match(dep)
            if m:
                out.add(m.group(1))
    poetry = data.get("tool", {}).get("poetry", {})
    for key in ("dependencies", "dev-dependencies"):
        out.update(k for k in (poetry.get(key, {}) or {}) if k.lower() != "python")
    for group in (poetry.get("group", {}) or {}).values():
        out.update((group or {}).get("dependencies", {}) or {})
    for key in ("packages", "dev-packages"):  # Pipfile
        out.update(data.get(key, {}) or {})
    return out


Handler = Callable[[Any, FileContext], None]


class Detector:
    """Base class of all detectors; see the module docstring for the protocol."""

    slug: ClassVar[str]
    items: ClassVar[tuple[str, ...]]
    calls: ClassVar[frozenset[str] | None] = None
    """When set, ``visit_Call`` receives only the calls whose function's last name is one of
    these (``execute`` for ``cur.execute(...)``, ``open`` for ``open(...)``, ``run`` for
    ``sp_run(...)`` after ``from subprocess import run as sp_run``); calls of anything else
    (``f()()``, ``handlers[0]()``) never reach it. The engine looks the name up once per
    call instead of calling every detector's handler on each of a large tree's calls."""
    attributes: ClassVar[frozenset[str] | None] = None
    """When set, ``visit_Attribute`` receives only the attributes of these names (``objects``
    for ``User.objects``)."""

    def __init__(self) -> None:
        self.findings: list[RawFinding] = []
        self.not_applicable_items: dict[str, str] = {}
        self.evidence_lines: dict[str, list[str]] = {}

    # -- hooks -------------------------------------------------------------------------------
    def start_file(self, ctx: FileContext) -> bool | None:
        """Called before a file's traversal. Return ``False`` to receive none of this file's
        nodes (nor ``end_file``): a cheap pre-test that spares the traversal calling the
        detector's handlers on a file that cannot matter to it."""
        return None

    def end_file(self, ctx: FileContext) -> None:
        """Called after a file's traversal."""

    def finish(self, project: Project) -> None:
        """Called once after every file was traversed."""

    # -- reporting ---------------------------------------------------------------------------
    def report(self, item_id: str, path: str, line: int, message: str, hint: str, *,
               end_line: int | None = None, severity: Severity | None = None,
               key: str = "") -> None:
        """Record a finding on ``path`` lines ``line``..``end_line`` (0 for the whole file).

        ``key``, when given, replaces the flagged source text in the fingerprint; use it when the
        finding is about something other than the text at that line (a missing file, say).
        """
        self.findings.append(
            RawFinding(item_id, self.slug, path, line, end_line if end_line else line,
                       message, hint, severity, key)
        )

    def report_node(self, item_id: str, ctx: FileContext, node: ast.AST, message: str,
                    hint: str, *, severity: Severity | None = None, key: str = "") -> None:
        """Record a finding spanning ``node``'s lines in the current file."""
        start = getattr(node, "lineno", 0)
        end = getattr(node, "end_lineno", None) or start
        self.report(item_id, ctx.path, start, message, hint, end_line=end, severity=severity,
                    key=key)

    def not_applicable(self, item_id: str, reason: str) -> None:
        """Say ``item_id`` does not apply to this project, and why."""
        self.not_applicable_items[item_id] = reason

    def evidence(self, item_id: str, text: str) -> None:
        """Say what was found in favour of ``item_id`` (shown with a pass)."""
        self.evidence_lines.setdefault(item_id, []).append(text)

    # -- dispatch ----------------------------------------------------------------------------
    @classmethod
    def node_handlers(cls) -> dict[type[ast.AST], str]:
        """``{ast.Call: "visit_Call", ...}`` for every ``visit_<NodeType>`` method defined."""
        out: dict[type[ast.AST], str] = {}
        for name in dir(cls):
            if name.startswith("visit_"):
                node_type = getattr(ast, name[len("visit_"):], None)
                if not (isinstance(node_type, type) and issubclass(node_type, ast.AST)):
                    raise TypeError(f"{cls.__name__}.{name}: ast has no node type of that name")
                if issubclass(node_type, NOT_DISPATCHED):
                    raise TypeError(f"{cls.__name__}.{name}: {node_type.__name__} nodes are not "
                                    "visited on their own (see checks.traversal)")
                out[node_type] = name
        return out
