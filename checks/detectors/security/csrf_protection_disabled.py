"""CSRF protection switched off or bypassed.

## What it flags
- Django views decorated with ``@csrf_exempt`` (``django.views.decorators.csrf``), or wrapped
  with ``csrf_exempt(view)``;
- a Django ``MIDDLEWARE`` list (in settings that are not for development or tests) that enables
  sessions or authentication but not ``django.middleware.csrf.CsrfViewMiddleware``, when no
  other settings module of the project adds it;
- Flask-WTF ``WTF_CSRF_ENABLED = False`` (module constant, ``app.config[...]``,
  ``app.config.update(...)``) outside test and development configuration (a config class named
  ``Test*``/``Dev*`` is development configuration);
- Flask-WTF ``csrf.exempt`` (``@csrf.exempt`` or ``csrf.exempt(view_or_blueprint)``) on a
  ``CSRFProtect`` instance.

Exemptions are medium findings: a webhook receiver that authenticates each request with a
signature is a legitimate reason, and the finding should then be waived with that reason.
Projects using neither Django nor Flask are not applicable: their CSRF defence (if cookies
authenticate requests at all) needs a reviewer. Tests are skipped.

## Why it matters
With cookie-based sessions, a browser sends the user's cookies along with a request that any
other site triggers (a form posted from a hostile page). Without a CSRF token check, that page
can change the user's password, move money or delete data as the user.

## Example
```python
@csrf_exempt
def update_profile(request):
    request.user.email = request.POST["email"]
    request.user.save()
```

## Use instead
```python
@require_POST
def update_profile(request):  # CsrfViewMiddleware checks the token
    ...
```
Exempt only endpoints that do not rely on cookies (verified webhooks, token-authenticated
APIs), and say why next to the exemption.

## References
- CWE-352, Cross-Site Request Forgery: https://cwe.mitre.org/data/definitions/352.html
- OWASP CSRF Prevention Cheat Sheet:
  https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html
- Django, CSRF protection: https://docs.djangoproject.com/en/stable/ref/csrf/
- Flask-WTF, CSRF protection: https://flask-wtf.readthedocs.io/en/latest/csrf/
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.security._common import call_name, is_dev_path, replay
from checks.model import Severity
from checks.pyast import called_last
from checks.pyfile import PyFile

_CSRF_EXEMPT = "django.views.decorators.csrf.csrf_exempt"
_PROTECTOR_EXEMPT = "exempt"  # csrf.exempt(view), csrf a Flask-WTF CSRFProtect
_CONFIG_UPDATE = "config.update"  # app.config.update(WTF_CSRF_ENABLED=False)
_CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"
_NEEDS_CSRF = ("SessionMiddleware", "AuthenticationMiddleware")
_CSRF_PROTECT = ("flask_wtf.CSRFProtect", "flask_wtf.csrf.CSRFProtect", "flask_wtf.CsrfProtect",
                 "flask_wtf.csrf.CsrfProtect")
_DEV_CLASS_WORDS = ("test", "dev", "local", "debug")
_PROTECTOR_NAMES = ("csrf", "csrf_protect")
_PROTECT_LAST = frozenset(n.rsplit(".", 1)[-1] for n in _CSRF_PROTECT)
_ASSIGNED = frozenset({"WTF_CSRF_ENABLED", "MIDDLEWARE"})
"""The names whose assignments are judged (``MIDDLEWARE = [...]``, ``config["WTF..."] =``)."""


class CsrfProtectionDisabled(Detector):
    """Flags CSRF exemptions and disabled CSRF protection (see module docstring)."""

    slug = "csrf-protection-disabled"
    items = ("SEC-04",)
    calls = frozenset(n.rsplit(".", 1)[-1] for n in (_CSRF_EXEMPT, _PROTECTOR_EXEMPT,
                                                     _CONFIG_UPDATE))

    # Decorators and assignments are read from the file's node index in end_file, and only in
    # a file that may hold what is looked for: an import of csrf_exempt, an attribute named
    # csrf_exempt or exempt (handed to visit_Attribute), an assignment to MIDDLEWARE or
    # WTF_CSRF_ENABLED.
    attributes = frozenset({"csrf_exempt", _PROTECTOR_EXEMPT})

    def __init__(self) -> None:
        super().__init__()
        self._skip = False
        self._dev = False
        self._protectors: set[str] | None = None
        self._exempt_attribute = False
        self._protector_attribute = False
        self._middleware: list[tuple[str, ast.stmt, list[str]]] = []
        self._csrf_middleware_seen = False

    def start_file(self, ctx: FileContext) -> None:
        f = ctx.file
        self._skip = f.is_test or f.is_migration
        self._dev = is_dev_path(f.path)
        self._protectors = None  # found when first needed
        self._exempt_attribute = self._protector_attribute = False

    def _protectors_of(self, f: PyFile) -> set[str]:
        """Names of the file's CSRFProtect objects: made here, or imported from the project's
        extensions module."""
        if self._protectors is None:
            self._protectors = {
                local for local, target in f.imports.items()
                if target.endswith(_PROTECTOR_NAMES) and target.rsplit(".", 1)[-1] in (
                    _PROTECTOR_NAMES) and not target.startswith(("django", "flask_wtf"))
            }
            for node in f.tree.body:
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and (
                        called_last(node.value, f) in _PROTECT_LAST) and (
                        call_name(node.value, f) in _CSRF_PROTECT):
                    self._protectors.update(t.id for t in node.targets if isinstance(t, ast.Name))
        return self._protectors

    def visit_Attribute(self, node: ast.Attribute, ctx: FileContext) -> None:
        if node.attr == _PROTECTOR_EXEMPT:
            self._protector_attribute = True
        else:
            self._exempt_attribute = True

    def end_file(self, ctx: FileContext) -> None:
        if self._skip:
            return
        f = ctx.file
        # csrf_exempt is an attribute, or a name that imports it; csrf.exempt needs a protector
        if self._exempt_attribute or f.imports_module(_CSRF_EXEMPT) or (
                self._protector_attribute and self._protectors_of(f)):
            functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = [
                *f.nodes(ast.FunctionDef), *f.nodes(ast.AsyncFunctionDef)]
            for node in functions:
                self._decorated(node, ctx)
            for cls in f.nodes(ast.ClassDef):
                self._class_decorated(cls, ctx)
        for assign in f.nodes(ast.Assign):
            for target in assign.targets:
                if target.__class__ is ast.Name:
                    name: str | None = target.id
                elif target.__class__ is ast.Subscript:
                    name = pyast.const_str(target.slice)
                else:
                    continue
                if name in _ASSIGNED:
                    # which function and classes enclose the assignment matters: the file's
                    # assignments are read again in a walk that knows them
                    replay(f, {ast.Assign: self._assigned})
                    return

    # -- Django --------------------------------------------------------------------------------
    def _class_decorated(self, node: ast.ClassDef, ctx: FileContext) -> None:
        for deco in node.decorator_list:  # @method_decorator(csrf_exempt, name="dispatch")
            if isinstance(deco, ast.Call) and any(
                    pyast.resolve(a, ctx.file) == _CSRF_EXEMPT for a in deco.args):
                self._exempt(ctx, deco, node.name)

    def _decorated(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: FileContext) -> None:
        for deco in node.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            name = pyast.resolve(target, ctx.file)
            if name == _CSRF_EXEMPT or (isinstance(deco, ast.Call) and any(
                    pyast.resolve(a, ctx.file) == _CSRF_EXEMPT for a in deco.args)):
                self._exempt(ctx, deco, node.name)
            elif _is_protector_exempt(target, self._protectors_of(ctx.file)):
                self._exempt(ctx, deco, node.name, flask=True)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        name = call_name(node, ctx.file)
        if name == _CSRF_EXEMPT and node.args and ctx.function is None:
            self._exempt(ctx, node, ast.unparse(node.args[0]))
        elif _is_protector_exempt(node.func, None) and node.args and _is_protector_exempt(
                node.func, self._protectors_of(ctx.file)):
            self._exempt(ctx, node, ast.unparse(node.args[0]), flask=True)
        elif name and name.endswith(_CONFIG_UPDATE) and not self._dev_context(ctx):
            for kw in node.keywords:
                if kw.arg == "WTF_CSRF_ENABLED" and pyast.is_false(kw.value):
                    self._disabled(ctx, node)

    def _exempt(self, ctx: FileContext, node: ast.AST, view: str, *, flask: bool = False) -> None:
        what = "csrf.exempt" if flask else "csrf_exempt"
        self.report_node(
            "SEC-04", ctx, node,
            f"{what} turns off CSRF checks for `{view}`",
            "Keep CSRF protection on; exempt only endpoints that never rely on cookies (a "
            "signed webhook, a token-authenticated API) and waive this finding with that reason.",
            severity=Severity.MEDIUM,
        )

    def _assigned(self, node: ast.Assign, ctx: FileContext) -> None:
        for target in node.targets:
            name = target.id if isinstance(target, ast.Name) else (
                pyast.const_str(target.slice) if isinstance(target, ast.Subscript) else None)
            if name == "WTF_CSRF_ENABLED" and pyast.is_false(node.value) and not (
                    self._dev_context(ctx)):
                self._disabled(ctx, node)
            elif name == "MIDDLEWARE" and isinstance(target, ast.Name) and ctx.function is None:
                entries = _strings(node.value)
                if _CSRF_MIDDLEWARE in entries:
                    self._csrf_middleware_seen = True
                elif not self._dev and not ctx.classes:
                    self._middleware.append((ctx.path, node, entries))

    def visit_AugAssign(self, node: ast.AugAssign, ctx: FileContext) -> None:
        if isinstance(node.target, ast.Name) and node.target.id == "MIDDLEWARE" and (
                _CSRF_MIDDLEWARE in _strings(node.value)):
            self._csrf_middleware_seen = True

    def _dev_context(self, ctx: FileContext) -> bool:
        return self._dev or any(
            w in cls.name.lower() for cls in ctx.classes for w in _DEV_CLASS_WORDS)

    def _disabled(self, ctx: FileContext, node: ast.AST) -> None:
        self.report_node(
            "SEC-04", ctx, node,
            "WTF_CSRF_ENABLED = False turns off Flask-WTF's CSRF protection for every form",
            "Leave WTF_CSRF_ENABLED on outside tests; exempt single views with a reason if you "
            "must.",
            severity=Severity.HIGH,
        )

    def finish(self, project: Project) -> None:
        if not self._csrf_middleware_seen:
            for path, stmt, entries in self._middleware:
                if any(e.endswith(_NEEDS_CSRF) for e in entries):
                    self.report(
                        "SEC-04", path, stmt.lineno,
                        "MIDDLEWARE enables sessions but not "
                        "django.middleware.csrf.CsrfViewMiddleware: no view checks CSRF tokens",
                        "Add \"django.middleware.csrf.CsrfViewMiddleware\" to MIDDLEWARE (after "
                        "SessionMiddleware).",
                        end_line=stmt.end_lineno, severity=Severity.HIGH,
                    )
        if not project.uses("django", "flask", "flask_wtf", "flask-wtf"):
            self.not_applicable(
                "SEC-04", "neither Django nor Flask: if cookies authenticate requests, a "
                "reviewer should confirm how CSRF is prevented")


def _is_protector_exempt(node: ast.AST, protectors: set[str] | None) -> bool:
    """``csrf.exempt`` with ``csrf`` one of ``protectors`` (any name when None)."""
    return (isinstance(node, ast.Attribute) and node.attr == _PROTECTOR_EXEMPT
            and isinstance(node.value, ast.Name) and (
                protectors is None or node.value.id in protectors))


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.List | ast.Tuple):
        return [s for e in node.elts if (s := pyast.const_str(e)) is not None]
    return []
