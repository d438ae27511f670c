"""The one pre-order traversal of a syntax tree that every detector shares.

:func:`walk` visits each node once, in source order, dispatches it to the handlers that asked
for its type (calls also by the called name), keeps the enclosing functions, classes and loop
depth up to date, and returns the nodes by type (the index behind
:meth:`checks.pyfile.PyFile.nodes`). The engine runs it with the detectors' handlers; a file
whose index is asked for outside a review runs it with none, so both orders are the same.

What is visited: every node reachable through a field that can hold nodes, with two kinds left
out as no detector reads them alone: expression contexts (``Load``/``Store``/``Del``) and
operators (``Add``, ``And``, ``Not``, ``Eq``...; read them from the parent's ``op``/``ops``).

Source order, and where scopes open: a function's decorators, type parameters, parameters
(defaults and annotations) and return annotation come before it and belong to the enclosing
scope; its body is inside it. A class's decorators, type parameters, bases and keywords come
before its body. A ``for`` loop's iterable is outside the loop, its target and body inside, its
``else`` after it; a ``while`` loop's test is inside. A comprehension's first iterable is outside
it and the rest (element, targets, other iterables, conditions) inside it, as Python evaluates
them (https://docs.python.org/3/reference/expressions.html#displays-for-lists-sets-and-dictionaries).
"""

from __future__ import annotations

import ast
import types
import typing
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

Handler = Callable[[Any, Any], None]
Handlers = list[tuple[Any, Handler]]
Index = dict[type[ast.AST], list[ast.AST]]
OnError = Callable[[Any, Exception], None]


@dataclass(slots=True)
class Dispatch:
    """Who receives which node: ``by_type`` maps a node type to ``(owner, handler)`` pairs;
    ``calls`` maps a called name's last part (``"execute"``) to the handlers that want only
    those calls, ``attributes`` an attribute's name (``"objects"``) to those that want only
    those attributes."""

    by_type: dict[type[ast.AST], Handlers] = field(default_factory=dict)
    calls: dict[str, Handlers] = field(default_factory=dict)
    attributes: dict[str, Handlers] = field(default_factory=dict)

    def without(self, owners: set[Any]) -> Dispatch:
        """A copy with the handlers of ``owners`` left out."""
        def keep(table: dict[Any, Handlers]) -> dict[Any, Handlers]:
            return {k: kept for k, hs in table.items()
                    if (kept := [h for h in hs if h[0] not in owners])}
        return Dispatch(keep(self.by_type), keep(self.calls), keep(self.attributes))


class Scopes(Protocol):
    """What the traversal keeps up to date (:class:`checks.detector.FileContext` is one)."""

    functions: list[Any]
    classes: list[ast.ClassDef]
    loop_depth: int


class _Scopes:
    __slots__ = ("classes", "functions", "loop_depth")

    def __init__(self) -> None:
        self.functions: list[Any] = []
        self.classes: list[ast.ClassDef] = []
        self.loop_depth = 0


