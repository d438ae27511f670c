"""Environment variables read all over the code instead of in one settings module.

## What it flags
Direct environment reads (``os.environ[...]``, ``os.environ.get(...)``, ``os.getenv(...)``) in
service code outside configuration modules (files or folders named ``settings``, ``config``,
``conf``, ``configuration``, ``env``, and entry points such as ``wsgi.py``, ``asgi.py``,
``manage.py``, ``__main__.py``, ``gunicorn.conf.py``):

- every such read, when more than three service modules do it (configuration is scattered);
- otherwise, reads inside a request handler or task (a function decorated with a route or task
  decorator, or a view taking ``request``): they run on every call.

Tests, migrations, scripts (``#!`` files, ``scripts/``, ``bin/``, ``docker/``...), command-line
modules and samples are left alone.

## Why it matters
When each module reads its own variables nobody can list what the service needs to start, a
missing variable surfaces as a crash deep in a request instead of at boot, values are parsed
(and mis-parsed) differently in each place, and tests must patch the environment instead of
passing a settings object (CODE-05).

## Example
```python
@router.post("/charge")
async def charge(order: Order) -> Receipt:
    client = Stripe(api_key=os.environ["STRIPE_KEY"])
```

## Use instead
```python
# app/config.py
class Settings(BaseSettings):
    stripe_key: SecretStr

settings = Settings()  # read and validated once, at start-up
```

## References
- The Twelve-Factor App, III. Config: https://12factor.net/config
- pydantic-settings: https://docs.pydantic.dev/latest/concepts/pydantic_settings/
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.observability._facts import in_service_dir

_CONFIG_WORDS = frozenset({"settings", "config", "conf", "configuration", "configs", "env",
                           "environment", "environments", "envs", "constants", "secrets"})
_ENTRY_FILES = frozenset({"manage.py", "wsgi.py", "asgi.py", "__main__.py", "gunicorn.conf.py",
                          "gunicorn_conf.py", "gunicorn_config.py", "celeryconfig.py",
                          "setup.py", "noxfile.py", "fabfile.py", "conf.py"})
_SCRIPT_DIRS = frozenset({"scripts", "bin", "tools", "management", "deploy", "ci", "docker"})
_CLI_MODULES = ("argparse", "click", "typer", "fire", "docopt")
_READS = frozenset({"os.getenv", "os.environ.get"})
_HANDLER_DECORATORS = frozenset({"get", "post", "put", "patch", "delete", "head", "options",
                                 "route", "api_route", "websocket", "task", "shared_task",
                                 "periodic_task", "actor", "view"})
THRESHOLD = 3


@functools.lru_cache(maxsize=16384)
def is_config_module(path: str) -> bool:
    """Settings/config modules and process entry points, where reading the environment is the
    point (asked about every file by several detectors, so answers are cached)."""
    parts = [p.lower() for p in path.split("/")]
    stem = parts[-1][:-3] if parts[-1].endswith(".py") else parts[-1]
    words = set(re.split(r"[._-]+", stem))
    return (
        parts[-1] in _ENTRY_FILES
        or bool(words & _CONFIG_WORDS)
        or any(p in _CONFIG_WORDS for p in parts[:-1])
    )


@dataclass(frozen=True, slots=True)
class Read:
    """One environment read: where, which variable (when literal), and whether it runs in a
    request handler or task."""

    path: str
    line: int
    end_line: int
    variable: str | None
    in_handler: bool


def _handler(fn: ast.AST) -> bool:
    if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
        for deco in fn.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            name = target.attr if isinstance(target, ast.Attribute) else (
                target.id if isinstance(target, ast.Name) else ""
            )
            if name in _HANDLER_DECORATORS:
                return True
        args = fn.args.posonlyargs + fn.args.args
        return bool(args) and args[0].arg == "request"
    return False


class ScatteredEnvReads(Detector):
    """Flags environment reads outside configuration modules (see module docstring)."""

    slug = "scattered-env-reads"
    items = ("CODE-05",)
    calls = frozenset(n.rsplit(".", 1)[-1] for n in _READS)
    # ``os.environ[...]`` is read in end_file, in files where the traversal met an attribute
    # named ``environ`` (or that import a name as ``os.environ``).
    attributes = frozenset({"environ"})

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[Read] = []
        self.config_reads: set[str] = set()
        self._config = False
        self._environ = False

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        parts = [p.lower() for p in f.path.split("/")]
        if (
            f.is_test
            or f.is_migration
            or not in_service_dir(f.path)
            or any(p in _SCRIPT_DIRS for p in parts[:-1])
            or f.imports_module(*_CLI_MODULES)
            or f.text.startswith("#!")
        ):
            return False
        self._config = is_config_module(f.path)
        self._environ = "os.environ" in f.imports.values()
        return True

    def _record(self, node: ast.expr, variable: ast.expr | None, path: str,
                in_handler: bool) -> None:
        if self._config:
            self.config_reads.add(path)
            return
        self.reads.append(Read(path, node.lineno, node.end_lineno or node.lineno,
                               pyast.const_str(variable), in_handler))

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if pyast.call_name(node, ctx.file) in _READS:
            self._record(node, pyast.argument(node, 0, "key"), ctx.path,
                         any(_handler(fn) for fn in ctx.functions))

    def visit_Attribute(self, node: ast.Attribute, ctx: FileContext) -> None:
        self._environ = True

    def end_file(self, ctx: FileContext) -> None:
        """The file's ``os.environ[...]`` reads, from its node index. A node is in the body of
        a function exactly when it starts between the start of the body's first statement and
        the end of the function (decorators, parameters and annotations come before the
        body), so the request handlers around a read are found by position."""
        if not self._environ:
            return
        f = ctx.file
        handlers: list[tuple[tuple[int, int], tuple[int, int]]] | None = None
        for node in f.nodes(ast.Subscript):
            if not isinstance(node.ctx, ast.Load) or pyast.resolve(node.value, f) != "os.environ":
                continue
            if handlers is None:
                functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = [
                    *f.nodes(ast.FunctionDef), *f.nodes(ast.AsyncFunctionDef)]
                handlers = [
                    ((fn.body[0].lineno, fn.body[0].col_offset),
                     (fn.end_lineno or fn.lineno, fn.end_col_offset or 0))
                    for fn in functions if _handler(fn)
                ]
            where = (node.lineno, node.col_offset)
            self._record(node, node.slice, ctx.path,
                         any(start <= where <= end for start, end in handlers))

    def finish(self, project: Project) -> None:
        modules = sorted({r.path for r in self.reads})
        scattered = len(modules) > THRESHOLD
        for r in self.reads:
            if not (scattered or r.in_handler):
                continue
            var = f"`{r.variable}`" if r.variable else "an environment variable"
            if r.in_handler:
                why = "inside a request handler or task, so on every call"
            else:
                why = f"one of {len(modules)} modules that read the environment themselves"
            self.report(
                "CODE-05", r.path, r.line,
                f"{var} is read from the environment here, {why}",
                "Read every variable once, in one settings module (pydantic-settings, "
                "django-environ or a dataclass built at start-up), and pass the settings in.",
                end_line=r.end_line,
                key=f"{self.slug}:{r.variable or ''}",
            )
        if not self.reads:
            where = ", ".join(sorted(self.config_reads)[:3])
            self.evidence("CODE-05", f"environment read only in configuration modules ({where})"
                          if where else "no direct environment reads in service code")
        elif not scattered:
            self.evidence("CODE-05", f"environment read outside configuration modules in "
                                     f"{len(modules)} module(s), at import time: "
                                     + ", ".join(modules))
