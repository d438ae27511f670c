"""Database query issued once per iteration of a loop (N+1 queries).

## What it flags
A query call inside the body of a ``for`` loop or a comprehension over data, in the same
function: Django ``Model.objects.get/filter/first/count/exists/...``; SQLAlchemy and SQLModel
``session.query/execute/scalars/scalar/exec/get(Model, id)`` (receivers named ``session``,
``db``, ``db_session``...), Flask-SQLAlchemy ``Model.query....first()``; DB-API and asyncpg
``cursor.execute``, ``conn.fetch/fetchrow/fetchval/execute``.

Left alone: loops that are not over rows (``while`` loops for polling and retries,
``range(...)``, literal tuples and lists, enums and classes such as ``for s in Status:``,
iterables named like batches: ``chunks``, ``batches``, ``pages``, the function's own
``**kwargs``); queries that already work on a batch (a ``__in`` lookup, ``.in_()``,
``ANY``); Django writes (``.filter(...).update()``, ``.delete()``, ``.create()``: one
statement per row may be deliberate); queries on the loop variable itself (``for Model in
models:``). Tests, migrations, Alembic scripts, scripts, command-line modules and management
commands are skipped.

## Why it matters
Each iteration costs a database round trip, so the time of the request grows with the number
of rows: a page of 100 orders issues 101 queries. On a real network that is tens to hundreds
of milliseconds, and the load on the database grows with traffic times page size.

## Example
```python
for item in cart.items:
    product = Product.objects.get(pk=item.product_id)
    total += product.price * item.quantity
```

## Use instead
```python
products = Product.objects.in_bulk([i.product_id for i in cart.items])
for item in cart.items:
    total += products[item.product_id].price * item.quantity
```
With SQLAlchemy, one ``select(Product).where(Product.id.in_(ids))``; for writes,
``executemany`` / ``bulk_create`` / one ``insert().values([...])``.

## References
- Django, Database access optimization:
  https://docs.djangoproject.com/en/stable/topics/db/optimization/
- SQLAlchemy, Relationship Loading Techniques (the N+1 problem):
  https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html
- CWE-1050, Excessive Platform Resource Consumption within a Loop:
  https://cwe.mitre.org/data/definitions/1050.html
"""

from __future__ import annotations

import ast
import bisect
from dataclasses import dataclass

from checks.detector import Detector, FileContext, Project
from checks.detectors.database._db import (
    FunctionNode,
    database_library,
    is_migration,
    is_one_off,
    is_test,
    no_database_reason,
)
from checks.pyast import const_str, dotted
from checks.pyfile import PyFile

_DJANGO_QUERIES = frozenset(
    {"get", "filter", "exclude", "first", "last", "count", "exists", "aggregate", "values",
     "values_list", "get_or_create", "update_or_create", "in_bulk", "latest", "earliest",
     "all"}
)
_DJANGO_WRITES = frozenset({"update", "delete", "create", "bulk_create", "bulk_update"})
_SESSION_RECEIVERS = frozenset(
    {"session", "db", "db_session", "dbsession", "sess", "async_session", "db_sess"}
)
_SESSION_QUERIES = frozenset({"query", "execute", "scalars", "scalar", "exec", "get", "get_one"})
_FLASK_QUERY_ENDS = frozenset(
    {"first", "all", "one", "one_or_none", "get", "count", "scalar", "first_or_404",
     "get_or_404", "one_or_404"}
)
_CURSOR_RECEIVERS = frozenset({"cursor", "cur", "conn", "connection", "con", "db_conn"})
_CURSOR_QUERIES = frozenset({"execute", "fetch", "fetchrow", "fetchval"})
_QUERY_METHODS = _DJANGO_QUERIES | _SESSION_QUERIES | _CURSOR_QUERIES | _FLASK_QUERY_ENDS
_BATCH_WORDS = ("chunk", "batch", "page")
_MODEL_ARG_CALLS = ("query", "select", "get", "get_one")

