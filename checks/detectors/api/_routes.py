"""Where the HTTP endpoints are: route discovery shared by the API detectors (and any other).

Two entry points:

- :func:`routes` reads ONE :class:`~checks.pyfile.PyFile` and returns the endpoints it defines,
  with the prefixes known inside that file (``APIRouter(prefix=...)``, a ``url_prefix`` of a
  Blueprint, an ``include_router`` in the same file);
- :func:`project_routes` reads the whole project and also joins what crosses files: a router
  included by ``app.include_router(users.router, prefix="/v1")`` in ``main.py``, a Blueprint
  registered with ``url_prefix``, Django ``path()``/``re_path()`` entries of ``urls.py`` (through
  ``include()``) pointing at views in ``views.py``, DRF routers' ``register()`` calls.

What counts as an endpoint:

- FastAPI/Starlette (and Django Ninja): ``@app.get("/x")``, ``@router.post``, ``api_route``
  and ``route`` with ``methods=``, ``app.add_api_route("/x", fn)``, on objects built by
  ``FastAPI()``/``APIRouter()``/``Starlette()``/``NinjaAPI()``/``Router()``;
- Flask/Quart/APIFlask/flask-smorest/flask-restx: ``@app.route("/x", methods=[...])``,
  ``@bp.get``, ``app.add_url_rule``, class decorators ``@blp.route("/")``/``@ns.route("/")`` on
  ``MethodView``/``Resource`` classes, ``api.add_resource(Cls, "/x")``;
- Django: views named by ``path()``/``re_path()``/``url()``; class-based views;
- Django REST framework: ``APIView``/``ViewSet`` subclasses (also when no URL names them) and
  functions decorated with ``@api_view``.

Everything is read from syntax only: nothing is imported or executed. Paths are joined from string
literals; a path built at run time is reported as ``""`` (unknown).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from checks import pyast
from checks.detector import Project
from checks.detectors.database._db import functions, module_statements
from checks.detectors.observability._syntax import (
    DefNode,
    import_tops,
    imports_any,
    mentions,
    walk_order,
    walked,
)
from checks.pyfile import PyFile

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

FASTAPI = "fastapi"
FLASK = "flask"
DJANGO = "django"
DRF = "drf"
NINJA = "ninja"

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
"""HTTP methods that change state."""

WEB_MODULES: dict[str, str] = {
    "fastapi": FASTAPI, "starlette": FASTAPI, "flask": FLASK, "quart": FLASK, "apiflask": FLASK,
    "flask_smorest": FLASK, "flask_restx": FLASK, "flask_restful": FLASK,
    "flask_restplus": FLASK, "django": DJANGO, "rest_framework": DRF, "ninja": NINJA,
}
"""Top-level import names of the web frameworks this module understands, and their family."""

OTHER_WEB_MODULES = ("aiohttp.web", "sanic", "falcon", "tornado.web", "litestar", "starlite",
                     "bottle", "pyramid", "connexion", "cherrypy", "hug", "responder", "masonite",
                     "blacksheep", "robyn", "emmett")
"""Web frameworks whose routes are not read here, but whose presence means the project serves
HTTP."""


@dataclass(frozen=True, slots=True)
class Route:
    """One HTTP endpoint.

    ``methods``: upper-case HTTP methods, sorted; empty when any method reaches the handler (a
    Django function view without ``require_http_methods``). ``path``: the URL path with every
    known prefix joined, as the framework spells it (``/users/{id}``, ``/users/<int:id>``,
    ``/users/<int:pk>/``); ``""`` when it is built at run time or no URL names the view.
    ``file``/``line``: where the handler is defined (the route decorator's line for decorated
    functions, else the ``def``/``class`` line). ``function`` is the handler, or None for a
    class-based view (then ``cls`` is set; :func:`handlers` lists its method handlers).
    ``owner``: dotted name of the app/router/blueprint object, qualified by module when known.
    ``decorator``: the route decorator call, when there is one. ``applied``: resolved names of
    what wraps the route outside its own definition: FastAPI ``dependencies=[Depends(x)]`` of
    the route, its routers, include calls and app (``"?"`` for a dependency built at run time);
    Django wrappers in ``urls.py`` (``path("x/", login_required(views.x))``).
    ``path_literal``: the path exactly as written in the decorator or ``path()`` call (``""``
    when it is not a literal). ``dev_only``: the route's router is included only under a
    debug/local/test condition (``if settings.ENVIRONMENT == "local": ...``). ``enclosing``: the
    class a decorated handler method is defined in (class-based controllers, fastapi-utils'
    ``@cbv``), whose attributes may declare dependencies.
    """

    framework: str
    methods: tuple[str, ...]
    path: str
    file: str
    line: int
    function: FunctionNode | None = None
    cls: ast.ClassDef | None = None
    owner: str = ""
    decorator: ast.Call | None = None
    applied: tuple[str, ...] = ()
    path_literal: str = ""
    dev_only: bool = False
    enclosing: ast.ClassDef | None = None

    @property
    def node(self) -> FunctionNode | ast.ClassDef:
        """The handler function or the view class."""
        node = self.function if self.function is not None else self.cls
        assert node is not None  # every Route is built with one of them
        return node

    @property
    def name(self) -> str:
        """The handler's name (``list_users``) or the view class's name."""
        return self.node.name

    @property
    def def_line(self) -> int:
        """The ``def``/``class`` line (``line`` may be the decorator's, above it)."""
        return self.node.lineno

    def handles(self, method: str) -> bool:
        """True when ``method`` (upper-case) reaches this route."""
        return not self.methods or method in self.methods

    @property
    def mutating(self) -> bool:
        """True when the route accepts POST, PUT, PATCH or DELETE (or any method)."""
        return not self.methods or any(m in MUTATING for m in self.methods)

    def describe(self) -> str:
        """``GET /users`` (or ``GET list_users`` when the path is unknown)."""
        methods = "|".join(self.methods) if self.methods else "ANY"
        return f"{methods} {self.path or self.name}"


@dataclass(frozen=True, slots=True)
class AppObject:
    """An app or router object: ``app = FastAPI()``, ``bp = Blueprint(...)``.

    ``kind`` is ``"app"`` (serves requests itself), ``"router"`` (is included into an app) or
    ``"api"`` (a flask-restful/restx/smorest ``Api`` wrapper). ``prefix`` is the prefix the object
    gives its own routes (``APIRouter(prefix="/users")``).
    """

    framework: str
    kind: str
    name: str
    qualname: str
    file: str
    line: int
    call: ast.Call
    prefix: str = ""
    dependencies: tuple[str, ...] = ()


# -- tables ------------------------------------------------------------------------------------

_CONSTRUCTORS: dict[str, tuple[str, str]] = {
    "fastapi.FastAPI": (FASTAPI, "app"),
    "fastapi.applications.FastAPI": (FASTAPI, "app"),
    "fastapi.APIRouter": (FASTAPI, "router"),
    "fastapi.routing.APIRouter": (FASTAPI, "router"),
    "starlette.applications.Starlette": (FASTAPI, "app"),
    "starlette.routing.Router": (FASTAPI, "router"),
    "flask.Flask": (FLASK, "app"),
    "flask.app.Flask": (FLASK, "app"),
    "flask.Blueprint": (FLASK, "router"),
    "flask.blueprints.Blueprint": (FLASK, "router"),
    "quart.Quart": (FLASK, "app"),
    "quart.Blueprint": (FLASK, "router"),
    "apiflask.APIFlask": (FLASK, "app"),
    "apiflask.APIBlueprint": (FLASK, "router"),
    "flask_smorest.Blueprint": (FLASK, "router"),
    "flask_smorest.Api": (FLASK, "api"),
    "flask_restx.Api": (FLASK, "api"),
    "flask_restx.Namespace": (FLASK, "router"),
    "flask_restplus.Api": (FLASK, "api"),
    "flask_restplus.Namespace": (FLASK, "router"),
    "flask_restful.Api": (FLASK, "api"),
    "ninja.NinjaAPI": (NINJA, "app"),
    "ninja.Router": (NINJA, "router"),
}
_PREFIX_KWARG = {FASTAPI: "prefix", FLASK: "url_prefix", NINJA: ""}

_VERB_ATTRS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE",
               "head": "HEAD", "options": "OPTIONS", "trace": "TRACE"}
