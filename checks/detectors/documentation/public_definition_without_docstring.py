"""Public functions and classes without a docstring.

## What it flags
Public definitions of service code (module-level functions and classes, and the methods of
public classes, whose names do not start with ``_``; tests, migrations, settings, docs and
scripts, including modules with an ``if __name__ == "__main__":`` block, left out) that have no
docstring. Not counted: ``@overload`` stubs, property setters and deleters, ``@override``
methods, ``Meta``/``Config`` inner classes, pydantic validators and well-known framework hooks
(``get_queryset``, ``perform_create``, ``save``, ``dispatch``, ``to_representation``...), whose
documentation is the base class's.

- In a pull request: one finding per public definition the diff adds (its ``def``/``class``
  line is an added line).
- In a full review: the share of documented public definitions in the project. Below 50% (with
  at least five definitions), one finding for each of the five worst modules (at least three
  undocumented definitions, lowest share first), on its first undocumented definition.

## Why it matters
A docstring is the contract a caller reads in the editor, in ``help()`` and in generated API
docs; without it the next reader reverse-engineers intent from the body (DOC-06, PEP 257).
Heuristic: a self-explanatory one-liner may not need one; the thresholds keep the full review
to modules where the gap is wide.

## Example
```python
def settle(order, gateway):
    ...
```

## Use instead
```python
def settle(order, gateway):
    '''Capture the authorised payment of ``order``; raise PaymentDeclined on refusal.'''
```

## References
- PEP 257, Docstring Conventions: https://peps.python.org/pep-0257/
- pydocstyle / ruff D1 rules (missing docstrings): https://docs.astral.sh/ruff/rules/#pydocstyle-d
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.testing._common import is_script, is_service_source

_THRESHOLD = 0.5
_MIN_DEFINITIONS = 5
_MIN_UNDOCUMENTED = 3
_WORST = 5
_SKIP_DECORATORS = frozenset({"overload", "override", "setter", "deleter", "validator",
                              "field_validator", "model_validator", "root_validator",
                              "field_serializer", "model_serializer", "computed_field",
                              "validates", "post_load", "pre_load", "post_dump", "pre_dump"})
_INNER_CLASSES = frozenset({"Meta", "Config", "Params", "Media", "Admin"})
_HOOKS = frozenset({
    "get_queryset", "get_object", "get_serializer_class", "get_serializer_context",
    "get_serializer", "get_context_data", "get_permissions", "get_authenticators",
    "get_throttles", "perform_create", "perform_update", "perform_destroy", "save", "delete",
    "clean", "clean_fields", "full_clean", "create", "update", "list", "retrieve",
    "partial_update", "destroy", "to_representation", "to_internal_value", "validate", "get",
    "post", "put", "patch", "head", "options", "dispatch", "setup", "form_valid",
    "form_invalid", "get_success_url", "get_form", "get_form_kwargs", "get_form_class",
    "has_permission", "has_object_permission", "ready", "handle", "add_arguments",
    "authenticate", "authenticate_header", "process_request", "process_response",
    "process_view", "process_exception", "get_absolute_url", "natural_key", "run",
    "get_template_names", "get_redirect_url", "get_fieldsets", "get_readonly_fields",
    "has_add_permission", "has_change_permission", "has_delete_permission",
    "has_view_permission", "get_list_display", "save_model", "delete_model", "emit",
    "filter", "format", "dispatch_request",
})

DefNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


@dataclass(slots=True)
class _Module:
    total: int = 0
    missing: list[tuple[int, str]] = field(default_factory=list)


class PublicDefinitionWithoutDocstring(Detector):
    """Flags public functions and classes without docstrings (see module docstring)."""

    slug = "public-definition-without-docstring"
    items = ("DOC-06",)

    def __init__(self) -> None:
        super().__init__()
        self._modules: dict[str, _Module] = {}
        self._module: _Module | None = None  # the current file's, once it has a definition

    def start_file(self, ctx: FileContext) -> bool:
        self._module = None
        return is_service_source(ctx.path) and not is_script(ctx.file)

    def visit_FunctionDef(self, node: ast.FunctionDef, ctx: FileContext) -> None:
        if not ctx.functions:  # nothing defined inside a function is public
            self._visit(node, ctx)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, ctx: FileContext) -> None:
        if not ctx.functions:
            self._visit(node, ctx)

    def visit_ClassDef(self, node: ast.ClassDef, ctx: FileContext) -> None:
        if not ctx.functions:
            self._visit(node, ctx)

    def _visit(self, node: DefNode, ctx: FileContext) -> None:
        classes = ctx.classes
        if not _is_public(node, classes):
            return
        module = self._module
        if module is None:
            module = self._module = self._modules[ctx.path] = _Module()
        module.total += 1
        if not _has_docstring(node):
            if isinstance(node, ast.ClassDef):
                kind = "class"
            else:
                kind = "method" if classes else "function"
            owner = f"{classes[-1].name}." if classes else ""
            module.missing.append((node.lineno, f"{kind} {owner}{node.name}"))

    def finish(self, project: Project) -> None:
        if not self._modules:
            self.not_applicable("DOC-06", "no public functions or classes in service code")
            return
        if project.diff.files:
            self._review_diff(project)
        else:
            self._review_project()

    def _review_diff(self, project: Project) -> None:
        added = 0
        for path, module in sorted(self._modules.items()):
            for line, what in module.missing:
                if project.diff.is_added(path, line):
                    added += 1
                    self.report(
                        "DOC-06", path, line, f"public {what} has no docstring",
                        "Add a docstring (PEP 257): one line saying what it does, then "
                        "arguments, return value and errors when they are not obvious.",
                    )
        if not added:
            self.evidence("DOC-06", "every public definition the diff adds has a docstring")

    def _review_project(self) -> None:
        total = sum(m.total for m in self._modules.values())
        missing = sum(len(m.missing) for m in self._modules.values())
        ratio = (total - missing) / total
        summary = f"{total - missing} of {total} public definitions ({ratio:.0%}) have docstrings"
        if total < _MIN_DEFINITIONS or ratio >= _THRESHOLD:
            self.evidence("DOC-06", summary)
            return
        worst = sorted(
            ((path, m) for path, m in self._modules.items() if len(m.missing) >= _MIN_UNDOCUMENTED),
            key=lambda pm: ((pm[1].total - len(pm[1].missing)) / pm[1].total,
                            -len(pm[1].missing), pm[0]),
        )[:_WORST]
        for path, m in worst:
            line, what = m.missing[0]
            self.report(
                "DOC-06", path, line,
                f"{len(m.missing)} of {m.total} public definitions in {path} have no docstring "
                f"(first: {what}); project-wide {summary}, below {_THRESHOLD:.0%}",
                "Document the module's public functions and classes (PEP 257), starting with "
                "the ones other modules call; ruff's D1 rules keep new ones documented.",
                key=f"module:{path}",
            )
        if not worst:
            self.evidence("DOC-06", summary + "; no single module stands out")


def _has_docstring(node: DefNode) -> bool:
    """``ast.get_docstring(node) is not None``, without cleaning the text (the costly part)."""
    if not node.body:
        return False
    first = node.body[0]
    return (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str))


def _is_public(node: DefNode, classes: list[ast.ClassDef]) -> bool:
    """``classes``: the enclosing classes, innermost last."""
    if node.name.startswith("_"):
        return False
    if classes:
        owner = classes[-1]
        if owner.name.startswith("_") or owner.name in _INNER_CLASSES:
            return False
        if isinstance(node, ast.ClassDef):
            if node.name in _INNER_CLASSES:
                return False
        elif node.name in _HOOKS:
            return False
        if len(classes) > 1 and any(c.name.startswith("_") for c in classes):
            return False
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = pyast.dotted(target) or ""
        if name.rsplit(".", 1)[-1] in _SKIP_DECORATORS:
            return False
    return True
