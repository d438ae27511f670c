"""Cheap ways to find syntax in one file without walking its whole tree, shared by the API,
resilience, observability, deployment and code detectors.

- :func:`statements`: every statement of a file with its depth, from one pass over statement
  blocks only (about a sixth of the nodes); functions, classes and imports can only be
  statements, so this is also how :func:`definitions` finds every ``def`` and ``class``;
- :func:`walk_order`: nodes found in source order (``PyFile.nodes``, :func:`statements`) put in
  the order ``ast.walk`` yields them (breadth first), for results that depend on which of
  several nodes ``ast.walk`` meets first;
- :func:`import_tops`, :func:`module_tops`, :func:`star_imports`: what the file imports, to
  skip at once the files that cannot hold what a detector looks for;
- :func:`walked`: the nodes under one function or statement in ``ast.walk`` order, listed once
  and shared (several API detectors read every request handler);
- :func:`names_main`: whether the text names ``__main__`` and ``__name__`` (a script's guard),
  which several detectors ask of the same files.

Everything is memoised in ``PyFile.memo``, so the detectors that ask share the work.
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Iterator, Sequence

from checks.pyfile import PyFile

DefNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef

_STATEMENTS = "syntax.statements"
_DEPTHS = "syntax.depths"
_RANK = "syntax.walk_rank"
_TOPS = "syntax.import_tops"
_STARS = "syntax.star_modules"
_MODULE_TOPS = "syntax.module_tops"
_NAMES_MAIN = "syntax.names_main"
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _block_statements(body: list[ast.stmt], blocks_of: dict[type[ast.AST], tuple[str, ...]]
                      ) -> Iterator[tuple[ast.stmt, int]]:
    """The statements of ``body`` and, in pre-order, of the blocks ``blocks_of`` names for each
    statement's class, with their depth (see :func:`statements`)."""
    stack: list[tuple[ast.stmt, int]] = [(s, 1) for s in reversed(body)]
    pop, extend = stack.pop, stack.extend
    while stack:
        node, depth = pop()
        yield node, depth
        names = blocks_of.get(node.__class__)
        if names is None:
            continue
        for name in names:  # reversed field order: the first block comes out first
            block = getattr(node, name)
            if not block:
                continue
            if name == "handlers" or name == "cases":  # except/case clauses, then bodies
                for part in reversed(block):
                    inner = depth + 2
                    extend([(child, inner) for child in reversed(part.body)])
            else:
                inner = depth + 1
                extend([(child, inner) for child in reversed(block)])


def statements(f: PyFile) -> list[tuple[ast.stmt, int]]:
    """Every statement of ``f`` in source (pre-order) order, with its depth as ``ast.walk``
    counts it: the module's own statements are at depth 1, those of an ``if`` at depth 1 at
    depth 2, those of an ``except`` or ``case`` block two below their ``try``/``match``."""
    found: list[tuple[ast.stmt, int]] | None = f.memo.get(_STATEMENTS)
    if found is None:
        found = list(_block_statements(f.tree.body, _BLOCK_FIELDS))
        f.memo[_STATEMENTS] = found
    return found


_BLOCK_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {
    cls: tuple(reversed([n for n in cls._fields
                         if n in ("body", "orelse", "finalbody", "handlers", "cases")]))
    for cls in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For,
                ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar,
                ast.Match)
}
"""Statement blocks of each compound statement, in reversed field order."""
_MODULE_BLOCK_FIELDS = {cls: names for cls, names in _BLOCK_FIELDS.items() if cls not in _DEFS}
"""The same, for the statements whose blocks still run at module level (not defs)."""


def definitions(f: PyFile) -> list[tuple[DefNode, int]]:
    """Every ``def``, ``async def`` and ``class`` of ``f`` in source order, with its depth."""
    key = "syntax.definitions"
    found: list[tuple[DefNode, int]] | None = f.memo.get(key)
    if found is None:
        found = [(s, d) for s, d in statements(f) if isinstance(s, _DEFS)]
        f.memo[key] = found
    return found


def walk_order[N: ast.AST](f: PyFile, nodes: Sequence[N], *,
                           source_order: bool = True) -> list[N]:
    """``nodes`` of ``f`` in the order ``ast.walk(f.tree)`` yields them.

    ``ast.walk`` is breadth first, so its order is source order stably sorted by depth. With
    ``source_order`` (the nodes come from ``PyFile.nodes`` of one type, or from
    :func:`statements`) and depths known from the statement pass (statements and the
    expressions right under them: an assigned value, a call made as a statement, a decorator),
    no walk is needed; otherwise the file is walked once (memoised) and ranked exactly.
    """
    if len(nodes) < 2:
        return list(nodes)
    if source_order:
        depths = _depths(f)
        known = [depths.get(id(n)) for n in nodes]
        if None not in known:
            if min(known) == max(known):  # type: ignore[type-var]
                return list(nodes)
            order = sorted(range(len(nodes)), key=known.__getitem__)  # type: ignore[arg-type]
            return [nodes[i] for i in order]
    rank: dict[int, int] | None = f.memo.get(_RANK)
    if rank is None:
        # The exact fallback: one walk of this file, only when the cheap depths do not tell.
        rank = {id(n): i for i, n in enumerate(ast.walk(f.tree))}
        f.memo[_RANK] = rank
    return sorted(nodes, key=lambda n: rank[id(n)])


