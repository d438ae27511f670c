"""camelCase function name in service code.

## What it flags
Module-level functions of service code whose name is camelCase (``getUser``, ``_parseRow``).
Methods are left alone: they often implement or override a camelCase API (``unittest``'s
``setUp``, ``logging.Handler``, Qt, ``ast.NodeVisitor``) and cannot be renamed. Tests,
migrations and samples are skipped.

## Why it matters
PEP 8: "Function names should be lowercase, with words separated by underscores". Mixed
conventions make every call site a guess and signal code ported without review (CODE-08).

## Example
```python
def getUserOrders(userId):
    ...
```

## Use instead
```python
def get_user_orders(user_id):
    ...
```

## References
- PEP 8, Function and Variable Names: https://peps.python.org/pep-0008/#function-and-variable-names
- pep8-naming N802: https://github.com/PyCQA/pep8-naming
"""

from __future__ import annotations

import ast
import re

from checks.detector import Detector, FileContext
from checks.detectors.code._pep8 import reviewed

_CAMEL = re.compile(r"^_*[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def snake(name: str) -> str:
    """``getUserID`` -> ``get_user_id``."""
    lead = len(name) - len(name.lstrip("_"))
    core = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name[lead:])
    return "_" * lead + core.lower()


class CamelcaseFunctionName(Detector):
    """Flags camelCase module-level function names (see module docstring)."""

    slug = "camelcase-function-name"
    items = ("CODE-08",)

    def start_file(self, ctx: FileContext) -> bool:
        """Module-level functions are the module's own statements: no traversal needed."""
        if reviewed(ctx):
            for node in ctx.file.tree.body:
                # A name with no capital letter (most) cannot match: no pattern to run.
                if isinstance(node, _FUNCTIONS) and not node.name.islower() and _CAMEL.match(
                    node.name
                ):
                    self.report(
                        "CODE-08", ctx.path, node.lineno,
                        f"Function `{node.name}` is camelCase; PEP 8 names functions in "
                        "snake_case",
                        f"Rename it to `{snake(node.name)}` (keep an alias while callers move).",
                        key=f"{self.slug}:{node.name}",
                    )
        return False