_ROUTE_ATTRS = frozenset({*_VERB_ATTRS, "route", "api_route", "api_operation"})
_INCLUDE_ATTRS = frozenset({"include_router", "register_blueprint", "mount", "add_namespace",
                            "add_router"})
_DECORATOR_RE = re.compile(
    r"@\s*[\w.]+\.(?:get|post|put|patch|delete|head|options|route|api_route|api_operation)\s*\("
)

_DRF_API_VIEW = frozenset({"rest_framework.decorators.api_view"})
_DRF_ROUTERS = frozenset({"rest_framework.routers.DefaultRouter",
                          "rest_framework.routers.SimpleRouter",
                          "rest_framework_nested.routers.NestedSimpleRouter",
                          "rest_framework_nested.routers.NestedDefaultRouter",
                          "rest_framework_nested.routers.DefaultRouter",
                          "rest_framework_nested.routers.SimpleRouter"})
_DJANGO_PATHS = frozenset({"django.urls.path", "django.urls.re_path", "django.conf.urls.url",
                           "django.urls.conf.path", "django.urls.conf.re_path"})
_DJANGO_INCLUDE = frozenset({"django.urls.include", "django.conf.urls.include",
                             "django.urls.conf.include"})
_DJANGO_METHOD_DECORATORS: dict[str, tuple[str, ...]] = {
    "django.views.decorators.http.require_GET": ("GET",),
    "django.views.decorators.http.require_POST": ("POST",),
    "django.views.decorators.http.require_safe": ("GET", "HEAD"),
}
_DJANGO_REQUIRE_METHODS = "django.views.decorators.http.require_http_methods"

HANDLER_METHODS: dict[str, tuple[str, ...]] = {
    "get": ("GET",), "post": ("POST",), "put": ("PUT",), "patch": ("PATCH",),
    "delete": ("DELETE",), "head": ("HEAD",), "options": ("OPTIONS",),
    "list": ("GET",), "retrieve": ("GET",), "create": ("POST",), "update": ("PUT",),
    "partial_update": ("PATCH",), "destroy": ("DELETE",),
}
"""Method names of class-based views that handle requests, and the HTTP methods they serve."""

_ALL = ("DELETE", "GET", "PATCH", "POST", "PUT")
GENERIC_METHODS: dict[str, tuple[str, ...]] = {
    "ListAPIView": ("GET",), "RetrieveAPIView": ("GET",), "CreateAPIView": ("POST",),
    "DestroyAPIView": ("DELETE",), "UpdateAPIView": ("PATCH", "PUT"),
    "ListCreateAPIView": ("GET", "POST"), "RetrieveUpdateAPIView": ("GET", "PATCH", "PUT"),
    "RetrieveDestroyAPIView": ("DELETE", "GET"),
    "RetrieveUpdateDestroyAPIView": ("DELETE", "GET", "PATCH", "PUT"),
    "ModelViewSet": _ALL, "ReadOnlyModelViewSet": ("GET",),
    "ListModelMixin": ("GET",), "RetrieveModelMixin": ("GET",), "CreateModelMixin": ("POST",),
    "UpdateModelMixin": ("PATCH", "PUT"), "DestroyModelMixin": ("DELETE",),
    "ListView": ("GET",), "DetailView": ("GET",), "TemplateView": ("GET",),
    "RedirectView": ("GET",), "CreateView": ("GET", "POST"), "UpdateView": ("GET", "POST"),
    "DeleteView": ("GET", "POST"), "FormView": ("GET", "POST"),
}
"""Methods served by generic views and mixins of Django and DRF, by class name."""

_DRF_BASES = frozenset({"APIView", "GenericAPIView", "ViewSet", "GenericViewSet", "ViewSetMixin",
                        *(n for n in GENERIC_METHODS if n.endswith(("APIView", "ViewSet",
                                                                    "Mixin")))})
_DRF_VIEW_MODULES = ("rest_framework.views.", "rest_framework.generics.",
                     "rest_framework.viewsets.")
_FLASK_VIEW_BASES = frozenset({"flask.views.MethodView", "flask.views.View",
                               "flask_restful.Resource", "flask_restx.Resource",
                               "flask_restplus.Resource", "quart.views.MethodView"})


# -- small path helpers -----------------------------------------------------------------------

_PARAM_RE = re.compile(r"^(\{[^}]*\}|<[^>]*>|\(.*\)|:\w+|\[.*\]|\*\w*)$")


def is_param(segment: str) -> bool:
    """True for a path parameter: ``{id}``, ``<int:id>``, ``(?P<pk>[0-9]+)``, ``:id``."""
    return bool(_PARAM_RE.match(segment)) or "(?P<" in segment or segment.startswith("{")


def segments(path: str) -> list[str]:
    """The non-empty segments of ``path``, regex anchors of ``re_path`` removed."""
    clean = path.strip().lstrip("^").rstrip("$")
    return [s for s in clean.split("/") if s]


def join(prefix: str, path: str) -> str:
    """``join("/api/v1", "/users")`` -> ``/api/v1/users``; a Django ``"api/"`` + ``"users/"``
    gives ``/api/users/``; an empty part leaves the other unchanged."""
    prefix = prefix.lstrip("^").rstrip("$")
    path = path.lstrip("^").rstrip("$")
    if not prefix:
        return path if path.startswith("/") or not path else "/" + path
    if not path:
        return prefix if prefix.startswith("/") else "/" + prefix
    out = prefix.rstrip("/") + "/" + path.lstrip("/")
    return out if out.startswith("/") else "/" + out


def handlers(route: Route) -> list[FunctionNode]:
    """The functions that handle the route's requests: the function itself, or the HTTP-method
    and DRF-action methods of a class-based view (``get``, ``post``, ``list``, ``@action``)."""
    if route.function is not None:
        return [route.function]
    assert route.cls is not None
    out: list[FunctionNode] = []
    for stmt in route.cls.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and (
            stmt.name in HANDLER_METHODS or _action_decorator(stmt) is not None
        ):
            out.append(stmt)
    return out


def handler_methods(fn: FunctionNode) -> tuple[str, ...]:
    """HTTP methods served by one method of a class-based view (``post`` -> ``("POST",)``)."""
    action = _action_decorator(fn)
    if action is not None:
        return _methods_kw(action, default=("GET",))
    return HANDLER_METHODS.get(fn.name, ())


def _action_decorator(fn: FunctionNode) -> ast.Call | None:
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        name = pyast.dotted(target)
        if name is not None and name.rsplit(".", 1)[-1] == "action":
            return d if isinstance(d, ast.Call) else ast.Call(func=d, args=[], keywords=[])
    return None


def _methods_kw(call: ast.Call, default: tuple[str, ...]) -> tuple[str, ...]:
    node = pyast.keyword(call, "methods")
    if node is None and call.args and isinstance(call.args[0], ast.List | ast.Tuple | ast.Set):
        node = call.args[0]  # @api_view(["GET", "POST"]), @require_http_methods([...])
    return _method_list(node, default)


def _method_list(node: ast.AST | None, default: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        names = [pyast.const_str(e) for e in node.elts]
        if all(n is not None for n in names):
            return tuple(sorted({n.upper() for n in names if n}))
    return default


def _str(node: ast.AST | None) -> str | None:
    """A string literal, or an implicitly concatenated one."""
    return pyast.const_str(node)


# -- strings built from constants ----------------------------------------------------------------

_REF = "\x00"
_DEV_TEST = re.compile(r"\b(debug|local|dev|develop|development|test|testing|staging)\b",
                       re.IGNORECASE)


def _template(node: ast.AST | None) -> str | None:
    """A path or prefix expression as text, a NUL-delimited reference standing for each name or
    attribute in it (``f"{settings.API_V1_STR}/x"`` -> ``"<NUL>settings.API_V1_STR<NUL>/x"``,
    ``"<NUL>?<NUL>"`` for any other part); None for no expression."""
    if node is None:
        return None
    text = _str(node)
    if text is not None:
        return text
    if isinstance(node, ast.JoinedStr):
        parts: list[str] = []
        for v in node.values:
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                parts.append(v.value)
            elif isinstance(v, ast.FormattedValue) and v.format_spec is None:
                parts.append(f"{_REF}{pyast.dotted(v.value) or '?'}{_REF}")
            else:
                parts.append(f"{_REF}?{_REF}")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return "".join(_template(part) or "" for part in _terms(node))
    return f"{_REF}{pyast.dotted(node) or '?'}{_REF}"


def _terms(node: ast.BinOp) -> list[ast.expr]:
    """The operands of ``a + b + c`` in order, without recursion (generated code may chain
    thousands)."""
    out: list[ast.expr] = []
    stack: list[ast.expr] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.BinOp) and isinstance(item.op, ast.Add):
            stack.append(item.right)
            stack.append(item.left)
        else:
            out.append(item)
    return out


