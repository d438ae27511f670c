"""Which functions are request handlers: code that runs while a client waits for the response.

Shared by the scalability, database and architecture detectors that flag slow work done inline.
A request handler is:

- a function decorated with a route decorator: ``@app.get("/x")``, ``@router.post(...)``,
  ``@bp.route(...)``, ``@app.route(...)``, ``@routes.get(...)`` (aiohttp), ``@get("/")``
  (Litestar), ``@api.get(...)`` (Django Ninja);
- a Django or DRF function view: a function whose first parameter is ``request`` in a views
  module (``views.py``, ``views/``, ``viewsets.py``, ``api.py``) or decorated with ``api_view``;
- a method named after an HTTP verb (``get``, ``post``...) or a DRF action (``list``,
  ``retrieve``...) of a class-based view (a class whose base name ends in ``View``, ``ViewSet``,
  ``APIView``, ``Resource``, ``Handler`` or ``Endpoint``, or any class of a views module), or a
  method decorated with DRF's ``@action``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from checks.detector import Project
from checks.detectors.database._db import (
    decorated_functions,
    functions,
    imports_any,
    module_statements,
    service_files,
)
from checks.pyast import dotted, resolve
from checks.pyfile import PyFile

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

WEB_FRAMEWORKS = (
    "fastapi", "flask", "starlette", "quart", "sanic", "litestar", "starlite", "aiohttp",
    "falcon", "bottle", "tornado", "pyramid", "django", "rest_framework", "ninja", "connexion",
)
"""Import names of web frameworks (``Project.uses`` also tries them as distribution names)."""

QUEUE_LIBRARIES = (
    "celery", "rq", "django_rq", "dramatiq", "arq", "huey", "taskiq", "procrastinate",
    "django_q", "saq", "kombu",
)
"""Import names of task queues, for evidence that background work goes through a queue."""

_ROUTE_ATTRS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "trace", "route", "api_route",
     "websocket", "websocket_route", "view"}
)
_BARE_ROUTE_MODULES = ("litestar", "starlite")
_ROUTER_WORDS = ("app", "router", "bp", "blueprint", "api", "routes", "web", "application")
_NOT_ROUTERS = frozenset({"mock", "unittest", "pytest", "patch", "requests", "httpx", "session",
                          "client", "cache", "redis", "os", "dict", "self"})
_HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace"})
_DRF_ACTIONS = frozenset({"list", "create", "retrieve", "update", "partial_update", "destroy"})
_VERBS = _HTTP_METHODS | _DRF_ACTIONS
_VIEW_BASE_SUFFIXES = ("View", "ViewSet", "APIView", "Resource", "Handler", "Endpoint",
                       "Mixin")
_VIEW_MODULES = frozenset({"views", "viewsets", "api", "endpoints", "handlers"})


def is_web_file(f: PyFile) -> bool:
    """True when the file imports a web framework."""
    return imports_any(f, *WEB_FRAMEWORKS)


def is_views_module(path: str) -> bool:
    """True for Django-style views modules: ``views.py``, ``views/x.py``, ``viewsets.py``."""
    parts = path.split("/")
    stem = parts[-1].removesuffix(".py")
    return stem in _VIEW_MODULES or any(p in ("views", "viewsets") for p in parts[:-1])


def request_handlers(f: PyFile) -> dict[int, FunctionNode]:
    """The request handlers defined anywhere in ``f``, by ``id()`` of their node, in source
    order; computed once per file and shared (callers must not change the dict). It reads the
    file's node index: call it after the file's traversal (in ``end_file`` or ``finish``)."""
    found: dict[int, FunctionNode] | None = f.memo.get("scale.request_handlers")
    if found is None:
        found = f.memo["scale.request_handlers"] = _request_handlers(f)
    return found


def _request_handlers(f: PyFile) -> dict[int, FunctionNode]:
    out: dict[int, FunctionNode] = {}
    web = is_web_file(f)
    views = is_views_module(f.path)
    methods: dict[int, ast.ClassDef] | None = None  # functions written directly in a class body
    for fn in functions(f) if web else decorated_functions(f):
        # Without a decorator, only a view of a web file can be a handler: a method named
        # after a verb, or (in a views module) a function taking the request.
        if not fn.decorator_list and (
            not web or (not views and fn.name.removeprefix("on_") not in _VERBS)
        ):
            continue
        if methods is None:
            methods = {}
            for cls in f.nodes(ast.ClassDef):
                for stmt in cls.body:
                    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                        methods[id(stmt)] = cls
        if _is_handler(fn, methods.get(id(fn)), f, web, views):
            out[id(fn)] = fn
    return out


def route_decorator(fn: FunctionNode, f: PyFile, web_file: bool) -> str | None:
    """The route decorator's dotted name (``app.get``), or None when ``fn`` has none."""
    for d in fn.decorator_list:
        if not isinstance(d, ast.Call):
            continue
        func = d.func
        if isinstance(func, ast.Name):
            target = f.imports.get(func.id, "")
            if target.split(".", 1)[0] in _BARE_ROUTE_MODULES and func.id in _ROUTE_ATTRS:
                return target
            continue
        if not isinstance(func, ast.Attribute) or func.attr not in _ROUTE_ATTRS:
            continue
        receiver = resolve(func.value, f)
        if receiver is None:
            continue
        head = receiver.split(".", 1)[0]
        last = receiver.rsplit(".", 1)[-1].lower()
        if head in _NOT_ROUTERS or last in _NOT_ROUTERS or "mock" in receiver:
            continue
        if web_file or last in _ROUTER_WORDS or last.endswith(_ROUTER_WORDS):
            return f"{dotted(func.value)}.{func.attr}"
    return None


