"""``eval`` and ``exec`` of strings that are not fixed in the code.

## What it flags
Calls to the built-ins ``eval()`` and ``exec()`` whose code argument is not a constant string
(also through names bound only to constants). Code formatted from values (f-string, ``%``,
``+``, ``.format``) is high; code from a variable or parameter is medium; either is low in a
command-line tool (``click``/``typer``/``argparse`` module, Django management command), where
the operator supplies the code. ``ast.literal_eval``,
methods named ``eval`` (``model.eval()``, ``df.eval(...)``), a local function or import that
shadows the built-in, tests and packaging scripts (``setup.py``, ``noxfile.py``,
``docs/conf.py``) are not flagged.

## Why it matters
``eval`` and ``exec`` run any Python they are given, with the service's permissions: reading
files and secrets, opening connections, running commands. Sandboxing them (empty
``__builtins__``) is known not to work.

## Example
```python
def calculate(expression: str) -> float:
    return eval(expression)
```

## Use instead
```python
value = ast.literal_eval(text)          # literals only
value = OPERATIONS[name](left, right)   # dispatch on a fixed table
```
or a real expression parser (``simpleeval``, ``lark``) for user formulas.

## References
- CWE-95, Eval Injection: https://cwe.mitre.org/data/definitions/95.html
- Python, ``ast.literal_eval``: https://docs.python.org/3/library/ast.html#ast.literal_eval
- OWASP Code Injection: https://owasp.org/www-community/attacks/Code_Injection
"""

from __future__ import annotations

import ast
import posixpath

from checks.detector import Detector, FileContext
from checks.detectors.security._common import (
    Scopes,
    is_built_string,
    is_constant_string,
    is_operator_tool,
)
from checks.model import Severity
from checks.pyfile import PyFile

_PACKAGING = frozenset({"setup.py", "noxfile.py", "fabfile.py"})
_BUILTINS = frozenset({"eval", "exec"})


class DynamicCodeEvaluation(Detector):
    """Flags ``eval``/``exec`` of strings not fixed in the code (see module docstring)."""

    slug = "dynamic-code-evaluation"
    items = ("SEC-15",)
    # the built-ins are called by their bare names, bound by no import (an imported eval
    # shadows them), so those names are the called names the engine looks up
    calls = _BUILTINS

    def __init__(self) -> None:
        super().__init__()
        self._scopes = Scopes()
        self._prepared = False
        self._skip = False
        self._operator_input = False
        self._shadowed: set[str] = set()

    def start_file(self, ctx: FileContext) -> bool:
        self._prepared = False  # the file is looked at when it calls eval or exec (rarely)
        return not ctx.file.is_test

    def _prepare(self, f: PyFile) -> None:
        self._prepared = True
        self._skip = f.is_test or posixpath.basename(f.path) in _PACKAGING or f.path.endswith(
            "docs/conf.py")
        self._operator_input = is_operator_tool(f)
        self._scopes.reset(f)
        self._shadowed = {n for n in _BUILTINS if n in f.imports} | {
            node.name for node in f.tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name in _BUILTINS
        }

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not isinstance(node.func, ast.Name) or not node.args:
            return
        if not self._prepared:
            self._prepare(ctx.file)
        name = node.func.id
        if self._skip or name not in _BUILTINS or name in self._shadowed:
            return
        code = node.args[0]
        chain = self._scopes.chain(ctx)
        if is_constant_string(code, chain):
            return
        built = is_built_string(code, chain)
        self.report_node(
            "SEC-15", ctx, node,
            f"{name}() runs code {'formatted from values' if built else 'not fixed in the code'}"
            ": whoever controls it runs Python in the service",
            "Parse data with ast.literal_eval() or json, dispatch on a fixed table of functions, "
            "or use an expression library; never eval input.",
            severity=Severity.LOW if self._operator_input else (
                Severity.HIGH if built else Severity.MEDIUM),
        )