def _resolve_template(text: str, consts: Mapping[str, str]) -> str | None:
    """The template's text with every reference replaced by the constant it names; None when
    a reference is not a known constant."""
    if _REF not in text:
        return text
    parts = text.split(_REF)
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(part)
            continue
        value = consts.get(part.rsplit(".", 1)[-1])
        if value is None:
            return None
        out.append(value)
    return "".join(out)


class _LazyConstants(Mapping[str, str]):
    """:func:`string_constants` of ``files``, computed on first use (most projects join no
    prefix held in a constant, and then never need them)."""

    def __init__(self, files: Iterable[PyFile]) -> None:
        self._files = files
        self._values: dict[str, str] | None = None

    def _get(self) -> dict[str, str]:
        if self._values is None:
            self._values = string_constants(self._files)
        return self._values

    def __getitem__(self, key: str) -> str:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def string_constants(files: Iterable[PyFile]) -> dict[str, str]:
    """Names bound to one string literal at module or class level across ``files``
    (``API_V1_STR: str = "/api/v1"``); names bound to several different strings are left out."""
    seen: dict[str, set[str]] = {}
    for f in files:
        for stmt in f.tree.body:
            body = stmt.body if isinstance(stmt, ast.ClassDef) else [stmt]
            for s in body:
                if isinstance(s, ast.Assign) and len(s.targets) == 1:
                    target, value = s.targets[0], s.value
                elif isinstance(s, ast.AnnAssign) and s.value is not None:
                    target, value = s.target, s.value
                else:
                    continue
                text = _str(value)
                if isinstance(target, ast.Name) and text is not None:
                    seen.setdefault(target.id, set()).add(text)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def _dev_only_nodes(f: PyFile) -> set[int]:
    """Ids of the nodes under ``if settings.DEBUG:``/``if ENV == "local":``-like branches."""
    out: set[int] = set()
    for node in f.nodes(ast.If):
        test = node.test
        if isinstance(test, ast.UnaryOp) or (
            isinstance(test, ast.Compare) and any(isinstance(o, ast.NotEq | ast.IsNot | ast.NotIn)
                                                  for o in test.ops)
        ):
            continue
        if _DEV_TEST.search(ast.unparse(test)):
            out.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return out


# -- one file ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Include:
    """``parent.include_router(child, prefix=...)`` and its kin; names are qualified."""

    parent: str
    child: str
    prefix: str  # a template (see _template)
    dependencies: tuple[str, ...]
    dev_only: bool = False


@dataclass(slots=True)
class _UrlEntry:
    """One Django ``path()`` entry: a view, an ``include()`` of a module or of a DRF router."""

    prefix: str
    literal: str
    kind: str  # "view" | "module" | "router"
    target: str  # qualified view / module name / qualified router name
    wrappers: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()


@dataclass(slots=True)
class _Resource:
    """``api.add_resource(Cls, "/x")``: resolved once the class is found."""

    owner: str
    cls: str
    literal: str


@dataclass(slots=True)
class _FileIndex:
    file: PyFile
    objects: dict[str, AppObject] = field(default_factory=dict)  # by local dotted name
    pending: list[tuple[Route, str]] = field(default_factory=list)  # route, path template
    prefixes: dict[str, str] = field(default_factory=dict)  # object qualname -> prefix template
    includes: list[_Include] = field(default_factory=list)
    resources: list[_Resource] = field(default_factory=list)
    urls: list[_UrlEntry] = field(default_factory=list)
    url_routers: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    functions: dict[str, FunctionNode] = field(default_factory=dict)
    is_urlconf: bool = False
    root_urlconf: str | None = None  # the last ROOT_URLCONF string assigned at module level
    unread: bool = False  # too deeply nested to read: only the module-level facts are known


@dataclass(frozen=True, slots=True)
class _Subclass:
    """A project class deriving from a router or app class (``class AdminRouter(APIRouter)``),
    with the dependencies its ``__init__`` passes up (``dependencies=[Depends(get_admin)]``)."""

    framework: str
    role: str
    dependencies: tuple[str, ...]


def router_subclasses(files: Iterable[PyFile]) -> dict[str, _Subclass]:
    """Qualified names of project classes that derive from a known app/router class."""
    out: dict[str, _Subclass] = {}
    for f in files:
        for stmt in f.nodes(ast.ClassDef):
            for base in stmt.bases:
                if _last_name(base, f) not in _CONSTRUCTOR_NAMES:
                    continue
                if not any(top is stmt for top in f.tree.body):
                    break  # only module-level classes can be imported by name
                kind = _CONSTRUCTORS.get(pyast.resolve(base, f) or "")
                if kind is None:
                    continue
                deps: tuple[str, ...] = ()
                for node in ast.walk(stmt):
                    given = pyast.keyword(node, "dependencies") if isinstance(
                        node, ast.Call) and pyast.attr_name(node) == "__init__" else None
                    if isinstance(given, ast.List | ast.Tuple):  # not a pass-through argument
                        deps += _dependencies(given, f)
                out[f"{f.module_name}.{stmt.name}"] = _Subclass(kind[0], kind[1], deps)
    return out


def _index(f: PyFile, extra: Mapping[str, _Subclass] | None = None) -> _FileIndex:
    """The file's routes, objects and includes; a file too deeply nested to read (generated
    code) contributes nothing rather than failing the whole project's discovery."""
    try:
        return _build_index(f, extra or {})
    except RecursionError:
        idx = _FileIndex(f, unread=True)
        _module_level(idx)
        return idx


def framework_of(f: PyFile) -> str | None:
    """The web framework family a file imports (``"fastapi"``, ``"flask"``, ``"drf"``,
    ``"django"``, ``"ninja"``), the most specific first; None when it imports none."""
    found = {WEB_MODULES[top] for top in import_tops(f) if top in WEB_MODULES}
    for fw in (DRF, NINJA, FASTAPI, FLASK, DJANGO):
        if fw in found:
            return fw
    return None


def qualify(f: PyFile, name: str) -> str:
    """The module-qualified name that ``name`` (a dotted name used in ``f``) refers to: an
    imported name through its import (relative imports made absolute from the file's path), a
    name defined in ``f`` as ``<module>.<name>``."""
    head = name.split(".", 1)[0]
    if head not in f.imports:
        return f"{f.module_name}.{name}"
    target = f.imports[head]
    rest = name[len(head):]
    if target.startswith("."):
        level = len(target) - len(target.lstrip("."))
        package = f.module_name if f.path.endswith("__init__.py") else (
            f.module_name.rpartition(".")[0])
        for _ in range(level - 1):
            package = package.rpartition(".")[0]
        tail = target.lstrip(".")
        target = f"{package}.{tail}" if package and tail else (package or tail)
    return target + rest


def _module_level(idx: _FileIndex) -> None:
    """The classes, functions and ROOT_URLCONF setting of the module's own statements."""
    f = idx.file
    for stmt in module_statements(f, ast.ClassDef):
        assert isinstance(stmt, ast.ClassDef)
        idx.classes[stmt.name] = stmt
    for stmt in module_statements(f, ast.FunctionDef, ast.AsyncFunctionDef):
        assert isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
        idx.functions[stmt.name] = stmt
    for stmt in module_statements(f, ast.Assign):
        assert isinstance(stmt, ast.Assign)
        if any(isinstance(t, ast.Name) and t.id == "ROOT_URLCONF" for t in stmt.targets):
            idx.root_urlconf = _str(stmt.value) or idx.root_urlconf


