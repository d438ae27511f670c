"""Service logs written to local files instead of stdout.

## What it flags
In service code (tests, scripts and docs aside):
- ``logging.FileHandler``, ``RotatingFileHandler``, ``TimedRotatingFileHandler``,
  ``WatchedFileHandler`` (and ``ConcurrentRotatingFileHandler``) being built;
- ``logging.basicConfig(filename=...)``;
- loguru's ``logger.add("app.log")`` with a path rather than a stream;
- a logging ``dictConfig`` handler whose ``"class"`` is one of those file handlers (Django's
  ``LOGGING`` setting);
- gunicorn ``accesslog``/``errorlog`` set to a path, and ``--access-logfile``/
  ``--error-logfile``/``--log-file`` with a path in a Procfile, Dockerfile, compose file or
  script;
- ``class = ...FileHandler`` lines of INI/YAML logging configuration files.
One finding per place.

## Why it matters
The Twelve-Factor App treats logs as event streams written to stdout and routed by the
platform; a file inside a container fills its disk, vanishes with the container, is read by
nobody's log pipeline, and ties the process to one host (COMP-07, factor XI).

## Example
```python
handler = RotatingFileHandler("/var/log/orders/app.log", maxBytes=10_000_000)
```

## Use instead
```python
handler = logging.StreamHandler(sys.stdout)   # the platform ships stdout to the log store
```

## References
- The Twelve-Factor App, XI. Logs: https://12factor.net/logs
- Python logging handlers: https://docs.python.org/3/library/logging.handlers.html
- Gunicorn settings, accesslog/errorlog: https://docs.gunicorn.org/en/stable/settings.html#logging
"""

from __future__ import annotations

import ast
import posixpath
import re

from checks import pyast
from checks.detector import Detector, FileContext, Project

_FILE_HANDLERS = frozenset({
    "logging.FileHandler", "logging.handlers.RotatingFileHandler",
    "logging.handlers.TimedRotatingFileHandler", "logging.handlers.WatchedFileHandler",
    "concurrent_log_handler.ConcurrentRotatingFileHandler",
    "concurrent_log_handler.ConcurrentTimedRotatingFileHandler",
})
_BASIC_CONFIG = "logging.basicConfig"
_LOGURU_ADD = "loguru.logger.add"
_HANDLER_CLASS = re.compile(r"^(logging\.)?(handlers\.)?(Rotating|TimedRotating|Watched|"
                            r"ConcurrentRotating|ConcurrentTimedRotating)?FileHandler$")
_TEXT_CLASS = re.compile(r"^[ \t]*['\"]?class['\"]?[ \t]*[:=][ \t]*['\"]?((logging\.)?(handlers\.)?"
                         r"(Rotating|TimedRotating|Watched)?FileHandler)\b", re.M)
_CLI_FLAG = re.compile(r"--(access-logfile|error-logfile|log-file)[= ]+['\"]?([^\s'\"]+)")
_SKIP_DIRS = frozenset({"docs", "doc", "examples", "scripts", "bin", "tools", "tests", "test",
                        ".github", "benchmarks"})
_TEXT_SUFFIXES = (".ini", ".conf", ".cfg", ".yaml", ".yml", ".toml")
_CLI_FILES = ("procfile", "dockerfile", "containerfile")


class LogsWrittenToFile(Detector):
    """Flags logging to local files instead of stdout (see module docstring)."""

    slug = "logs-written-to-file"
    items = ("COMP-07",)
    calls = frozenset(n.rsplit(".", 1)[-1] for n in (*_FILE_HANDLERS, _BASIC_CONFIG, _LOGURU_ADD))

    def __init__(self) -> None:
        super().__init__()
        self._skip = True
        self._gunicorn = False

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        parts = f.path.split("/")
        self._skip = f.is_test or f.is_migration or any(p in _SKIP_DIRS for p in parts[:-1])
        self._gunicorn = parts[-1].startswith("gunicorn") or parts[-1].endswith(".conf.py")
        return not self._skip

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        name = pyast.call_name(node, ctx.file) or ""
        if name in _FILE_HANDLERS:
            self._flag(ctx, node, f"{name.rsplit('.', 1)[-1]}() writes logs to a local file")
        elif name == _BASIC_CONFIG and pyast.keyword(node, "filename") is not None:
            self._flag(ctx, node, "logging.basicConfig(filename=...) writes logs to a local file")
        elif name == _LOGURU_ADD and node.args and _is_path(node.args[0]):
            self._flag(ctx, node, "loguru logger.add() with a path writes logs to a local file")

    def visit_Dict(self, node: ast.Dict, ctx: FileContext) -> None:
        if self._skip:
            return
        for key, value in zip(node.keys, node.values, strict=True):
            if pyast.const_str(key) == "class":
                cls = pyast.const_str(value)
                if cls is not None and _HANDLER_CLASS.match(cls):
                    self._flag(ctx, value, f"logging config handler class {cls!r} writes logs "
                                           "to a local file")

    def end_file(self, ctx: FileContext) -> None:
        """A gunicorn config file's ``accesslog``/``errorlog`` settings: its assignments
        outside functions (read here for the few such files instead of receiving every
        assignment of every file)."""
        if not self._gunicorn:
            return
        for node in _assignments_outside_functions(ctx.file.tree):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in ("accesslog", "errorlog"):
                    value = pyast.const_str(node.value)
                    if value and value != "-":
                        self._flag(ctx, node, f"gunicorn {target.id} = {value!r} writes logs "
                                              "to a local file")

    def _flag(self, ctx: FileContext, node: ast.AST, message: str) -> None:
        self.report_node("COMP-07", ctx, node, message, _HINT)

    def finish(self, project: Project) -> None:
        for path in sorted(project.tree.files):
            lower = path.lower()
            parts = lower.split("/")
            if path.endswith(".py") or any(p in _SKIP_DIRS for p in parts[:-1]):
                continue
            base = posixpath.basename(lower)
            text = project.text(path) or ""
            if base.endswith(_TEXT_SUFFIXES):
                for m in _TEXT_CLASS.finditer(text):
                    self._flag_text(path, text, m.start(1),
                                    f"logging config handler class {m.group(1)!r} writes logs "
                                    "to a local file")
            if base.endswith(_TEXT_SUFFIXES) or base.startswith(_CLI_FILES):
                for m in _CLI_FLAG.finditer(text):
                    if m.group(2) != "-":
                        self._flag_text(path, text, m.start(),
                                        f"--{m.group(1)} {m.group(2)} writes logs to a local "
                                        "file")

    def _flag_text(self, path: str, text: str, offset: int, message: str) -> None:
        self.report("COMP-07", path, text.count("\n", 0, offset) + 1, message, _HINT)


_HINT = ("Log to stdout/stderr (logging.StreamHandler, gunicorn --access-logfile -) and let the "
         "platform collect and route the stream.")


def _assignments_outside_functions(tree: ast.Module) -> list[ast.Assign]:
    """The ``=`` statements of the module and its classes, in source order, not those in the
    body of a function (statements only; none sits inside an expression)."""
    out: list[ast.Assign] = []
    stack: list[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Assign):
            out.append(node)
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for name in ("finalbody", "orelse", "handlers", "cases", "body"):
                block = getattr(node, name, None)
                if isinstance(block, list):
                    stack.extend(reversed(block))
    return out


def _is_path(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    text = pyast.const_str(node)
    if text is not None:
        return True
    return isinstance(node, ast.Call) and (pyast.attr_name(node) or "") in ("Path", "join")