# How a node class is walked: its kind (what scope it opens, if any) and its child fields.
_PLAIN, _FUNCTION, _CLASS, _FOR, _WHILE, _COMPREHENSION = range(6)
_KINDS: dict[type[ast.AST], int] = {
    ast.FunctionDef: _FUNCTION, ast.AsyncFunctionDef: _FUNCTION, ast.Lambda: _FUNCTION,
    ast.ClassDef: _CLASS,
    ast.For: _FOR, ast.AsyncFor: _FOR, ast.While: _WHILE,
    ast.ListComp: _COMPREHENSION, ast.SetComp: _COMPREHENSION, ast.DictComp: _COMPREHENSION,
    ast.GeneratorExp: _COMPREHENSION,
}
# A child field holds: one node or None, a list of nodes, a list of nodes or None, or, where the
# class has no field types (Python 3.12), anything. The lists that may hold None: a dict
# display's keys (None for ``**spread``) and keyword-only defaults (None where there is none),
# https://docs.python.org/3/library/ast.html#ast.Dict and #ast.arguments.
_NODE, _LIST, _LIST_OR_NONE, _ANY = range(4)
_NOT_VISITED: tuple[type[ast.AST], ...] = (
    ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
#: Node types no handler receives: the walk skips contexts and operators, and indexes a
#: comprehension's ``for`` clauses without dispatching them (their parts are visited).
NOT_DISPATCHED: tuple[type[ast.AST], ...] = (*_NOT_VISITED, ast.comprehension)
_SKIPPED_FIELDS = frozenset({"ctx", "type_ignores"})
_LISTS_WITH_NONE = frozenset({(ast.Dict, "keys"), (ast.arguments, "kw_defaults")})

_Shape = tuple[int, tuple[tuple[str, int], ...]]
_SHAPES: dict[type[ast.AST], _Shape] = {}


def _visited_type(t: object) -> bool:
    if isinstance(t, types.UnionType) or typing.get_origin(t) is typing.Union:
        return any(_visited_type(a) for a in typing.get_args(t))
    return isinstance(t, type) and issubclass(t, ast.AST) and not issubclass(t, _NOT_VISITED)


def _visited(value: object) -> bool:
    """A node the walk visits: not a context nor an operator (for classes without field
    types, whose fields are tested value by value)."""
    return isinstance(value, ast.AST) and not isinstance(value, _NOT_VISITED)


def _shape(cls: type[ast.AST]) -> _Shape:
    """The kind and the child fields of ``cls``, last field first (they are pushed on a
    stack); cached per class."""
    field_types: dict[str, object] | None = getattr(cls, "_field_types", None)
    fields: list[tuple[str, int]] = []
    for name in cls._fields:
        if name in _SKIPPED_FIELDS:
            continue
        if field_types is None:
            fields.append((name, _ANY))
            continue
        t = field_types.get(name)
        if typing.get_origin(t) is list:
            if _visited_type(typing.get_args(t)[0]):
                fields.append((name, _LIST_OR_NONE if (cls, name) in _LISTS_WITH_NONE else _LIST))
        elif _visited_type(t):
            fields.append((name, _NODE))
    shape = _SHAPES[cls] = (_KINDS.get(cls, _PLAIN), tuple(reversed(fields)))
    return shape


_ENTER_FUNCTION, _EXIT_FUNCTION, _ENTER_CLASS, _EXIT_CLASS, _ENTER_LOOP, _EXIT_LOOP = range(6)
_EXIT_F, _EXIT_C = (_EXIT_FUNCTION, None), (_EXIT_CLASS, None)
_ENTER_L, _EXIT_L = (_ENTER_LOOP, None), (_EXIT_LOOP, None)


def index(tree: ast.AST) -> Index:
    """The nodes of ``tree`` by type, each list in source order (see the module docstring for
    what is visited)."""
    return walk(tree, _Scopes(), Dispatch(), _no_handlers, {})


def _no_handlers(owner: Any, exc: Exception) -> None:  # pragma: no cover - nothing to call
    raise exc


def walk(tree: ast.AST, scopes: Scopes, dispatch: Dispatch, on_error: OnError,
         imports: Mapping[str, str] | None = None) -> Index:
    """Visit ``tree`` in source order; returns its nodes by type.

    Each node goes to ``dispatch.by_type[type(node)]``'s handlers as ``handler(node,
    scopes)``. A call whose function is a name or an attribute also goes to
    ``dispatch.calls[last name]``'s, a name bound by an import standing for what it imports
    (with ``imports`` = ``{"sp_run": "subprocess.run"}``, ``sp_run(...)`` is a call of
    ``run``); an attribute also goes to ``dispatch.attributes[its name]``'s. A handler that
    raises (``RecursionError`` on a deeply nested expression included) is reported as
    ``on_error(owner, exc)``, and none of that owner's handlers is called again during this
    walk; the others go on. ``scopes`` holds
    the enclosing functions and classes (innermost last) and the loop depth within the
    innermost function, exact at each handler call.
    """
    found: defaultdict[type[ast.AST], list[ast.AST]] = defaultdict(list)
    failed: set[Any] = set()  # owners whose handler raised: none of theirs runs again here
    imported = imports or {}
    by_type, calls, attributes = dispatch.by_type, dispatch.calls, dispatch.attributes
    shapes = _SHAPES
    call_cls, name_cls, attribute_cls = ast.Call, ast.Name, ast.Attribute
    saved_depths: list[int] = []
    stack: list[Any] = [tree]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        node = pop()
        cls = node.__class__
        if cls is tuple:
            op, payload = node
            if op == _ENTER_FUNCTION:
                scopes.functions.append(payload)
                saved_depths.append(scopes.loop_depth)
                scopes.loop_depth = 0
            elif op == _EXIT_FUNCTION:
                scopes.functions.pop()
                scopes.loop_depth = saved_depths.pop()
            elif op == _ENTER_CLASS:
                scopes.classes.append(payload)
            elif op == _EXIT_CLASS:
                scopes.classes.pop()
            elif op == _ENTER_LOOP:
                scopes.loop_depth += 1
            else:
                scopes.loop_depth -= 1
            continue
        found[cls].append(node)
        handlers = by_type.get(cls)
        if cls is call_cls:
            if calls:
                func = node.func
                fcls = func.__class__
                if fcls is attribute_cls:
                    called = func.attr
                elif fcls is name_cls:
                    called = func.id
                    target = imported.get(called)
                    if target is not None:
                        called = target.rpartition(".")[2]
                else:
                    called = ""
                named = calls.get(called)
                if named:
                    handlers = [*handlers, *named] if handlers else named
        elif cls is attribute_cls and attributes:
            named = attributes.get(node.attr)
            if named:
                handlers = [*handlers, *named] if handlers else named
        if handlers:
            for owner, handler in handlers:
                if failed and owner in failed:
                    continue
                try:
                    handler(node, scopes)
                except Exception as exc:  # noqa: BLE001 - one handler's bug stops only its owner
                    failed.add(owner)
                    on_error(owner, exc)
        kind, fields = shapes.get(cls) or _shape(cls)
        if kind == _PLAIN:
            for name, how in fields:
                value = getattr(node, name)
                if how == _NODE:
                    if value is not None:
                        push(value)
                elif how == _LIST:
                    if value:
                        extend(reversed(value))
                elif how == _LIST_OR_NONE:
                    extend(v for v in reversed(value) if v is not None)
                elif value.__class__ is list:  # Python 3.12: field types unknown
                    extend(v for v in reversed(value) if _visited(v))
                elif _visited(value):
                    push(value)
        elif kind == _FUNCTION:
            push(_EXIT_F)
            body = node.body
            if body.__class__ is list:
                extend(reversed(body))
            else:
                push(body)  # a lambda's expression
            push((_ENTER_FUNCTION, node))
            returns = getattr(node, "returns", None)
            if returns is not None:
                push(returns)
            push(node.args)
            extend(reversed(getattr(node, "type_params", ())))
            extend(reversed(getattr(node, "decorator_list", ())))
        elif kind == _CLASS:
            push(_EXIT_C)
            extend(reversed(node.body))
            push((_ENTER_CLASS, node))
            extend(reversed(node.keywords))
            extend(reversed(node.bases))
            extend(reversed(getattr(node, "type_params", ())))
            extend(reversed(node.decorator_list))
        elif kind == _FOR:
            extend(reversed(node.orelse))
            push(_EXIT_L)
            extend(reversed(node.body))
            push(node.target)
            push(_ENTER_L)
            push(node.iter)
        elif kind == _WHILE:
            extend(reversed(node.orelse))
            push(_EXIT_L)
            extend(reversed(node.body))
            push(node.test)
            push(_ENTER_L)
        else:
            generators = node.generators
            found[ast.comprehension].extend(generators)
            inner: list[ast.AST] = [node.key, node.value] if cls is ast.DictComp else [node.elt]
            for i, gen in enumerate(generators):
                inner.append(gen.target)
                if i:
                    inner.append(gen.iter)
                inner.extend(gen.ifs)
            push(_EXIT_L)
            extend(reversed(inner))
            push(_ENTER_L)
            push(generators[0].iter)
    return dict(found)
