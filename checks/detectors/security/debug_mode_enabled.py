"""Debug mode switched on in code that runs in production.

## What it flags
- ``DEBUG = True`` in a Django settings module meant for production: ``settings.py``,
  ``settings/__init__.py``, ``settings/production.py``, ``prod.py`` (not ``base``/``common``
  modules that production settings override, nor development, local or test settings);
- ``DEBUG = True`` in a Flask configuration class named for production (``ProductionConfig``);
- Flask ``app.run(debug=True)``, ``app.debug = True``, ``app.config["DEBUG"] = True`` and
  ``app.config.update(DEBUG=True)`` outside development and test modules; ``app.run(debug=True)``
  under ``if __name__ == "__main__":`` is a medium finding (it only runs when the module is
  started by hand), elsewhere high;
- Werkzeug ``run_simple(..., use_debugger=True)``;
- ``FastAPI(debug=True)`` and ``Starlette(debug=True)``.

Debug flags read from the environment (``DEBUG = env.bool("DEBUG")``) are not flagged. Tests
are skipped.

## Why it matters
Django's debug pages show settings, SQL and local variables of every frame; Starlette's show
tracebacks with source; the Werkzeug debugger lets anyone who reaches an error page run Python
code on the server. Debug mode also disables ``ALLOWED_HOSTS`` checks in Django and keeps every
SQL query in memory.

## Example
```python
# settings.py
DEBUG = True

app.run(host="0.0.0.0", debug=True)
```

## Use instead
```python
DEBUG = env.bool("DJANGO_DEBUG", default=False)

app.run(debug=os.environ.get("FLASK_DEBUG") == "1")  # or `flask run --debug` locally
```

## References
- CWE-489, Active Debug Code: https://cwe.mitre.org/data/definitions/489.html
- Django deployment checklist, DEBUG:
  https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug
- Flask, debug mode: https://flask.palletsprojects.com/en/stable/debugging/
- Werkzeug debugger security: https://werkzeug.palletsprojects.com/en/stable/debug/#debugger-pin
"""

from __future__ import annotations

import ast
import posixpath

from checks import pyast
from checks.detector import Detector, FileContext
from checks.detectors.security._common import (
    assignments,
    call_name,
    is_dev_path,
    is_django_settings,
    is_prod_path,
    main_guard_lines,
)
from checks.model import Severity
from checks.pyast import called_last

_HINT = (
    "Read the debug flag from the environment with a default of False, and turn it on only in "
    "local development."
)
_APP_CLASSES = frozenset({"fastapi.FastAPI", "starlette.applications.Starlette"})
_RUN_SIMPLE = "werkzeug.serving.run_simple"
_NAMED_CALLS = frozenset(n.rsplit(".", 1)[-1] for n in (*_APP_CLASSES, _RUN_SIMPLE))
_FLASK_RUN = "run"  # app.run(debug=True)
_CONFIG_UPDATE = "config.update"  # app.config.update(DEBUG=True)
_FLASK_METHODS = frozenset({_FLASK_RUN, _CONFIG_UPDATE.rsplit(".", 1)[-1]})
_BASE_SETTINGS = frozenset({"base", "common", "defaults", "default", "shared"})


class DebugModeEnabled(Detector):
    """Flags debug mode hard-wired on (see module docstring)."""

    slug = "debug-mode-enabled"
    items = ("SEC-10",)
    calls = _NAMED_CALLS | _FLASK_METHODS

    def __init__(self) -> None:
        super().__init__()
        self._skip = False
        self._flask = False
        self._guards: list[tuple[int, int]] | None = None

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        self._skip = f.is_test or f.is_migration or is_dev_path(f.path)
        if self._skip:
            return False
        self._flask = f.imports_module("flask")
        self._guards = None  # the file's __main__ blocks, found when a call needs them
        stmt = assignments(f).get("DEBUG")
        if stmt is None or not pyast.is_true(stmt.value):
            return True
        stem = posixpath.splitext(posixpath.basename(f.path))[0]
        if stem not in _BASE_SETTINGS and (is_prod_path(f.path) or is_django_settings(f)):
            self.report(
                "SEC-10", f.path, stmt.lineno,
                f"DEBUG = True in {f.path}: error pages expose settings, source and local "
                "variables",
                _HINT, end_line=stmt.end_lineno, severity=Severity.HIGH,
            )
        return True

    def visit_ClassDef(self, node: ast.ClassDef, ctx: FileContext) -> None:
        name = node.name.lower()
        if self._skip or ("prod" not in name and "live" not in name):
            return
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and pyast.is_true(stmt.value) and any(
                    isinstance(t, ast.Name) and t.id == "DEBUG" for t in stmt.targets):
                self.report_node(
                    "SEC-10", ctx, stmt,
                    f"{node.name} sets DEBUG = True: the production configuration runs in debug "
                    "mode", _HINT, severity=Severity.HIGH)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        last = called_last(node, ctx.file)
        if last not in _NAMED_CALLS and not (
                self._flask and last in _FLASK_METHODS and isinstance(node.func, ast.Attribute)):
            return  # none of the calls below
        name = call_name(node, ctx.file)
        method = pyast.attr_name(node)
        if name in _APP_CLASSES and pyast.is_true(pyast.keyword(node, "debug")):
            self.report_node(
                "SEC-10", ctx, node,
                f"{name.rsplit('.', 1)[-1]}(debug=True) returns tracebacks with source code to "
                "clients", _HINT, severity=Severity.HIGH)
        elif name == _RUN_SIMPLE and pyast.is_true(
                pyast.keyword(node, "use_debugger")):
            self.report_node(
                "SEC-10", ctx, node,
                "run_simple(use_debugger=True) serves the Werkzeug debugger, which runs any "
                "Python code sent from an error page", _HINT, severity=Severity.HIGH)
        elif not self._flask or not isinstance(node.func, ast.Attribute):
            return
        elif method == _FLASK_RUN and pyast.is_true(pyast.keyword(node, "debug")):
            if self._guards is None:
                self._guards = main_guard_lines(ctx.file.tree)
            guarded = any(a <= node.lineno <= b for a, b in self._guards)
            self.report_node(
                "SEC-10", ctx, node,
                f"{ast.unparse(node.func)}(debug=True) starts the Werkzeug debugger, which runs "
                "any Python code sent from an error page"
                + (" (under __main__: when started by hand)" if guarded else ""),
                _HINT, severity=Severity.MEDIUM if guarded else Severity.HIGH)
        elif name.endswith(_CONFIG_UPDATE) and any(
                kw.arg == "DEBUG" and pyast.is_true(kw.value) for kw in node.keywords):
            self._flask_flag(ctx, node, "config.update(DEBUG=True)")

    def visit_Assign(self, node: ast.Assign, ctx: FileContext) -> None:
        if self._skip or not self._flask or not pyast.is_true(node.value):
            return
        for t in node.targets:
            config_key = isinstance(t, ast.Subscript) and pyast.const_str(t.slice) == "DEBUG" and (
                isinstance(t.value, ast.Attribute) and t.value.attr == "config")
            if config_key or (isinstance(t, ast.Attribute) and t.attr == "debug"):
                self._flask_flag(ctx, node, f"{ast.unparse(t)} = True")

    def _flask_flag(self, ctx: FileContext, node: ast.AST, what: str) -> None:
        self.report_node(
            "SEC-10", ctx, node,
            f"{what} runs Flask in debug mode: the Werkzeug debugger runs any Python code sent "
            "from an error page", _HINT, severity=Severity.HIGH)
