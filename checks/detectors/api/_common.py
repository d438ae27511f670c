"""Facts several API detectors need: Django REST framework settings, handler parameters, the
names of endpoints that are public on purpose."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from checks import pyast
from checks.detector import Project
from checks.detectors.api._routes import FunctionNode, Route
from checks.pyfile import PyFile


@dataclass(frozen=True, slots=True)
class Setting:
    """A settings value found in code: ``REST_FRAMEWORK = {"KEY": value}`` or
    ``REST_FRAMEWORK["KEY"] = value``."""

    path: str
    line: int
    value: ast.expr
    file: PyFile


def drf_setting(project: Project, key: str) -> Setting | None:
    """The first value given to ``key`` in a ``REST_FRAMEWORK`` settings dict of service code."""
    for f in project.service_files():
        if key not in f.text:
            continue
        for stmt in f.tree.body:
            found = _setting_in(stmt, key)
            if found is not None:
                return Setting(f.path, found.lineno, found, f)
    return None


def _setting_in(stmt: ast.stmt, key: str) -> ast.expr | None:
    if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for t in targets:
            if (isinstance(t, ast.Subscript) and pyast.dotted(t.value) == "REST_FRAMEWORK"
                    and pyast.const_str(t.slice) == key):
                return stmt.value
            if isinstance(t, ast.Name) and t.id == "REST_FRAMEWORK":
                return _dict_value(stmt.value, key)
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):  # REST_FRAMEWORK.update
        call = stmt.value
        if (isinstance(call.func, ast.Attribute) and call.func.attr == "update"
                and pyast.dotted(call.func.value) == "REST_FRAMEWORK" and call.args):
            return _dict_value(call.args[0], key)
    if isinstance(stmt, ast.If | ast.Try):
        for s in (*stmt.body, *stmt.orelse):
            found = _setting_in(s, key)
            if found is not None:
                return found
    return None


def _dict_value(node: ast.expr, key: str) -> ast.expr | None:
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=True):
            if pyast.const_str(k) == key:
                return v
    return None


def listed_names(node: ast.expr, f: PyFile) -> list[str]:
    """Resolved names in a list/tuple setting (``[IsAuthenticated, "x.y.Z"]``), last parts."""
    elts = node.elts if isinstance(node, ast.List | ast.Tuple) else [node]
    out: list[str] = []
    for e in elts:
        text = pyast.const_str(e) or pyast.resolve(e, f) or ""
        if isinstance(e, ast.Call):
            text = pyast.call_name(e, f) or ""
        if text:
            out.append(text.rsplit(".", 1)[-1])
    return out


def params(fn: FunctionNode) -> list[ast.arg]:
    """Every parameter of ``fn`` (positional, keyword-only, ``*args``, ``**kwargs``)."""
    a = fn.args
    out = [*a.posonlyargs, *a.args, *a.kwonlyargs]
    if a.vararg:
        out.append(a.vararg)
    if a.kwarg:
        out.append(a.kwarg)
    return out


def defaults(fn: FunctionNode) -> dict[str, ast.expr]:
    """Parameter name -> default expression, for parameters that have one."""
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    out: dict[str, ast.expr] = {}
    for arg, default in zip(positional[len(positional) - len(a.defaults):], a.defaults,
                            strict=True):
        out[arg.arg] = default
    for arg, kw_default in zip(a.kwonlyargs, a.kw_defaults, strict=True):
        if kw_default is not None:
            out[arg.arg] = kw_default
    return out


_PUBLIC_WORDS = re.compile(
    r"(^|[^a-z])(login|logout|log_in|log_out|signin|sign_in|signup|sign_up|register|"
    r"registration|token|tokens|refresh|oauth|oauth2|callback|webhook|webhooks|hook|hooks|"
    r"health|healthz|healthcheck|ready|readiness|readyz|live|liveness|livez|ping|status|"
    r"version|metrics|docs|openapi|schema|swagger|redoc|favicon|robots|public|password_reset|"
    r"reset_password|reset|forgot|forgot_password|recover|recovery|password_recovery|verify|"
    r"verify_email|confirm|activate|csrf|auth|"
    r"authenticate|sso|saml|oidc|jwks|well_known|\.well-known|contact|subscribe|unsubscribe)"
    r"([^a-z]|$)"
)


def is_public_by_name(route: Route) -> bool:
    """True for endpoints that are usually public on purpose (login, signup, token, health,
    webhooks, docs...), judged by the handler's name and the path's literal segments."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", f"{route.name} {route.path} {route.path_literal}")
    text = text.lower().replace("-", "_")
    return bool(_PUBLIC_WORDS.search(text))
