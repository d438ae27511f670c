"""A FastAPI or Django Ninja endpoint with nothing to document it in the OpenAPI schema.

## What it flags
Routes of FastAPI (and Django Ninja, which documents routes the same way) whose OpenAPI entry
would carry only the function's name: the handler has no docstring, the route decorator passes
no ``summary`` or ``description``, and the response has no schema (no ``response_model``/
``response``, no ``responses``, no return annotation other than ``dict``/``Any``/a ``Response``
class). Routes excluded from the schema (``include_in_schema=False``) are left alone. One finding
per route, on its decorator.

## Why it matters
The generated docs are the API's contract for its clients; an operation with no description
and an untyped response tells them neither what it does nor what comes back (DOC-01).
Heuristic: Flask and Django views are not checked (their documentation comes from plugins such
as drf-spectacular or flask-smorest, configured case by case).

## Example
```python
@router.get("/orders/{order_id}")
def get_order(order_id: int):
    return repo.get(order_id)
```

## Use instead
```python
@router.get("/orders/{order_id}", response_model=OrderOut, responses={404: {"model": Problem}})
def get_order(order_id: int) -> OrderOut:
    '''One order by id; 404 when it does not exist.'''
```

## References
- FastAPI, Path operation configuration: https://fastapi.tiangolo.com/tutorial/path-operation-configuration/
- FastAPI, Response model: https://fastapi.tiangolo.com/tutorial/response-model/
- OpenAPI 3.1, Operation object: https://spec.openapis.org/oas/v3.1.0#operation-object
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.api._routes import FASTAPI, NINJA, Route, project_routes

_DOC_KEYWORDS = ("summary", "description")
_SCHEMA_KEYWORDS = ("response_model", "response", "responses")
_UNTYPED = frozenset({"dict", "Dict", "Any", "typing.Any", "typing.Dict", "object", "None",
                      "list", "List", "JSONResponse", "Response", "ORJSONResponse",
                      "UJSONResponse", "HttpResponse", "JsonResponse"})


class UndocumentedApiEndpoint(Detector):
    """Flags FastAPI/Ninja routes with no description and no response schema."""

    slug = "undocumented-api-endpoint"
    items = ("DOC-01",)

    def finish(self, project: Project) -> None:
        routes = [r for r in project_routes(project).routes
                  if r.framework in (FASTAPI, NINJA) and r.function is not None
                  and r.decorator is not None]
        if not routes:
            self.not_applicable("DOC-01", "no FastAPI or Django Ninja routes (the only "
                                          "frameworks this check reads)")
            return
        documented = 0
        for route in routes:
            if not _in_schema(route) or _documented(route):
                documented += 1
                continue
            self.report(
                "DOC-01", route.file, route.line,
                f"{route.describe()} ({route.name}) has no docstring, summary or description "
                "and no response model: its OpenAPI entry is only a name",
                "Give the handler a docstring (or summary=/description=) and declare the "
                "response (response_model= or a return type, responses= for errors).",
                end_line=route.def_line,
            )
        self.evidence("DOC-01", f"{documented} of {len(routes)} FastAPI/Ninja routes carry a "
                                "description or a response model")


def _in_schema(route: Route) -> bool:
    assert route.decorator is not None
    return not pyast.is_false(pyast.keyword(route.decorator, "include_in_schema"))


def _documented(route: Route) -> bool:
    fn = route.function
    call = route.decorator
    assert fn is not None and call is not None
    if ast.get_docstring(fn):
        return True
    for name in (*_DOC_KEYWORDS, *_SCHEMA_KEYWORDS):
        value = pyast.keyword(call, name)
        if value is not None and pyast.const(value) not in (None, ""):
            return True
    ret = fn.returns
    if ret is None:
        return False
    base = ret.value if isinstance(ret, ast.Subscript) else ret
    name = pyast.dotted(base) or ("None" if pyast.const(ret) is None else "")
    return bool(name) and name not in _UNTYPED and name.rsplit(".", 1)[-1] not in _UNTYPED
