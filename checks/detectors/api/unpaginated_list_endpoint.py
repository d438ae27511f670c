"""GET endpoint that returns a whole table: no limit, offset, page or cursor.

## What it flags
API endpoints answering GET (FastAPI, Flask, Django, DRF, Django Ninja; pages that render
templates left out) that hand back an unbounded collection:

- a handler whose response is built from a query with no limit: ``Model.query.all()``,
  ``session.query(Model).all()``, ``session.scalars(select(Model)).all()``,
  ``session.execute(select(Model)).scalars().all()``, ``Model.objects.all()``/``.filter()``
  chains (Django) without slicing, Motor's ``.to_list(None)``; directly in the ``return`` or
  through local variables (``jsonify([u.to_dict() for u in users])``);
- a FastAPI/Ninja route declared ``response_model=list[X]`` (or returning ``-> list[X]``) that
  queries data and takes no ``limit``/``offset``/``page``/``cursor``-like parameter, unless the
  request bounds the result (a path parameter: ``/orders/{id}/lines``; a list of ids passed in);
- a DRF ``ListAPIView``/``ListCreateAPIView``/``ModelViewSet``/``ReadOnlyModelViewSet`` (or a
  view with ``ListModelMixin``) with no ``pagination_class`` when the settings have no
  ``DEFAULT_PAGINATION_CLASS``.

Not flagged: handlers that take a page-like parameter, read one from the query string, call
``.limit()``/``.offset()``/``.paginate()``/``Paginator``/``fastapi_pagination.paginate``, or
slice; export/download endpoints (by name); ``pagination_class = None`` set on purpose.

## Why it matters
A collection endpoint that returns every row gets slower and larger as the table grows, until
responses time out, memory spikes and clients (and attackers) can pull the whole dataset in one
request (CWE-770, OWASP API4:2023).

## Example
```python
@router.get("/orders", response_model=list[OrderOut])
def list_orders(session: Session = Depends(get_session)):
    return session.scalars(select(Order)).all()
```

## Use instead
```python
@router.get("/orders", response_model=list[OrderOut])
def list_orders(limit: int = Query(50, le=200), offset: int = 0,
                session: Session = Depends(get_session)):
    return session.scalars(select(Order).order_by(Order.id).limit(limit).offset(offset)).all()
```
(or fastapi-pagination's ``Page[OrderOut]``, DRF ``DEFAULT_PAGINATION_CLASS`` with
``PAGE_SIZE``, Flask-SQLAlchemy's ``paginate()``).

## References
- OWASP API4:2023 Unrestricted Resource Consumption: https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/
- CWE-770, Allocation of Resources Without Limits or Throttling: https://cwe.mitre.org/data/definitions/770.html
- Django REST framework, Pagination: https://www.django-rest-framework.org/api-guide/pagination/
- fastapi-pagination: https://uriyyo-fastapi-pagination.netlify.app/
"""

from __future__ import annotations

import ast
import re

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.api._common import drf_setting, params
from checks.detectors.api._routes import (
    DRF,
    FASTAPI,
    NINJA,
    ClassTable,
    FunctionNode,
    Route,
    handler_methods,
    handlers,
    is_api_route,
    is_param,
    lookup,
    project_classes,
    project_routes,
    qualify,
    segments,
)
from checks.detectors.observability._syntax import walked
from checks.pyfile import PyFile

_PAGE_PARAM = re.compile(
    r"^(limit|offset|page|page_?size|per_?page|size|cursor|skip|after|before|first|last|start|"
    r"take|page_?number|page_?token|next_?token|max_?results|pagination|paginator|params|"
    r"page_?params|pager|count)$",
    re.IGNORECASE,
)
_PAGE_WORDS = frozenset({"limit", "offset", "page", "page_size", "per_page", "cursor", "size",
                         "pagesize", "perpage", "skip", "after", "max_results", "page_token"})
_LIMITERS = frozenset({"limit", "offset", "slice", "paginate", "fetchmany", "page", "top",
                       "first", "one", "one_or_none", "scalar", "scalar_one", "get", "last",
                       "count", "exists", "aggregate", "in_bulk", "paginate_queryset",
                       "get_page", "limit_by", "earliest", "latest", "get_or_404",
                       "first_or_404", "one_or_404"})
