"""Related object loaded lazily for each row of a query (missing select_related / selectinload).

## What it flags
A ``for`` loop over query results whose body reads a relation of the loop variable that the
query did not load, so each iteration runs one more query:

- Django: ``for o in Order.objects.filter(...)`` (or a variable assigned such a queryset in the
  same function) without ``select_related``/``prefetch_related``, reading ``o.customer`` where
  ``customer`` is a ``ForeignKey``/``OneToOneField`` of ``Order``, or ``o.lines.all()`` /
  ``o.lines.count()`` where ``lines`` is a ``ManyToManyField`` or a reverse accessor
  (``related_name`` or ``<model>_set``). ``o.customer_id`` is free and never flagged.
- SQLAlchemy and SQLModel: ``for u in session.scalars(select(User))`` (also ``session.query(User)``,
  ``session.exec(select(User))``, Flask-SQLAlchemy ``User.query``) without ``.options(...)``,
  reading ``u.addresses`` where ``addresses`` is a ``relationship()`` with the default lazy
  loading.

Model classes and their relations are read from the project's own model modules; a model name
defined twice, or a queryset built in a way the detector cannot follow, is not flagged.

## Why it matters
This is the classic N+1: one query for the list, then one per row for the relation. A page of
50 orders with their customers costs 51 round trips instead of 1 (a join) or 2 (a prefetch),
and the cost grows with the page size.

## Example
```python
for order in Order.objects.filter(paid=True):
    rows.append((order.id, order.customer.name))
```

## Use instead
```python
for order in Order.objects.filter(paid=True).select_related("customer"):
    rows.append((order.id, order.customer.name))
```
SQLAlchemy: ``select(User).options(selectinload(User.addresses))``; or declare the
relationship with ``lazy="selectin"``, or ``lazy="raise"`` to turn accidental lazy loads into
errors.

## References
- Django, QuerySet.select_related / prefetch_related:
  https://docs.djangoproject.com/en/stable/ref/models/querysets/#select-related
- SQLAlchemy, Relationship Loading Techniques:
  https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html
- CWE-1050, Excessive Platform Resource Consumption within a Loop:
  https://cwe.mitre.org/data/definitions/1050.html
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from checks.detector import Detector, FileContext, Project
from checks.detectors.database._db import (
    FunctionNode,
    database_library,
    is_migration,
    is_one_off,
    is_test,
    no_database_reason,
    scope_nodes,
    walk_scope,
)
from checks.detectors.database._models import ModelClass, django_models, sqlalchemy_models, unique
from checks.pyast import dotted

_EAGER = frozenset(
    {"select_related", "prefetch_related", "options", "joinedload", "selectinload",
     "subqueryload", "contains_eager", "values", "values_list", "join", "outerjoin",
     "prefetch_related_objects", "raw"}
)
_EAGER_COUNTED = _EAGER - {"values", "join", "raw", "values_list", "outerjoin"}
_MANY_READS = frozenset({"all", "count"})
_SESSION_QUERIES = frozenset({"query", "scalars", "execute", "exec"})
_QUERY_ATTRS = _SESSION_QUERIES | {"objects"}
"""Every iterable that :func:`_source` follows to a model reads one of these attributes."""
_SCOPE_KINDS = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.ListComp,
                ast.SetComp, ast.GeneratorExp, ast.DictComp)
"""What :meth:`LazyRelationInLoop._function` reads of a function: assignments and loops."""


@dataclass(frozen=True, slots=True)
class _Loop:
    """A loop over query results: the model as written, the loop variable and the body."""

    family: str  # "django" | "sqlalchemy"
    model: str
    var: str
    body: list[ast.AST]
    line: int
    path: str
    source: str


class LazyRelationInLoop(Detector):
    """Flags relations read per row without eager loading (see module docstring)."""

    slug = "lazy-relation-in-loop"
    items = ("DB-08",)
    attributes = _EAGER_COUNTED | _QUERY_ATTRS

    def __init__(self) -> None:
        super().__init__()
        self._loops: list[_Loop] = []
        self._eager_calls = 0
        self._skip = False
        # Functions whose own body reads a query attribute (.objects, .query...) and loops
        # over a plain name: the only ones whose loops can iterate over query results.
        self._querying: dict[int, FunctionNode] = {}
        self._looping: set[int] = set()

    def start_file(self, ctx: FileContext) -> None:
        f = ctx.file
        self._skip = is_test(f) or is_migration(f) or is_one_off(f)
        self._querying = {}
        self._looping = set()

    def visit_Attribute(self, node: ast.Attribute, ctx: FileContext) -> None:
        if self._skip:
            return
        if node.attr in _EAGER_COUNTED:
            self._eager_calls += 1
        elif node.attr in _QUERY_ATTRS:
            fn = ctx.function
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                self._querying[id(fn)] = fn

    def visit_For(self, node: ast.For, ctx: FileContext) -> None:
        self._loop(node.target, ctx)

    def visit_AsyncFor(self, node: ast.AsyncFor, ctx: FileContext) -> None:
        self._loop(node.target, ctx)

    def visit_ListComp(self, node: ast.ListComp, ctx: FileContext) -> None:
        self._loop(node.generators[0].target, ctx)

    def visit_SetComp(self, node: ast.SetComp, ctx: FileContext) -> None:
        self._loop(node.generators[0].target, ctx)

    def visit_GeneratorExp(self, node: ast.GeneratorExp, ctx: FileContext) -> None:
        self._loop(node.generators[0].target, ctx)

    def visit_DictComp(self, node: ast.DictComp, ctx: FileContext) -> None:
        self._loop(node.generators[0].target, ctx)

    def _loop(self, target: ast.expr, ctx: FileContext) -> None:
        if isinstance(target, ast.Name) and not self._skip:
            fn = ctx.function
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                self._looping.add(id(fn))

    def end_file(self, ctx: FileContext) -> None:
        found = [fn for key, fn in self._querying.items() if key in self._looping]
        for fn in sorted(found, key=lambda n: (n.lineno, n.col_offset)):
            self._function(fn, ctx)

    def _function(self, fn: FunctionNode, ctx: FileContext) -> None:
        assigned: dict[str, list[ast.expr]] = {}
        loops: list[tuple[ast.expr, ast.Name, list[ast.AST], int]] = []
        for node in scope_nodes(ctx.file, fn, *_SCOPE_KINDS):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(
                node.target, ast.Name
            ) and node.value is not None:
                assigned.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, ast.For | ast.AsyncFor) and isinstance(node.target, ast.Name):
                loops.append((node.iter, node.target, list(node.body), node.lineno))
            elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
                first = node.generators[0]
                if isinstance(first.target, ast.Name):
                    body: list[ast.AST] = [*first.ifs, *node.generators[1:]]
                    body.extend([node.key, node.value] if isinstance(node, ast.DictComp)
                                else [node.elt])
                    loops.append((first.iter, first.target, body, node.lineno))
        for iterable, target, body, line in loops:
            found = _source(iterable, assigned, 0)
            if found is not None:
                family, model = found
                self._loops.append(_Loop(family, model, target.id, body, line, ctx.path,
                                         _short(ast.unparse(iterable))))

    def finish(self, project: Project) -> None:
        if database_library(project) is None:
            self.not_applicable("DB-08", no_database_reason())
            return
        models = {
            "django": django_models(project) if self._loops and project.uses("django") else {},
            "sqlalchemy": sqlalchemy_models(project) if self._loops else {},
        }
        for loop in self._loops:
            model = unique(models[loop.family], loop.model)
            if model is not None and not model.eager_manager:
                self._check(loop, model)
        if not self.findings and self._eager_calls:
            self.evidence("DB-08", f"eager loading used at {self._eager_calls} places "
                          "(select_related/prefetch_related/options/selectinload/joinedload)")

    def _check(self, loop: _Loop, model: ModelClass) -> None:
        reported: set[str] = set()
        parents: dict[int, ast.AST] = {}
        for node in walk_scope(loop.body):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
        for node in walk_scope(loop.body):
            if not (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == loop.var
                and isinstance(node.ctx, ast.Load)
                and node.attr in model.relations
                and node.attr not in reported
            ):
                continue
            rel = model.relations[node.attr]
            if not rel.lazy:
                continue
            parent = parents.get(id(node))
            if model.family == "django" and rel.kind in ("m2m", "reverse") and not (
                isinstance(parent, ast.Attribute)
                and parent.attr in _MANY_READS
                and isinstance(parents.get(id(parent)), ast.Call)
            ):
                continue
            reported.add(node.attr)
            fix = ("prefetch_related" if rel.kind in ("m2m", "reverse") else "select_related") \
                if model.family == "django" else "options(selectinload(...))"
            self.report(
                "DB-08", loop.path, node.lineno,
                f"`{loop.var}.{node.attr}` {_kind(rel.kind)} once per row of "
                f"`{loop.source}` (line {loop.line}): N+1 queries",
                _hint(model, node.attr, fix),
                end_line=node.end_lineno,
            )


def _kind(kind: str) -> str:
    what = {"fk": "a related object", "o2o": "a related object", "m2m": "a related set",
            "reverse": "a related set"}
    return f"loads {what[kind]}" if kind in what else "lazy-loads its relationship"


def _hint(model: ModelClass, attr: str, fix: str) -> str:
    if model.family == "django":
        extra = f" (or read `{attr}_id` if only the key is needed)" if fix == "select_related" \
            else ""
        return f"Add `.{fix}(\"{attr}\")` to the queryset{extra}."
    return (f"Add `.options(selectinload({model.name}.{attr}))` to the query, or declare the "
            "relationship with lazy=\"selectin\" (lazy=\"raise\" makes missed cases fail "
            "loudly).")


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:47] + "..."


def _source(node: ast.expr, assigned: dict[str, list[ast.expr]],
            depth: int) -> tuple[str, str] | None:
    """``(family, model name)`` when ``node`` evaluates to rows of one model loaded without
    eager loading, else None."""
    if depth > 4:
        return None
    calls: list[ast.Call] = []
    cur: ast.expr = node
    while isinstance(cur, ast.Call | ast.Attribute):
        if isinstance(cur, ast.Call):
            calls.append(cur)
            cur = cur.func
            continue
        if cur.attr in _EAGER:
            return None
        if cur.attr == "objects":
            name = dotted(cur.value)
            return ("django", name.rsplit(".", 1)[-1]) if name else None
        if cur.attr == "query" and isinstance(cur.value, ast.Name) and (
            cur.value.id[:1].isupper()
        ):
            return "sqlalchemy", cur.value.id  # Flask-SQLAlchemy's Model.query
        if cur.attr in _SESSION_QUERIES and calls and calls[-1].func is cur and calls[-1].args:
            if any(_mentions_eager(a) for c in calls for a in [*c.args, *c.keywords]):
                return None
            return _sqlalchemy_model(calls[-1])
        cur = cur.value
    if isinstance(cur, ast.Name) and cur.id in assigned:
        if any(_mentions_eager(a) for c in calls for a in [*c.args, *c.keywords]):
            return None
        values = assigned[cur.id]
        if any(_mentions_eager(v) for v in values):
            return None
        # ``qs = qs.filter(...)`` refines the same queryset: follow the other assignments.
        results = {_source(v, assigned, depth + 1) for v in values if _root(v) != cur.id}
        if len(results) == 1:
            return results.pop()
    return None


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Call | ast.Attribute):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _mentions_eager(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr in _EAGER:
            return True
        if isinstance(sub, ast.Name) and sub.id in _EAGER:
            return True
    return False


def _sqlalchemy_model(call: ast.Call) -> tuple[str, str] | None:
    """The model of ``session.query(Model)`` or ``session.scalars(select(Model)...)``."""
    func = call.func
    assert isinstance(func, ast.Attribute)
    if _mentions_eager(call):
        return None
    if func.attr == "query":
        if len(call.args) == 1 and isinstance(call.args[0], ast.Name):
            return "sqlalchemy", call.args[0].id
        return None
    if not call.args:
        return None
    cur: ast.expr = call.args[0]
    while isinstance(cur, ast.Call | ast.Attribute):
        if isinstance(cur, ast.Call):
            name = dotted(cur.func) or ""
            if name.rsplit(".", 1)[-1] == "select":
                if len(cur.args) == 1 and isinstance(cur.args[0], ast.Name):
                    return "sqlalchemy", cur.args[0].id
                return None
            cur = cur.func
        else:
            cur = cur.value
    return None