def _depths(f: PyFile) -> dict[int, int]:
    depths: dict[int, int] | None = f.memo.get(_DEPTHS)
    if depths is None:
        depths = {}
        for stmt, depth in statements(f):
            depths[id(stmt)] = depth
            value = getattr(stmt, "value", None)
            if isinstance(value, ast.AST):
                depths[id(value)] = depth + 1
            for deco in getattr(stmt, "decorator_list", ()):
                depths[id(deco)] = depth + 1
        f.memo[_DEPTHS] = depths
    return depths


_WALKS: weakref.WeakKeyDictionary[ast.AST, list[ast.AST]] = weakref.WeakKeyDictionary()


def walked(node: ast.AST) -> list[ast.AST]:
    """``list(ast.walk(node))``, listed once while the tree lives: the API detectors each read
    the same request handlers (a function, one statement of it). Only the nodes below ``node``
    are kept, so nothing but the tree keeps ``node`` (and the entry) alive."""
    below = _WALKS.get(node)
    if below is None:
        nodes = ast.walk(node)
        next(nodes)
        below = _WALKS[node] = list(nodes)
    return [node, *below]


def import_tops(f: PyFile) -> frozenset[str]:
    """Top-level names of the modules ``f`` imports by name (``os`` for ``from os import
    path``); relative imports left out. Star imports are in :func:`star_modules`."""
    tops: frozenset[str] | None = f.memo.get(_TOPS)
    if tops is None:
        tops = frozenset([t.partition(".")[0] for t in f.imports.values() if t[0] != "."])
        f.memo[_TOPS] = tops
    return tops


def star_imports(f: PyFile) -> tuple[ast.ImportFrom, ...]:
    """The ``from x import *`` statements of ``f``, in source order. Python allows them at
    module level only, so only the module's own blocks are read (``if``/``try``/``with``/loops,
    never functions or classes)."""
    stars: tuple[ast.ImportFrom, ...] | None = f.memo.get(_STARS)
    if stars is None:
        out: list[ast.ImportFrom] = []
        if "*" in f.text:
            for node, _depth in _block_statements(f.tree.body, _MODULE_BLOCK_FIELDS):
                # The grammar allows ``*`` only alone: ``from x import *``.
                if isinstance(node, ast.ImportFrom) and node.names[0].name == "*":
                    out.append(node)
        stars = tuple(out)
        f.memo[_STARS] = stars
    return stars


def star_modules(f: PyFile) -> tuple[str, ...]:
    """Modules imported with ``from x import *``; relative ones keep their leading dots."""
    return tuple("." * n.level + (n.module or "") for n in star_imports(f))


def module_tops(f: PyFile) -> frozenset[str]:
    """Top-level names of every module an import statement of ``f`` names, wherever the
    statement is (``PyFile.imports`` keeps one binding per name, so ``import json`` followed
    by ``import simplejson as json`` leaves no trace of ``json`` there); relative imports left
    out."""
    tops: frozenset[str] | None = f.memo.get(_MODULE_TOPS)
    if tops is None:
        found: set[str] = set()
        add = found.add
        for imp in f.nodes(ast.Import):
            for alias in imp.names:
                add(alias.name.partition(".")[0])
        for imp_from in f.nodes(ast.ImportFrom):
            if not imp_from.level and imp_from.module:
                add(imp_from.module.partition(".")[0])
        tops = frozenset(found)
        f.memo[_MODULE_TOPS] = tops
    return tops


def imports_any(f: PyFile, tops: frozenset[str] | set[str]) -> bool:
    """True when ``f`` imports a module whose top-level name is in ``tops`` (by name or with
    ``*``)."""
    if not import_tops(f).isdisjoint(tops):
        return True
    return any(m.split(".", 1)[0] in tops for m in star_modules(f))


def names_main(f: PyFile) -> bool:
    """True when the text of ``f`` names both ``__main__`` and ``__name__`` (a script's
    ``if __name__ == "__main__":`` guard, or a mention of one); memoised, as several
    detectors ask."""
    found: bool | None = f.memo.get(_NAMES_MAIN)
    if found is None:
        text = f.text
        found = f.memo[_NAMES_MAIN] = "__main__" in text and "__name__" in text
    return found


def mentions(f: PyFile, *needles: str) -> bool:
    """True when the source text of ``f`` contains any of ``needles``."""
    text = f.text
    return any(n in text for n in needles)