_DJANGO_CHAIN = frozenset({"all", "filter", "exclude", "order_by", "select_related",
                           "prefetch_related", "annotate", "values", "values_list", "distinct",
                           "only", "defer", "using", "alias"})
_ARG_LIMITERS = frozenset({"limit", "offset", "slice", "paginate", "fetch"})
_SINGLE_KEYS = frozenset({"pk", "id", "uuid", "slug"})
_EXPORT = re.compile(r"export|download|csv|xlsx|dump|backup|sitemap|feed|rss", re.IGNORECASE)
_LIST_TYPES = frozenset({"list", "List", "typing.List", "Sequence", "typing.Sequence",
                         "collections.abc.Sequence", "Iterable", "typing.Iterable"})
_PAGE_TYPES = re.compile(r"Page|Paginat|Cursor|Connection")
_LIST_BASES = frozenset({"ListAPIView", "ListCreateAPIView", "ModelViewSet",
                         "ReadOnlyModelViewSet", "ListModelMixin"})
_DRF_NAMES = frozenset({*_LIST_BASES, "GenericAPIView", "APIView", "GenericViewSet", "ViewSet",
                        "CreateModelMixin", "RetrieveModelMixin", "UpdateModelMixin",
                        "DestroyModelMixin", "object"})
_HINT = ("Take limit/offset (with an enforced maximum) or a cursor and apply them to the query "
         "(.limit()/.offset(), fastapi-pagination's Page[...], Flask-SQLAlchemy paginate(), DRF "
         "DEFAULT_PAGINATION_CLASS with PAGE_SIZE).")


class UnpaginatedListEndpoint(Detector):
    """Flags collection endpoints without pagination (see module docstring)."""

    slug = "unpaginated-list-endpoint"
    items = ("API-08",)

    def finish(self, project: Project) -> None:
        pr = project_routes(project)
        if not pr.routes:
            self.not_applicable("API-08", "no HTTP endpoints found")
            return
        classes = project_classes(project)
        default = drf_setting(project, "DEFAULT_PAGINATION_CLASS")
        if default is not None and pyast.const(default.value) is not None:
            self.evidence("API-08", f"DRF DEFAULT_PAGINATION_CLASS set at "
                          f"{default.path}:{default.line}")
        seen: set[int] = set()
        checked = 0
        for route in pr.routes:
            if not route.handles("GET") or id(route.node) in seen or not is_api_route(route):
                continue
            if _EXPORT.search(f"{route.name} {route.path}"):
                continue
            seen.add(id(route.node))
            f = project.python[route.file]
            checked += 1
            if route.cls is not None and route.framework == DRF:
                self._drf_class(route, f, classes, default is not None and pyast.const(
                    default.value) is not None)
            elif route.function is not None:
                self._function(route, route.function, f)
        if checked and not self.findings:
            self.evidence("API-08", f"{checked} GET endpoints checked: none returns an "
                          "unbounded collection")

    def _function(self, route: Route, fn: FunctionNode, f: PyFile) -> None:
        if _takes_page_param(fn) or _mentions_paging(fn):
            return
        where = route.describe()
        hit = _unbounded_return(fn)
        if hit is not None:
            node, query = hit
            self.report("API-08", route.file, node.lineno,
                        f"{where} returns every row: `{query}` has no limit and the handler "
                        "takes no limit, offset, page or cursor parameter", _HINT,
                        end_line=node.end_lineno)
            return
        declared = _declared_list(route, fn)
        if (declared is not None and route.framework in (FASTAPI, NINJA) and _queries(fn)
                and not _bounded_by_request(route, fn)):
            self.report("API-08", route.file, route.line,
                        f"{where} declares `{declared}` and takes no limit, offset, page or "
                        "cursor parameter: the whole collection is returned", _HINT,
                        end_line=route.def_line)

    def _drf_class(self, route: Route, f: PyFile, classes: ClassTable,
                   global_default: bool) -> None:
        cls = route.cls
        assert cls is not None
        for fn in handlers(route):
            if "GET" in handler_methods(fn) and fn.name in ("get", "list"):
                self._function(route, fn, f)
        if global_default or any(fn.name == "list" for fn in handlers(route)):
            return
        lister = _list_base(cls, f, classes)
        if lister is None or _sets_pagination(cls, f, classes):
            return
        self.report("API-08", route.file, cls.lineno,
                    f"`{cls.name}` ({lister}) lists {route.path or 'its queryset'} with no "
                    "pagination_class and no DEFAULT_PAGINATION_CLASS in the settings", _HINT,
                    key=f"drf-unpaginated:{cls.name}")