def _build_index(f: PyFile, extra: Mapping[str, _Subclass]) -> _FileIndex:
    idx = _FileIndex(f)
    _module_level(idx)
    fw = framework_of(f)
    extra_names = extra and any(k.rsplit(".", 1)[-1] in f.text for k in extra)
    if fw is None and not _DECORATOR_RE.search(f.text) and not extra_names:
        return idx
    # Each step below reads only the nodes it needs (statements, or the file's shared node
    # index), and only in files that can hold what it looks for; the results are those of a
    # walk of the whole tree, in ``ast.walk`` order.
    _collect_objects(idx, extra if extra_names else {})
    _collect_decorated(idx, fw)
    if idx.objects or fw in (FASTAPI, FLASK, NINJA):  # else no call can name a known owner
        _collect_calls(idx, fw)
    if fw in (DJANGO, DRF):
        _collect_django_urls(idx)
    return idx


_CONSTRUCTOR_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in _CONSTRUCTORS)
"""Last names of :data:`_CONSTRUCTORS`: a call or base of another name builds no app."""


def _last_name(node: ast.expr, f: PyFile) -> str | None:
    """The last part of ``pyast.resolve(node, f)`` when it has one (``Flask`` for
    ``flask.Flask`` and for ``Flask`` after ``from flask import Flask``), read without
    resolving the whole name; an attribute of something other than a name gives its own name
    (``resolve`` gives None there)."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        target = f.imports.get(node.id)
        return node.id if target is None else target.rpartition(".")[2]
    return None


def _collect_objects(idx: _FileIndex, extra: Mapping[str, _Subclass]) -> None:
    """App and router objects assigned anywhere in the file: a call of a class of
    :data:`_CONSTRUCTORS` or of ``extra`` (project subclasses of one)."""
    f = idx.file
    names = _CONSTRUCTOR_NAMES.union(k.rsplit(".", 1)[-1] for k in extra) if extra else (
        _CONSTRUCTOR_NAMES)
    found: list[ast.Assign | ast.AnnAssign] = []
    assigns: list[ast.Assign | ast.AnnAssign] = f.nodes(ast.Assign)
    imports = f.imports
    for stmt in (*assigns, *f.nodes(ast.AnnAssign)):
        value = stmt.value
        if value.__class__ is not ast.Call:
            continue
        func = value.func  # its last name, as _last_name reads it (inlined: many assignments)
        if func.__class__ is ast.Attribute:
            last = func.attr
        elif func.__class__ is ast.Name:
            target = imports.get(func.id)
            last = func.id if target is None else target.rpartition(".")[2]
        else:
            continue
        if last in names:
            found.append(stmt)
    if len(found) > 1:
        # ast.walk order (breadth first): a later binding of the same name wins.
        found.sort(key=lambda s: (s.lineno, s.col_offset))
        found = walk_order(f, found)
    for node in found:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if not isinstance(value, ast.Call):
            continue
        ctor = pyast.call_name(value, f) or ""
        kind = _CONSTRUCTORS.get(ctor)
        inherited: tuple[str, ...] = ()
        if kind is None and extra:
            ref = pyast.dotted(value.func)
            sub = lookup(dict(extra), qualify(f, ref), by_name=True) if ref else None
            if sub is not None:
                kind, inherited = (sub.framework, sub.role), sub.dependencies
        if kind is None:
            continue
        framework, role = kind
        if role == "api":
            template = _template(pyast.keyword(value, "prefix")) or ""
        elif ctor.endswith("Namespace"):
            name_arg = _str(pyast.argument(value, 0, "name")) or ""
            template = _template(pyast.keyword(value, "path")) or (
                f"/{name_arg}" if name_arg else "")
        else:
            key = _PREFIX_KWARG.get(framework, "")
            template = (_template(pyast.keyword(value, key)) or "") if key else ""
        prefix = template if _REF not in template else ""
        deps = inherited + _dependencies(pyast.keyword(value, "dependencies"), f)
        for t in targets:
            name = pyast.dotted(t)
            if name is not None:
                qual = f"{f.module_name}.{name}"
                idx.objects[name] = AppObject(framework, role, name, qual, f.path, node.lineno,
                                              value, prefix, deps)
                idx.prefixes[qual] = template


def _dependencies(node: ast.AST | None, f: PyFile) -> tuple[str, ...]:
    """Resolved callables of a ``dependencies=[Depends(x), Security(y)]`` list."""
    if node is None:
        return ()
    if not isinstance(node, ast.List | ast.Tuple):
        return ("?",)
    out: list[str] = []
    for e in node.elts:
        if isinstance(e, ast.Call) and e.args:
            dep = e.args[0].func if isinstance(e.args[0], ast.Call) else e.args[0]
            out.append(pyast.resolve(dep, f) or "?")
        elif isinstance(e, ast.Call):
            named = pyast.keyword(e, "dependency")
            out.append((pyast.resolve(named, f) if named is not None else None) or "?")
        else:
            out.append(pyast.resolve(e, f) or "?")
    return tuple(out)


def _route_decorator(d: ast.expr) -> tuple[ast.Call, str, str] | None:
    """``(call, owner, attr)`` for ``@owner.attr("/path", ...)``."""
    if not (isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)):
        return None
    attr = d.func.attr
    if attr not in _ROUTE_ATTRS:
        return None
    owner = pyast.dotted(d.func.value)
    if owner is None:
        return None
    if attr == "api_operation":
        return d, owner, attr
    first = pyast.argument(d, 0, "path") or pyast.keyword(d, "rule")
    if first is None or (isinstance(first, ast.Constant) and not isinstance(first.value, str)):
        return None
    return d, owner, attr


def _owner_framework(idx: _FileIndex, owner: str, fw: str | None) -> str | None:
    obj = idx.objects.get(owner)
    if obj is not None:
        return obj.framework
    if fw in (FASTAPI, FLASK, NINJA):
        return fw
    if owner.split(".", 1)[0] in idx.file.imports and fw is None:
        return "?"  # an object imported from another module: decided by project_routes
    return None


def _collect_decorated(idx: _FileIndex, fw: str | None) -> None:
    f = idx.file
    if fw in (DJANGO, DRF) and not idx.objects:
        # No route decorator can count here (its owner would have to be an app object of this
        # file): only DRF/Django function views and DRF class views remain.
        if imports_any(f, _DRF_TOPS) or mentions(f, "api_view", "require_", "rest_framework"):
            _collect_views(idx)
        return
    # Only decorated definitions and the module's own classes can add a route (an undecorated
    # function is no view, and a nested class counts only through a route decorator).
    classes = [c for c in f.nodes(ast.ClassDef)
               if c.decorator_list or idx.classes.get(c.name) is c]
    start = len(idx.pending)
    made: list[tuple[DefNode, int]] = []  # (definition, number of pending entries)
    for node in _with_decorated_functions(f, classes):
        before = len(idx.pending)
        _decorated(idx, fw, node, f)
        if len(idx.pending) > before:
            made.append((node, len(idx.pending) - before))
    _walk_sort_pending(idx, start, made)


_DRF_TOPS = frozenset({"rest_framework"})


def _with_decorated_functions(f: PyFile, classes: list[ast.ClassDef]) -> list[DefNode]:
    """``classes`` (of ``f``, in source order) and every decorated function of ``f``, in source
    order (the order of :func:`~checks.detectors.observability._syntax.definitions`)."""
    out: list[DefNode] = [fn for fn in functions(f) if fn.decorator_list]
    if not classes:
        return out
    if not out:
        return list(classes)
    out.extend(classes)
    out.sort(key=lambda node: (node.lineno, node.col_offset))
    return out


def _walk_sort_pending(idx: _FileIndex, start: int, made: list[tuple[DefNode, int]]) -> None:
    """Put the entries added since ``start`` (one group per definition, definitions in source
    order) in ``ast.walk`` order: source order stably sorted by depth."""
    if len(made) < 2:
        return
    order = walk_order(idx.file, [node for node, _count in made])
    groups: dict[int, list[tuple[Route, str]]] = {}
    at = start
    for node, count in made:
        groups[id(node)] = idx.pending[at:at + count]
        at += count
    idx.pending[start:] = [entry for node in order for entry in groups[id(node)]]


def _collect_views(idx: _FileIndex) -> None:
    """DRF ``@api_view`` and Django ``require_*`` function views, DRF class views."""
    f = idx.file
    start = len(idx.pending)
    made: list[tuple[DefNode, int]] = []
    tops = sorted(idx.classes.values(), key=lambda c: c.lineno)  # by name: not in source order
    for node in _with_decorated_functions(f, tops):
        before = len(idx.pending)
        if isinstance(node, ast.ClassDef):
            _maybe_class_view(idx, node)
        else:
            _maybe_function_view(idx, node)
        if len(idx.pending) > before:
            made.append((node, len(idx.pending) - before))
    _walk_sort_pending(idx, start, made)


def _enclosing_class(f: PyFile, fn: FunctionNode) -> ast.ClassDef | None:
    """The class whose body defines ``fn``, if any; the map is made once per file."""
    enclosing: dict[int, ast.ClassDef] | None = f.memo.get("api.enclosing")
    if enclosing is None:
        enclosing = f.memo["api.enclosing"] = {
            id(stmt): cls for cls in f.nodes(ast.ClassDef) for stmt in cls.body}
    return enclosing.get(id(fn))


def _decorated(idx: _FileIndex, fw: str | None, node: FunctionNode | ast.ClassDef,
               f: PyFile) -> None:
    for d in node.decorator_list:
        found = _route_decorator(d)
        if found is None:
            continue
        call, owner, attr = found
        framework = _owner_framework(idx, owner, fw)
        if framework is None:
            continue
        if attr == "api_operation":
            path_node = pyast.argument(call, 1, "path")
        else:
            path_node = pyast.argument(call, 0, "path") or pyast.keyword(call, "rule")
        template = _template(path_node) or ""
        literal = template if _REF not in template else ""
        owner_q = idx.objects[owner].qualname if owner in idx.objects else qualify(f, owner)
        if isinstance(node, ast.ClassDef):
            route = Route(framework, _class_methods(node, f, {}), literal, f.path,
                          call.lineno, None, node, owner_q, call, (), literal)
        else:
            if attr in _VERB_ATTRS:
                methods: tuple[str, ...] = (_VERB_ATTRS[attr],)
            elif attr == "api_operation":
                methods = _method_list(pyast.argument(call, 0, "methods"), ("GET",))
            else:
                methods = _methods_kw(call, ("GET",))
            deps = _dependencies(pyast.keyword(call, "dependencies"), f)
            route = Route(framework, methods, literal, f.path, call.lineno, node, None,
                          owner_q, call, deps, literal, enclosing=_enclosing_class(f, node))
        idx.pending.append((route, template))
        break
    else:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            _maybe_function_view(idx, node)
        elif node.name in idx.classes and idx.classes[node.name] is node:
            _maybe_class_view(idx, node)


def _maybe_function_view(idx: _FileIndex, fn: FunctionNode) -> None:
    """DRF ``@api_view`` functions and Django functions with ``require_*`` method decorators."""
    f = idx.file
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        if _last_name(target, f) not in _VIEW_DECORATOR_NAMES:
            continue
        name = pyast.resolve(target, f) or ""
        if name in _DRF_API_VIEW:
            methods = _methods_kw(d, ("GET",)) if isinstance(d, ast.Call) else ("GET",)
            idx.pending.append((Route(DRF, methods, "", f.path, fn.lineno, fn), ""))
            return
        if name in _DJANGO_METHOD_DECORATORS or name == _DJANGO_REQUIRE_METHODS:
            idx.pending.append((Route(DJANGO, _django_methods(fn, f), "", f.path, fn.lineno, fn),
                                ""))
            return


_VIEW_DECORATOR_NAMES = frozenset(
    name.rsplit(".", 1)[-1]
    for name in (*_DRF_API_VIEW, *_DJANGO_METHOD_DECORATORS, _DJANGO_REQUIRE_METHODS))


def _django_methods(fn: FunctionNode, f: PyFile) -> tuple[str, ...]:
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        name = pyast.resolve(target, f) or ""
        if name in _DJANGO_METHOD_DECORATORS:
            return _DJANGO_METHOD_DECORATORS[name]
        if name == _DJANGO_REQUIRE_METHODS and isinstance(d, ast.Call):
            return _methods_kw(d, ())
    return ()


ClassTable = dict[str, tuple[PyFile, ast.ClassDef]]


def view_kind(cls: ast.ClassDef, f: PyFile, table: ClassTable | None = None,
              _depth: int = 0) -> str | None:
    """``"drf"``, ``"django"`` or ``"flask"`` when ``cls`` is a class-based view of that
    framework, through its bases (those of the same file, or of the project with ``table``, a
    map of qualified class names to their definitions); else None."""
    for base in cls.bases:
        name = pyast.resolve(base, f)
        if name is None:
            continue
        last = name.rsplit(".", 1)[-1]
        if name.startswith(_DRF_VIEW_MODULES) or (
            last in _DRF_BASES and f.imports_module("rest_framework")
        ):
            return DRF
        if name in _FLASK_VIEW_BASES:
            return FLASK
        if name.startswith(("django.views.", "django.contrib.auth.views.")) or (
            last in GENERIC_METHODS and last.endswith("View") and f.imports_module("django")
        ):
            return DJANGO
        if _depth < 6:
            parent = _find_class(base, f, table)
            if parent is not None and parent[1] is not cls:
                kind = view_kind(parent[1], parent[0], table, _depth + 1)
                if kind is not None:
                    return kind
    return None


def _find_class(base: ast.expr, f: PyFile, table: ClassTable | None
                ) -> tuple[PyFile, ast.ClassDef] | None:
    ref = pyast.dotted(base)
    if ref is None:
        return None
    if "." not in ref and ref not in f.imports:
        for stmt in f.tree.body:
            if isinstance(stmt, ast.ClassDef) and stmt.name == ref:
                return f, stmt
        return None
    return lookup(table, qualify(f, ref), by_name=True) if table else None


def lookup[T](table: dict[str, T], ref: str, *, by_name: bool = False) -> T | None:
    """``table[ref]``, or the one entry whose key ends with ``.ref`` (a path prefix such as
    ``src.`` differs between file paths and import names); with ``by_name`` (for classes and
    functions), else the one entry with the same last name (a name re-exported by a package's
    ``__init__``)."""
    hit = table.get(ref)
    if hit is not None:
        return hit
    key = _lookup_key(table, ref, by_name=by_name)
    return table[key] if key is not None else None


def _lookup_key(table: Mapping[str, object], ref: str, *, by_name: bool = False) -> str | None:
    if ref in table:
        return ref
    tail = "." + ref
    matches = [k for k in table if k.endswith(tail)]
    if matches or not by_name:
        return matches[0] if len(matches) == 1 else None
    head = "." + ref.split(".", 1)[0] + "."
    if not any(head in "." + k for k in table):
        return None  # a third-party name (django.contrib...): never matched by its last part
    last = "." + ref.rsplit(".", 1)[-1]
    named = [k for k in table if k.endswith(last)]
    return named[0] if len(named) == 1 else None


def _class_methods(cls: ast.ClassDef, f: PyFile, table: ClassTable,
                   _depth: int = 0) -> tuple[str, ...]:
    """HTTP methods a class-based view serves: its handler methods and its generic bases'."""
    out: set[str] = set()
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            out.update(handler_methods(stmt))
    for base in cls.bases:
        name = pyast.resolve(base, f) or ""
        last = name.rsplit(".", 1)[-1]
        if last in GENERIC_METHODS:
            out.update(GENERIC_METHODS[last])
        elif _depth < 6:
            parent = _find_class(base, f, table)
            if parent is not None and parent[1] is not cls:
                out.update(_class_methods(parent[1], parent[0], table, _depth + 1))
    return tuple(sorted(out))


