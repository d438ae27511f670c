"""Shared helpers of the database and scalability detectors (``database/_db.py``,
``scalability/_handlers.py``): the pre-filters and orders they rely on must be exact."""

import ast
from collections.abc import Sequence

from checks import pyfile
from checks.detectors.database._db import (
    function_nodes,
    imports_any,
    in_walk_order,
    mentions,
    scope_nodes,
    walk_scope,
)
from checks.detectors.scalability._handlers import request_handlers

ORDERED = """\
import x

@deco(call_a())
def f(a=call_b()):
    if a:
        call_c(call_d())
    return [call_e() for _ in call_f()]

x = {"k": call_g(), "v": [call_h()]}; y = call_i()

class C(Base, meta=call_j()):
    z = call_k()
"""


def _parse(path: str, text: str) -> pyfile.PyFile:
    parsed = pyfile.parse(path, text.encode())
    assert isinstance(parsed, pyfile.PyFile)
    return parsed


def _name(node: ast.AST) -> str:
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    return node.func.id


def test_in_walk_order_is_the_order_of_ast_walk_not_the_source_order() -> None:
    f = _parse("app/x.py", ORDERED)
    calls = f.nodes(ast.Call)
    walked = [n for n in ast.walk(f.tree) if isinstance(n, ast.Call)]
    assert [_name(n) for n in in_walk_order(f, list(reversed(calls)))] == [
        _name(n) for n in walked
    ]
    # Breadth first, and a function's arguments before its decorators: not the source order.
    assert [_name(n) for n in walked] == [
        "deco", "call_i", "call_b", "call_a", "call_g", "call_j", "call_k", "call_c",
        "call_e", "call_h", "call_d", "call_f",
    ]
    some = [c for c in calls if _name(c) in ("call_k", "call_d", "call_a")]
    assert [_name(n) for n in in_walk_order(f, some)] == ["call_a", "call_k", "call_d"]


def test_in_walk_order_mixes_node_types() -> None:
    f = _parse("app/x.py", ORDERED)
    nodes: list[ast.AST] = [*f.nodes(ast.Dict), *f.nodes(ast.FunctionDef), *f.nodes(ast.Call)]
    wanted = {id(n) for n in nodes}
    assert in_walk_order(f, nodes) == [n for n in ast.walk(f.tree) if id(n) in wanted]


def test_mentions_reads_names_the_way_the_parser_normalises_them() -> None:
    plain = _parse("app/a.py", "import psycopg2\nconn = psycopg2.connect('x')\n")
    fullwidth = "\uff43\uff4f\uff4e\uff4e\uff45\uff43\uff54"  # "connect" in full-width letters
    wide = _parse("app/b.py", f"import psycopg2\nconn = psycopg2.{fullwidth}('x')\n")
    assert mentions(plain, "Depends", "connect")
    assert not mentions(plain, "Depends", "create_engine")
    assert mentions(wide, "connect")
    call = wide.nodes(ast.Call)[0]
    assert isinstance(call.func, ast.Attribute) and call.func.attr == "connect"


def test_imports_any_answers_like_imports_module() -> None:
    f = _parse("app/a.py", "from django.db import models\nimport sqlalchemy.orm as orm\n")
    for prefixes in [("django",), ("django.db",), ("django.db.models",), ("sqlalchemy",),
                     ("flask", "sqlalchemy"), ("djang",), ("celery",)]:
        assert imports_any(f, *prefixes) == f.imports_module(*prefixes)
        assert imports_any(f, *prefixes) == f.imports_module(*prefixes)  # from the memo


def test_request_handlers_are_methods_written_directly_in_a_view_class() -> None:
    code = (
        "from rest_framework.views import APIView\n"
        "class Things(APIView):\n"
        "    def get(self, request):\n"
        "        def post(request):\n"
        "            return 1\n"
        "        return post\n"
        "    if True:\n"
        "        def put(self, request):\n"
        "            return 2\n"
        "    class Inner(APIView):\n"
        "        def delete(self, request):\n"
        "            return 3\n"
    )
    f = _parse("app/things.py", code)
    handlers = request_handlers(f)
    assert [(fn.name, fn.lineno) for fn in handlers.values()] == [("get", 3), ("delete", 11)]
    assert request_handlers(f) is handlers


SCOPES = """\
async def outer(a=default_call()):
    first()
    @decorated(deco_call())
    def inner(b=inner_default()) -> annotation_call():
        inner_body()
        return [inner_comp() for _ in inner_iter()]
    handler = lambda c=lambda_default(): lambda_body()
    class Nested(base_call()):
        class_body()
        def method(self):
            method_body()
    for x in loop_iter():
        [comp_elt() for y in comp_iter()]
    last(); also_last()
"""


def _names(nodes: Sequence[ast.AST]) -> list[str]:
    return [_name(n) for n in nodes]


def _by_traversal(f: pyfile.PyFile, fn: ast.AST) -> list[str]:
    """The calls a traversal handler sees with ``ctx.function`` being ``fn``."""
    from checks import traversal
    from checks.detector import FileContext

    seen: list[ast.Call] = []

    def record(node: ast.Call, ctx: FileContext) -> None:
        if ctx.function is fn:
            seen.append(node)

    dispatch = traversal.Dispatch({ast.Call: [(None, record)]})
    traversal.walk(f.tree, FileContext(f), dispatch, lambda _owner, exc: None)
    return sorted(_names(seen))


def test_scope_nodes_are_what_walk_scope_yields() -> None:
    f = _parse("app/x.py", SCOPES)
    outer = f.nodes(ast.AsyncFunctionDef)[0]
    walked = [n for n in walk_scope(outer.body) if isinstance(n, ast.Call)]
    assert _names(scope_nodes(f, outer, ast.Call)) == sorted(
        _names(walked), key=lambda name: SCOPES.index(name + "("))
    assert _names(scope_nodes(f, outer, ast.Call)) == [
        "first", "loop_iter", "comp_elt", "comp_iter", "last", "also_last"]


def test_function_nodes_are_what_the_traversal_gives_the_function() -> None:
    f = _parse("app/x.py", SCOPES)
    fns: list[ast.FunctionDef | ast.AsyncFunctionDef] = [
        *f.nodes(ast.AsyncFunctionDef), *f.nodes(ast.FunctionDef)]
    for fn in fns:
        assert sorted(_names(function_nodes(f, fn, ast.Call))) == _by_traversal(f, fn)
    outer = f.nodes(ast.AsyncFunctionDef)[0]
    assert _names(function_nodes(f, outer, ast.Call)) == [
        "first", "decorated", "deco_call", "inner_default", "annotation_call",
        "lambda_default", "base_call", "class_body", "loop_iter", "comp_elt", "comp_iter",
        "last", "also_last"]
