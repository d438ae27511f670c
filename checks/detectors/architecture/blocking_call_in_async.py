"""Blocking call inside an ``async def``.

## What it flags
Calls that block the thread, made directly in the body of an ``async def`` (not in a nested
``def`` or ``lambda``, which may run in a thread): ``time.sleep``; synchronous HTTP
(``requests.get/post/...``, ``requests.Session()``, ``httpx.get/post/...``, ``httpx.Client()``,
``urllib.request.urlopen``); synchronous database drivers (``psycopg2.connect``,
``psycopg.connect``, ``sqlite3.connect``, ``pymysql.connect``, ``MySQLdb.connect``,
``mysql.connector.connect``, ``pymongo.MongoClient``); ``subprocess.run/call/check_call/
check_output`` and ``os.system``; ``smtplib.SMTP``; a synchronous SQLAlchemy/SQLModel
``Session`` (constructed, made from a ``sessionmaker``, or received as a parameter annotated
``Session``, also through ``Annotated`` aliases) used for I/O (``execute``, ``query``,
``commit``...); Django ORM calls that hit the database (``Model.objects.get()``, ``.count()``,
``.first()``..., a plain ``for`` over a queryset) instead of the ``a``-prefixed async methods.
Tests and migrations are skipped. Function references passed to ``asyncio.to_thread`` or
``loop.run_in_executor`` are not calls and are never flagged.

## Why it matters
An event loop runs every request of the worker on one thread. One blocking call stalls all of
them for its whole duration: a 2-second ``requests.get`` in one handler adds up to 2 seconds to
every concurrent request, and throughput collapses to one request at a time.

## Example
```python
@app.get("/rates")
async def rates():
    r = requests.get("https://api.example.com/rates", timeout=5)
    time.sleep(1)
    return r.json()
```

## Use instead
```python
@app.get("/rates")
async def rates(client: httpx.AsyncClient = Depends(get_client)):
    r = await client.get("https://api.example.com/rates")
    await asyncio.sleep(1)
    return r.json()
```
Or keep the blocking library and hand it to a thread:
``await asyncio.to_thread(requests.get, url, timeout=5)``; in Django use ``await
Model.objects.aget(...)`` or ``sync_to_async``; in FastAPI a plain ``def`` endpoint runs in a
thread pool.

## References
- Python docs, Developing with asyncio, "Running Blocking Code":
  https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code
- FastAPI, Concurrency and async / await: https://fastapi.tiangolo.com/async/
- Django, Asynchronous support, queries and the ORM:
  https://docs.djangoproject.com/en/stable/topics/async/#queries-the-orm
- SQLAlchemy, Asynchronous I/O (asyncio): https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from checks.detector import Detector, FileContext, Project
from checks.detectors.database._db import (
    function_nodes,
    imports_any,
    is_migration,
    is_test,
    module_statements,
)
from checks.detectors.scalability._handlers import module_keys, qualified_name, request_handlers
from checks.pyast import call_name, called_last, dotted, keyword, resolve
from checks.pyfile import PyFile

_SLEEP = "await asyncio.sleep(...)"
_HTTP = "an async client (httpx.AsyncClient, aiohttp) or await asyncio.to_thread(...)"
_DB = "an async driver (asyncpg, psycopg AsyncConnection, aiosqlite, aiomysql) or a pool"
_PROC = "asyncio.create_subprocess_exec(...) or await asyncio.to_thread(...)"
_MAIL = "aiosmtplib, a task queue, or await asyncio.to_thread(...)"

_BLOCKING: dict[str, str] = {
    "time.sleep": _SLEEP,
    "urllib.request.urlopen": _HTTP,
    "requests.Session": _HTTP,
    "httpx.Client": _HTTP,
    "psycopg2.connect": _DB,
    "psycopg.connect": _DB,
    "psycopg.Connection.connect": _DB,
    "sqlite3.connect": _DB,
    "pymysql.connect": _DB,
    "MySQLdb.connect": _DB,
    "mysql.connector.connect": _DB,
    "pymongo.MongoClient": "motor (AsyncIOMotorClient) or pymongo's AsyncMongoClient",
    "subprocess.run": _PROC,
    "subprocess.call": _PROC,
    "subprocess.check_call": _PROC,
    "subprocess.check_output": _PROC,
    "os.system": _PROC,
    "smtplib.SMTP": _MAIL,
    "smtplib.SMTP_SSL": _MAIL,
}
_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
_SYNC_SESSIONS = frozenset(
    {"sqlalchemy.orm.Session", "sqlalchemy.orm.session.Session", "sqlmodel.Session",
     "sqlmodel.orm.session.Session"}
)
_SESSION_IO = frozenset(
    {"execute", "query", "scalars", "scalar", "get", "commit", "flush", "refresh", "exec",
     "merge", "delete", "rollback", "get_one"}
)
_ORM_EVALUATING = frozenset(
    {"get", "create", "get_or_create", "update_or_create", "count", "exists", "first", "last",
     "aggregate", "update", "delete", "bulk_create", "bulk_update", "in_bulk", "latest",
     "earliest", "iterator", "contains", "explain"}
)
_SESSION_HINT = (
    "Use sqlalchemy.ext.asyncio.AsyncSession (await session.execute(...)), or make the "
    "endpoint a plain def so the framework runs it in a thread pool."
)


@dataclass(frozen=True, slots=True)
class _Pending:
    """A call whose blocking nature is decided in ``finish`` (it needs other files)."""

    path: str
    line: int
    end_line: int
    where: str  # "async request handler `name`" / "async function `name`"
    what: str  # "param" | "factory"
    ref: str  # the annotation or factory, as a project-qualified dotted name
    call: str  # the called text, for the message


class BlockingCallInAsync(Detector):
    """Flags blocking calls made directly inside ``async def`` bodies (see module docstring)."""

    slug = "blocking-call-in-async"
    items = ("ARCH-08",)

    def __init__(self) -> None:
        super().__init__()
        self._pending: list[_Pending] = []
        self._async_functions = 0

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        return not (is_test(f) or is_migration(f))

    def end_file(self, ctx: FileContext) -> None:
        # The calls and loops whose innermost function is an ``async def``, read from the node
        # index: most files have no ``async def``, and a handler on every call would cost more.
        # A call of a sessionmaker factory (``SessionLocal()``) can have any name, known only
        # once every file is read, so every call of an ``async def`` is looked at.
        f = ctx.file
        found: list[ast.AsyncFunctionDef] = f.nodes(ast.AsyncFunctionDef)
        if not found:
            return
        self._async_functions += len(found)
        django = imports_any(f, "django")
        for fn in found:
            params: dict[str, str] = {}
            args = fn.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                ref = _annotation_ref(arg.annotation, f)
                if ref:
                    params[arg.arg] = ref
            kinds = (ast.Call, ast.For) if django else (ast.Call,)
            for node in function_nodes(f, fn, *kinds):
                if isinstance(node, ast.Call):
                    self._call(node, fn, params, ctx)
                elif isinstance(node, ast.For) and _is_queryset(node.iter):
                    text = ast.unparse(node.iter)
                    self._flag(ctx, fn, node.iter, f"`for ... in {_short(text)}`",
                               "Iterate with `async for`, or load the rows with "
                               "`await sync_to_async(list)(queryset)`.")

    def _call(self, node: ast.Call, fn: ast.AsyncFunctionDef, params: dict[str, str],
              ctx: FileContext) -> None:
        f = ctx.file
        name = call_name(node, f)
        if name is not None:
            hint = _BLOCKING.get(name)
            if hint is None and _is_sync_http(name):
                hint = _HTTP
            if hint is None and name in _SYNC_SESSIONS:
                self._flag(ctx, fn, node, f"`{name}()`", _SESSION_HINT)
                return
            if hint is not None:
                self._flag(ctx, fn, node, f"`{name}()`", f"Use {hint}.")
                return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _ORM_EVALUATING and _is_queryset(
            func.value
        ) and imports_any(f, "django"):
            text = _short(ast.unparse(func))
            self._flag(ctx, fn, node, f"`{text}()`",
                       f"Use the async method `a{func.attr}()` (Django 4.1+) or wrap the query "
                       "in `sync_to_async`.")
            return
        if isinstance(func, ast.Attribute) and func.attr in _SESSION_IO and isinstance(
            func.value, ast.Name
        ):
            ref = params.get(func.value.id)
            if ref:
                self._defer(ctx, fn, node, "param", ref, f"{func.value.id}.{func.attr}")
                return
        if name is not None and not node.args and not node.keywords:
            ref = qualified_name(func, f)
            if ref:
                self._defer(ctx, fn, node, "factory", ref, name)

    def finish(self, project: Project) -> None:
        aliases, factories = _project_definitions(project) if self._pending else ({}, set())
        for p in self._pending:
            if p.what == "param":
                target = _follow(p.ref, aliases)
                if target not in _SYNC_SESSIONS:
                    continue
                message = (f"`{p.call}()` on a synchronous `{target.rsplit('.', 1)[-1]}` "
                           f"blocks the event loop inside {p.where}")
            else:
                if p.ref not in factories:
                    continue
                message = (f"`{p.call}()` opens a synchronous SQLAlchemy session (from "
                           f"`sessionmaker`) inside {p.where}")
            self.report("ARCH-08", p.path, p.line, message, _SESSION_HINT, end_line=p.end_line)
        if not self.findings:
            if self._async_functions:
                self.evidence("ARCH-08", f"{self._async_functions} async functions in service "
                              "code; no blocking call found directly inside them")
            else:
                self.evidence("ARCH-08", "no async def in service code: the service is "
                              "synchronous, so no event loop can be blocked")

    # -- helpers -----------------------------------------------------------------------------
    def _flag(self, ctx: FileContext, fn: ast.AsyncFunctionDef, node: ast.AST, what: str,
              hint: str) -> None:
        self.report_node("ARCH-08", ctx, node,
                         f"{what} blocks the event loop inside {_where(fn, ctx.file)}", hint)

    def _defer(self, ctx: FileContext, fn: ast.AsyncFunctionDef, node: ast.Call, what: str,
               ref: str, call: str) -> None:
        self._pending.append(_Pending(ctx.path, node.lineno, node.end_lineno or node.lineno,
                                      _where(fn, ctx.file), what, ref, call))


def _where(fn: ast.AsyncFunctionDef, f: PyFile) -> str:
    kind = "request handler" if id(fn) in request_handlers(f) else "function"
    return f"async {kind} `{fn.name}`"


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _is_sync_http(name: str) -> bool:
    head, _, verb = name.rpartition(".")
    return head in ("requests", "httpx") and verb in _HTTP_VERBS


def _is_queryset(node: ast.expr) -> bool:
    """True for ``X.objects`` or a method chain on it (``X.objects.filter(...).order_by(...)``)
    that is not an async method."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        if not isinstance(node, ast.Attribute):
            return False
        if node.attr == "objects":
            return True
        if node.attr.startswith("a") and node.attr[1:] in _ORM_EVALUATING:
            return False
        node = node.value