def _first_param(fn: FunctionNode, method: bool) -> str | None:
    params = [*fn.args.posonlyargs, *fn.args.args]
    if method:
        params = params[1:]
    return params[0].arg if params else None


def _decorator_last(d: ast.expr, f: PyFile) -> str | None:
    """The last part of the decorator's resolved name (``api_view`` for
    ``@decorators.api_view(...)``), or None when it has no dotted name; cheaply, without
    resolving the whole name."""
    target = d.func if isinstance(d, ast.Call) else d
    if isinstance(target, ast.Name):
        imported = f.imports.get(target.id)
        return target.id if imported is None else imported.rsplit(".", 1)[-1]
    if not isinstance(target, ast.Attribute):
        return None
    base = target.value
    while isinstance(base, ast.Attribute):
        base = base.value
    return target.attr if isinstance(base, ast.Name) else None


def _is_handler(fn: FunctionNode, cls: ast.ClassDef | None, f: PyFile, web: bool,
                views: bool) -> bool:
    if route_decorator(fn, f, web) is not None:
        return True
    if cls is None:
        if any(_decorator_last(d, f) == "api_view" for d in fn.decorator_list):
            return True
        return views and web and _first_param(fn, method=False) == "request"
    for d in fn.decorator_list:
        if _decorator_last(d, f) == "action" and "rest_framework" in (
            resolve(d.func if isinstance(d, ast.Call) else d, f) or ""
        ):
            return True
    verb = fn.name.removeprefix("on_")  # Falcon responders are on_get, on_post...
    if verb not in _HTTP_METHODS and verb not in _DRF_ACTIONS:
        return False
    if views and web and _first_param(fn, method=True) in ("request", "req"):
        return True
    for base in cls.bases:
        name = dotted(base)
        if name and name.rsplit(".", 1)[-1].endswith(_VIEW_BASE_SUFFIXES):
            return web
    return False


def qualified_name(node: ast.expr, f: PyFile) -> str | None:
    """The project-wide dotted name ``node`` refers to: resolved through ``f``'s imports
    (relative ones made absolute against ``f``'s package), or prefixed with ``f``'s module when
    the name is bound in ``f`` itself."""
    raw = dotted(node)
    if raw is None:
        return None
    if raw.split(".", 1)[0] not in f.imports:
        return f"{module_name(f)}.{raw}"
    name = resolve(node, f) or raw
    if not name.startswith("."):
        return name
    level = len(name) - len(name.lstrip("."))
    package = module_name(f).split(".")
    if not f.path.endswith("__init__.py"):
        package = package[:-1]
    base = package[: len(package) - (level - 1)] if level > 1 else package
    rest = name[level:]
    return ".".join([*base, rest]) if rest else ".".join(base)


def module_name(f: PyFile) -> str:
    """``f.module_name``, computed once per file."""
    name: str | None = f.memo.get("scale.module_name")
    if name is None:
        name = f.memo["scale.module_name"] = f.module_name
    return name


def module_keys(f: PyFile, name: str) -> list[str]:
    """Keys under which ``name`` defined at the top of ``f`` can be imported: the dotted module
    path and each shorter suffix of it (``backend.app.utils.x``, ``app.utils.x``,
    ``utils.x``), since a repository's source root (``src/``, ``backend/``) is not known."""
    return [prefix + name for prefix in _module_prefixes(f)]


def _module_prefixes(f: PyFile) -> list[str]:
    """``["backend.app.utils.", "app.utils.", "utils."]`` for ``backend/app/utils.py``,
    computed once per file."""
    found: list[str] | None = f.memo.get("scale.module_prefixes")
    if found is None:
        parts = module_name(f).split(".")
        found = f.memo["scale.module_prefixes"] = [
            ".".join(parts[i:]) + "." for i in range(len(parts))]
    return found


def service_functions(project: Project) -> dict[str, tuple[PyFile, FunctionNode]]:
    """:func:`project_functions` of the service files (see
    :func:`~checks.detectors.database._db.service_files`), computed once per review."""
    return project.memo("scale.service_functions",
                        lambda: project_functions(service_files(project)))


def project_functions(files: Iterable[PyFile]) -> dict[str, tuple[PyFile, FunctionNode]]:
    """Module-level functions of ``files`` by every key of :func:`module_keys`; a key that two
    different functions share is dropped, so a lookup never picks the wrong one."""
    out: dict[str, tuple[PyFile, FunctionNode]] = {}
    clashes: set[str] = set()
    for f in files:
        prefixes: list[str] | None = None
        for stmt in module_statements(f, ast.FunctionDef, ast.AsyncFunctionDef):
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                if prefixes is None:
                    prefixes = _module_prefixes(f)
                entry = (f, stmt)
                for prefix in prefixes:
                    key = prefix + stmt.name
                    known = out.get(key)
                    if known is not None and known[1] is not stmt:
                        clashes.add(key)
                    out[key] = entry
    for key in clashes:
        del out[key]
    return out
