"""Shell commands built from run-time values.

## What it flags
A command that is not a constant string given to something that runs it through a shell:

- ``subprocess.run``/``call``/``check_call``/``check_output``/``Popen`` with ``shell=True``;
- ``subprocess.getoutput``/``getstatusoutput``, ``os.system``, ``os.popen``,
  ``asyncio.create_subprocess_shell``, ``loop.subprocess_shell``, ``commands.getoutput``.

A command formatted from values (f-string, ``%``, ``+``, ``.format``), directly or through a
variable assigned in the same function, is high; a command held in a variable or parameter
whose origin is not visible is medium. In command-line tools (modules importing ``click``,
``typer`` or ``argparse``, Django management commands), where the values come from the operator
who runs them, either is low. Constant commands (also through names bound only to
constants) and argument lists without a shell are not flagged. Tests are skipped.

## Why it matters
The shell interprets ``;``, ``|``, ``$(...)``, backticks and quotes in the whole string. A file
name, branch name or form field that reaches the command can append commands of its own and run
them with the service's permissions.

## Example
```python
subprocess.run(f"convert {upload.name} out.png", shell=True)
os.system("git checkout " + branch)
```

## Use instead
```python
subprocess.run(["convert", upload.name, "out.png"], check=True)
subprocess.run(["git", "checkout", "--", branch], check=True)
```
If a shell is unavoidable, quote every value with ``shlex.quote``.

## References
- CWE-78, OS Command Injection: https://cwe.mitre.org/data/definitions/78.html
- Python, subprocess security considerations:
  https://docs.python.org/3/library/subprocess.html#security-considerations
- OWASP OS Command Injection Defense Cheat Sheet:
  https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html
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
    is_operator_tool,
)
from checks.model import Severity

_SHELL_FLAG = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
     "subprocess.Popen"}
)
_ALWAYS_SHELL = frozenset(
    {"subprocess.getoutput", "subprocess.getstatusoutput", "os.system", "os.popen", "os.popen2",
     "os.popen3", "os.popen4", "commands.getoutput", "commands.getstatusoutput",
     "asyncio.create_subprocess_shell", "popen2.popen2", "popen2.popen3", "popen2.popen4"}
)
_LAST_NAMES = frozenset({*(n.rsplit(".", 1)[-1] for n in (*_SHELL_FLAG, *_ALWAYS_SHELL)),
                         "subprocess_shell"})


class ShellCommandInjection(Detector):
    """Flags shell commands built from run-time values (see module docstring)."""

    slug = "shell-command-injection"
    items = ("SEC-15",)
    calls = _LAST_NAMES

    def __init__(self) -> None:
        super().__init__()
        self._scopes = Scopes()
        self._skip = False
        self._operator_input = False

    def start_file(self, ctx: FileContext) -> bool:
        self._skip = ctx.file.is_test
        if self._skip:
            return False
        self._operator_input = is_operator_tool(ctx.file)
        self._scopes.reset(ctx.file)
        return True

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        name = call_name(node, ctx.file)
        if name in _SHELL_FLAG:
            if not pyast.is_true(pyast.keyword(node, "shell")):
                return
            command = pyast.argument(node, 0, "args")
            how = f"{name}(..., shell=True)"
        elif name in _ALWAYS_SHELL or (pyast.attr_name(node) == "subprocess_shell"
                                       and isinstance(node.func, ast.Attribute)):
            command = pyast.argument(node, 0, "cmd") or pyast.keyword(node, "command")
            how = f"{name or 'subprocess_shell'}()"
        else:
            return
        if command is None:
            return
        chain = self._scopes.chain(ctx)
        if is_constant_string(command, chain):
            return
        if isinstance(command, ast.List | ast.Tuple):
            return  # an argument list: the shell sees only its first item as the script
        built = is_built_string(command, chain)
        self.report_node(
            "SEC-15", ctx, node,
            f"{how} runs a command {'formatted from values' if built else 'not fixed in the code'}"
            ": shell syntax in a value runs commands of its own",
            "Pass an argument list without a shell (subprocess.run([\"cmd\", arg], check=True)); "
            "if a shell is unavoidable, quote each value with shlex.quote().",
            severity=Severity.LOW if self._operator_input else (
                Severity.HIGH if built else Severity.MEDIUM),
        )
