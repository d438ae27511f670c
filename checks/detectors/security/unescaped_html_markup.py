"""HTML marked safe although it contains values that were never escaped.

## What it flags
- Django ``mark_safe(...)``, ``SafeString(...)``, ``SafeText(...)`` (and the older
  ``SafeUnicode``/``SafeBytes``), and MarkupSafe
  ``Markup(...)`` (also imported from ``flask`` or ``jinja2``), given a string that is not a
  constant;
- Django ``format_html(...)`` whose format string is itself built from values (its arguments are
  escaped, a pre-formatted format string is not).

A string formatted from values (f-string, ``%``, ``+``, ``.format``), directly or through a
variable of the same function, is high; a value whose origin is not visible is medium. Parts
that come from an escaping, sanitizing or URL-quoting call (``format_html``, ``escape``,
``conditional_escape``, ``render_to_string``, ``json_script``, ``bleach.clean``, ``nh3.clean``,
``reverse``, ``urlencode``), translations of constants (``_("...")``) and
``Markup("<b>%s</b>") % value`` (MarkupSafe escapes the operand) count as safe: a string made
only of those and constants is not flagged. Tests are skipped.

## Why it matters
Templates escape every value unless it is marked safe. Marking a string safe that contains a
user name, a comment or a query parameter lets that text carry ``<script>`` into the page:
stored or reflected cross-site scripting, running in every visitor's session.

## Example
```python
def badge(user):
    return mark_safe(f"<b>{user.display_name}</b>")
```

## Use instead
```python
def badge(user):
    return format_html("<b>{}</b>", user.display_name)

Markup("<b>{}</b>").format(user.display_name)
```

## References
- CWE-79, Cross-site Scripting: https://cwe.mitre.org/data/definitions/79.html
- Django, ``mark_safe`` and ``format_html``:
  https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html
- MarkupSafe, formatting: https://markupsafe.palletsprojects.com/en/stable/formatting/
- OWASP Cross Site Scripting Prevention Cheat Sheet:
  https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html
"""

from __future__ import annotations

import ast

from checks.detector import Detector, FileContext
from checks.detectors.security._common import (
    Scopes,
    call_name,
    is_built_string,
    is_constant_string,
)
from checks.model import Severity

_MARK_SAFE = frozenset(
    {"django.utils.safestring.mark_safe", "django.utils.safestring.SafeString",
     "django.utils.safestring.SafeText", "django.utils.safestring.SafeUnicode",
     "django.utils.safestring.SafeBytes", "django.utils.html.mark_safe",
     "markupsafe.Markup", "flask.Markup", "jinja2.Markup", "jinja2.utils.Markup"}
)
_FORMAT_HTML = frozenset({"django.utils.html.format_html"})
_LAST_NAMES = frozenset(n.rsplit(".", 1)[-1] for n in (*_MARK_SAFE, *_FORMAT_HTML))
_ESCAPING = frozenset(
    {"format_html", "format_html_join", "escape", "conditional_escape", "render_to_string",
     "json_script", "clean", "linebreaks", "escapejs", "strip_tags", "urlize", "render",
     "get_template", "mark_safe", "Markup", "escape_silent", "sanitize", "bleach", "linkify",
     "reverse", "reverse_lazy", "urlencode", "quote", "quote_plus", "escape_uri_path",
     "iri_to_uri", "render_template"}
)


def _escaped(node: ast.AST) -> bool:
    """An expression whose value is already escaped, sanitized or URL-quoted: a call to
    ``escape``, ``format_html``, ``render_to_string``, ``reverse``, ``bleach.clean`` ..."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else (
        func.id if isinstance(func, ast.Name) else "")
    return name in _ESCAPING


class UnescapedHtmlMarkup(Detector):
    """Flags strings with unescaped values marked as safe HTML (see module docstring)."""

    slug = "unescaped-html-markup"
    items = ("SEC-09",)
    calls = _LAST_NAMES

    def __init__(self) -> None:
        super().__init__()
        self._scopes = Scopes()
        self._skip = False

    def start_file(self, ctx: FileContext) -> bool:
        self._skip = ctx.file.is_test or ctx.file.is_migration
        self._scopes.reset(ctx.file)
        return not self._skip

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip or not node.args:
            return
        name = call_name(node, ctx.file)
        if name not in _FORMAT_HTML and name not in _MARK_SAFE:
            return
        short = name.rsplit(".", 1)[-1]
        value = node.args[0]
        chain = self._scopes.chain(ctx)
        if name in _FORMAT_HTML:
            if is_built_string(value, chain, safe=_escaped):
                self.report_node(
                    "SEC-09", ctx, node,
                    "format_html() is given a format string already formatted with values: "
                    "those values are not escaped",
                    "Keep the format string constant and pass the values as arguments: "
                    "format_html(\"<b>{}</b>\", value).",
                    severity=Severity.HIGH,
                )
            return
        if name not in _MARK_SAFE or is_constant_string(value, chain, safe=_escaped):
            return
        built = is_built_string(value, chain, safe=_escaped)
        self.report_node(
            "SEC-09", ctx, node,
            f"{short}() marks {'a string formatted from values' if built else 'a value'} as "
            "safe HTML: any markup in it reaches the page unescaped",
            "Build HTML with format_html(\"<b>{}</b>\", value) or Markup(\"<b>{}</b>\")"
            ".format(value), which escape the values; sanitize rich text with nh3/bleach.",
            severity=Severity.HIGH if built else Severity.MEDIUM,
        )
