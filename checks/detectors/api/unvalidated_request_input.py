"""Request input read raw, without a schema (Pydantic, marshmallow, a Form, a Serializer).

## What it flags
One finding per endpoint handler (on the first raw read) that takes input without a schema:

- FastAPI/Starlette: ``await request.json()``, ``await request.form()``,
  ``json.loads(await request.body())`` on a ``Request`` parameter, or a body parameter typed
  ``dict``/``Dict[...]``/``Mapping``/``Any`` (``payload: dict = Body(...)``) instead of a
  Pydantic model;
- Flask/Quart: ``request.get_json()``, ``request.json``, ``request.form[...]``,
  ``request.form.get(...)``, ``request.args[...]``, ``request.values[...]``;
- Django and DRF: ``json.loads(request.body)``, ``request.POST[...]``/``.get(...)``,
  ``request.data[...]``/``.get(...)``.

Not flagged when the handler validates: a webargs/flask-smorest/apiflask/spectree/flask-pydantic
decorator (``@use_args``, ``@blp.arguments``, ``@app.input``, ``@validate``), or a call that
parses the input into a schema (``Model.model_validate(data)``, ``Model(**data)``,
``Schema().load(data)``, ``Form(request.POST)`` + ``is_valid()``,
``Serializer(data=request.data)``, ``jsonschema.validate``). Django Ninja validates by design and
is not checked; nor are webhook and third-party callback endpoints (``/webhooks/stripe``,
``/slack/command``), whose payload shape the sender defines.

## Why it matters
A dict straight from the request has unchecked keys, types and sizes: a missing field raises a
500, an extra field can be mass-assigned onto a model, a huge string or list exhausts memory, and
the API's contract is undocumented (CWE-20, OWASP ASVS V5.1).

## Example
```python
@router.post("/users")
async def create_user(request: Request):
    data = await request.json()
    return await users.create(name=data["name"], role=data.get("role"))
```

## Use instead
```python
class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=100)

@router.post("/users")
async def create_user(payload: UserIn):
    return await users.create(name=payload.name)
```

## References
- CWE-20, Improper Input Validation: https://cwe.mitre.org/data/definitions/20.html
- FastAPI, Request Body: https://fastapi.tiangolo.com/tutorial/body/
- webargs: https://webargs.readthedocs.io/
- Django REST framework, Serializers: https://www.django-rest-framework.org/api-guide/serializers/
- OWASP ASVS V5 Validation, Sanitization and Encoding: https://owasp.org/www-project-application-security-verification-standard/
"""

from __future__ import annotations

import ast
import re

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.api._common import defaults, params
from checks.detectors.api._routes import (
    DJANGO,
    DRF,
    FASTAPI,
    FLASK,
    FunctionNode,
    Route,
    handlers,
    project_routes,
    segments,
)
from checks.detectors.observability._syntax import walked
from checks.pyfile import PyFile

_REQUEST_TYPES = frozenset({"fastapi.Request", "starlette.requests.Request",
                            "fastapi.requests.Request"})
_FLASK_REQUEST = frozenset({"flask.request", "quart.request", "apiflask.request"})
_FLASK_COLLECTIONS = frozenset({"form", "args", "values"})
_DJANGO_COLLECTIONS = frozenset({"POST", "data"})
_DICT_TYPES = frozenset({"dict", "Dict", "typing.Dict", "Mapping", "typing.Mapping",
                         "collections.abc.Mapping", "Any", "typing.Any", "MutableMapping",
                         "typing.MutableMapping"})
_NOT_BODY = frozenset({"Depends", "Security", "Query", "Header", "Cookie", "Path", "File",
                       "Form", "UploadFile"})
_VALIDATOR_ATTRS = frozenset({"load", "loads", "validate", "model_validate",
                              "model_validate_json", "parse_obj", "parse_raw", "validate_python",
                              "validate_json", "validate_on_submit", "is_valid", "full_clean",
                              "deserialize", "structure", "from_dict", "get_serializer",
                              "get_form", "TypeAdapter", "parse_obj_as", "from_json"})
_VALIDATOR_DECORATORS = frozenset({"use_args", "use_kwargs", "arguments", "input", "validate",
                                   "expect", "validate_request", "body", "request_body",
                                   "marshal_with", "accepts", "use_schema", "parse_with",
                                   "validate_json", "json_schema"})
