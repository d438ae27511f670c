"""The shared traversal: what it visits, in which order, and how calls are dispatched by name."""

from __future__ import annotations

import ast
from typing import Any, ClassVar

import pytest

from checks import engine, traversal
from checks.detector import Detector, FileContext
from checks.source import SourceTree

# Every construct whose fields need care: None in lists (dict spreads, keyword-only arguments
# without defaults), type parameters, match patterns, lambdas, comprehensions, f-strings.
EVERYTHING = '''\
import os as o
from subprocess import run as sp_run

@deco(1)
def f[T: int](a, /, b=1, *args, c, d=2, **kw) -> list[T]:
    x = {**kw, "k": a}
    y = [i for i in range(3) if i for j in (i,)]
    z = {k: v for k, v in x.items()}
    w = (lambda q=1: q + 1)(2)
    async def g():
        async for i in h():
            await i
        async with h() as m, h():
            pass
        return [i async for i in h()]
    match a:
        case {"x": 1, **rest}:
            pass
        case Point(x=0, y=[1, *others]) | None if b:
            pass
        case _:
            pass
    try:
        pass
    except* ValueError as e:
        raise e from None
    finally:
        del x
    while (n := len(y)) > 1:
        y.pop()
    else:
        o.getcwd()
    global G
    return f"{a!r:>{b}} {c=}"

class C[S](Base, metaclass=Meta):
    attr: int = 1
    def m(self): sp_run(["ls"]); self.run(); (lambda: 1)()()

type Alias[K] = dict[K, int]
'''


def _reachable(tree: ast.AST) -> list[ast.AST]:
    return [n for n in ast.walk(tree) if not isinstance(n, traversal.NOT_DISPATCHED)
            or isinstance(n, ast.comprehension)]


def test_the_index_holds_every_node_once_but_contexts_and_operators() -> None:
    tree = ast.parse(EVERYTHING)
    index = traversal.index(tree)
    seen = [n for nodes in index.values() for n in nodes]
    assert len(seen) == len({id(n) for n in seen})
    assert {id(n) for n in seen} == {id(n) for n in _reachable(tree)}
    assert ast.Load not in index and ast.Add not in index and ast.Eq not in index
    assert len(index[ast.comprehension]) == 4
    assert ast.TypeVar in index and ast.MatchMapping in index and ast.TryStar in index


def test_nodes_come_in_source_order() -> None:
    tree = ast.parse("@d1\n@d2(a)\ndef f(x=b) -> r:\n    c()\nfor i in it:\n    e()\n"
                     "[el for t in first if cond for u in second]\n")
    names = [n.id for n in traversal.index(tree)[ast.Name] if isinstance(n, ast.Name)]
    assert names == ["d1", "d2", "a", "b", "r", "c", "it", "i", "e",
                     "first", "el", "t", "cond", "u", "second"]


class Recorder(Detector):
    """Records each call it receives, with the scopes the traversal reports."""

    slug = "test-recorder"
    items = ("ARCH-08",)
    calls: ClassVar[frozenset[str] | None] = frozenset({"run", "getcwd"})

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        where = ".".join([*(c.name for c in ctx.classes),
                          *(getattr(fn, "name", "lambda") for fn in ctx.functions)])
        self.report_node("ARCH-08", ctx, node, f"{ast.unparse(node.func)} in {where}", "-")


class AllCalls(Recorder):
    slug = "test-all-calls"
    calls = None


def test_calls_reach_only_detectors_that_asked_for_their_name() -> None:
    tree = SourceTree.from_files({"app/x.py": EVERYTHING})
    named = engine.review(tree, detectors=[Recorder])
    assert [f.message for f in named.findings] == [
        "o.getcwd in f", "sp_run in C.m", "self.run in C.m"]
    everything = engine.review(tree, detectors=[AllCalls])
    every_call = traversal.index(ast.parse(EVERYTHING))[ast.Call]
    received = {f.message.split(" in ")[0] for f in everything.findings}
    assert received == {ast.unparse(c.func) for c in every_call if isinstance(c, ast.Call)}
    assert "(lambda: 1)() in C.m" in [f.message for f in everything.findings]


class Attributes(Detector):
    slug = "test-attributes"
    items = ("ARCH-08",)
    attributes: ClassVar[frozenset[str] | None] = frozenset({"items", "run"})

    def visit_Attribute(self, node: ast.Attribute, ctx: FileContext) -> None:
        self.report_node("ARCH-08", ctx, node, ast.unparse(node), "-")


def test_attributes_reach_only_detectors_that_asked_for_their_name() -> None:
    report = engine.review(SourceTree.from_files({"app/x.py": EVERYTHING}),
                           detectors=[Attributes])
    assert [f.message for f in report.findings] == ["x.items", "self.run"]


class CrashesOnRun(Recorder):
    """Raises on the first call of ``run`` in a file that calls ``boom()``, and counts."""

    slug = "test-crashes-on-run"
    calls = frozenset({"run"})

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if "boom()" in ctx.file.text and ast.unparse(node.func) == "run":
            raise RuntimeError("boom")
        super().visit_Call(node, ctx)


def test_a_detector_that_raises_on_a_file_is_left_out_of_that_file_only() -> None:
    tree = SourceTree.from_files({"a.py": "boom()\nrun()\nrun()\n", "b.py": "run()\n"})
    report = engine.review(tree, detectors=[CrashesOnRun])
    result = report.result("ARCH-08")
    # b.py's finding stands; a.py is named as not checked, and nothing after the crash ran
    assert [(f.path, f.message) for f in result.findings] == [("b.py", "run in ")]
    assert result.evidence == ["detector test-crashes-on-run failed: RuntimeError: boom on a.py"]
    assert [(n.kind, n.path) for n in report.notes] == [("error", "a.py")]


def test_an_item_not_checked_everywhere_is_not_a_pass() -> None:
    report = engine.review(SourceTree.from_files({"a.py": "boom()\nrun()\n", "b.py": "x = 1\n"}),
                           detectors=[CrashesOnRun])
    assert report.result("ARCH-08").status.value == "error"


@pytest.mark.parametrize("name", ["visit_Load", "visit_Add", "visit_comprehension"])
def test_handlers_for_types_never_dispatched_are_refused(name: str) -> None:
    cls: Any = type("Bad", (Detector,), {name: lambda self, node, ctx: None})
    with pytest.raises(TypeError, match="not visited on their own"):
        cls.node_handlers()


class CrashesAtEndOfFile(Detector):
    slug = "test-crashes-at-end"
    items = ("ARCH-08",)

    def end_file(self, ctx: FileContext) -> None:
        raise KeyError("x")


def test_a_crash_in_a_file_hook_names_the_file() -> None:
    report = engine.review(SourceTree.from_files({"a.py": "x = 1\n"}),
                           detectors=[CrashesAtEndOfFile])
    assert [n.message for n in report.notes] == [
        "detector test-crashes-at-end failed: KeyError: 'x' on a.py"]
