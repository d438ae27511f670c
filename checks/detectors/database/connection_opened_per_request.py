"""Database connection (or engine) opened for every request instead of taken from a pool.

## What it flags
A call that opens a new database connection or client, ``psycopg2.connect``,
``psycopg.connect``, ``asyncpg.connect``, ``pymysql.connect``, ``MySQLdb.connect``,
``mysql.connector.connect``, ``aiomysql.connect``, ``pymongo.MongoClient``, Motor's
``AsyncIOMotorClient``, or a new SQLAlchemy engine (``create_engine``,
``create_async_engine``), made per request:

- directly in a request handler (route-decorated function, Django/DRF view, Flask
  ``before_request`` hook);
- in a project function that a request handler calls directly, or that is a FastAPI
  dependency (``Depends(get_conn)``), unless that function runs once (``@lru_cache``/``@cache``,
  or it stores the connection in a ``global``).

SQLite connections are not flagged (opening a file is cheap). Evidence lists the pools found.

## Why it matters
Opening a PostgreSQL or MySQL connection costs a TCP and TLS handshake, authentication and a
backend process: several milliseconds to tens of milliseconds on every request, and under load
the server's ``max_connections`` runs out and requests fail. A new engine per request also
creates, and leaks, a whole new pool each time.

## Example
```python
@app.get("/orders")
def orders():
    conn = psycopg2.connect(settings.DATABASE_URL)
    ...
```

## Use instead
```python
pool = psycopg_pool.ConnectionPool(settings.DATABASE_URL, max_size=10)  # once per process

@app.get("/orders")
def orders():
    with pool.connection() as conn:
        ...
```
(``asyncpg.create_pool`` for asyncpg; one module-level ``create_engine`` for SQLAlchemy.)

## References
- psycopg, Connection pools: https://www.psycopg.org/psycopg3/docs/advanced/pool.html
- SQLAlchemy, Connection Pooling: https://docs.sqlalchemy.org/en/20/core/pooling.html
- CWE-1072, Data Resource Access without Use of Connection Pooling:
  https://cwe.mitre.org/data/definitions/1072.html
"""

from __future__ import annotations

import ast

from checks.detector import Detector, FileContext, Project
from checks.detectors.database._db import (
    ENGINES,
    database_library,
    decorated_functions,
    functions,
    in_walk_order,
    mentions,
    no_database_reason,
    service_files,
    walk_scope,
)
from checks.detectors.scalability._handlers import (
    FunctionNode,
    qualified_name,
    request_handlers,
    service_functions,
)
from checks.pyast import call_name, called_last, dotted, resolve
from checks.pyfile import PyFile

CONNECTS = frozenset(
    {"psycopg2.connect", "psycopg.connect", "psycopg.Connection.connect",
     "psycopg.AsyncConnection.connect", "asyncpg.connect", "pymysql.connect",
     "MySQLdb.connect", "mysql.connector.connect", "aiomysql.connect", "pymongo.MongoClient",
     "motor.motor_asyncio.AsyncIOMotorClient"}
) | ENGINES
"""Calls that open a new connection, client or engine."""

POOLS = frozenset(
    {"psycopg2.pool.SimpleConnectionPool", "psycopg2.pool.ThreadedConnectionPool",
     "psycopg_pool.ConnectionPool", "psycopg_pool.AsyncConnectionPool", "asyncpg.create_pool",
     "aiomysql.create_pool", "databases.Database"}
) | ENGINES
"""Calls that create a pool (an engine holds a pool)."""

_CONNECT_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in CONNECTS)
_POOL_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in POOLS)
_ONCE_DECORATORS = ("lru_cache", "cache", "cached", "once", "cached_property")
_HOOKS = frozenset({"before_request", "before_app_request"})


