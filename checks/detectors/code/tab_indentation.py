"""Tabs used for indentation.

## What it flags
A service file in which a statement is indented with a tab character. One finding per file, on
the first such statement (lines inside strings are never looked at: only statement starts are).
Tests, migrations and samples are skipped.

## Why it matters
PEP 8: "Spaces are the preferred indentation method"; Python 3 refuses to mix tabs and spaces
inconsistently, so one contributor's editor setting can turn a harmless edit into a
``TabError``, and diffs show indentation noise (CODE-08).

## Example
```python
def total(items):
\treturn sum(items)
```

## Use instead
```python
def total(items):
    return sum(items)
```

## References
- PEP 8, Tabs or Spaces?: https://peps.python.org/pep-0008/#tabs-or-spaces
- pycodestyle W191: https://pycodestyle.pycqa.org/en/latest/intro.html#error-codes
"""

from __future__ import annotations

import ast

from checks.detector import Detector, FileContext
from checks.detectors.code._pep8 import reviewed
from checks.detectors.observability._syntax import statements


class TabIndentation(Detector):
    """Flags the first tab-indented statement of a file (see module docstring)."""

    slug = "tab-indentation"
    items = ("CODE-08",)

    def start_file(self, ctx: FileContext) -> None:
        if not reviewed(ctx) or "\t" not in ctx.file.text:
            return
        first = min(
            (node.lineno for node in _statement_nodes(ctx)
             if "\t" in _indent(ctx.file.line(node.lineno))),
            default=0,
        )
        if first:
            self.report(
                "CODE-08", ctx.path, first,
                "Indented with tabs; PEP 8 indents with 4 spaces",
                "Re-indent the file with spaces (`ruff format` or `black` does it) and set the "
                "editor to insert spaces.",
                key=f"{self.slug}:file",
            )


def _statement_nodes(ctx: FileContext) -> list[ast.stmt | ast.ExceptHandler]:
    """Every statement and ``except`` clause of the file (those that start a line)."""
    out: list[ast.stmt | ast.ExceptHandler] = []
    for stmt, _depth in statements(ctx.file):
        out.append(stmt)
        if isinstance(stmt, ast.Try | ast.TryStar):
            out.extend(stmt.handlers)
    return out


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]
