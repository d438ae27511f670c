"""Outbound calls shared by the resilience detectors: HTTP requests made through ``requests``,
``httpx``, ``aiohttp``, ``urllib`` and ``http.client``, found by resolving names through imports
and by following client objects (``s = requests.Session()``, ``async with
aiohttp.ClientSession() as s``, ``self.client = httpx.AsyncClient()``, a parameter annotated
``httpx.Client``) to their method calls (``s.get(...)``).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from checks import pyast
from checks.detectors.observability._syntax import statements
from checks.pyfile import PyFile

REQUESTS, HTTPX, AIOHTTP, URLLIB, HTTP_CLIENT = "requests", "httpx", "aiohttp", "urllib", "http"

CLIENT_CONSTRUCTORS: dict[str, str] = {
    "requests.Session": REQUESTS,
    "requests.session": REQUESTS,
    "requests.sessions.Session": REQUESTS,
    "httpx.Client": HTTPX,
    "httpx.AsyncClient": HTTPX,
    "aiohttp.ClientSession": AIOHTTP,
    "aiohttp.client.ClientSession": AIOHTTP,
}
"""Constructors of HTTP client objects, and the library they belong to."""

REQUEST_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options",
                             "request", "stream", "send", "ws_connect"})
"""Methods of client objects that send a request."""

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
MODULE_FUNCTIONS: dict[str, str] = {
    **{f"requests.{v}": REQUESTS for v in _VERBS},
    **{f"requests.api.{v}": REQUESTS for v in _VERBS},
    **{f"httpx.{v}": HTTPX for v in (*_VERBS, "stream")},
    "aiohttp.request": AIOHTTP,
    "urllib.request.urlopen": URLLIB,
    "urllib.urlopen": URLLIB,
    "urllib2.urlopen": URLLIB,
}
"""Module-level functions that send an HTTP request, and their library."""

OUTBOUND_NAMES = REQUEST_METHODS | frozenset(n.rsplit(".", 1)[-1] for n in MODULE_FUNCTIONS)
"""The last name of every call :meth:`Clients.outbound` can accept: a client method is one of
:data:`REQUEST_METHODS`, a module function ends with the last part of a
:data:`MODULE_FUNCTIONS` entry (``get``, ``urlopen``...). For a detector's ``calls``."""

HTTP_MODULES = ("requests", "httpx", "aiohttp", "urllib", "urllib2", "http")
"""Modules a file must import to make the HTTP calls this module recognises."""

_SKIP_DIRS = frozenset({"examples", "example", "docs", "doc", "samples", "sample",
                        "benchmarks", "benchmark", "scripts", "script", "tools", "bin", "dev",
                        "devtools"})


def is_service_file(f: PyFile) -> bool:
    """True for code that runs in the service: not tests, migrations, examples, docs, nor
    developer scripts and tools (``scripts/``, ``tools/``, ``bin/``, ``dev/``). Kept in the
    file's memo: every resilience detector asks about every file."""
    known: bool | None = f.memo.get("resilience.service")
    if known is None:
        known = f.memo["resilience.service"] = not (f.is_test or f.is_migration or any(
            p in _SKIP_DIRS for p in f.path.split("/")[:-1]))
    return known


@dataclass(frozen=True, slots=True)
class Outbound:
    """One outbound HTTP call: its library, the name to quote (``requests.get``,
    ``session.post``), and whether it is a client method (``True``) or a module function."""

    library: str
    name: str
    method: bool