class ConnectionOpenedPerRequest(Detector):
    """Flags connections opened per request (see module docstring)."""

    slug = "connection-opened-per-request"
    items = ("DB-07",)
    calls = _CONNECT_NAMES | _POOL_NAMES

    def __init__(self) -> None:
        super().__init__()
        # Each file's calls named like a connect or a pool (see ``calls``), in source order.
        self._calls: dict[str, list[ast.Call]] = {}

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        found = self._calls.get(ctx.file.path)
        if found is None:
            found = self._calls[ctx.file.path] = []
        found.append(node)

    def finish(self, project: Project) -> None:
        if database_library(project) is None:
            self.not_applicable("DB-07", no_database_reason())
            return
        files = service_files(project)
        functions = service_functions(project)
        opening = _opening_functions(files, self._calls)
        # Only functions that open a connection themselves can be reported through a call, and
        # only module-level ones can be looked up by name; a file that never spells their
        # names calls none of them.
        names = {fn.name for _file, fn in functions.values() if id(fn) in opening} if (
            opening) else set()
        reported: set[int] = set()
        for f in files:
            handlers = list(request_handlers(f).values())
            handlers.extend(_hooks(f))
            calls_opening = bool(names) and mentions(f, *names)
            for handler in handlers:
                if id(handler) in opening:
                    self._direct(f, handler, None, reported)
                if not calls_opening:
                    continue
                for node in walk_scope(handler.body):
                    if isinstance(node, ast.Call):
                        callee = functions.get(qualified_name(node.func, f) or "")
                        if callee is not None and callee[1] is not handler and id(
                            callee[1]
                        ) in opening:
                            self._direct(callee[0], callee[1],
                                         f"called from request handler `{handler.name}` "
                                         f"({f.path}:{node.lineno})", reported)
            if calls_opening and mentions(f, "Depends"):
                self._dependencies(f, functions, opening, reported)
        if not self.findings:
            self._pool_evidence(files)

    def _dependencies(self, f: PyFile, functions: dict[str, tuple[PyFile, FunctionNode]],
                      opening: dict[int, FunctionNode], reported: set[int]) -> None:
        """FastAPI dependencies (``Depends(get_conn)``) that open a connection, in the order
        a walk of the file meets them (the first one names the finding)."""
        found: list[tuple[ast.Call, tuple[PyFile, FunctionNode]]] = []
        for node in f.nodes(ast.Call):
            if node.args and (called_last(node, f) or "").endswith("Depends") and (
                call_name(node, f) or ""
            ).endswith("Depends"):
                callee = functions.get(qualified_name(node.args[0], f) or "")
                if callee is not None and id(callee[1]) in opening:
                    found.append((node, callee))
        by_node = {id(node): callee for node, callee in found}
        for node in in_walk_order(f, [node for node, _ in found]):
            callee = by_node[id(node)]
            self._direct(callee[0], callee[1],
                         f"a FastAPI dependency ({f.path}:{node.lineno})", reported)

    def _direct(self, f: PyFile, fn: FunctionNode, via: str | None, reported: set[int]) -> None:
        if via is not None and _runs_once(fn, f):
            return
        for node in walk_scope(fn.body):
            if not isinstance(node, ast.Call) or id(node) in reported:
                continue
            name = call_name(node, f)
            if name not in CONNECTS:
                continue
            reported.add(id(node))
            where = f"in `{fn.name}`, {via}" if via else f"in request handler `{fn.name}`"
            self.report(
                "DB-07", f.path, node.lineno,
                f"`{name}()` opens a new database connection per request ({where})",
                "Create a pool (or engine) once per process, at module level or in the app's "
                "lifespan/startup, and borrow connections from it in the handler.",
                end_line=node.end_lineno,
            )

    def _pool_evidence(self, files: list[PyFile]) -> None:
        for f in files:
            named = self._calls.get(f.path)
            if not named:
                continue
            pools = [node for node in named
                     if called_last(node, f) in _POOL_NAMES and call_name(node, f) in POOLS]
            if pools:
                node = in_walk_order(f, pools)[0]
                self.evidence("DB-07", f"`{call_name(node, f)}()` at {f.path}:{node.lineno}")
                return


def _opening_functions(files: list[PyFile],
                       named: dict[str, list[ast.Call]]) -> dict[int, FunctionNode]:
    """Functions (any depth) whose own body, nested functions and classes left out, calls one
    of :data:`CONNECTS`, by ``id()``; ``named`` holds each file's calls named like one."""
    out: dict[int, FunctionNode] = {}
    for f in files:
        calls = named.get(f.path)
        if not calls:
            continue
        lines = {node.lineno for node in calls
                 if called_last(node, f) in _CONNECT_NAMES and call_name(node, f) in CONNECTS}
        if not lines:
            continue
        for fn in functions(f):
            end = fn.end_lineno or fn.lineno
            if any(fn.lineno <= line <= end for line in lines) and any(
                isinstance(node, ast.Call) and call_name(node, f) in CONNECTS
                for node in walk_scope(fn.body)
            ):
                out[id(fn)] = fn
    return out


def _hooks(f: PyFile) -> list[FunctionNode]:
    out: list[FunctionNode] = []
    for node in decorated_functions(f):
        for d in node.decorator_list:
            target = d.func if isinstance(d, ast.Call) else d
            last = target.attr if isinstance(target, ast.Attribute) else (
                target.id if isinstance(target, ast.Name) else None)
            if last in _HOOKS and dotted(target) is not None:
                out.append(node)
    return in_walk_order(f, out)


def _runs_once(fn: FunctionNode, f: PyFile) -> bool:
    for d in fn.decorator_list:
        name = resolve(d.func if isinstance(d, ast.Call) else d, f) or ""
        if name.rsplit(".", 1)[-1] in _ONCE_DECORATORS:
            return True
    return any(isinstance(n, ast.Global) for n in walk_scope(fn.body))