_HINTS = {
    "django": "Fetch the rows in one query before the loop (`filter(pk__in=ids)`, `in_bulk()`, "
              "or select_related/prefetch_related on the outer queryset) and look them up in a "
              "dict.",
    "sqlalchemy": "Load all rows in one query before the loop (`select(Model).where(Model.id"
                  ".in_(ids))`, or selectinload/joinedload on the outer query) and look them up "
                  "in a dict.",
    "dbapi": "Use one query for all rows (`WHERE id = ANY(%s)` / `IN (...)`), or executemany "
             "for writes.",
}


@dataclass(frozen=True, slots=True)
class _Hit:
    family: str
    path: str
    line: int
    end_line: int
    call: str
    loop: str
    loop_line: int


class QueryInLoop(Detector):
    """Flags queries issued inside loops over data (see module docstring)."""

    slug = "query-in-loop"
    items = ("DB-08",)

    calls = _QUERY_METHODS  # only a query method in a loop marks its function for the scan

    def __init__(self) -> None:
        super().__init__()
        self._hits: list[_Hit] = []
        self._skip = False
        self._kwargs: str | None = None
        self._candidates: dict[int, FunctionNode] = {}
        self._loops: list[tuple[int, int]] = []  # where the file's loops start, sorted

    def start_file(self, ctx: FileContext) -> None:
        f = ctx.file
        self._skip = is_test(f) or is_migration(f) or is_one_off(f)
        self._candidates = {}

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        # A function is scanned only when some call in a loop of its own body is a query
        # method (every query chain holds one): most functions have none.
        func = node.func
        if (
            ctx.loop_depth
            and isinstance(func, ast.Attribute)
            and func.attr in _QUERY_METHODS
            and not self._skip
            and _may_query(func)
        ):
            fn = ctx.function
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                self._candidates[id(fn)] = fn

    def end_file(self, ctx: FileContext) -> None:
        if not self._candidates:
            return
        self._loops = _loop_starts(ctx.file)
        for fn in sorted(self._candidates.values(), key=lambda n: (n.lineno, n.col_offset)):
            self._kwargs = fn.args.kwarg.arg if fn.args.kwarg else None
            self._scan(fn.body, None, set(), ctx)
        self._candidates = {}

    def finish(self, project: Project) -> None:
        if database_library(project) is None:
            self.not_applicable("DB-08", no_database_reason())
            return
        django = project.uses("django")
        sqlalchemy = project.uses("sqlalchemy", "sqlmodel", "flask_sqlalchemy")
        for hit in self._hits:
            if (hit.family == "django" and not django) or (
                hit.family == "sqlalchemy" and not sqlalchemy
            ):
                continue
            self.report(
                "DB-08", hit.path, hit.line,
                f"`{hit.call}` runs once per iteration of the loop over `{hit.loop}` (line "
                f"{hit.loop_line}): one query per row",
                _HINTS[hit.family], end_line=hit.end_line,
            )
        if not self.findings:
            self.evidence("DB-08", "no query call found inside a loop over rows")

    # -- traversal ---------------------------------------------------------------------------
    def _scan(self, nodes: list[ast.AST] | list[ast.stmt], loop: ast.AST | None,
              seen: set[int], ctx: FileContext) -> None:
        for node in nodes:
            self._visit(node, loop, seen, ctx)

    def _holds_loop(self, node: ast.AST) -> bool:
        """True when a loop starts within ``node`` (or ``node`` has no position)."""
        end_line = getattr(node, "end_lineno", None)
        if end_line is None:
            return True
        at = bisect.bisect_left(self._loops, (node.lineno, node.col_offset))  # type: ignore[attr-defined]
        return at < len(self._loops) and self._loops[at] <= (
            end_line, node.end_col_offset)  # type: ignore[attr-defined]

    def _visit(self, node: ast.AST, loop: ast.AST | None, seen: set[int],
               ctx: FileContext) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            return  # visited on its own
        if loop is None and not self._holds_loop(node):
            return  # outside a loop, only a loop below can lead to a query in a loop
        if isinstance(node, ast.For | ast.AsyncFor):
            self._visit(node.iter, loop, seen, ctx)
            inner = node if _over_rows(node.iter, self._kwargs) else loop
            self._scan(node.body, inner, seen, ctx)
            self._scan(node.orelse, loop, seen, ctx)
            return
        if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            first = node.generators[0]
            self._visit(first.iter, loop, seen, ctx)
            inner = node if _over_rows(first.iter, self._kwargs) else loop
            rest: list[ast.AST] = [first.target, *first.ifs]
            for gen in node.generators[1:]:
                rest.extend([gen.target, gen.iter, *gen.ifs])
            rest.extend([node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt])
            self._scan(rest, inner, seen, ctx)
            return
        if loop is not None and isinstance(node, ast.Call) and id(node) not in seen and any(
            isinstance(c.func, ast.Attribute) and c.func.attr in _QUERY_METHODS
            for c in _chain(node)
        ):  # else no call of the chain is a query, nor marks one: nothing to test
            targets = _targets(loop)
            if _is_django_write(node) or _is_batched(node) or _on_loop_models(node, targets):
                # One UPDATE per row may be deliberate; a batch or a loop over model classes
                # is not one query per row.
                _mark_chain(node, seen)
            family = None
            if id(node) not in seen:
                family = next((fam for c in _chain(node) for fam in [_query_family(c)] if fam),
                              None)
            if family is not None and _root(node) not in targets:
                _mark_chain(node, seen)
                self._hits.append(_Hit(
                    family, ctx.path, node.lineno, node.end_lineno or node.lineno,
                    _describe(node), _loop_text(loop), getattr(loop, "lineno", 0),
                ))
        for child in ast.iter_child_nodes(node):
            self._visit(child, loop, seen, ctx)


