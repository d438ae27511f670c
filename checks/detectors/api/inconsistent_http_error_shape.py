"""FastAPI errors in several ad-hoc shapes, with no exception handler to unify them.

## What it flags
A FastAPI project whose ``raise HTTPException(..., detail=...)`` calls give ``detail`` more than
one shape (a string here, ``{"code": ..., "message": ...}`` there, ``{"msg": ...}`` elsewhere)
and that registers no exception handler (``@app.exception_handler(...)``,
``app.add_exception_handler(...)``, ``FastAPI(exception_handlers=...)``). One finding on the
app, listing each shape with its count and first location. Only literal details are compared
(strings, f-strings, dict and list literals); details held in variables are not judged.

## Why it matters
Clients must parse every error. When ``detail`` is sometimes a string and sometimes an object
with varying keys, each client grows special cases, and a new endpoint's errors break them. One
registered handler that renders every error in one documented shape (RFC 9457 problem details)
keeps the contract stable (API-07).

## Example
```python
raise HTTPException(404, detail="order not found")
raise HTTPException(409, detail={"code": "conflict", "message": "already paid"})
raise HTTPException(422, detail={"msg": "bad currency"})
```

## Use instead
```python
class ApiError(Exception):
    def __init__(self, status: int, code: str, title: str) -> None: ...

@app.exception_handler(ApiError)
async def api_error(request: Request, exc: ApiError) -> JSONResponse:
    return JSONResponse({"type": exc.code, "title": exc.title, "status": exc.status},
                        status_code=exc.status, media_type="application/problem+json")
```

## References
- RFC 9457, Problem Details for HTTP APIs: https://www.rfc-editor.org/rfc/rfc9457
- FastAPI, Install custom exception handlers: https://fastapi.tiangolo.com/tutorial/handling-errors/#install-custom-exception-handlers
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.api._routes import FASTAPI, project_routes

_HTTP_EXCEPTIONS = frozenset({"fastapi.HTTPException", "fastapi.exceptions.HTTPException",
                              "starlette.exceptions.HTTPException"})
_HANDLER_CALLS = frozenset({"exception_handler", "add_exception_handler"})


class InconsistentHttpErrorShape(Detector):
    """Flags several HTTPException detail shapes with no handler (see module docstring)."""

    slug = "inconsistent-http-error-shape"
    items = ("API-07",)
    # HTTPException(...) raises, and the calls that register a handler by name; a handler
    # passed as ``exception_handlers=`` to any call is looked for in end_file.
    calls = frozenset({*(n.rsplit(".", 1)[-1] for n in _HTTP_EXCEPTIONS), *_HANDLER_CALLS})

    def __init__(self) -> None:
        super().__init__()
        self._shapes: dict[str, list[str]] = {}
        self._handler: str | None = None
        self._skip = True

    def start_file(self, ctx: FileContext) -> bool:
        self._skip = ctx.file.is_test or ctx.file.is_migration or not ctx.file.imports_module(
            "fastapi", "starlette")
        return not self._skip

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip or _registers_handler(node):
            return
        if pyast.call_name(node, ctx.file) not in _HTTP_EXCEPTIONS:
            return
        detail = pyast.keyword(node, "detail")
        if detail is None and len(node.args) > 1:
            detail = node.args[1]
        shape = _shape(detail)
        if shape is not None:
            self._shapes.setdefault(shape, []).append(f"{ctx.path}:{node.lineno}")

    def end_file(self, ctx: FileContext) -> None:
        """Note the file's first call that registers an exception handler, unless an earlier
        file had one. Such a call can be of any name (``FastAPI(exception_handlers=...)``,
        ``Starlette(...)``, a factory of the project's own), so it is looked for among the
        file's calls, and only in files whose text names ``exception_handler``."""
        if self._handler is None and "exception_handler" in ctx.file.text:
            for call in ctx.file.nodes(ast.Call):
                if _registers_handler(call):
                    self._handler = f"{ctx.path}:{call.lineno}"
                    return

    def finish(self, project: Project) -> None:
        pr = project_routes(project)
        if not any(r.framework == FASTAPI for r in pr.routes):
            return
        if self._handler is not None:
            self.evidence("API-07", f"exception handler registered at {self._handler}")
            return
        if len(self._shapes) <= 1:
            if self._shapes:
                self.evidence("API-07", "HTTPException details share one shape: "
                              f"{next(iter(self._shapes))}")
            return
        app = next((a for a in pr.apps if a.framework == FASTAPI and a.kind == "app"), None)
        path, line = (app.file, app.line) if app is not None else ("", 0)
        listed = sorted(self._shapes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        text = "; ".join(f"{shape} ({len(where)}×, e.g. {where[0]})" for shape, where in listed)
        self.report("API-07", path, line,
                    f"HTTPException details come in {len(listed)} shapes and no exception "
                    f"handler unifies them: {text}",
                    "Raise one error type (or always the same detail shape) and register an "
                    "exception handler that renders every error as problem+json.",
                    key="http-error-shapes")


def _registers_handler(call: ast.Call) -> bool:
    """``app.exception_handler(...)``, ``app.add_exception_handler(...)`` or any call given
    ``exception_handlers=``."""
    return (pyast.attr_name(call) or "") in _HANDLER_CALLS or (
        pyast.keyword(call, "exception_handlers") is not None)


def _shape(detail: ast.expr | None) -> str | None:
    if detail is None:
        return None
    if isinstance(detail, ast.BinOp):  # "..." + x, "..." % x: judged by its leftmost operand
        left: ast.expr = detail
        while isinstance(left, ast.BinOp):
            left = left.left
        return "a string" if isinstance(left, ast.JoinedStr) or pyast.const_str(left) else None
    if isinstance(detail, ast.JoinedStr) or pyast.const_str(detail) is not None or (
        pyast.is_dynamic_string(detail)
    ):
        return "a string"
    if isinstance(detail, ast.Dict):
        keys = [pyast.const_str(k) for k in detail.keys]
        if any(k is None for k in keys):
            return None
        return "an object {" + ", ".join(sorted(k for k in keys if k)) + "}"
    if isinstance(detail, ast.List):
        return "a list"
    return None
