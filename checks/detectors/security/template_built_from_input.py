"""Templates compiled from strings that contain run-time values (server-side template injection).

## What it flags
- Flask ``render_template_string(...)`` whose template is not a constant string;
- ``jinja2.Template(...)``, ``Environment.from_string(...)``, Django
  ``django.template.Template(...)`` and Mako ``Template(...)`` given a template formatted from
  values (f-string, ``%``, ``+``, ``.format``), directly or through a variable of the same
  function.

A template formatted from values is high; a ``render_template_string`` template whose origin is
not visible is medium. Templates loaded by name (``render_template``, ``get_template``) and
templates stored in a variable passed to ``from_string`` (a CMS keeping templates in its
database) are not flagged. Tests are skipped.

## Why it matters
Whatever is formatted into the template source is template code, not data: ``{{ 7*7 }}`` is
evaluated, and in Jinja2 ``{{ ''.__class__.__mro__ ... }}`` reaches ``os.popen``. A name or
query parameter formatted into a template is remote code execution, and at least cross-site
scripting because the value is not escaped.

## Example
```python
@app.get("/hello")
def hello():
    return render_template_string(f"<h1>Hello {request.args['name']}</h1>")
```

## Use instead
```python
@app.get("/hello")
def hello():
    return render_template_string("<h1>Hello {{ name }}</h1>", name=request.args["name"])
```

## References
- CWE-1336, Server-Side Template Injection: https://cwe.mitre.org/data/definitions/1336.html
- OWASP, testing for SSTI: https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/18-Testing_for_Server-side_Template_Injection
- Flask, ``render_template_string``:
  https://flask.palletsprojects.com/en/stable/api/#flask.render_template_string
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, FileContext
from checks.detectors.security._common import (
    Scopes,
    call_name,
    is_built_string,
    is_constant_string,
)
from checks.model import Severity

_RENDER_STRING = frozenset(
    {"flask.render_template_string", "flask.templating.render_template_string",
     "quart.render_template_string"}
)
_TEMPLATE_CLASSES = frozenset({"jinja2.Template", "django.template.Template",
                               "django.template.base.Template", "mako.template.Template"})
_LAST_NAMES = frozenset({*(n.rsplit(".", 1)[-1] for n in (*_RENDER_STRING, *_TEMPLATE_CLASSES)),
                         "from_string"})


class TemplateBuiltFromInput(Detector):
    """Flags templates compiled from strings with run-time values (see module docstring)."""

    slug = "template-built-from-input"
    items = ("SEC-09",)
    calls = _LAST_NAMES

    def __init__(self) -> None:
        super().__init__()
        self._scopes = Scopes()
        self._skip = False

    def start_file(self, ctx: FileContext) -> bool:
        self._skip = ctx.file.is_test
        self._scopes.reset(ctx.file)
        return not self._skip

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        name = call_name(node, ctx.file)
        from_string = pyast.attr_name(node) == "from_string" and isinstance(node.func,
                                                                            ast.Attribute)
        if name not in _RENDER_STRING and name not in _TEMPLATE_CLASSES and not from_string:
            return
        source = pyast.argument(node, 0, "source")
        if source is None:
            return
        chain = self._scopes.chain(ctx)
        built = is_built_string(source, chain)
        if name in _RENDER_STRING:
            if is_constant_string(source, chain):
                return
            what = "render_template_string()"
        else:
            if not built:
                return
            what = f"{name.rsplit('.', 1)[-1] or 'from_string'}()"
        how = "formatted from values" if built else "not fixed in the code"
        self.report_node(
            "SEC-09", ctx, node,
            f"{what} compiles a template {how}: values become template code (server-side "
            "template injection)",
            "Keep the template constant (or load it by name) and pass values as context: "
            "render_template_string(\"Hello {{ name }}\", name=name).",
            severity=Severity.HIGH if built else Severity.MEDIUM,
        )
