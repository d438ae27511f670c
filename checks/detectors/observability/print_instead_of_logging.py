"""print() used for diagnostics in service code.

## What it flags
Calls to the built-in ``print`` in service code: Python files that are not tests, migrations,
management commands, scripts or command-line entry points (a module with ``if __name__ ==
"__main__":``, a ``#!`` line, or ``argparse``/``click``/``typer`` imports prints on purpose), and
Alembic environment and revision files (they import ``alembic``).

## Why it matters
``print`` writes unstructured text to stdout with no level, logger name, timestamp or request
context, so log aggregation cannot filter, search or alert on it (OBS-01, structured logging).

## Example
```python
def charge(order):
    print("charging", order.id)
```

## Use instead
```python
log = structlog.get_logger()

def charge(order):
    log.info("charging", order_id=order.id)
```

## References
- The Twelve-Factor App, XI. Logs: https://12factor.net/logs
- Python logging HOWTO: https://docs.python.org/3/howto/logging.html
"""

from __future__ import annotations

import ast

from checks.detector import Detector, FileContext
from checks.detectors.observability._syntax import names_main

_CLI_MODULES = ("argparse", "click", "typer", "fire", "docopt", "alembic")
_SCRIPT_DIRS = frozenset({"scripts", "bin", "tools", "management", "examples", "docs", "docker",
                          "deploy", "ci", ".github"})


class PrintInsteadOfLogging(Detector):
    """Flags ``print()`` calls in service code (see module docstring)."""

    slug = "print-instead-of-logging"
    items = ("OBS-01",)
    calls = frozenset({"print"})

    def __init__(self) -> None:
        super().__init__()
        self._script: bool | None = None

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        parts = f.path.split("/")
        self._script = None  # read on the file's first print() call, if any
        return not (
            f.is_test
            or f.is_migration
            or any(p in _SCRIPT_DIRS for p in parts[:-1])
            or parts[-1] in ("setup.py", "manage.py", "__main__.py", "noxfile.py", "conftest.py")
            or f.imports_module(*_CLI_MODULES)
        )

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id == "print" and "print" not in ctx.file.imports:
            if self._script is None:
                f = ctx.file
                self._script = names_main(f) or f.text.startswith("#!")
            if self._script:
                return
            self.report_node(
                "OBS-01", ctx, node,
                "print() in service code: output has no level, logger or context",
                "Use a logger (logging.getLogger(__name__) or structlog) with a level and "
                "structured fields.",
            )
