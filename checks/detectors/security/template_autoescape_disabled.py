"""Template engines set up without HTML escaping (Jinja2, Mako).

## What it flags
In projects that serve HTTP (FastAPI, Starlette, Flask, Django, aiohttp, Tornado ...):

- ``jinja2.Environment(...)`` (and ``SandboxedEnvironment``) created without ``autoescape`` or
  with ``autoescape=False``;
- Mako ``Template(...)`` and ``TemplateLookup(...)`` without ``"h"`` in ``default_filters``.

``autoescape=True``, ``autoescape=select_autoescape(...)``, a value decided at run time and
``**options`` are not flagged, nor are Flask's and Starlette's own template setups
(``Jinja2Templates``), which turn escaping on for HTML files. Tests, Django management commands
and ``scripts/`` (which render files, not HTTP responses) are skipped.

## Why it matters
Jinja2 and Mako escape nothing by default: every ``{{ value }}`` (``${value}``) in an HTML
template is inserted as is,
so a user name or comment containing ``<script>`` runs in the browser of whoever views the page
(cross-site scripting). Environments that render plain text, SQL or configuration have no HTML
to escape: waive the finding saying so.

## Example
```python
env = Environment(loader=FileSystemLoader("templates"))
```

## Use instead
```python
env = Environment(
    loader=FileSystemLoader("templates"),
    autoescape=select_autoescape(["html", "xml"]),
)
lookup = TemplateLookup(directories=["templates"], default_filters=["h"])
```

## References
- CWE-79, Cross-site Scripting: https://cwe.mitre.org/data/definitions/79.html
- Jinja2, autoescaping: https://jinja.palletsprojects.com/en/stable/api/#autoescaping
- Mako, expression filtering:
  https://docs.makotemplates.org/en/latest/filtering.html#the-default-filters-argument
- OWASP Cross Site Scripting Prevention Cheat Sheet:
  https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.security._common import call_name
from checks.model import Severity

_ENVIRONMENTS = frozenset(
    {"jinja2.Environment", "jinja2.environment.Environment", "jinja2.sandbox.SandboxedEnvironment",
     "jinja2.sandbox.ImmutableSandboxedEnvironment"}
)
_MAKO = frozenset({"mako.template.Template", "mako.lookup.TemplateLookup"})
_LAST_NAMES = frozenset(n.rsplit(".", 1)[-1] for n in (*_ENVIRONMENTS, *_MAKO))
_WEB = ("fastapi", "starlette", "flask", "django", "aiohttp", "tornado", "pyramid", "sanic",
        "quart", "litestar", "falcon", "bottle")


class TemplateAutoescapeDisabled(Detector):
    """Flags template engines set up without HTML escaping (see module docstring)."""

    slug = "template-autoescape-disabled"
    items = ("SEC-09",)
    calls = _LAST_NAMES

    def __init__(self) -> None:
        super().__init__()
        self._skip = False
        self._candidates: list[tuple[str, int, int, str]] = []

    def start_file(self, ctx: FileContext) -> None:
        parts = ctx.path.split("/")
        # management commands and scripts render files (schemas, configs), not HTTP responses
        self._skip = ctx.file.is_test or "management" in parts or "scripts" in parts

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        name = call_name(node, ctx.file)
        if name in _MAKO:
            filters = pyast.keyword(node, "default_filters")
            if filters is None and pyast.has_kwargs_splat(node):
                return
            listed = filters.elts if isinstance(filters, ast.List | ast.Tuple) else []
            if filters is None or (isinstance(filters, ast.List | ast.Tuple) and not any(
                    pyast.const_str(e) == "h" for e in listed)):
                self._candidates.append((ctx.path, node.lineno, node.end_lineno or node.lineno,
                                         f"Mako {name.rsplit('.', 1)[-1]}() without the \"h\" "
                                         "default filter"))
            return
        if name not in _ENVIRONMENTS:
            return
        autoescape = pyast.keyword(node, "autoescape")
        if autoescape is None and pyast.has_kwargs_splat(node):
            return
        if autoescape is None or pyast.is_false(autoescape):
            how = "autoescape=False" if autoescape is not None else "no autoescape"
            self._candidates.append((ctx.path, node.lineno, node.end_lineno or node.lineno,
                                     f"{name.rsplit('.', 1)[-1]}() with {how}"))

    def finish(self, project: Project) -> None:
        if not self._candidates:
            return
        if not project.uses(*_WEB):
            self.evidence("SEC-09", "template engines without autoescape, but no web "
                                    "framework: taken as text rendering")
            return
        for path, line, end, what in self._candidates:
            self.report(
                "SEC-09", path, line,
                f"{what}: values are inserted into HTML unescaped (cross-site scripting)",
                "Jinja2: pass autoescape=select_autoescape([\"html\", \"xml\"]); Mako: pass "
                "default_filters=[\"h\"]. If this renders no HTML, waive the finding saying so.",
                end_line=end, severity=Severity.MEDIUM,
            )
