"""One Python source file, decoded and parsed once, shared by every detector.

Decoding follows PEP 263 (coding cookie) and PEP 3120 (UTF-8 default), BOM included, via
:func:`importlib.util.decode_source`. A file that cannot be decoded or parsed (Python 2 syntax,
syntax newer than the running interpreter, NUL bytes, recursion too deep) yields a
:class:`~checks.model.Note` instead of a :class:`PyFile`; the review goes on.
"""

from __future__ import annotations

import ast
import importlib.util
import posixpath
import warnings
from dataclasses import dataclass, field
from typing import Any, TypeVar

from checks import traversal
from checks.model import Note

_TEST_DIRS = frozenset({"tests", "test", "testing"})


def is_test_path(path: str) -> bool:
    """True for test code: a ``tests``/``test`` folder, ``test_*.py``, ``*_test.py``,
    ``conftest.py`` (pytest's discovery rules,
    https://docs.pytest.org/en/stable/explanation/goodpractices.html) and Django's per-app
    ``tests.py``."""
    parts = path.split("/")
    name = parts[-1]
    return (
        any(p in _TEST_DIRS for p in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name in ("conftest.py", "tests.py")
    )


def is_migration_path(path: str) -> bool:
    """True for Django (``migrations/``) and Alembic (``versions/``, ``alembic/``) migrations."""
    parts = path.split("/")
    return "migrations" in parts[:-1] or "alembic" in parts[:-1] or (
        len(parts) > 1 and parts[-2] == "versions"
    )


@dataclass(slots=True)
class PyFile:
    """A parsed Python file.

    ``imports`` maps each name bound by an import anywhere in the file to what it refers to:
    ``import a.b`` binds ``a`` -> ``a``; ``import a.b as x`` binds ``x`` -> ``a.b``;
    ``from a import b`` binds ``b`` -> ``a.b``; relative imports keep their leading dots.
    """

    path: str
    text: str
    tree: ast.Module
    imports: dict[str, str] = field(default_factory=dict)
    is_test: bool = False
    is_migration: bool = False
    memo: dict[str, Any] = field(default_factory=dict)
    _lines: list[str] | None = None
    _index: dict[type[ast.AST], list[ast.AST]] | None = None
    _modules: frozenset[str] | None = None
    _module_name: str | None = None

    @property
    def lines(self) -> list[str]:
        """The source split into lines (index 0 is line 1), computed on first use."""
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def line(self, lineno: int) -> str:
        """Text of 1-based line ``lineno``, or ``""`` when out of range."""
        lines = self.lines
        return lines[lineno - 1] if 0 < lineno <= len(lines) else ""

    def nodes(self, *types: type[_N]) -> list[_N]:
        """Every node of the given ``ast`` types in the file, in source order.

        The index behind it comes from the review's traversal of the file (or, when asked for
        before it, from a walk of its own): use this instead of ``ast.walk`` in
        ``end_file``/``finish`` hooks and helpers (a review of 2,000 files must not walk each
        tree once per detector). Expression contexts and operators are not indexed (see
        :mod:`checks.traversal`).
        """
        index = self._index
        if index is None:
            index = self._index = traversal.index(self.tree)
        if len(types) == 1:
            return index.get(types[0], [])  # type: ignore[return-value]
        out: list[_N] = []
        for t in types:
            out.extend(index.get(t, []))  # type: ignore[arg-type]
        out.sort(key=_position)
        return out

    def keep_index(self, index: traversal.Index) -> None:
        """Adopt ``index``, the nodes by type a full :func:`checks.traversal.walk` of this
        file's tree returned, unless the file already has one."""
        if self._index is None:
            self._index = index

    @property
    def module_name(self) -> str:
        """Dotted module name from the path (``app/api/users.py`` -> ``app.api.users``)."""
        name = self._module_name
        if name is None:
            stem = self.path[:-3] if self.path.endswith(".py") else self.path
            if posixpath.basename(stem) == "__init__":
                stem = posixpath.dirname(stem)
            name = self._module_name = stem.replace("/", ".")
        return name

    def imports_module(self, *prefixes: str) -> bool:
        """True when the file imports any module equal to or under one of ``prefixes``."""
        modules = self._modules
        if modules is None:
            found: set[str] = set()
            for target in self.imports.values():
                found.add(target)
                at = target.find(".")
                while at != -1:
                    found.add(target[:at])  # "a" and "a.b" of "a.b.c"
                    at = target.find(".", at + 1)
            modules = self._modules = frozenset(found)
        return any(p in modules for p in prefixes)


_N = TypeVar("_N", bound=ast.AST)


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


MAX_PYTHON_BYTES = 2 * 1024 * 1024
MAX_LINE_CHARS = 100_000


def parse(path: str, data: bytes) -> PyFile | Note:
    """Decode and parse ``data``; a :class:`Note` of kind ``"parse"`` says why it failed.

    Files over :data:`MAX_PYTHON_BYTES` or with a line over :data:`MAX_LINE_CHARS` are generated
    code (data tables, minified bundles): they are not parsed, since CPython's parser can take
    seconds on one, and a note says so.
    """
    if len(data) > MAX_PYTHON_BYTES:
        return Note("parse", f"not reviewed: {len(data):,} bytes is over the "
                             f"{MAX_PYTHON_BYTES:,}-byte cap for Python files (generated code?)",
                    path)
    longest = max(map(len, data.split(b"\n")))
    if longest > MAX_LINE_CHARS:
        return Note("parse", f"not reviewed: looks generated (a line of {longest:,} bytes)", path)
    try:
        text = importlib.util.decode_source(data)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        return Note("parse", f"not reviewed: cannot decode ({_short(exc)})", path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning on odd escapes is the file's business
            tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        where = f" at line {exc.lineno}" if exc.lineno else ""
        return Note("parse", f"not reviewed: syntax error{where} ({exc.msg})", path)
    except (ValueError, RecursionError, MemoryError) as exc:
        return Note("parse", f"not reviewed: cannot parse ({_short(exc)})", path)
    imports = _imports(tree)
    return PyFile(
        path=path,
        text=text,
        tree=tree,
        imports=imports,
        is_test=is_test_path(path),
        is_migration=is_migration_path(path) or _is_alembic_script(imports),
    )


def _is_alembic_script(imports: dict[str, str]) -> bool:
    """An Alembic revision script imports ``alembic.op`` whatever folder it lives in."""
    return imports.get("op") == "alembic.op"


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _imports(tree: ast.Module) -> dict[str, str]:
    """Import bindings of the module body, including those nested in ``if``/``try`` blocks and
    functions (one cheap pass over statements only, not expressions)."""
    out: dict[str, str] = {}
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    out[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    out.setdefault(top, top)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name == "*":
                    continue
                sep = "" if base.endswith(".") or not base else "."
                out[alias.asname or alias.name] = f"{base}{sep}{alias.name}"
        else:
            for name in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, name, None)
                if children:
                    stack.extend(children)
    return out