def _bounded_by_request(route: Route, fn: FunctionNode) -> bool:
    """True when the request bounds the result: a sub-collection of one item (a path parameter,
    ``/cases/{case_id}/participants``) or a list of identifiers passed in (``ids: list[str]``)."""
    if any(is_param(s) for s in segments(route.path or route.path_literal)):
        return True
    for arg in params(fn):
        annotation = arg.annotation
        base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
        if base is not None and (pyast.dotted(base) or "").rsplit(".", 1)[-1] in (
            "list", "List", "set", "Set", "Sequence", "tuple", "Tuple"
        ):
            return True
    return False


def _takes_page_param(fn: FunctionNode) -> bool:
    for arg in params(fn):
        if _PAGE_PARAM.match(arg.arg):
            return True
        if arg.annotation is not None and _PAGE_TYPES.search(ast.unparse(arg.annotation)):
            return True
    return False


def _mentions_paging(fn: FunctionNode) -> bool:
    """A page-like query parameter read by name, a paging call, or a slice of a query."""
    for node in walked(fn):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
            node.value.lower() in _PAGE_WORDS
        ):
            return True
        if isinstance(node, ast.Call):
            name = pyast.attr_name(node) or ""
            if name in ("paginate", "Paginator", "paginate_queryset", "get_paginated_response",
                        "limit", "offset", "slice", "fetchmany"):
                return True
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            return True
    return False


def _unbounded_return(fn: FunctionNode) -> tuple[ast.Return, str] | None:
    """``(node to report, query text)`` when a return value carries an unbounded query."""
    tainted: dict[str, str] = {}
    limited: set[str] = set()
    for _ in range(3):  # names assigned from names assigned from a query
        for node in walked(fn):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and (
                node.value is not None
            ):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                query = _query_in(node.value, tainted)
                for t in targets:
                    if isinstance(t, ast.Name) and query is not None:
                        tainted.setdefault(t.id, query)
    for node in walked(fn):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    limited.add(t.id)
    for name in limited:
        tainted.pop(name, None)
    for node in walked(fn):
        if isinstance(node, ast.Return) and node.value is not None:
            query = _query_in(node.value, tainted)
            if query is not None:
                return node, query
    return None


def _query_in(expr: ast.expr, tainted: dict[str, str]) -> str | None:
    for node in ast.walk(expr):
        if isinstance(node, ast.Call):
            text = _unbounded_query(node)
            if text is not None:
                return text
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and (
            node.id in tainted
        ):
            return tainted[node.id]
    return None


def _unbounded_query(call: ast.Call) -> str | None:
    """The query text when ``call`` ends a query chain that loads every row."""
    if not isinstance(call.func, ast.Attribute):
        return None
    attr = call.func.attr
    chain = _chain(call)
    attrs = [a for a, _ in chain]
    if any(a in _LIMITERS for a in attrs[1:]):
        return None
    if any(isinstance(n, ast.Subscript) for _, n in chain):
        return None
    for _, n in chain:  # a limit inside an argument: session.scalars(select(X).limit(10))
        if isinstance(n, ast.Call) and any(
            isinstance(sub, ast.Call) and (pyast.attr_name(sub) or "") in _ARG_LIMITERS
            for arg in n.args for sub in ast.walk(arg)
        ):
            return None
    if attr == "all" and not call.args:
        signals = set(attrs) | {pyast.attr_name(n) or "" for _, n in chain
                                if isinstance(n, ast.Call)}
        has_select = any(
            isinstance(n, ast.Call) and any(
                isinstance(a, ast.Call) and (pyast.attr_name(a) or "") in ("select", "query")
                for a in n.args)
            for _, n in chain)
        if signals & {"query", "scalars", "objects"} or has_select:
            return _text(call)
        return None
    if attr in _DJANGO_CHAIN and "objects" in attrs:
        if attr in ("filter", "exclude") and any(
            kw.arg and kw.arg.split("__", 1)[0] in _SINGLE_KEYS for kw in call.keywords
        ):
            return None
        return _text(call)
    if attr == "to_list" and (
        (call.args and pyast.const(call.args[0]) is None)
        or (pyast.keyword(call, "length") is not None
            and pyast.const(pyast.keyword(call, "length")) is None)
    ):
        return _text(call)
    return None


