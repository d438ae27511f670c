"""State-changing endpoint that no authentication or permission check guards.

## What it flags
Endpoints that accept POST, PUT, PATCH or DELETE (Django function views: those that read
``request.POST``/``request.body``/``request.data`` or test ``request.method``) with no
authentication in sight:

- FastAPI/Starlette/Ninja: no security dependency on the route, its routers (also a router
  subclass that adds one in ``__init__``), their ``include_router`` calls or the app
  (``Depends(get_current_user)``, ``Security(...)``, an ``OAuth2PasswordBearer``/``HTTPBearer``/
  ``APIKeyHeader`` scheme, an ``Annotated`` alias such as ``CurrentUser``), none as a class
  attribute of a class-based controller or its bases, no ``auth=`` on a Ninja router, no
  authentication middleware;
- Django: no ``login_required``/``permission_required``/``user_passes_test`` (as a decorator or
  around the view in ``urls.py``), no ``LoginRequiredMixin``/``PermissionRequiredMixin``, no
  ``request.user.is_authenticated``/``has_perm`` check, no ``LoginRequiredMiddleware``;
- Django REST framework: no ``permission_classes`` (view, base class or ``@permission_classes``)
  while ``DEFAULT_PERMISSION_CLASSES`` is absent or ``AllowAny``; and any mutating view that sets
  ``permission_classes = [AllowAny]`` explicitly;
- Flask: no auth decorator (``login_required``, ``jwt_required``, ``auth.login_required``...),
  no ``method_decorators`` on a resource class, no ``before_request`` hook that authenticates;
- any framework: no check in the handler itself: a call such as ``is_admin()`` or
  ``verify_token()``, or a refusal with 401 or 403 (``abort(403)``, ``raise PermissionDenied``,
  ``HTTPException(status_code=403)``), which only code that decides who may call can give.

Endpoints that are usually public on purpose are skipped: by name (login, logout, signup,
register, token, refresh, OAuth callbacks, webhooks, health and readiness probes, password reset
and recovery, e-mail verification, docs), account creation (``POST /users``), and routers
included only under a debug/local/test condition. When some endpoints of the project are
protected, each unprotected one is reported; when none is, one finding on the app says so (an
internal service may rely on a gateway, which a reviewer can attest). Heuristic: authentication
can live where code cannot show it.

## Why it matters
An endpoint that changes data without checking who calls it lets anyone create, modify or
delete records: broken authentication and function-level authorization are among the most
exploited API flaws (CWE-306, CWE-862, OWASP API2:2023 and API5:2023).

## Example
```python
@router.delete("/projects/{project_id}")
def delete_project(project_id: int, session: SessionDep):
    session.delete(session.get(Project, project_id))
```

## Use instead
```python
@router.delete("/projects/{project_id}")
def delete_project(project_id: int, session: SessionDep, user: CurrentUser):
    project = session.get(Project, project_id)
    if project.owner_id != user.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN)
    session.delete(project)
```
(or ``APIRouter(dependencies=[Depends(get_current_user)])``, DRF
``DEFAULT_PERMISSION_CLASSES = ["rest_framework.permissions.IsAuthenticated"]``, Django
``LoginRequiredMiddleware``).

## References
- CWE-306, Missing Authentication for Critical Function: https://cwe.mitre.org/data/definitions/306.html
- CWE-862, Missing Authorization: https://cwe.mitre.org/data/definitions/862.html
- OWASP API5:2023 Broken Function Level Authorization: https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/
- FastAPI, Security: https://fastapi.tiangolo.com/tutorial/security/
- Django REST framework, Permissions: https://www.django-rest-framework.org/api-guide/permissions/
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.api._common import defaults, drf_setting, is_public_by_name, listed_names
from checks.detectors.api._routes import (
    DJANGO,
    DRF,
    FASTAPI,
    FLASK,
    MUTATING,
    NINJA,
    AppObject,
    ClassTable,
    FunctionNode,
    ProjectRoutes,
    Route,
    handlers,
    lookup,
    main_app,
    project_classes,
    project_routes,
    qualify,
    segments,
)
from checks.detectors.api.unversioned_api import VERSION_SEGMENT
from checks.detectors.database._db import functions
from checks.detectors.observability._syntax import walk_order, walked
from checks.model import Severity
from checks.pyfile import PyFile

AUTH_NAME = re.compile(
    r"auth|login|logged|token|jwt|oauth|bearer|api_?key|permission|perm(s|it)?\b|principal|"
    r"credential|current|superuser|admin|staff|role|scopes?\b|guard|protect|secur|verify|verified|"
    r"identity|claims|signature|signed|get_\w*user|user_required|require[sd]?_(?!http|get|post|"
    r"safe)", re.IGNORECASE)
"""Names of dependencies, decorators, mixins and hooks that authenticate or authorize."""

_BODY_CHECK = re.compile(
    r"authenticate|authori[sz]e|verify_(token|jwt|api_?key|signature|access)|check_(auth|perm|"
    r"access|token)|get_current_\w+|is_authenticated|has_perm|has_object_permission|"
    r"verify_jwt_in_request|decode_(token|jwt)|require_(auth|login|user|permission)|"
    r"is_admin|is_staff|is_superuser",
    re.IGNORECASE)
_SECURITY_SCHEMES = re.compile(r"^fastapi\.security\.")
_DJANGO_USER_CHECKS = frozenset({"is_authenticated", "has_perm", "has_perms", "is_staff",
                                 "is_superuser", "is_anonymous"})
_ALLOW_ANY = "AllowAny"
_HOOK_CALLS = ("add_middleware", "before_request", "before_app_request")
_HOOK_ATTRS = frozenset({*_HOOK_CALLS, "middleware"})
"""A call of :data:`_HOOK_CALLS` or a hook decorator (see :func:`_hook_decorator`) is an
attribute of one of these names."""


class UnauthenticatedEndpoint(Detector):
    """Flags state-changing endpoints with no authentication (see module docstring)."""

    slug = "unauthenticated-endpoint"
    items = ("API-04",)
    attributes = _HOOK_ATTRS

    def __init__(self) -> None:
        super().__init__()
        self._hooked: set[str] = set()  # files with an attribute of _HOOK_ATTRS

    def visit_Attribute(self, node: ast.Attribute, ctx: FileContext) -> None:
        self._hooked.add(ctx.file.path)

    def finish(self, project: Project) -> None:
        pr = project_routes(project)
        if not pr.routes:
            self.not_applicable("API-04", "no HTTP endpoints found")
            return
        ctx = _Context(project, pr, self._hooked)
        unprotected: list[Route] = []
        explicit_public: list[tuple[Route, str]] = []
        protected = 0
        mutating = 0
        seen: set[tuple[int, str]] = set()
        for route in pr.routes:
            key = (id(route.node), route.path)
            if key in seen:
                continue
            seen.add(key)
            guard = ctx.guard(route)
            if guard is not None and guard != _ALLOW_ANY:
                protected += 1
            if (not _mutating(route) or is_public_by_name(route) or route.dev_only
                    or _registration(route)):
                continue
            mutating += 1
            if guard == _ALLOW_ANY:
                explicit_public.append((route, "permission_classes = [AllowAny]"))
            elif guard is None:
                unprotected.append(route)
        for route, why in explicit_public:
            self.report("API-04", route.file, route.line,
                        f"{route.describe()} changes data and sets {why}: anyone can call it",
                        "Require IsAuthenticated (or a stricter permission) unless the endpoint "
                        "is public on purpose; then say why in a comment.",
                        end_line=route.def_line)
        if not unprotected:
            if mutating:
                self.evidence("API-04", f"{mutating} state-changing endpoints, all guarded")
            else:
                self.evidence("API-04", "no state-changing endpoints outside login, signup, "
                              "webhooks and health checks")
            return
        if protected or ctx.global_guards:
            for route in unprotected:
                self.report("API-04", route.file, route.line,
                            f"{route.describe()} changes data without authentication, while "
                            "other endpoints of the project require it",
                            _hint(route.framework), end_line=route.def_line)
            return
        path, line = main_app(project)
        examples = ", ".join(r.describe() for r in unprotected[:3])
        more = f" and {len(unprotected) - 3} more" if len(unprotected) > 3 else ""
        self.report("API-04", path, line,
                    f"none of the {len(unprotected)} state-changing endpoints requires "
                    f"authentication ({examples}{more})",
                    "Add authentication at the app or router level (a FastAPI dependency on the "
                    "router, DRF DEFAULT_PERMISSION_CLASSES, Django LoginRequiredMiddleware, a "
                    "Flask before_request check), or attest that a gateway authenticates "
                    "every call.", severity=Severity.MEDIUM, key="no-authentication")


def _hint(framework: str) -> str:
    if framework in (FASTAPI, NINJA):
        return ("Add a security dependency (user: CurrentUser, Depends(get_current_user)) to the "
                "route or its router, and check the caller may act on the object.")
    if framework == DRF:
        return "Set permission_classes (or DEFAULT_PERMISSION_CLASSES) to IsAuthenticated or "\
               "stricter."
    if framework == DJANGO:
        return "Decorate with @login_required/@permission_required (LoginRequiredMixin for "\
               "class-based views), or enable LoginRequiredMiddleware."
    return "Decorate with @login_required/@jwt_required (or authenticate in a before_request "\
           "hook on the blueprint)."


_ACCOUNT_COLLECTIONS = frozenset({"users", "accounts", "members", "customers", "user",
                                  "account"})


def _registration(route: Route) -> bool:
    """``POST /users``: creating an account, usually public on purpose (sign-up)."""
    segs = [s for s in segments(route.path or route.path_literal) if not VERSION_SEGMENT.match(s)]
    return route.methods == ("POST",) and bool(segs) and segs[-1].lower() in _ACCOUNT_COLLECTIONS


def _mutating(route: Route) -> bool:
    if route.methods:
        return any(m in MUTATING for m in route.methods)
    # A Django function view that accepts any method: mutating when it handles a POST.
    for fn in handlers(route):
        for node in walked(fn):
            if (isinstance(node, ast.Attribute) and node.attr in ("POST", "body", "data", "FILES")
                    and pyast.dotted(node.value) in ("request", "self.request")):
                return True
            if isinstance(node, ast.Compare) and pyast.dotted(node.left) in (
                "request.method", "self.request.method"
            ) and any(pyast.const_str(c) in MUTATING for c in node.comparators):
                return True
    return False


def _hook_decorator(d: ast.expr) -> bool:
    target = d.func if isinstance(d, ast.Call) else d
    return isinstance(target, ast.Attribute) and target.attr in (
        "before_request", "before_app_request", "middleware")


class _Context:
    """Project-wide protections, computed once."""

    def __init__(self, project: Project, pr: ProjectRoutes, hooked: set[str]) -> None:
        self.project = project
        self.objects = {a.qualname: a for a in pr.apps}
        self.classes: ClassTable = project_classes(project)
        self.global_guards: dict[str, str] = {}
        self.flask_hooks: set[str] = set()
        self._scan(project, hooked)
        drf = drf_setting(project, "DEFAULT_PERMISSION_CLASSES")
        self.drf_default: str | None = None
        if drf is not None:
            names = listed_names(drf.value, drf.file)
            if names and any(n != _ALLOW_ANY for n in names):
                self.drf_default = f"DEFAULT_PERMISSION_CLASSES at {drf.path}:{drf.line}"

    def _scan(self, project: Project, hooked: set[str]) -> None:
        """``hooked``: the files with an attribute named like a hook (see _HOOK_ATTRS); no
        other file has a hook call or decorator."""
        for f in project.service_files():
            if "LoginRequiredMiddleware" in f.text:
                self.global_guards[DJANGO] = f"LoginRequiredMiddleware in {f.path}"
            if f.path not in hooked:
                continue
            # Only these calls and decorated functions can set a guard; they are handled in
            # ast.walk order, since a later one overrides an earlier guard of its framework.
            hooks: list[ast.Call | ast.FunctionDef | ast.AsyncFunctionDef] = [
                node for node in f.nodes(ast.Call)
                if isinstance(node.func, ast.Attribute) and node.func.attr in _HOOK_CALLS]
            hooks.extend(node for node in functions(f)
                         if any(_hook_decorator(d) for d in node.decorator_list))
            for node in walk_order(f, hooks, source_order=False) if len(hooks) > 1 else hooks:
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    self._middleware(node, f)
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    for d in node.decorator_list:
                        target = d.func if isinstance(d, ast.Call) else d
                        if not isinstance(target, ast.Attribute):
                            continue
                        owner = pyast.dotted(target.value) or ""
                        if target.attr in ("before_request", "before_app_request") and (
                            _authenticates(node)
                        ):
                            q = qualify(f, owner)
                            obj = self.objects.get(q)
                            if target.attr == "before_app_request" or (
                                obj is not None and obj.kind == "app"
                            ):
                                self.global_guards[FLASK] = f"before_request hook {node.name}()"
                            self.flask_hooks.add(q)
                        if target.attr == "middleware" and _authenticates(node):
                            self.global_guards[FASTAPI] = f"HTTP middleware {node.name}()"

    def _middleware(self, node: ast.Call, f: PyFile) -> None:
        assert isinstance(node.func, ast.Attribute)
        if node.func.attr == "add_middleware" and node.args:
            name = pyast.resolve(node.args[0], f) or ""
            if AUTH_NAME.search(name.rsplit(".", 1)[-1]):
                self.global_guards[FASTAPI] = f"middleware {name.rsplit('.', 1)[-1]}"
        if node.func.attr in ("before_request", "before_app_request") and node.args:
            fn_name = pyast.dotted(node.args[0]) or ""
            if AUTH_NAME.search(fn_name):
                owner = qualify(f, pyast.dotted(node.func.value) or "")
                obj = self.objects.get(owner)
                if node.func.attr == "before_app_request" or (obj and obj.kind == "app"):
                    self.global_guards[FLASK] = f"before_request hook {fn_name}()"
                self.flask_hooks.add(owner)

    # -- per route -------------------------------------------------------------------------
    def guard(self, route: Route) -> str | None:
        """What protects the route (a short description), ``"AllowAny"`` for an explicit opt
        out, or None."""
        f = self.project.python[route.file]
        fw = route.framework
        if fw in self.global_guards:
            return self.global_guards[fw]
        applied = [n for n in route.applied if n == "?" or AUTH_NAME.search(n)]
        if applied:
            return f"{applied[0]} applied to the route"
        for fn in handlers(route):
            found = _function_guard(fn, f, fw)
            if found is not None:
                return found
        if fw in (FASTAPI, NINJA):
            if route.enclosing is not None:
                found = _controller_dependencies(route.enclosing, f, self.classes)
                if found is not None:
                    return found
            return self._owner_auth(route)
        if fw == FLASK:
            if route.owner in self.flask_hooks:
                return "before_request hook"
            if route.cls is not None and _class_attr(route.cls, ("method_decorators",
                                                                 "decorators")):
                return "method_decorators"
            return None
        if fw == DRF:
            return self._drf(route, f)
        if route.cls is not None:
            return _class_guard(route.cls, f, self.classes)
        return None

    def _owner_auth(self, route: Route) -> str | None:
        obj: AppObject | None = self.objects.get(route.owner)
        if obj is not None:
            auth = pyast.keyword(obj.call, "auth")
            if auth is not None and pyast.const(auth) is not None:
                return f"auth= on {obj.name}"
        if route.decorator is not None:
            auth = pyast.keyword(route.decorator, "auth")
            if auth is not None and pyast.const(auth) is not None:
                return "auth= on the route"
        return None

    def _drf(self, route: Route, f: PyFile) -> str | None:
        if route.function is not None:
            for d in route.function.decorator_list:
                if isinstance(d, ast.Call) and (pyast.attr_name(d) or "") == "permission_classes":
                    names = [n for a in d.args for n in listed_names(a, f)]
                    return _ALLOW_ANY if names and all(n == _ALLOW_ANY for n in names) else (
                        "@permission_classes")
            return self.drf_default
        assert route.cls is not None
        found = _drf_permissions(route.cls, f, self.classes)
        if found is not None:
            return found
        guard = _class_guard(route.cls, f, self.classes)
        return guard if guard is not None else self.drf_default


_REFUSALS = frozenset({"PermissionDenied", "Forbidden", "Unauthorized", "NotAuthenticated",
                       "AuthenticationFailed", "HTTPForbidden", "HTTPUnauthorized"})
_REFUSAL_CODES = (401, 403)


def _refusal(node: ast.AST) -> str | None:
    """How ``node`` refuses a caller, if it does: ``abort(403)`` (Flask, Werkzeug),
    ``raise PermissionDenied`` (Django, DRF), ``HTTPException(status_code=401)`` (FastAPI,
    Starlette). A handler that can answer 401 or 403 decides who may call it (RFC 9110
    sections 15.5.2 and 15.5.4)."""
    if isinstance(node, ast.Raise) and node.exc is not None:
        target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        last = (pyast.dotted(target) or "").rsplit(".", 1)[-1]
        return f"raise {last}" if last in _REFUSALS else None
    if not isinstance(node, ast.Call):
        return None
    last = (pyast.dotted(node.func) or "").rsplit(".", 1)[-1]
    if last == "abort" and node.args and pyast.const(node.args[0]) in _REFUSAL_CODES:
        return f"abort({pyast.const(node.args[0])})"
    if last == "HTTPException":
        code = pyast.argument(node, 0, "status_code")
        if pyast.const(code) in _REFUSAL_CODES or (
            isinstance(code, ast.Attribute) and code.attr.startswith(("HTTP_401", "HTTP_403"))
        ):
            return "HTTPException(401/403)"
    return None


def _authenticates(fn: FunctionNode) -> bool:
    if AUTH_NAME.search(fn.name):
        return True
    for node in walked(fn):
        if isinstance(node, ast.Call) and _BODY_CHECK.search(pyast.dotted(node.func) or ""):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
            node.value.lower() in ("authorization", "x-api-key")
        ):
            return True
    return False


def _function_guard(fn: FunctionNode, f: PyFile, fw: str) -> str | None:
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        name = pyast.resolve(target, f) or ""
        last = name.rsplit(".", 1)[-1]
        if last == "method_decorator" and isinstance(d, ast.Call) and d.args:
            inner = pyast.dotted(d.args[0].func if isinstance(d.args[0], ast.Call)
                                 else d.args[0]) or ""
            if AUTH_NAME.search(inner):
                return f"@method_decorator({inner})"
        elif AUTH_NAME.search(last) and last not in ("permission_classes",):
            return f"@{last}"
    if fw in (FASTAPI, NINJA):
        found = _fastapi_params(fn, f)
        if found is not None:
            return found
    for stmt in fn.body:
        for node in walked(stmt):
            refusal = _refusal(node)
            if refusal is not None:
                return f"{refusal} in the handler"
            if isinstance(node, ast.Call) and _BODY_CHECK.search(pyast.dotted(node.func) or ""):
                return f"{pyast.dotted(node.func)}() in the handler"
            if isinstance(node, ast.Attribute) and node.attr in _DJANGO_USER_CHECKS and (
                (pyast.dotted(node.value) or "").endswith("user")
            ):
                return f"user.{node.attr} check in the handler"
    return None


def _controller_dependencies(cls: ast.ClassDef, f: PyFile, classes: ClassTable,
                             depth: int = 0) -> str | None:
    """A security dependency declared as a class attribute of a class-based controller
    (``user: User = Depends(get_current_user)``), on the class or a project base class."""
    for stmt in cls.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            found = _dependency_guard(stmt.target.id, stmt.annotation, stmt.value, f)
            if found is not None:
                return f"{found} on {cls.name}"
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(
            stmt.targets[0], ast.Name
        ):
            found = _dependency_guard(stmt.targets[0].id, None, stmt.value, f)
            if found is not None:
                return f"{found} on {cls.name}"
    return _inherited(cls, f, classes, depth, _controller_dependencies)


def _fastapi_params(fn: FunctionNode, f: PyFile) -> str | None:
    given = defaults(fn)
    for arg in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]:
        found = _dependency_guard(arg.arg, arg.annotation, given.get(arg.arg), f)
        if found is not None:
            return found
    return None


def _dependency_guard(name: str, annotation: ast.expr | None, default: ast.expr | None,
                      f: PyFile) -> str | None:
    """What protects a parameter or controller attribute: ``Depends(get_current_user)``,
    ``Security(...)``, ``Annotated[User, Depends(...)]`` or an alias named like ``CurrentUser``."""
    markers: list[ast.expr] = [default] if default is not None else []
    if isinstance(annotation, ast.Subscript) and (
        pyast.dotted(annotation.value) or ""
    ).endswith("Annotated"):
        if isinstance(annotation.slice, ast.Tuple):
            markers.extend(annotation.slice.elts[1:])
    elif annotation is not None:
        alias = pyast.dotted(annotation) or ""
        if alias and AUTH_NAME.search(alias.rsplit(".", 1)[-1]):
            return f"{name}: {alias}"
    for m in markers:
        if not isinstance(m, ast.Call):
            continue
        kind = pyast.attr_name(m) or ""
        if kind == "Security":
            return f"Security() on {name}"
        if kind != "Depends":
            continue
        dep = m.args[0] if m.args else pyast.keyword(m, "dependency")
        if isinstance(dep, ast.Call):  # Depends(get_current_user_authorizer())
            dep = dep.func
        dep_name = pyast.resolve(dep, f) if dep is not None else None
        if dep_name is None and dep is None and annotation is not None:
            dep_name = pyast.dotted(annotation)  # Depends() on a class
        if dep_name and (AUTH_NAME.search(dep_name.rsplit(".", 1)[-1])
                         or _SECURITY_SCHEMES.match(dep_name)
                         or _is_scheme_instance(dep, f)):
            return f"Depends({dep_name.rsplit('.', 1)[-1]})"
    return None


def _is_scheme_instance(dep: ast.expr | None, f: PyFile) -> bool:
    """True when ``dep`` names a module variable built by ``fastapi.security.*``."""
    name = pyast.dotted(dep) if dep is not None else None
    if not name:
        return False
    for stmt in f.tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and any(
            isinstance(t, ast.Name) and t.id == name for t in stmt.targets
        ):
            return bool(_SECURITY_SCHEMES.match(pyast.call_name(stmt.value, f) or ""))
    return False


def _class_attr(cls: ast.ClassDef, names: tuple[str, ...]) -> ast.expr | None:
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(isinstance(t, ast.Name) and t.id in names for t in targets):
                return stmt.value
    return None


def _bases(cls: ast.ClassDef, f: PyFile, classes: ClassTable
           ) -> list[tuple[str, tuple[PyFile, ast.ClassDef] | None]]:
    out: list[tuple[str, tuple[PyFile, ast.ClassDef] | None]] = []
    for base in cls.bases:
        ref = pyast.dotted(base)
        resolved = pyast.resolve(base, f) or ""
        hit = lookup(classes, qualify(f, ref), by_name=True) if ref else None
        out.append((resolved, hit if hit is None or hit[1] is not cls else None))
    return out


def _inherited(cls: ast.ClassDef, f: PyFile, classes: ClassTable, depth: int,
               find: Callable[[ast.ClassDef, PyFile, ClassTable, int], str | None]
               ) -> str | None:
    """``find`` on the project classes ``cls`` derives from, in base order, at most five
    levels up; the first answer that is not None."""
    for _resolved, hit in _bases(cls, f, classes):
        if hit is not None and depth < 5:
            found = find(hit[1], hit[0], classes, depth + 1)
            if found is not None:
                return found
    return None


def _class_guard(cls: ast.ClassDef, f: PyFile, classes: ClassTable, depth: int = 0
                 ) -> str | None:
    """Mixins, class decorators and a guarded ``dispatch`` on a class or its project bases."""
    for d in cls.decorator_list:
        if isinstance(d, ast.Call) and (pyast.attr_name(d) or "") == "method_decorator" and (
            d.args and AUTH_NAME.search(pyast.dotted(
                d.args[0].func if isinstance(d.args[0], ast.Call) else d.args[0]) or "")
        ):
            return "@method_decorator on the class"
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "dispatch":
            found = _function_guard(stmt, f, DJANGO)
            if found is not None:
                return found
    for resolved, hit in _bases(cls, f, classes):
        last = resolved.rsplit(".", 1)[-1]
        if AUTH_NAME.search(last) and last.endswith("Mixin"):
            return last
        if hit is not None and depth < 5:
            found = _class_guard(hit[1], hit[0], classes, depth + 1)
            if found is not None:
                return found
    return None


def _drf_permissions(cls: ast.ClassDef, f: PyFile, classes: ClassTable, depth: int = 0
                     ) -> str | None:
    value = _class_attr(cls, ("permission_classes",))
    if value is not None:
        names = listed_names(value, f)
        if names and all(n == _ALLOW_ANY for n in names):
            return _ALLOW_ANY
        if isinstance(value, ast.List | ast.Tuple) and not value.elts:
            return _ALLOW_ANY
        return "permission_classes"
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name in ("get_permissions",
                                                               "check_permissions"):
            return stmt.name
    return _inherited(cls, f, classes, depth, _drf_permissions)