def _maybe_class_view(idx: _FileIndex, cls: ast.ClassDef) -> None:
    """DRF views are endpoints even when no URL is found for them."""
    if view_kind(cls, idx.file) == DRF and not is_abstract_view(cls):
        idx.pending.append((Route(DRF, _class_methods(cls, idx.file, {}), "", idx.file.path,
                                  cls.lineno, None, cls), ""))


def is_abstract_view(cls: ast.ClassDef) -> bool:
    """True for view classes meant to be subclassed: ``BaseFooView``, ``FooMixin``, or classes
    with no queryset, serializer, model or handler of their own."""
    if cls.name.startswith(("Base", "Abstract")) or cls.name.endswith(("Mixin", "Base")):
        return True
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and (
            stmt.name in HANDLER_METHODS
            or stmt.name in ("get_queryset", "get_serializer_class", "get_object")
            or _action_decorator(stmt) is not None
        ):
            return False
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(isinstance(t, ast.Name) and t.id in ("queryset", "serializer_class", "model")
                   for t in targets):
                return False
    return True


def _collect_calls(idx: _FileIndex, fw: str | None) -> None:
    """``include_router``/``register_blueprint``/``mount``/``add_namespace``/``add_router``,
    ``add_api_route``/``add_url_rule``, ``api.add_resource``."""
    f = idx.file
    dev_only: set[int] | None = None
    wanted = [node for node in f.nodes(ast.Call) if isinstance(node.func, ast.Attribute)
              and node.func.attr in _CALL_ATTRS]
    for node in walk_order(f, wanted):
        assert isinstance(node.func, ast.Attribute)
        attr = node.func.attr
        owner = pyast.dotted(node.func.value)
        if owner is None:
            continue
        known = owner in idx.objects or fw in (FASTAPI, FLASK, NINJA)
        if attr in _INCLUDE_ATTRS and known:
            if dev_only is None:
                dev_only = _dev_only_nodes(f)
            _include_call(idx, node, owner, attr, id(node) in dev_only)
        elif attr in ("add_api_route", "add_url_rule") and known:
            _add_route_call(idx, node, owner, attr, fw)
        elif attr == "add_resource" and node.args and known:
            ref = pyast.dotted(node.args[0])
            for p in node.args[1:]:
                literal = _str(p)
                if ref and literal is not None:
                    idx.resources.append(_Resource(_owner_q(idx, owner), qualify(f, ref),
                                                   literal))


