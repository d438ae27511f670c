"""CORS that lets any origin in, worst of all with credentials.

## What it flags
- Starlette/FastAPI ``CORSMiddleware`` (through ``app.add_middleware(CORSMiddleware, ...)``,
  ``Middleware(CORSMiddleware, ...)`` or a direct call) with ``allow_origins=["*"]`` or an
  ``allow_origin_regex`` that matches everything (``".*"``);
- flask-cors ``CORS(app, ...)`` and ``@cross_origin(...)`` with ``origins="*"`` or no
  ``origins`` at all (the default is every origin), including ``resources={...: {"origins":
  "*"}}``;
- Django (django-cors-headers) ``CORS_ALLOW_ALL_ORIGINS = True`` or the older
  ``CORS_ORIGIN_ALLOW_ALL = True``, in settings that are not for development or tests, unless a
  production settings module (``settings/production.py``) sets it to something else.

With credentials allowed (``allow_credentials=True``, ``supports_credentials=True``,
``CORS_ALLOW_CREDENTIALS = True``, also set in a star-imported base settings module) the
finding is high: all three libraries then answer with the caller's own origin and
``Access-Control-Allow-Credentials: true``. A wildcard without credentials is a low finding: it
is right for a public, unauthenticated API, and a reviewer should confirm that is what it is.
Origins read from settings or the environment are not judged. Tests are skipped.

## Why it matters
A browser attaches cookies to cross-site requests. When a server allows every origin with
credentials, any web page a logged-in user visits can call the API as that user and read the
answers: account data, CSRF tokens, API keys.

## Example
```python
app.add_middleware(
    CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["*"],
)
```

## Use instead
```python
app.add_middleware(
    CORSMiddleware,
    allow_origins=settings.cors_origins,  # ["https://app.example.com"]
    allow_credentials=True,
)
```

## References
- CWE-942, Permissive Cross-domain Policy: https://cwe.mitre.org/data/definitions/942.html
- OWASP, testing CORS: https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/11-Client-side_Testing/07-Testing_Cross_Origin_Resource_Sharing
- Starlette, CORSMiddleware: https://www.starlette.io/middleware/#corsmiddleware
- flask-cors, options: https://flask-cors.readthedocs.io/en/latest/api.html
- django-cors-headers, settings: https://github.com/adamchainz/django-cors-headers#configuration
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.security._common import (
    Chain,
    Scopes,
    Setting,
    assigned_values,
    assignments,
    call_name,
    is_dev_path,
    is_prod_path,
    mentions,
    star_imports,
)
from checks.model import Severity
from checks.pyast import called_last

_MATCH_ALL = frozenset({".*", ".+", "^.*$", "^.+$", "https?://.*", "^https?://.*$", "*"})
_HINT_CRED = (
    "List the trusted origins explicitly (allow_origins=[\"https://app.example.com\"]) or drop "
    "credentials; never combine a wildcard with credentials."
)
_HINT_OPEN = (
    "If the API is public and unauthenticated, say so (waive this); otherwise list the trusted "
    "origins explicitly."
)


@dataclass(slots=True)
class _DjangoCors:
    path: str
    allow_all: Setting | None = None
    credentials: bool | None = None


class CorsWildcardOrigin(Detector):
    """Flags CORS configurations open to every origin (see module docstring)."""

    slug = "cors-wildcard-origin"
    items = ("SEC-03",)

    def __init__(self) -> None:
        super().__init__()
        self._scopes = Scopes()
        self._skip = False
        self._calls = False
        self._django: dict[str, _DjangoCors] = {}
        self._seen = False
        self._prod_override = ""

    # No ``calls``: any class named ``...Middleware`` may wrap CORSMiddleware (Starlette's
    # ``Middleware(CORSMiddleware, ...)``), so the names judged are not a fixed set; a file
    # that names neither "CORS" nor "cross_origin" skips the calls instead (start_file).
    def start_file(self, ctx: FileContext) -> bool:
        self._skip = ctx.file.is_test or ctx.file.is_migration or is_dev_path(ctx.path)
        self._scopes.reset(ctx.file)
        if self._skip:
            self._calls = False
            return False
        # the names looked for all have a part "CORS..." or "cross_origin"
        cors = mentions(ctx.file, "CORS")
        self._calls = cors or mentions(ctx.file, "cross_origin")
        if not cors or not mentions(ctx.file, "CORS_"):
            return self._calls  # no CORS_* setting here
        assigns = assignments(ctx.file)
        entry = _DjangoCors(ctx.path)
        for name in ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"):
            stmt = assigns.get(name)
            if stmt is not None and pyast.is_true(stmt.value):
                entry.allow_all = stmt
            elif stmt is not None and is_prod_path(ctx.path):
                self._prod_override = f"{ctx.path}:{stmt.lineno}"
        cred = assigns.get("CORS_ALLOW_CREDENTIALS")
        if cred is not None:
            entry.credentials = pyast.is_true(cred.value)
        if entry.allow_all is not None or entry.credentials is not None:
            self._django[ctx.file.module_name] = entry
        return self._calls

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not self._calls:
            return
        last = called_last(node, ctx.file)
        if not last.endswith(("Middleware", "add_middleware")) and last not in (
                "CORS", "cross_origin"):
            return
        name = call_name(node, ctx.file)
        first = (pyast.resolve(node.args[0], ctx.file) or "") if node.args else ""
        wraps = name.endswith((".add_middleware", "Middleware")) and first.endswith(
            "CORSMiddleware")
        if name.endswith("CORSMiddleware") or wraps:
            self._starlette(node, node, ctx, self._scopes.chain(ctx))
        elif name in ("flask_cors.CORS", "flask_cors.cross_origin"):
            self._flask(node, name.rsplit(".", 1)[-1], ctx, self._scopes.chain(ctx))

    def _starlette(self, call: ast.Call, where: ast.AST, ctx: FileContext,
                   chain: Chain) -> None:
        self._seen = True
        origins = pyast.keyword(call, "allow_origins")
        regex = pyast.keyword(call, "allow_origin_regex")
        wildcard = _has_star(origins, chain) or _const_value(regex, chain) in _MATCH_ALL
        if wildcard:
            creds = pyast.is_true(pyast.keyword(call, "allow_credentials"))
            self._flag(ctx, where, "CORSMiddleware", "allow_origins=[\"*\"]" if _has_star(
                origins, chain) else "allow_origin_regex matching everything", creds,
                "allow_credentials=True")

    def _flask(self, call: ast.Call, what: str, ctx: FileContext, chain: Chain) -> None:
        self._seen = True
        origins = pyast.keyword(call, "origins")
        resources = pyast.keyword(call, "resources")
        if origins is not None:
            wildcard = _has_star(origins, chain)
        elif isinstance(resources, ast.Dict):
            wildcard = any(_resource_open(v, chain) for v in resources.values)
        else:  # no origins at all, or resources given as paths: the default, every origin
            wildcard = not pyast.has_kwargs_splat(call)
        if wildcard:
            creds = pyast.is_true(pyast.keyword(call, "supports_credentials"))
            how = 'origins="*"' if origins is not None else "every origin (the default)"
            self._flag(ctx, call, f"{what}()", how, creds, "supports_credentials=True")

    def _flag(self, ctx: FileContext, node: ast.AST, what: str, how: str, creds: bool,
              cred_text: str) -> None:
        if creds:
            self.report_node(
                "SEC-03", ctx, node,
                f"{what} allows {how} with {cred_text}: any website can send credentialed "
                "requests as the user and read the answers",
                _HINT_CRED, severity=Severity.HIGH,
            )
        else:
            self.report_node(
                "SEC-03", ctx, node,
                f"{what} allows {how}: any website can read this API's responses",
                _HINT_OPEN, severity=Severity.LOW,
            )

    def finish(self, project: Project) -> None:
        for module, entry in sorted(self._django.items()):
            if entry.allow_all is None:
                continue
            self._seen = True
            creds = entry.credentials
            if creds is None:
                creds = any(self._django[m].credentials for m in _bases(module, project)
                            if m in self._django)
            stmt = entry.allow_all
            name = stmt.name
            if self._prod_override and not is_prod_path(entry.path):
                self.evidence("SEC-03", f"{name} = True in {entry.path} is turned off for "
                                        f"production at {self._prod_override}")
                continue
            if creds:
                self.report(
                    "SEC-03", entry.path, stmt.lineno,
                    f"{name} = True with CORS_ALLOW_CREDENTIALS = True: any website can send "
                    "credentialed requests as the user and read the answers",
                    "Set CORS_ALLOWED_ORIGINS to the trusted origins instead of allowing all.",
                    end_line=stmt.end_lineno, severity=Severity.HIGH,
                )
            else:
                self.report(
                    "SEC-03", entry.path, stmt.lineno,
                    f"{name} = True: any website can read this API's responses",
                    _HINT_OPEN, end_line=stmt.end_lineno, severity=Severity.LOW,
                )
        if not self._seen and not project.uses("fastapi", "starlette", "flask", "django"):
            self.not_applicable("SEC-03", "no web framework (FastAPI, Starlette, Flask, Django)")


def _bases(module: str, project: Project) -> list[str]:
    by_module = {f.module_name: f for f in project.python.values()}
    out: list[str] = []
    todo = [module]
    while todo:
        f = by_module.get(todo.pop())
        if f is None:
            continue
        for base in star_imports(f):
            if base not in out:
                out.append(base)
                todo.append(base)
    return out


def _const_value(node: ast.expr | None, chain: Chain) -> object:
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, chain) or []
        return pyast.const(values[0]) if len(values) == 1 else ...
    return pyast.const(node)


def _has_star(node: ast.expr | None, chain: Chain) -> bool:
    if node is None:
        return False
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, chain) or []
        return len(values) == 1 and not isinstance(values[0], ast.Name) and _has_star(values[0],
                                                                                      chain)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(pyast.const(e) == "*" for e in node.elts)
    return pyast.const(node) == "*"


def _resource_open(value: ast.expr | None, chain: Chain) -> bool:
    if not isinstance(value, ast.Dict):
        return False
    for k, v in zip(value.keys, value.values, strict=True):
        if pyast.const(k) == "origins":
            return _has_star(v, chain)
    return True  # a resource without "origins" takes the default, every origin
