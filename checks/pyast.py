"""Small helpers over Python's ``ast`` that many detectors need: names resolved through a file's
imports, keyword arguments, constant values, and strings built at run time."""

from __future__ import annotations

import ast

from checks.pyfile import PyFile


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None (``f().x`` -> None)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def resolve(node: ast.AST, f: PyFile) -> str | None:
    """The dotted name of ``node`` with its first part replaced by what the file imported under
    that name: with ``from requests import get as g``, ``g`` resolves to ``requests.get``."""
    name = dotted(node)
    if name is None:
        return None
    head, _, rest = name.partition(".")
    target = f.imports.get(head)
    if target is None:
        return name
    return f"{target}.{rest}" if rest else target


def call_name(call: ast.Call, f: PyFile) -> str | None:
    """Resolved dotted name of the called function (see :func:`resolve`), or None."""
    return resolve(call.func, f)


def called_last(call: ast.Call, f: PyFile) -> str:
    """The last part of :func:`call_name` without building the rest, or ``""``: ``md5`` for
    ``hashlib.md5(...)`` and for ``h(...)`` after ``from hashlib import md5 as h``; ``x`` for
    ``f().x()`` (whose call name is None). A cheap test before resolving the whole name: when
    it is not a name a detector looks for, neither is the call's name. It is the name the
    traversal dispatches calls by (:attr:`checks.detector.Detector.calls`)."""
    func = call.func
    if func.__class__ is ast.Attribute:
        return func.attr
    if func.__class__ is ast.Name:
        name: str = func.id
        target = f.imports.get(name)
        return name if target is None else target.rpartition(".")[2]
    return ""


def attr_name(call: ast.Call) -> str | None:
    """Last name of the called function: ``execute`` for ``cur.execute(...)`` or ``execute()``."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value of keyword argument ``name``, or None when not passed by keyword."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def has_kwargs_splat(call: ast.Call) -> bool:
    """True when the call passes ``**kwargs`` (any keyword may hide in it)."""
    return any(kw.arg is None for kw in call.keywords)


def argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    """An argument given either at ``position`` or by keyword ``name``."""
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return keyword(call, name)


def const(node: ast.AST | None) -> object:
    """The value of a constant expression, or ``...`` (Ellipsis) when not a constant."""
    if isinstance(node, ast.Constant):
        return node.value
    return ...


def is_true(node: ast.AST | None) -> bool:
    """True for the literal ``True``."""
    return isinstance(node, ast.Constant) and node.value is True


def is_false(node: ast.AST | None) -> bool:
    """True for the literal ``False``."""
    return isinstance(node, ast.Constant) and node.value is False


def const_str(node: ast.AST | None) -> str | None:
    """The value of a string literal, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def is_dynamic_string(node: ast.AST) -> bool:
    """True for a string built at run time from non-constant parts: an f-string with a
    placeholder, ``"..." % x``, ``"..." + x`` or ``"...".format(x)``."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Mod):
            return const_str(node.left) is not None or is_dynamic_string(node.left)
        if isinstance(node.op, ast.Add):
            left_str = const_str(node.left) is not None or is_dynamic_string(node.left)
            right_str = const_str(node.right) is not None or is_dynamic_string(node.right)
            both_const = isinstance(node.left, ast.Constant) and isinstance(
                node.right, ast.Constant
            )
            return (left_str or right_str) and not both_const
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and (const_str(node.func.value) is not None or is_dynamic_string(node.func.value))
    ):
        return bool(node.args or node.keywords)
    return False