_CALL_ATTRS = _INCLUDE_ATTRS | {"add_api_route", "add_url_rule", "add_resource"}


def _owner_q(idx: _FileIndex, owner: str) -> str:
    obj = idx.objects.get(owner)
    return obj.qualname if obj is not None else qualify(idx.file, owner)


def _include_call(idx: _FileIndex, node: ast.Call, owner: str, attr: str,
                  dev_only: bool) -> None:
    f = idx.file
    if attr in ("mount", "add_router"):
        template = _template(pyast.argument(node, 0, "path" if attr == "mount" else "prefix"))
        child = pyast.argument(node, 1, "app" if attr == "mount" else "router")
    else:
        child = pyast.argument(node, 0, "router" if attr == "include_router" else "blueprint")
        key = {"include_router": "prefix", "register_blueprint": "url_prefix",
               "add_namespace": "path"}[attr]
        template = _template(pyast.keyword(node, key))
    ref = pyast.dotted(child) if child is not None else None
    if ref is None:
        return
    deps = _dependencies(pyast.keyword(node, "dependencies"), f)
    idx.includes.append(_Include(_owner_q(idx, owner), _owner_q(idx, ref), template or "",
                                 deps, dev_only))


def _add_route_call(idx: _FileIndex, node: ast.Call, owner: str, attr: str,
                    fw: str | None) -> None:
    f = idx.file
    obj = idx.objects.get(owner)
    framework = obj.framework if obj is not None else (fw or "?")
    if attr == "add_api_route":
        path_node, view = pyast.argument(node, 0, "path"), pyast.argument(node, 1, "endpoint")
    else:
        path_node = pyast.argument(node, 0, "rule")
        view = pyast.keyword(node, "view_func") or (node.args[2] if len(node.args) > 2 else None)
    literal = _str(path_node)
    if literal is None or view is None:
        return
    owner_q = _owner_q(idx, owner)
    if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and (
        view.func.attr == "as_view"
    ):
        cls = idx.classes.get(pyast.dotted(view.func.value) or "")
        if cls is not None:
            idx.pending.append((Route(framework, _class_methods(cls, f, {}), literal, f.path,
                                      node.lineno, None, cls, owner_q, None, (), literal), literal))
        return
    fn = idx.functions.get(pyast.dotted(view) or "")
    if fn is not None:
        deps = _dependencies(pyast.keyword(node, "dependencies"), f)
        idx.pending.append((Route(framework, _methods_kw(node, ("GET",)), literal, f.path,
                                  node.lineno, fn, None, owner_q, None, deps, literal), literal))


# -- Django urls ---------------------------------------------------------------------------------


def _collect_django_urls(idx: _FileIndex) -> None:
    f = idx.file
    routers: dict[str, str] = {}
    if imports_any(f, _DRF_ROUTER_TOPS) or mentions(f, "rest_framework"):
        for node in f.nodes(ast.Assign):
            value = node.value
            if (isinstance(value, ast.Call) and _last_name(value.func, f) in _DRF_ROUTER_NAMES
                    and pyast.call_name(value, f) in _DRF_ROUTERS):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        routers[t.id] = f"{f.module_name}.{t.id}"
    if routers:
        # router.register(prefix, viewset), in ast.walk order (the order of each list).
        registered: dict[int, tuple[str, str, str]] = {}
        wanted: list[ast.Call] = []
        for call in f.nodes(ast.Call):
            if isinstance(call.func, ast.Attribute) and call.func.attr == "register":
                owner = pyast.dotted(call.func.value)
                prefix = _str(pyast.argument(call, 0, "prefix"))
                view = pyast.argument(call, 1, "viewset")
                ref = pyast.dotted(view) if view is not None else None
                if owner in routers and prefix is not None and ref:
                    registered[id(call)] = (routers[owner], prefix, ref)
                    wanted.append(call)
        for call in walk_order(f, wanted):
            router, prefix, ref = registered[id(call)]
            idx.url_routers.setdefault(router, []).append((prefix, qualify(f, ref)))
    for stmt in module_statements(f, *_URLPATTERNS_STATEMENTS):
        for value in _urlpatterns_values(stmt):
            idx.is_urlconf = True
            _url_entries(idx, value, "", routers)


_DRF_ROUTER_TOPS = frozenset({"rest_framework", "rest_framework_nested"})
_DRF_ROUTER_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in _DRF_ROUTERS)


_URLPATTERNS_STATEMENTS = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.If)
"""The statements :func:`_urlpatterns_values` reads (every other kind yields nothing)."""


def _urlpatterns_values(stmt: ast.stmt) -> Iterator[ast.expr]:
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, ast.AugAssign | ast.AnnAssign):
        targets = [stmt.target]
    value = getattr(stmt, "value", None)
    if any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in targets):
        if isinstance(value, ast.expr):
            yield value
    elif (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
          and isinstance(stmt.value.func, ast.Attribute)
          and pyast.dotted(stmt.value.func.value) == "urlpatterns"):
        yield from stmt.value.args
    elif isinstance(stmt, ast.If):
        for s in (*stmt.body, *stmt.orelse):
            yield from _urlpatterns_values(s)


def _url_entries(idx: _FileIndex, node: ast.expr, prefix: str, routers: dict[str, str]) -> None:
    f = idx.file
    if isinstance(node, ast.List | ast.Tuple):
        for e in node.elts:
            _url_entries(idx, e, prefix, routers)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        for term in _terms(node):
            _url_entries(idx, term, prefix, routers)
    elif isinstance(node, ast.Starred):
        _url_entries(idx, node.value, prefix, routers)
    elif isinstance(node, ast.Attribute) and node.attr == "urls":
        ref = pyast.dotted(node.value)
        if ref:
            idx.urls.append(_UrlEntry(prefix, "", "router", routers.get(ref) or qualify(f, ref)))
    elif isinstance(node, ast.Call):
        name = pyast.call_name(node, f) or ""
        if name in _DJANGO_PATHS and len(node.args) >= 2:
            literal = _str(node.args[0])
            if literal is not None:
                _url_view(idx, node.args[1], prefix + _unanchored(literal), literal, routers)
        elif name.rsplit(".", 1)[-1] in ("i18n_patterns", "format_suffix_patterns"):
            for a in node.args:
                _url_entries(idx, a, prefix, routers)


