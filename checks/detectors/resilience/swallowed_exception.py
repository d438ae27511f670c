"""Errors swallowed: a bare ``except:``, or ``except Exception: pass``.

## What it flags
In service code (tests, migrations, examples, docs and developer scripts left out):

- a bare ``except:`` whose body does not end by re-raising; it also catches
  ``KeyboardInterrupt``, ``SystemExit`` and ``GeneratorExit``;
- ``except Exception:``/``except BaseException:`` (alone or in a tuple) whose body does
  nothing: only ``pass``, ``...``, ``continue`` or a docstring;
- ``with contextlib.suppress(Exception):``.

A handler with a comment on its lines (``pass  # best effort: cache warm-up``) says why and is
not flagged; nor is ``__del__``, where nothing can be done about an error.

## Why it matters
A swallowed error leaves no log line, no metric and no trace: the operation silently did not
happen and the failure surfaces later, far from its cause, or never. Consistent error handling
(RES-05) means every failure is either handled on purpose or propagated to a layer that reports it.

## Example
```python
try:
    publish(event)
except Exception:
    pass
```

## Use instead
```python
try:
    publish(event)
except BrokerUnavailable:
    log.warning("event not published", event_id=event.id, exc_info=True)
```

## References
- CWE-390, Detection of Error Condition Without Action: https://cwe.mitre.org/data/definitions/390.html
- CWE-396, Declaration of Catch for Generic Exception: https://cwe.mitre.org/data/definitions/396.html
- PEP 8, Programming Recommendations (bare except): https://peps.python.org/pep-0008/#programming-recommendations
- Ruff S110 try-except-pass: https://docs.astral.sh/ruff/rules/try-except-pass/
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, FileContext
from checks.detectors.resilience._outbound import is_service_file

_BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
_SUPPRESS = frozenset({"contextlib.suppress"})


class SwallowedException(Detector):
    """Flags bare excepts and broad excepts that do nothing (see module docstring)."""

    slug = "swallowed-exception"
    items = ("RES-05",)

    def start_file(self, ctx: FileContext) -> bool:
        return is_service_file(ctx.file)

    def visit_ExceptHandler(self, node: ast.ExceptHandler, ctx: FileContext) -> None:
        if _in_del(ctx):
            return
        if node.type is None:
            if not _reraises(node.body) and not _commented(node, ctx, node.lineno):
                self.report("RES-05", ctx.path, node.lineno,
                            "bare `except:` catches everything, KeyboardInterrupt and SystemExit "
                            "included, and carries on",
                            "Catch the exceptions you expect (`except (ValueError, KeyError):`) "
                            "and log or re-raise anything else.")
            return
        # cheapest test first: most handlers do something; reading the lines for a comment
        # comes last
        if not _does_nothing(node.body):
            return
        broad = _broad_name(node.type, ctx)
        if broad is not None and not _commented(node, ctx):
            self.report("RES-05", ctx.path, node.lineno,
                        f"`except {broad}:` with an empty body swallows every error silently",
                        "Catch the specific exceptions you expect, and log what you drop "
                        "(log.warning(..., exc_info=True)) so failures stay visible.",
                        end_line=node.body[-1].end_lineno or node.lineno)

    def visit_With(self, node: ast.With, ctx: FileContext) -> None:
        if _in_del(ctx):
            return
        for item in node.items:
            call = item.context_expr
            if isinstance(call, ast.Call) and pyast.call_name(call, ctx.file) in _SUPPRESS:
                broad = next((b for a in call.args if (b := _broad_name(a, ctx))), None)
                if broad is not None and not _commented(node, ctx, node.lineno):
                    self.report("RES-05", ctx.path, node.lineno,
                                f"`suppress({broad})` swallows every error in the block silently",
                                "Suppress only the specific exceptions you expect, or catch and "
                                "log them.")


def _broad_name(node: ast.expr, ctx: FileContext) -> str | None:
    if isinstance(node, ast.Tuple):
        return next((b for e in node.elts if (b := _broad_name(e, ctx))), None)
    name = pyast.resolve(node, ctx.file)
    if name in _BROAD and (not isinstance(node, ast.Name) or node.id not in ctx.file.imports
                           or name.startswith("builtins.")):
        return name.rsplit(".", 1)[-1]
    return None


def _does_nothing(body: list[ast.stmt]) -> bool:
    for stmt in body:
        if isinstance(stmt, ast.Pass | ast.Continue):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # ``...`` or a docstring
        return False
    return True


def _reraises(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], ast.Raise)


def _in_del(ctx: FileContext) -> bool:
    fn = ctx.function
    return isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and fn.name == "__del__"


def _commented(node: ast.stmt | ast.ExceptHandler, ctx: FileContext,
               last: int | None = None) -> bool:
    """True when a ``#`` comment sits on the handler's lines (an explained choice)."""
    end = last if last is not None else (node.end_lineno or node.lineno)
    for lineno in range(node.lineno, end + 1):
        line = ctx.file.line(lineno)
        if "#" in line and _comment_outside_string(line):
            return True
    return False


def _comment_outside_string(line: str) -> bool:
    quote: str | None = None
    for ch in line:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            return True
    return False