def _annotation_ref(node: ast.expr | None, f: PyFile) -> str | None:
    """The dotted name an annotation refers to; ``Annotated[X, ...]`` and ``X | None`` give X."""
    if node is None:
        return None
    if isinstance(node, ast.Subscript):
        outer = resolve(node.value, f) or ""
        if outer.rsplit(".", 1)[-1] in ("Annotated", "Optional"):
            inner = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
            return _annotation_ref(inner, f)
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        for side in (node.left, node.right):
            if not (isinstance(side, ast.Constant) and side.value is None):
                return _annotation_ref(side, f)
        return None
    return qualified_name(node, f)


def _project_definitions(project: Project) -> tuple[dict[str, str], set[str]]:
    """Module-level type aliases (``SessionDep = Annotated[Session, Depends(...)]``) and
    synchronous ``sessionmaker`` factories, by project-qualified name."""
    aliases: dict[str, str] = {}
    factories: set[str] = set()
    for f in project.python.values():
        for stmt in module_statements(f, ast.Assign, ast.AnnAssign, ast.TypeAlias):
            target: ast.expr | None = None
            value: ast.expr | None = None
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target, value = stmt.targets[0], stmt.value
            elif isinstance(stmt, ast.AnnAssign):
                target, value = stmt.target, stmt.value
            elif isinstance(stmt, ast.TypeAlias):
                target, value = stmt.name, stmt.value
            if not isinstance(target, ast.Name) or value is None:
                continue
            if isinstance(value, ast.Call):
                if called_last(value, f) != "sessionmaker":
                    continue
                maker = call_name(value, f) or ""
                if maker.rsplit(".", 1)[-1] == "sessionmaker" and maker.startswith(
                    "sqlalchemy"
                ) and not _async_class(value):
                    factories.update(module_keys(f, target.id))
                continue
            ref = _annotation_ref(value, f)
            if ref:
                for key in module_keys(f, target.id):
                    aliases.setdefault(key, ref)
    return aliases, factories


def _async_class(call: ast.Call) -> bool:
    cls = keyword(call, "class_")
    name = dotted(cls) if cls is not None else None
    return bool(name and "Async" in name)


def _follow(ref: str, aliases: dict[str, str]) -> str:
    seen: set[str] = set()
    while ref in aliases and ref not in seen:
        seen.add(ref)
        ref = aliases[ref]
    return ref