class Clients:
    """Names bound to HTTP client objects in one file (see the module docstring).

    A name bound to clients of two libraries, or also to something else, is left out: it could
    be either at the call.
    """

    def __init__(self, f: PyFile, names: dict[str, str] | None = None) -> None:
        self.file = f
        self.names: dict[str, str] = {}
        self.active = f.imports_module(*HTTP_MODULES)
        if not self.active:
            return  # nothing in the file can be an HTTP client or call
        if names is not None:
            self.names = names  # found already for another detector
            return
        bound: dict[str, set[str]] = {}
        # Bindings are statements (assignments, ``with ... as``) and parameters of ``def``s (a
        # lambda's cannot be annotated): the statement pass finds them all, no walk needed.
        found: Sequence[tuple[Any, int]] = statements(f)
        for node, _depth in found:
            cls = node.__class__  # statement classes have no subclasses: compared, not isinstance
            if cls is ast.Assign:
                for t in node.targets:
                    self._bind(bound, t, node.value)
            elif cls is ast.AnnAssign:
                if node.value is not None:
                    self._bind(bound, node.target, node.value)
            elif cls is ast.With or cls is ast.AsyncWith:
                for item in node.items:
                    if item.optional_vars is not None:
                        self._bind(bound, item.optional_vars, item.context_expr)
            elif cls is ast.FunctionDef or cls is ast.AsyncFunctionDef:
                a = node.args
                for arg in (*a.posonlyargs, *a.args, a.vararg, *a.kwonlyargs, a.kwarg):
                    if arg is not None and arg.annotation is not None:
                        lib = self._annotated(arg.annotation)
                        if lib is not None:
                            bound.setdefault(arg.arg, set()).add(lib)
        self.names = {n: next(iter(libs)) for n, libs in bound.items()
                      if len(libs) == 1 and "" not in libs}

    def _bind(self, bound: dict[str, set[str]], target: ast.expr, value: ast.expr) -> None:
        name = pyast.dotted(target)
        if name is None or (isinstance(value, ast.Constant) and value.value is None):
            return
        lib = self.constructed(value)
        bound.setdefault(name, set()).add(lib or "")

    def constructed(self, value: ast.expr) -> str | None:
        """The library of a client built by ``value`` (``requests.Session()``), else None."""
        if isinstance(value, ast.Await):
            value = value.value
        if isinstance(value, ast.Call):
            name = pyast.call_name(value, self.file)
            if name in CLIENT_CONSTRUCTORS:
                return CLIENT_CONSTRUCTORS[name]
        return None

    def _annotated(self, annotation: ast.expr) -> str | None:
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            return self._annotated(annotation.left) or self._annotated(annotation.right)
        if isinstance(annotation, ast.Subscript):  # Optional[httpx.Client]
            return self._annotated(annotation.slice)
        name = pyast.resolve(annotation, self.file)
        return CLIENT_CONSTRUCTORS.get(name) if name else None

    def outbound(self, call: ast.Call) -> Outbound | None:
        """The outbound HTTP call ``call`` makes, or None (always None for a call whose last
        name is not in :data:`OUTBOUND_NAMES`)."""
        if not self.active:
            return None
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in REQUEST_METHODS:
            receiver = pyast.dotted(func.value)
            if receiver is not None and receiver in self.names:
                return Outbound(self.names[receiver], f"{receiver}.{func.attr}", True)
            if isinstance(func.value, ast.Call):  # requests.Session().get(...)
                lib = self.constructed(func.value)
                if lib is not None:
                    return Outbound(lib, f"{pyast.call_name(func.value, self.file)}()."
                                    f"{func.attr}", True)
        name = pyast.call_name(call, self.file)
        if name in MODULE_FUNCTIONS:
            return Outbound(MODULE_FUNCTIONS[name], name, False)
        return None


def enclosing_name(functions: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda],
                   classes: list[ast.ClassDef]) -> str:
    """``Client.fetch()``/``fetch()`` for the innermost named function, ``module level``
    outside any."""
    for fn in reversed(functions):
        if not isinstance(fn, ast.Lambda):
            owner = next((c.name for c in reversed(classes) if fn in c.body), None)
            return f"{owner}.{fn.name}()" if owner else f"{fn.name}()"
    return "module level"


def clients(f: PyFile) -> Clients:
    """:class:`Clients` of ``f``; the client names are found once and kept in the file's memo,
    so the detectors that visit the same file share them. Only the names are kept there: a
    :class:`Clients` refers to its file, and the file's memo referring back would make a cycle
    that keeps every tree alive until the garbage collector runs."""
    names: dict[str, str] | None = f.memo.get("resilience.client_names")
    made = Clients(f, names)
    if names is None:
        f.memo["resilience.client_names"] = made.names
    return made
