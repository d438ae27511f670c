"""Endpoint returns an error payload with status 200.

## What it flags
A ``return`` in an endpoint handler whose body says "error" while the status stays 200:

- FastAPI/Ninja: ``return {"error": ...}``, ``JSONResponse({"error": ...})`` without
  ``status_code=`` (unless the handler sets ``response.status_code``);
- Flask: ``return {"error": ...}``, ``return jsonify(error=...)``,
  ``make_response(jsonify({...}))`` without a status (``return jsonify(...), 400`` is fine);
- Django: ``JsonResponse({"error": ...})`` without ``status=``;
- DRF: ``Response({"error": ...})`` without ``status=``.

An error payload is a dict literal with an ``error``/``errors``/``error_message``/``error_code``
key (a non-empty value), ``"success": False``, ``"ok": False`` or ``"status": "error"``/
``"fail"``.

## Why it matters
HTTP clients, retries, caches, load balancers and monitoring read the status code, not the body:
a failure sent as 200 is cached, not retried, not alerted on, and forces every client to parse
bodies to find out whether a call worked (RFC 9110 §15; API-07 asks for one error shape with
correct status codes).

## Example
```python
@app.route("/orders/<int:order_id>")
def order(order_id):
    found = Order.query.get(order_id)
    if found is None:
        return jsonify({"error": "not found"})
    return jsonify(found.to_dict())
```

## Use instead
```python
    if found is None:
        return jsonify({"error": "not found"}), 404
```
or better, raise an exception that one registered error handler turns into an RFC 9457
problem+json response.

## References
- RFC 9110, Status Codes: https://www.rfc-editor.org/rfc/rfc9110#name-status-codes
- RFC 9457, Problem Details for HTTP APIs: https://www.rfc-editor.org/rfc/rfc9457
- FastAPI, Handling Errors: https://fastapi.tiangolo.com/tutorial/handling-errors/
- Flask, Handling Application Errors: https://flask.palletsprojects.com/en/stable/errorhandling/
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.api._routes import (
    DJANGO,
    DRF,
    FASTAPI,
    FLASK,
    NINJA,
    FunctionNode,
    Route,
    handlers,
    project_routes,
)
from checks.detectors.observability._syntax import walked

_ERROR_KEYS = frozenset({"error", "errors", "err", "error_message", "errorMessage",
                         "error_msg", "errmsg", "error_code", "errorCode", "error_description"})
_FAILED = frozenset({"error", "fail", "failed", "failure", "err"})
_WRAPPERS: dict[str, tuple[str, int]] = {
    # callee's last name -> (status keyword, status position; -1 keyword only)
    "JSONResponse": ("status_code", 1),
    "ORJSONResponse": ("status_code", 1),
    "UJSONResponse": ("status_code", 1),
    "JsonResponse": ("status", -1),
    "Response": ("status", 1),
    "make_response": ("", 1),
    "jsonify": ("", 99),
}
_HINTS = {
    FASTAPI: "Raise HTTPException(status_code=4xx, detail=...) or pass status_code= to the "
             "response, ideally through one exception handler producing problem+json.",
    FLASK: "Return the status with the body (return jsonify(...), 400) or abort(400), ideally "
           "from one @app.errorhandler producing problem+json.",
    DJANGO: "Pass status= (JsonResponse(..., status=400), Response(..., status=400)) or raise "
            "an exception your EXCEPTION_HANDLER maps to a 4xx response.",
}


class ErrorResponseWithSuccessStatus(Detector):
    """Flags error payloads returned with status 200 (see module docstring)."""

    slug = "error-response-with-success-status"
    items = ("API-07",)

    def finish(self, project: Project) -> None:
        pr = project_routes(project)
        if not pr.routes:
            self.not_applicable("API-07", "no HTTP endpoints found")
            return
        seen: set[int] = set()
        for route in pr.routes:
            for fn in handlers(route):
                if id(fn) not in seen:
                    seen.add(id(fn))
                    self._check(route, fn)

    def _check(self, route: Route, fn: FunctionNode) -> None:
        family = {NINJA: FASTAPI, DRF: DJANGO}.get(route.framework, route.framework)
        if family not in _HINTS or _sets_status(fn):
            return
        for node in walked(fn):
            if not isinstance(node, ast.Return) or node.value is None:
                continue
            key = _error_without_status(node.value, family)
            if key is not None:
                self.report("API-07", route.file, node.lineno,
                            f"{route.describe()} returns an error payload ({key}) with status "
                            "200: clients, caches and monitoring see a success",
                            _HINTS[family], end_line=node.end_lineno)


def _sets_status(fn: FunctionNode) -> bool:
    """``response.status_code = 404`` (FastAPI's Response parameter) anywhere in the handler."""
    for node in walked(fn):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr in ("status_code", "status")
            for t in node.targets
        ):
            return True
    return False


def _error_without_status(value: ast.expr, family: str) -> str | None:
    if isinstance(value, ast.Tuple):
        return None  # Flask's (body, status)
    if isinstance(value, ast.Dict):
        return _error_key(value) if family in (FASTAPI, FLASK) else None
    if not isinstance(value, ast.Call):
        return None
    callee = (pyast.dotted(value.func) or "").rsplit(".", 1)[-1]
    if callee not in _WRAPPERS:
        return None
    if callee == "make_response" and value.args and isinstance(value.args[0], ast.Call):
        if len(value.args) > 1 or value.keywords:
            return None
        return _error_without_status(value.args[0], family)
    if callee == "jsonify":
        if family != FLASK:
            return None
        if value.args and isinstance(value.args[0], ast.Dict):
            return _error_key(value.args[0])
        return _keyword_error(value)
    keyword, position = _WRAPPERS[callee]
    if pyast.keyword(value, keyword) is not None or pyast.has_kwargs_splat(value) or (
        position >= 0 and len(value.args) > position
    ):
        return None
    if callee == "Response" and family != DJANGO:
        return None
    body = value.args[0] if value.args else (pyast.keyword(value, "content")
                                             or pyast.keyword(value, "data"))
    return _error_key(body) if isinstance(body, ast.Dict) else None


def _error_key(d: ast.Dict) -> str | None:
    for k, v in zip(d.keys, d.values, strict=True):
        key = pyast.const_str(k)
        if key is None:
            continue
        if key in _ERROR_KEYS and not _empty(v):
            return f'"{key}"'
        if key in ("success", "ok") and pyast.is_false(v):
            return f'"{key}": False'
        if key == "status" and (pyast.const_str(v) or "").lower() in _FAILED:
            return f'"status": "{pyast.const_str(v)}"'
    return None


def _keyword_error(call: ast.Call) -> str | None:
    for kw in call.keywords:
        if kw.arg in _ERROR_KEYS and not _empty(kw.value):
            return f"{kw.arg}="
        if kw.arg in ("success", "ok") and pyast.is_false(kw.value):
            return f"{kw.arg}=False"
        if kw.arg == "status" and (pyast.const_str(kw.value) or "").lower() in _FAILED:
            return f'status="{pyast.const_str(kw.value)}"'
    return None


def _empty(node: ast.expr) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Dict | ast.Set):
        return not (node.keys if isinstance(node, ast.Dict) else node.elts)
    return isinstance(node, ast.Constant) and not node.value
