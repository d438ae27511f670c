"""The statement pass and ``ast.walk`` ordering shared by the detectors
(``checks/detectors/observability/_syntax.py``): same nodes, depths and order as a real walk."""

import ast
import gc
import weakref

from checks import pyfile
from checks.detectors.observability import _syntax

SOURCE = '''\
import os
from a.b import c as d
from x import *

try:
    import json
except ImportError:
    import simplejson as json
else:
    from y import *
finally:
    pass

if DEBUG:
    app.include_router(debug_router)
    def local():
        import pdb
        register(x)
elif TESTING:
    with open(p) as fh:
        register(y)

class A(Base):
    @route("/a")
    def get(self):
        return call(1, call(2))

    class Inner:
        def method(self):
            match v:
                case 1:
                    import enum
                case _:
                    register(z)

for i in items:
    while True:
        register(i)
    else:
        async def job():
            async with session() as s:
                await s.get(url)

register(top)
'''


def _parse(text: str = SOURCE, path: str = "app/mod.py") -> pyfile.PyFile:
    parsed = pyfile.parse(path, text.encode())
    assert isinstance(parsed, pyfile.PyFile)
    return parsed


def _walk_depths(tree: ast.AST) -> dict[int, int]:
    depth = {id(tree): 0}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            depth[id(child)] = depth[id(node)] + 1
    return depth


def _preorder(tree: ast.AST) -> list[ast.AST]:
    out: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return out


def test_statements_are_every_statement_in_source_order_with_walk_depths() -> None:
    f = _parse()
    depth = _walk_depths(f.tree)
    expected = [(n, depth[id(n)]) for n in _preorder(f.tree) if isinstance(n, ast.stmt)]
    got = _syntax.statements(f)
    assert [(id(n), d) for n, d in got] == [(id(n), d) for n, d in expected]
    assert [type(n).__name__ for n, _ in got][:6] == [
        "Import", "ImportFrom", "ImportFrom", "Try", "Import", "Import"]
    assert _syntax.statements(f) is got  # memoised


def test_definitions_are_defs_and_classes_at_any_depth() -> None:
    f = _parse()
    assert [(n.name, d) for n, d in _syntax.definitions(f)] == [
        ("local", 2), ("A", 1), ("get", 2), ("Inner", 2), ("method", 3), ("job", 3)]


def test_walk_order_matches_ast_walk_with_and_without_the_fallback() -> None:
    f = _parse()
    walk = list(ast.walk(f.tree))
    for kind in (ast.Call, ast.Import, ast.FunctionDef, ast.Constant, ast.Name):
        nodes = [n for n in _preorder(f.tree) if isinstance(n, kind)]
        expected = [n for n in walk if isinstance(n, kind)]
        assert len(nodes) > 1
        assert _syntax.walk_order(f, nodes) == expected, kind
    # Any order in, walk order out, when the caller says the input is not in source order.
    calls = [n for n in walk if isinstance(n, ast.Call)]
    assert _syntax.walk_order(f, list(reversed(calls)), source_order=False) == calls


def test_walk_order_of_register_statements_needs_no_walk() -> None:
    f = _parse()
    registers = [n for n in f.nodes(ast.Call)
                 if isinstance(n.func, ast.Name) and n.func.id == "register"]
    ordered = _syntax.walk_order(f, registers)
    assert ordered == [n for n in ast.walk(f.tree) if any(n is r for r in registers)]
    # Depth 2 (module level), 4 (in a def in an if; in a while in a for), 5, 7.
    assert [ast.unparse(n.args[0]) for n in ordered] == ["top", "x", "i", "y", "z"]
    assert "syntax.walk_rank" not in f.memo  # depths came from the statement pass


def test_imports_and_star_imports() -> None:
    f = _parse()
    # PyFile.imports keeps the last binding of ``json`` and misses imports in ``case`` blocks;
    # module_tops sees every import statement.
    assert _syntax.import_tops(f) == frozenset({"os", "a", "simplejson", "pdb"})
    assert _syntax.module_tops(f) == frozenset(
        {"os", "a", "x", "json", "simplejson", "y", "pdb", "enum"})
    assert [n.module for n in _syntax.star_imports(f)] == ["x", "y"]
    assert _syntax.star_modules(f) == ("x", "y")
    assert _syntax.imports_any(f, frozenset({"y"}))
    assert not _syntax.imports_any(f, frozenset({"b", "c"}))
    plain = _parse("from .rel import *\nvalue = 2 * 3\n")
    assert _syntax.star_modules(plain) == (".rel",)
    assert _syntax.star_imports(_parse("value = 1\n")) == ()


def test_mentions() -> None:
    f = _parse()
    assert _syntax.mentions(f, "nothing here", "include_router")
    assert not _syntax.mentions(f, "retry", "Celery")


def test_walked_is_ast_walk_listed_once() -> None:
    f = _parse()
    fn = next(n for n, _d in _syntax.definitions(f) if n.name == "get")
    nodes = _syntax.walked(fn)
    assert nodes == list(ast.walk(fn))
    assert [type(n).__name__ for n in nodes[:4]] == ["FunctionDef", "arguments", "Return", "Call"]
    assert _syntax.walked(fn) == nodes


def test_walked_keeps_no_tree_alive() -> None:
    f = _parse()
    fn = next(n for n, _d in _syntax.definitions(f) if n.name == "get")
    assert _syntax.walked(fn)
    gone = weakref.ref(fn)
    del f, fn
    gc.collect()
    assert gone() is None