def _chain(call: ast.Call) -> list[tuple[str, ast.AST]]:
    """``[(attr, node), ...]`` from the outermost call down its receiver chain."""
    out: list[tuple[str, ast.AST]] = []
    node: ast.AST = call
    while True:
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                out.append((func.attr, node))
                node = func.value
            else:
                out.append((pyast.dotted(func) or "", node))
                break
        elif isinstance(node, ast.Attribute):
            out.append((node.attr, node))
            node = node.value
        elif isinstance(node, ast.Await):
            node = node.value
        elif isinstance(node, ast.Subscript):
            out.append(("[]", node))
            node = node.value
        else:
            break
    return out


def _text(node: ast.AST) -> str:
    try:
        text = ast.unparse(node)
    except RecursionError:  # a generated chain of thousands of calls
        text = f"...{pyast.attr_name(node) if isinstance(node, ast.Call) else ''}()"
    return text if len(text) <= 80 else text[:77] + "..."


def _declared_list(route: Route, fn: FunctionNode) -> str | None:
    decorator = route.decorator
    model = None
    if decorator is not None:
        model = pyast.keyword(decorator, "response_model") or pyast.keyword(decorator,
                                                                              "response")
    if model is None:
        model = fn.returns
    if model is None:
        return None
    base = model.value if isinstance(model, ast.Subscript) else model
    name = pyast.dotted(base) or ""
    if name in _LIST_TYPES:
        label = "response_model" if model is not fn.returns else "->"
        return f"{label}={ast.unparse(model)}" if label != "->" else f"-> {ast.unparse(model)}"
    return None


def _queries(fn: FunctionNode) -> bool:
    """True when the handler fetches data (any call other than building constant values)."""
    for node in walked(fn):
        if isinstance(node, ast.Return) and node.value is not None:
            if isinstance(node.value, ast.List | ast.Tuple | ast.Constant | ast.ListComp) and (
                not any(isinstance(n, ast.Call) for n in ast.walk(node.value))
            ):
                continue
            if isinstance(node.value, ast.Name) and node.value.id.isupper():
                continue
            return True
    return False


def _list_base(cls: ast.ClassDef, f: PyFile, classes: ClassTable, depth: int = 0) -> str | None:
    for base in cls.bases:
        name = (pyast.resolve(base, f) or "").rsplit(".", 1)[-1]
        if name in _LIST_BASES:
            return name
        parent = _project_base(base, f, classes)
        if parent is not None and parent[1] is not cls and depth < 5:
            found = _list_base(parent[1], parent[0], classes, depth + 1)
            if found is not None:
                return found
    return None


def _project_base(base: ast.expr, f: PyFile, classes: ClassTable
                  ) -> tuple[PyFile, ast.ClassDef] | None:
    ref = pyast.dotted(base)
    return lookup(classes, qualify(f, ref), by_name=True) if ref else None


def _sets_pagination(cls: ast.ClassDef, f: PyFile, classes: ClassTable, depth: int = 0) -> bool:
    """True when the class or a base sets ``pagination_class`` or paginates by hand; also when
    a base comes from a library other than DRF (it may paginate)."""
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(isinstance(t, ast.Name) and t.id == "pagination_class" for t in targets):
                return True
        if isinstance(stmt, ast.FunctionDef) and stmt.name in ("paginate_queryset",
                                                               "get_paginated_response"):
            return True
    for base in cls.bases:
        resolved = pyast.resolve(base, f) or ""
        if resolved.startswith("rest_framework.") or resolved.rsplit(".", 1)[-1] in _DRF_NAMES:
            continue
        parent = _project_base(base, f, classes)
        if parent is None:
            return True
        if parent[1] is not cls and depth < 5 and _sets_pagination(parent[1], parent[0],
                                                                   classes, depth + 1):
            return True
    return False