def _loop_starts(f: PyFile) -> list[tuple[int, int]]:
    """Where the loops of ``f`` (``for``, comprehensions) start, sorted."""
    out = [(n.lineno, n.col_offset) for kind in _LOOPS for n in f.nodes(kind)]
    out.sort()
    return out


_LOOPS: tuple[type[ast.stmt | ast.expr], ...] = (
    ast.For, ast.AsyncFor, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def _over_rows(iterable: ast.expr, kwargs: str | None) -> bool:
    """False for iterables that are not rows: ``range()``, literals, enums, batches, and the
    function's own ``**kwargs`` (its keyword arguments)."""
    if kwargs is not None and _root(iterable) == kwargs:
        return False
    if isinstance(iterable, ast.List | ast.Tuple | ast.Set | ast.Constant | ast.JoinedStr):
        return False
    name = dotted(iterable)
    if name is not None and name.rsplit(".", 1)[-1][:1].isupper():
        return False  # an Enum or a class: its members, not rows
    node = iterable
    while isinstance(node, ast.Call):
        name = dotted(node.func) or ""
        last = name.rsplit(".", 1)[-1]
        if last in ("range", "enumerate", "zip", "reversed", "sorted") and node.args:
            if last == "range":
                return False
            node = node.args[0]
            continue
        break
    if isinstance(node, ast.Call) and (dotted(node.func) or "").rsplit(".", 1)[-1] == "range":
        return False
    text = (ast.unparse(node) if not isinstance(node, ast.Name) else node.id).lower()
    return not any(w in text for w in _BATCH_WORDS)


def _chain(call: ast.Call) -> list[ast.Call]:
    """The calls of a method chain, outermost first: ``a.b(1).c(2)`` -> [c(2), b(1)]."""
    out: list[ast.Call] = []
    node: ast.expr = call
    while True:
        if isinstance(node, ast.Call):
            out.append(node)
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return out


def _mark_chain(call: ast.Call, seen: set[int]) -> None:
    for c in _chain(call):
        seen.add(id(c))


def _on_loop_models(call: ast.Call, targets: set[str]) -> bool:
    """True when the loop variable is the model queried: ``query(model)``, ``select(model)``,
    ``get(model, pk)`` inside a ``for model in ...`` loop."""
    for c in _chain(call):
        for sub in ast.walk(c):
            if (
                isinstance(sub, ast.Call)
                and sub.args
                and (dotted(sub.func) or "").rsplit(".", 1)[-1] in _MODEL_ARG_CALLS
                and _root(sub.args[0]) in targets
            ):
                return True
    return False


def _is_django_write(call: ast.Call) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in _DJANGO_WRITES and _has_objects(
        func.value
    )


def _has_objects(node: ast.expr) -> bool:
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def _is_batched(call: ast.Call) -> bool:
    for c in _chain(call):
        if any(kw.arg and kw.arg.endswith("__in") for kw in c.keywords):
            return True
        for node in ast.walk(c):
            if isinstance(node, ast.Attribute) and node.attr in ("in_", "any_"):
                return True
            text = const_str(node)
            if text and (" ANY(" in text.upper() or " IN " in text.upper()):
                return True
    return False


def _query_family(call: ast.Call) -> str | None:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    method = func.attr
    if method in _DJANGO_QUERIES and _has_objects(func.value):
        return None if _is_batched(call) else "django"
    receiver = dotted(func.value)
    if receiver is not None:
        last = receiver.rsplit(".", 1)[-1]
        if last in _SESSION_RECEIVERS and method in _SESSION_QUERIES and "request" not in (
            receiver
        ):
            if method in ("get", "get_one") and (not call.args or const_str(call.args[0])):
                return None  # dict-style get("key"), not Session.get(Model, id)
            return None if _is_batched(call) else "sqlalchemy"
        if last in _CURSOR_RECEIVERS and method in _CURSOR_QUERIES:
            return None if _is_batched(call) else "dbapi"
    if method in _FLASK_QUERY_ENDS and _on_model_query(func):
        return None if _is_batched(call) else "sqlalchemy"
    return None


def _on_model_query(func: ast.Attribute) -> bool:
    """True when the chain ``func`` is called on reads a capitalised name's ``query``
    (Flask-SQLAlchemy's ``User.query.filter_by(...)``)."""
    node: ast.expr = func.value
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Attribute) and node.attr == "query" and isinstance(
            node.value, ast.Name
        ) and node.value.id[:1].isupper():
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def _may_query(func: ast.Attribute) -> bool:
    """The receiver tests of :func:`_query_family` alone (no batching test): False when a
    call on ``func`` cannot be a query."""
    method = func.attr
    if method in _DJANGO_QUERIES and _has_objects(func.value):
        return True
    receiver = dotted(func.value)
    if receiver is not None:
        last = receiver.rsplit(".", 1)[-1]
        if (last in _SESSION_RECEIVERS and method in _SESSION_QUERIES) or (
            last in _CURSOR_RECEIVERS and method in _CURSOR_QUERIES
        ):
            return True
    return method in _FLASK_QUERY_ENDS and _on_model_query(func)


