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
from checks.detectors.security._common import call_name, is_dev_path, mentions
from checks.model import Severity

_CSRF_EXEMPT = "django.views.decorators.csrf.csrf_exempt"
_PROTECTOR_EXEMPT = "exempt"  # csrf.exempt(view), csrf a Flask-WTF CSRFProtect
_CONFIG_UPDATE = "config.update"  # app.config.update(WTF_CSRF_ENABLED=False)
_CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"
_NEEDS_CSRF = ("SessionMiddleware", "AuthenticationMiddleware")
_CSRF_PROTECT = ("flask_wtf.CSRFProtect", "flask_wtf.csrf.CSRFProtect", "flask_wtf.CsrfProtect",
                 "flask_wtf.csrf.CsrfProtect")
_DEV_CLASS_WORDS = ("test", "dev", "local", "debug")


class CsrfProtectionDisabled(Detector):
    """Flags CSRF exemptions and disabled CSRF protection (see module docstring)."""

    slug = "csrf-protection-disabled"
    items = ("SEC-04",)
    calls = frozenset(n.rsplit(".", 1)[-1] for n in (_CSRF_EXEMPT, _PROTECTOR_EXEMPT,
                                                     _CONFIG_UPDATE))

    def __init__(self) -> None:
        super().__init__()
        self._skip = False
        self._decorators = False
        self._calls = False
        self._dev = False
        self._protectors: set[str] = set()
        self._middleware: list[tuple[str, ast.stmt, list[str]]] = []
        self._csrf_middleware_seen = False

    def start_file(self, ctx: FileContext) -> None:
        f = ctx.file
        self._skip = f.is_test or f.is_migration
        self._dev = is_dev_path(f.path)
        # a CSRFProtect made here, or imported from the project's extensions module
        self._protectors = {
            local for local, target in f.imports.items()
            if target.rsplit(".", 1)[-1] in ("csrf", "csrf_protect") and not target.startswith(
                ("django", "flask_wtf"))
        }
        if self._skip:
            self._decorators = self._calls = False
            return
        for node in f.tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and (
                    call_name(node.value, f) in _CSRF_PROTECT):
                self._protectors.update(t.id for t in node.targets if isinstance(t, ast.Name))
        # csrf_exempt is a part of the names it is known by; csrf.exempt needs a protector
        self._decorators = bool(self._protectors) or mentions(f, "csrf_exempt")
        self._calls = self._decorators or mentions(f, "WTF_CSRF_ENABLED")

    # -- Django --------------------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef, ctx: FileContext) -> None:
        self._decorated(node, ctx)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, ctx: FileContext) -> None:
        self._decorated(node, ctx)

    def visit_ClassDef(self, node: ast.ClassDef, ctx: FileContext) -> None:
        if not self._decorators:
            return
        for deco in node.decorator_list:  # @method_decorator(csrf_exempt, name="dispatch")
            if isinstance(deco, ast.Call) and any(
                    pyast.resolve(a, ctx.file) == _CSRF_EXEMPT for a in deco.args):
                self._exempt(ctx, deco, node.name)

    def _decorated(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: FileContext) -> None:
        if not self._decorators:
            return
        for deco in node.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            name = pyast.resolve(target, ctx.file)
            if name == _CSRF_EXEMPT or (isinstance(deco, ast.Call) and any(
                    pyast.resolve(a, ctx.file) == _CSRF_EXEMPT for a in deco.args)):
                self._exempt(ctx, deco, node.name)
            elif _is_protector_exempt(target, self._protectors):
                self._exempt(ctx, deco, node.name, flask=True)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not self._calls:
            return
        name = call_name(node, ctx.file)
        if name == _CSRF_EXEMPT and node.args and ctx.function is None:
            self._exempt(ctx, node, ast.unparse(node.args[0]))
        elif _is_protector_exempt(node.func, self._protectors) and node.args:
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

    def visit_Assign(self, node: ast.Assign, ctx: FileContext) -> None:
        if self._skip:
            return
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


def _is_protector_exempt(node: ast.AST, protectors: set[str]) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == _PROTECTOR_EXEMPT
            and isinstance(node.value, ast.Name) and node.value.id in protectors)


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.List | ast.Tuple):
        return [s for e in node.elts if (s := pyast.const_str(e)) is not None]
    return []