def _unanchored(pattern: str) -> str:
    """A ``re_path`` pattern without its ``^``/``$`` anchors, to join with its prefix."""
    return pattern.lstrip("^").rstrip("$")


def _url_view(idx: _FileIndex, view: ast.expr, path: str, literal: str,
              routers: dict[str, str]) -> None:
    f = idx.file
    wrappers: list[str] = []
    while isinstance(view, ast.Call):
        name = pyast.call_name(view, f) or ""
        if name in _DJANGO_INCLUDE and view.args:
            target = view.args[0]
            if isinstance(target, ast.Tuple) and target.elts:
                target = target.elts[0]
            module = _str(target)
            if module is not None:
                idx.urls.append(_UrlEntry(path, literal, "module", module))
            else:
                _url_entries(idx, target, path, routers)
            return
        if isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
            ref = pyast.dotted(view.func.value)
            methods: tuple[str, ...] = ()
            if view.args and isinstance(view.args[0], ast.Dict):
                keys = [_str(k) for k in view.args[0].keys]
                methods = tuple(sorted({k.upper() for k in keys if k}))
            if ref:
                idx.urls.append(_UrlEntry(path, literal, "view", qualify(f, ref),
                                          tuple(wrappers), methods))
            return
        if not view.args:
            return
        if isinstance(view.func, ast.Call):  # permission_required("x")(view)
            wrappers.append(pyast.call_name(view.func, f) or "?")
        else:  # login_required(view)
            wrappers.append(name or "?")
        view = view.args[0]
    ref = pyast.dotted(view)
    if ref:
        idx.urls.append(_UrlEntry(path, literal, "view", qualify(f, ref), tuple(wrappers)))


# -- prefix chains -------------------------------------------------------------------------------


class _Chains:
    """Joins an owner's prefixes and dependencies from the app down: ``app.include_router(api,
    prefix="/api")``, ``api.include_router(users.router, prefix="/users")``. Prefixes held in
    constants (``prefix=settings.API_V1_STR``) are looked up in ``consts``; a prefix that stays
    unknown makes the paths below it unknown (``""``)."""

    def __init__(self, objects: dict[str, AppObject], includes: Iterable[_Include],
                 classes: ClassTable, prefixes: dict[str, str], consts: Mapping[str, str]
                 ) -> None:
        self.objects = objects
        self.classes = classes
        self.prefixes = prefixes
        self.consts = consts
        self.parents: dict[str, _Include] = {}
        for inc in includes:
            child = _lookup_key(objects, inc.child)
            if child is not None:
                self.parents.setdefault(child, inc)
        self._memo: dict[str, tuple[str | None, tuple[str, ...], bool]] = {}

    def chain(self, q: str, depth: int = 0) -> tuple[str | None, tuple[str, ...], bool]:
        """(the full prefix of ``q``'s routes or None when unknown, the dependencies applied to
        them, whether an include on the way is development-only)."""
        memo = self._memo.get(q)
        if memo is not None:
            return memo
        obj = self.objects.get(q)
        own: str | None = _resolve_template(self.prefixes.get(q, ""), self.consts)
        deps = obj.dependencies if obj is not None else ()
        inc = self.parents.get(q)
        result = (own, deps, False)
        if inc is not None and depth < 10:
            parent = _lookup_key(self.objects, inc.parent) or inc.parent
            ppre, pdeps, pdev = self.chain(parent, depth + 1)
            inc_prefix = _resolve_template(inc.prefix, self.consts)
            if obj is not None and obj.framework == FLASK and inc.prefix:
                own = ""  # register_blueprint(url_prefix=) replaces the Blueprint's own
            full = None if ppre is None or inc_prefix is None or own is None else (
                join(join(ppre, inc_prefix), own))
            result = (full, pdeps + inc.dependencies + deps, pdev or inc.dev_only)
        self._memo[q] = result
        return result

    def apply(self, route: Route, template: str) -> Route | None:
        q = _lookup_key(self.objects, route.owner) if route.owner else None
        framework = route.framework
        if framework == "?":
            if q is None:
                return None
            framework = self.objects[q].framework
        if q is None:
            return replace(route, framework=framework)
        prefix, deps, dev_only = self.chain(q)
        literal = _resolve_template(template, self.consts)
        if prefix is None or literal is None:
            path = ""
        else:
            path = join(prefix, literal) if (prefix or literal) else ""
        return replace(route, framework=framework, path=path, owner=q,
                       applied=deps + route.applied, dev_only=dev_only,
                       path_literal=literal or "")

    def resource(self, res: _Resource) -> Route | None:
        hit = lookup(self.classes, res.cls, by_name=True)
        if hit is None:
            return None
        f, cls = hit
        q = _lookup_key(self.objects, res.owner)
        framework = self.objects[q].framework if q is not None else FLASK
        prefix = (self.chain(q)[0] or "") if q is not None else ""
        return Route(framework, _class_methods(cls, f, self.classes), join(prefix, res.literal),
                     f.path, cls.lineno, None, cls, q or res.owner, None, (), res.literal)


# -- public: one file ----------------------------------------------------------------------------


def routes(f: PyFile) -> tuple[Route, ...]:
    """The endpoints defined in ``f``, with the prefixes known inside ``f`` (see the module
    docstring). Routes on an app object imported from another module get their framework from
    ``f``'s imports; :func:`project_routes` joins paths and frameworks across files."""
    idx = _index(f)
    classes = {f"{f.module_name}.{n}": (f, c) for n, c in idx.classes.items()
               if not idx.unread}
    chains = _Chains({o.qualname: o for o in idx.objects.values()}, idx.includes, classes,
                     idx.prefixes, string_constants([f]))
    out = [r for route, template in idx.pending if (r := chains.apply(route, template))]
    out.extend(r for res in idx.resources if (r := chains.resource(res)) and r.file == f.path)
    return tuple(out)


def apps(f: PyFile) -> tuple[AppObject, ...]:
    """The app, router and blueprint objects built in ``f``, in line order."""
    return tuple(sorted(_index(f).objects.values(), key=lambda o: o.line))


# -- public: the project -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProjectRoutes:
    """Every endpoint and app/router object of the project, and its Django urlconf paths."""

    routes: tuple[Route, ...]
    apps: tuple[AppObject, ...]
    urlconfs: tuple[str, ...]

    @property
    def frameworks(self) -> frozenset[str]:
        """Framework families that have at least one endpoint or app object."""
        return frozenset({r.framework for r in self.routes} | {a.framework for a in self.apps})


def project_routes(project: Project) -> ProjectRoutes:
    """Every endpoint of the project's service code (tests and migrations left out), with
    prefixes joined across files; computed once per review (in the review's memo)."""
    return _project_index(project).routes


def project_classes(project: Project) -> ClassTable:
    """The module-level classes of the project's service code by qualified name
    (``app.views.UserView``; a name defined twice keeps its last class); computed once per
    review with the routes (callers must not change it)."""
    return _project_index(project).classes


@dataclass(frozen=True, slots=True)
class _ProjectIndex:
    """What one read of the service files' module-level statements gives: the routes, the
    class table and the ``ROOT_URLCONF`` setting (the last string assigned, in path order)."""

    routes: ProjectRoutes
    classes: ClassTable
    root_urlconf: str | None


def _project_index(project: Project) -> _ProjectIndex:
    return project.memo("api.routes", lambda: _routes_of(project.service_files()))