_RAW_LOADS = frozenset({"json.loads", "json.load", "orjson.loads", "ujson.loads",
                        "simplejson.loads", "yaml.load", "yaml.safe_load", "pickle.loads",
                        "msgpack.loads", "rapidjson.loads"})
_SCHEMA_SUFFIXES = ("Form", "Serializer", "Schema", "Model", "In", "Input", "Request", "Payload",
                    "Body", "Create", "Update", "Params", "Args", "DTO", "Command", "Query")
_INTEGRATION = re.compile(r"webhook|hook|callback|slack|stripe|twilio|github|telegram|discord",
                          re.IGNORECASE)
_HINTS = {
    FASTAPI: "Declare a Pydantic model parameter (payload: UserIn) so FastAPI validates, "
             "converts and documents the body; use extra='forbid' to reject unknown fields.",
    FLASK: "Validate with a schema: webargs @use_args, flask-smorest @blp.arguments, apiflask "
           "@app.input, or Model.model_validate(request.get_json()) with Pydantic.",
    DJANGO: "Bind the input to a Form (or a DRF Serializer(data=request.data)) and use its "
            "cleaned/validated data after is_valid().",
}


class UnvalidatedRequestInput(Detector):
    """Flags handlers that read request input without a schema (see module docstring)."""

    slug = "unvalidated-request-input"
    items = ("API-09",)

    def finish(self, project: Project) -> None:
        pr = project_routes(project)
        if not pr.routes:
            self.not_applicable("API-09", "no HTTP endpoints found")
            return
        seen: set[int] = set()
        for route in pr.routes:
            f = project.python[route.file]
            for fn in handlers(route):
                if id(fn) in seen:
                    continue
                seen.add(id(fn))
                self._check(route, fn, f)
        if not self.findings:
            self.evidence("API-09", f"{len(seen)} handlers checked: none reads request input "
                          "without a schema")

    def _check(self, route: Route, fn: FunctionNode, f: PyFile) -> None:
        family = DJANGO if route.framework in (DJANGO, DRF) else route.framework
        if family not in _HINTS or _validates(fn, f) or _INTEGRATION.search(
            f"{route.path or route.path_literal} {fn.name}"
        ):
            return
        reads: list[tuple[int, int, str]] = []
        if family == FASTAPI:
            reads = _fastapi_reads(route, fn, f)
        elif family == FLASK:
            reads = _flask_reads(fn, f)
        else:
            reads = _django_reads(fn, f)
        if not reads:
            return
        line, end, what = min(reads)
        where = f"{route.describe()}" if route.function is not None else (
            f"{route.name}.{fn.name}()")
        self.report("API-09", route.file, line,
                    f"{where} takes `{what}` without a schema: keys, types and sizes are not "
                    "validated before use", _HINTS[family], end_line=end)


def _validates(fn: FunctionNode, f: PyFile) -> bool:
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        name = (pyast.dotted(target) or "").rsplit(".", 1)[-1]
        if name in _VALIDATOR_DECORATORS:
            return True
    for node in _body_nodes(fn):
        if not isinstance(node, ast.Call):
            continue
        attr = pyast.attr_name(node) or ""
        if attr in _VALIDATOR_ATTRS and (pyast.call_name(node, f) or "") not in _RAW_LOADS:
            return True
        if (pyast.call_name(node, f) or "").startswith(("jsonschema.", "fastjsonschema.",
                                                        "cerberus.", "voluptuous.")):
            return True
        if attr[:1].isupper() and (node.args or node.keywords) and (
            any(kw.arg is None for kw in node.keywords) or attr.endswith(_SCHEMA_SUFFIXES)
        ):
            return True  # Model(**data), UserForm(request.POST), Serializer(data=...)
    return False


def _body_nodes(fn: FunctionNode) -> list[ast.AST]:
    """Every node of the function's body (not its decorators, defaults or annotations)."""
    return [n for stmt in fn.body for n in walked(stmt)]


