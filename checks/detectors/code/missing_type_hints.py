"""Public functions without type hints.

## What it flags
Public functions and methods of service code (module-level functions and methods of
module-level classes whose name does not start with ``_``, plus ``__init__`` with parameters)
that carry no annotation at all: no annotated parameter (``self``/``cls`` aside) and no return
annotation. ``@overload`` stubs, tests (Django's ``tests.py`` included), migrations and samples
are left alone.

- In a pull request review (a diff is given): one finding per such function whose ``def`` line
  the diff adds, in the files it changes, so only new or re-declared functions are flagged.
- In a full review without a diff: one project-level finding when fewer than
  :data:`MIN_ANNOTATED` (50%) of at least :data:`MIN_FUNCTIONS` (10) public functions are
  annotated, naming the files with the most unannotated functions. A heuristic: the ratio says
  nothing about how precise the hints are.

## Why it matters
Without annotations neither mypy/pyright nor readers know what a function takes and returns;
refactors break callers silently, and framework features that read hints (FastAPI, pydantic,
dependency injection) cannot help (CODE-06, PEP 484).

## Example
```python
def apply_discount(order, code):
    ...
```

## Use instead
```python
def apply_discount(order: Order, code: str) -> Decimal:
    ...
```

## References
- PEP 484, Type Hints: https://peps.python.org/pep-0484/
- mypy, using mypy with an existing codebase: https://mypy.readthedocs.io/en/stable/existing_code.html
"""

from __future__ import annotations

import ast
import posixpath
from collections import Counter
from collections.abc import Iterator

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.observability._facts import in_service_dir
from checks.pyfile import PyFile

MIN_ANNOTATED = 0.5
MIN_FUNCTIONS = 10
_SKIP_FILES = frozenset({"setup.py", "conftest.py", "manage.py", "noxfile.py", "fabfile.py",
                         "conf.py"})

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def public_functions(f: PyFile) -> Iterator[tuple[FunctionNode, bool]]:
    """``(function, is_method)`` for the public functions of a module (see module docstring)."""
    for node in f.tree.body:
        if isinstance(node, _FUNCTIONS):
            if _public(node):
                yield node, False
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if isinstance(item, _FUNCTIONS) and _public(item):
                    yield item, True


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _public(fn: FunctionNode) -> bool:
    name = fn.name
    if name.startswith("_") and name != "__init__":
        return False
    return not fn.decorator_list or not any(
        (pyast.dotted(d) or "").endswith("overload") for d in fn.decorator_list)


def annotated(fn: FunctionNode, is_method: bool) -> bool:
    """True when ``fn`` has a return annotation or at least one annotated parameter; an
    ``__init__`` with no parameter besides ``self`` counts as annotated (nothing to say)."""
    if fn.returns is not None:
        return True
    a = fn.args
    params = a.posonlyargs + a.args + a.kwonlyargs if a.posonlyargs or a.kwonlyargs else a.args
    if is_method and params and not (fn.decorator_list and any(
        (pyast.dotted(d) or "") == "staticmethod" for d in fn.decorator_list
    )):
        params = params[1:]
    vararg, kwarg = a.vararg, a.kwarg
    if not params and vararg is None and kwarg is None:
        return fn.name == "__init__"
    for p in params:
        if p.annotation is not None:
            return True
    return ((vararg is not None and vararg.annotation is not None)
            or (kwarg is not None and kwarg.annotation is not None))


def _reviewed(f: PyFile) -> bool:
    base = posixpath.basename(f.path)
    return (
        not f.is_test and not f.is_migration and in_service_dir(f.path)
        and base not in _SKIP_FILES
        and not base.startswith("tests")  # Django's per-app tests.py, tests_*.py
    )


class MissingTypeHints(Detector):
    """Flags public functions without annotations (see module docstring)."""

    slug = "missing-type-hints"
    items = ("CODE-06",)

    def __init__(self) -> None:
        super().__init__()
        # path -> (line, name, is_method, annotated) of each public function, read in end_file
        # while the file's tree is fresh in memory (a second pass in finish costs more).
        self._functions: dict[str, list[tuple[int, str, bool, bool]]] = {}

    def start_file(self, ctx: FileContext) -> bool:
        return _reviewed(ctx.file)

    def end_file(self, ctx: FileContext) -> None:
        self._functions[ctx.path] = [(fn.lineno, fn.name, is_method, annotated(fn, is_method))
                                     for fn, is_method in public_functions(ctx.file)]

    def finish(self, project: Project) -> None:
        changed = project.diff.changed_paths()
        if changed:
            self._per_function(project, changed)
        else:
            self._ratio()

    def _per_function(self, project: Project, changed: list[str]) -> None:
        checked = 0
        for path in sorted(changed):
            for line, name, is_method, hinted in self._functions.get(path, ()):
                if not project.diff.is_added(path, line):
                    continue
                checked += 1
                if hinted:
                    continue
                kind = "Method" if is_method else "Function"
                self.report(
                    "CODE-06", path, line,
                    f"{kind} `{name}` has no type hints (no parameter or return annotation)",
                    "Annotate the parameters and the return type; run mypy or pyright in CI "
                    "so the hints stay true.",
                    key=f"{self.slug}:{name}",
                )
        if not self.findings:
            self.evidence("CODE-06", f"{checked} new public function(s) in the diff, all "
                                     "annotated" if checked else
                                     "no new public function in the diff")

    def _ratio(self) -> None:
        total = 0
        missing: Counter[str] = Counter()
        for path in sorted(self._functions):
            for _line, _name, _is_method, hinted in self._functions[path]:
                total += 1
                if not hinted:
                    missing[path] += 1
        bare = sum(missing.values())
        share = (total - bare) / total if total else 1.0
        if total < MIN_FUNCTIONS or share >= MIN_ANNOTATED:
            self.evidence("CODE-06", f"{total - bare} of {total} public functions annotated "
                                     f"({share:.0%})")
            return
        worst = ", ".join(f"{p} ({n})" for p, n in missing.most_common(3))
        self.report(
            "CODE-06", "", 0,
            f"Only {total - bare} of {total} public functions in service code have type hints "
            f"({share:.0%}); most unannotated: {worst}",
            "Annotate public functions, starting with the modules others import; enable mypy "
            "(or pyright) in CI, with `disallow_untyped_defs` for modules already typed.",
            key=f"{self.slug}:ratio",
        )