def _routes_of(files: Iterable[PyFile]) -> _ProjectIndex:
    files = list(files)
    extra = router_subclasses(files)
    indexes = [_index(f, extra) for f in files]
    objects: dict[str, AppObject] = {}
    classes: ClassTable = {}  # the classes route discovery joins through
    every_class: ClassTable = {}  # and those of files too deeply nested to read
    functions: dict[str, tuple[PyFile, FunctionNode]] = {}
    root_urlconf: str | None = None
    for idx in indexes:
        mod = idx.file.module_name
        root_urlconf = idx.root_urlconf or root_urlconf
        for name, cls in idx.classes.items():
            every_class[f"{mod}.{name}"] = (idx.file, cls)
        if idx.unread:
            continue
        for obj in idx.objects.values():
            objects[obj.qualname] = obj
        for name, cls in idx.classes.items():
            classes[f"{mod}.{name}"] = (idx.file, cls)
        for name, fn in idx.functions.items():
            functions[f"{mod}.{name}"] = (idx.file, fn)
    prefixes = {q: t for idx in indexes for q, t in idx.prefixes.items()}
    chains = _Chains(objects, (i for idx in indexes for i in idx.includes), classes, prefixes,
                     _LazyConstants([idx.file for idx in indexes]))
    out: list[Route] = []
    for idx in indexes:
        out.extend(r for route, tpl in idx.pending if (r := chains.apply(route, tpl)))
        out.extend(r for res in idx.resources if (r := chains.resource(res)))
    urlconfs = [idx for idx in indexes if idx.is_urlconf]
    out.extend(_django_routes(urlconfs, classes, functions))
    # A DRF view found on its own (no path) and again through a urlconf keeps the latter.
    with_path = {id(r.node) for r in out if r.path}
    final: list[Route] = []
    seen: set[tuple[int, str, tuple[str, ...]]] = set()
    for r in out:
        key = (id(r.node), r.path, r.methods)
        if (not r.path and id(r.node) in with_path) or key in seen:
            continue
        seen.add(key)
        final.append(r)
    final.sort(key=lambda r: (r.file, r.line, r.path))
    app_list = sorted(objects.values(), key=lambda o: (o.file, o.line))
    return _ProjectIndex(ProjectRoutes(tuple(final), tuple(app_list),
                                       tuple(sorted(i.file.path for i in urlconfs))),
                         every_class, root_urlconf)


def _django_routes(urlconfs: list[_FileIndex], classes: ClassTable,
                   functions: dict[str, tuple[PyFile, FunctionNode]]) -> list[Route]:
    by_module = {idx.file.module_name: idx for idx in urlconfs}
    routers: dict[str, list[tuple[str, str]]] = {}
    for idx in urlconfs:
        routers.update(idx.url_routers)
    parent_of: dict[str, tuple[str, str]] = {}  # module -> (including module, prefix)
    for idx in urlconfs:
        for e in idx.urls:
            if e.kind == "module":
                mod = _lookup_key(by_module, e.target)
                if mod is not None and mod != idx.file.module_name:
                    parent_of.setdefault(mod, (idx.file.module_name, e.prefix))

    def base_of(mod: str, depth: int = 0) -> str:
        up = parent_of.get(mod)
        if up is None or depth > 10:
            return ""
        return base_of(up[0], depth + 1) + up[1]

    out: list[Route] = []
    for idx in urlconfs:
        base = base_of(idx.file.module_name)
        for e in idx.urls:
            if e.kind == "view":
                out.extend(_view_route(e, join("", base + e.prefix), classes, functions))
            elif e.kind == "router":
                for reg_prefix, view_ref in lookup(routers, e.target) or []:
                    path = join("", base + e.prefix + reg_prefix.strip("^$").strip("/") + "/")
                    entry = _UrlEntry(path, reg_prefix, "view", view_ref)
                    out.extend(_view_route(entry, path, classes, functions))
    return out


def _view_route(e: _UrlEntry, path: str, classes: ClassTable,
                functions: dict[str, tuple[PyFile, FunctionNode]]) -> Iterator[Route]:
    path = re.sub(r"/{2,}", "/", path) or "/"
    cls_hit = lookup(classes, e.target, by_name=True)
    if cls_hit is not None:
        f, cls = cls_hit
        kind = view_kind(cls, f, classes) or DJANGO
        methods = e.methods or _class_methods(cls, f, classes)
        yield Route(kind, methods, path, f.path, cls.lineno, None, cls, "", None, e.wrappers,
                    e.literal)
        return
    fn_hit = lookup(functions, e.target, by_name=True)
    if fn_hit is None:
        return
    f, fn = fn_hit
    kind, methods = DJANGO, _django_methods(fn, f)
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        if (pyast.resolve(target, f) or "") in _DRF_API_VIEW:
            kind = DRF
            methods = _methods_kw(d, ("GET",)) if isinstance(d, ast.Call) else ("GET",)
    yield Route(kind, methods, path, f.path, fn.lineno, fn, None, "", None, e.wrappers,
                e.literal)


# -- project facts shared by several API detectors -----------------------------------------------


def serves_http(project: Project) -> bool:
    """True when service code imports a web framework; computed once per review."""
    return project.memo("api.serves_http", lambda: any(
        framework_of(f) is not None or f.imports_module(*OTHER_WEB_MODULES)
        for f in project.service_files()
    ))


def main_app(project: Project) -> tuple[str, int]:
    """Where to report a project-level API finding: the main app object (``FastAPI()``,
    ``Flask()``, ``NinjaAPI()``; in ``main.py``/``app.py`` first), else the root Django urlconf,
    else a module defining ``INSTALLED_APPS``, else ``("", 0)`` (the whole project); computed
    once per review."""
    return project.memo("api.main_app", lambda: _main_app(project))


def _main_app(project: Project) -> tuple[str, int]:
    pr = project_routes(project)
    roots = sorted((a for a in pr.apps if a.kind == "app"),
                   key=lambda a: (_rank(a.file), a.file, a.line))
    if roots:
        return roots[0].file, roots[0].line
    conf = django_root_urlconf(project)
    if conf is not None:
        return conf
    for f in project.service_files():
        line = module_assignment_line(f, "INSTALLED_APPS")
        if line:
            return f.path, line
    if pr.apps:
        return pr.apps[0].file, pr.apps[0].line
    return "", 0


def _rank(path: str) -> tuple[int, int]:
    base = path.rsplit("/", 1)[-1]
    return (0 if base in ("main.py", "app.py", "asgi.py", "wsgi.py", "application.py") else 1,
            path.count("/"))


def django_root_urlconf(project: Project) -> tuple[str, int] | None:
    """``(path, line of urlpatterns)`` of the root urlconf named by ``ROOT_URLCONF`` (else the
    shallowest ``urls.py``); None without Django urls. Computed once per review."""
    return project.memo("api.root_urlconf", lambda: _django_root_urlconf(project))


def _django_root_urlconf(project: Project) -> tuple[str, int] | None:
    index = _project_index(project)
    pr = index.routes
    if not pr.urlconfs:
        return None
    wanted = index.root_urlconf
    candidates = list(pr.urlconfs)
    if wanted:
        tail = wanted.replace(".", "/") + ".py"
        named = [p for p in candidates if p == tail or p.endswith("/" + tail)]
        candidates = named or candidates
    candidates.sort(key=lambda p: (p.count("/"), p))
    path = candidates[0]
    return path, module_assignment_line(project.python[path], "urlpatterns") or 1


def module_assignment_line(f: PyFile, name: str) -> int:
    """Line of the first module-level assignment to ``name`` in ``f``, or 0."""
    for stmt in f.tree.body:
        targets: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, ast.AnnAssign | ast.AugAssign):
            targets = [stmt.target]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return stmt.lineno
    return 0


_HTML_CALLS = frozenset({"render_template", "render", "render_to_response", "TemplateResponse",
                         "render_template_string", "redirect", "HttpResponseRedirect",
                         "send_file", "send_from_directory", "FileResponse",
                         "HTMLResponse", "StreamingResponse"})


def is_api_route(route: Route) -> bool:
    """True when the route serves data rather than pages or files: FastAPI, Ninja and DRF routes
    unless they render templates or send files; Flask and Django routes likewise, Django generic
    views with a ``template_name`` or no handler of their own excepted."""
    if route.cls is not None:
        for stmt in route.cls.body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "template_name" for t in stmt.targets
            ):
                return False
        if route.framework == DJANGO and not handlers(route):
            return False
    for fn in handlers(route):
        for node in walked(fn):
            if isinstance(node, ast.Call) and (pyast.attr_name(node) or "") in _HTML_CALLS:
                return False
    if route.function is not None and route.decorator is not None:
        rc = pyast.keyword(route.decorator, "response_class")
        if rc is not None and (pyast.dotted(rc) or "").endswith(
            ("HTMLResponse", "FileResponse", "RedirectResponse", "StreamingResponse",
             "PlainTextResponse")
        ):
            return False
        if pyast.is_false(pyast.keyword(route.decorator, "include_in_schema")):
            return False
    return True