def _root(node: ast.expr) -> str | None:
    """The name a call or attribute chain starts from: ``a`` for ``a.b(1).c``."""
    while isinstance(node, ast.Call | ast.Attribute):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _targets(loop: ast.AST) -> set[str]:
    """Names bound by the loop: a query on one of them iterates over models or connections
    (``for Model in models: Model.objects.count()``), not over rows."""
    if isinstance(loop, ast.For | ast.AsyncFor):
        target: ast.AST = loop.target
    elif isinstance(loop, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
        target = loop.generators[0].target
    else:
        return set()
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _describe(call: ast.Call) -> str:
    """The call chain with arguments elided: ``Payment.objects.filter(...).latest()``."""
    parts: list[str] = []
    node: ast.expr = call
    while True:
        if isinstance(node, ast.Call):
            parts.append("(...)" if node.args or node.keywords else "()")
            node = node.func
        elif isinstance(node, ast.Attribute):
            parts.append("." + node.attr)
            node = node.value
        else:
            parts.append(ast.unparse(node) if isinstance(node, ast.Name) else "...")
            break
    parts.reverse()
    text = "".join(parts)
    if len(text) > 70 and len(parts) > 5:  # keep the root, the first call and the last call
        text = "".join(parts[:3]) + "..." + "".join(parts[-2:])
    return text


def _loop_text(loop: ast.AST) -> str:
    if isinstance(loop, ast.For | ast.AsyncFor):
        node: ast.AST = loop.iter
    elif isinstance(loop, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
        node = loop.generators[0].iter
    else:
        return "?"
    text = ast.unparse(node)
    return text if len(text) <= 50 else text[:47] + "..."