def _fastapi_reads(route: Route, fn: FunctionNode, f: PyFile) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    requests: set[str] = set()
    path_params = {s.strip("{}").split(":", 1)[0] for s in segments(route.path_literal)}
    given = defaults(fn)
    for arg in params(fn):
        if arg.annotation is None:
            continue
        annotation, extra = _unwrap_annotated(arg.annotation)
        name = pyast.resolve(annotation, f) or ""
        if name in _REQUEST_TYPES or name == "Request":
            requests.add(arg.arg)
            continue
        base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
        base_name = pyast.resolve(base, f) or ""
        if base_name not in _DICT_TYPES or arg.arg in path_params or arg.arg in ("kwargs",):
            continue
        marker = given.get(arg.arg) or extra
        if isinstance(marker, ast.Call) and (
            (pyast.attr_name(marker) or "") in _NOT_BODY
        ):
            continue
        out.append((arg.lineno, arg.end_lineno or arg.lineno,
                    f"{arg.arg}: {ast.unparse(arg.annotation)}"))
    for node in _body_nodes(fn):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr in ("json", "form")
                and isinstance(func.value, ast.Name) and func.value.id in requests):
            out.append((node.lineno, node.end_lineno or node.lineno,
                        f"{func.value.id}.{func.attr}()"))
        elif pyast.call_name(node, f) in _RAW_LOADS and any(
            isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)
            and sub.func.attr == "body" and isinstance(sub.func.value, ast.Name)
            and sub.func.value.id in requests
            for sub in ast.walk(node)
        ):
            out.append((node.lineno, node.end_lineno or node.lineno, "json.loads(request.body())"))
    return out


def _unwrap_annotated(annotation: ast.expr) -> tuple[ast.expr, ast.expr | None]:
    """``Annotated[dict, Body()]`` -> (``dict``, ``Body()``)."""
    if isinstance(annotation, ast.Subscript) and (pyast.dotted(annotation.value) or "").endswith(
        "Annotated"
    ) and isinstance(annotation.slice, ast.Tuple) and annotation.slice.elts:
        elts = annotation.slice.elts
        return elts[0], (elts[1] if len(elts) > 1 else None)
    return annotation, None


def _flask_reads(fn: FunctionNode, f: PyFile) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for node in _body_nodes(fn):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = pyast.resolve(node.func.value, f) or ""
            if owner in _FLASK_REQUEST and node.func.attr == "get_json":
                out.append((node.lineno, node.end_lineno or node.lineno, "request.get_json()"))
            elif (node.func.attr in ("get", "to_dict", "getlist")
                  and isinstance(node.func.value, ast.Attribute)
                  and node.func.value.attr == "form"
                  and (pyast.resolve(node.func.value.value, f) or "") in _FLASK_REQUEST):
                out.append((node.lineno, node.end_lineno or node.lineno,
                            f"request.form.{node.func.attr}()"))
        elif isinstance(node, ast.Attribute) and node.attr == "json" and isinstance(
            node.ctx, ast.Load
        ) and (pyast.resolve(node.value, f) or "") in _FLASK_REQUEST:
            out.append((node.lineno, node.end_lineno or node.lineno, "request.json"))
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and (
            node.value.attr in _FLASK_COLLECTIONS
        ) and (pyast.resolve(node.value.value, f) or "") in _FLASK_REQUEST:
            out.append((node.lineno, node.end_lineno or node.lineno,
                        f"request.{node.value.attr}[{ast.unparse(node.slice)}]"))
    return out


def _is_django_request(node: ast.expr) -> bool:
    return pyast.dotted(node) in ("request", "self.request")


def _django_reads(fn: FunctionNode, f: PyFile) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for node in _body_nodes(fn):
        if isinstance(node, ast.Call):
            name = pyast.call_name(node, f) or ""
            if name in _RAW_LOADS and node.args and (
                isinstance(node.args[0], ast.Attribute) and node.args[0].attr == "body"
                and _is_django_request(node.args[0].value)
            ):
                out.append((node.lineno, node.end_lineno or node.lineno,
                            "json.loads(request.body)"))
            elif (isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "getlist")
                  and isinstance(node.func.value, ast.Attribute)
                  and node.func.value.attr in _DJANGO_COLLECTIONS
                  and _is_django_request(node.func.value.value)):
                out.append((node.lineno, node.end_lineno or node.lineno,
                            f"request.{node.func.value.attr}.{node.func.attr}()"))
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and (
            node.value.attr in _DJANGO_COLLECTIONS and _is_django_request(node.value.value)
        ):
            out.append((node.lineno, node.end_lineno or node.lineno,
                        f"request.{node.value.attr}[{ast.unparse(node.slice)}]"))
    return out
