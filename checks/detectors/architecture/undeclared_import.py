"""Third-party packages imported but declared in no dependency manifest.

## What it flags
Absolute imports in the project's Python code (tests, migrations, docs and examples aside) of a
top-level module that is neither the standard library (``sys.stdlib_module_names``, plus modules
removed in 3.12/3.13), nor one of the project's own packages or modules (any folder or file name
in the tree), nor provided by a declared distribution. Import names are mapped to distribution
names (``yaml`` -> PyYAML, ``jwt`` -> PyJWT, ``PIL`` -> Pillow, ``sklearn`` -> scikit-learn,
``bs4`` -> beautifulsoup4, ``rest_framework`` -> djangorestframework, ...); packages that a
declared framework always installs (``starlette`` with FastAPI, ``werkzeug`` with Flask) and
namespace packages (``google.cloud.*``) count as declared. Imports guarded by
``try/except ImportError`` or under an ``if`` (``if TYPE_CHECKING:``, a platform or a setting)
are optional and not flagged. One finding
per undeclared package, on its first import; when the project has no manifest at all, one
project-level finding instead.

## Why it matters
An undeclared dependency works on the machine where it happens to be installed and breaks in a
fresh image, a colleague's virtualenv or the next deploy; one that arrives only as a
transitive dependency disappears when the parent drops it. The manifest must say everything the
code needs (ARCH-06). Heuristic: an unusual import-to-distribution mapping may be missing.

## Example
```python
import jwt          # requirements.txt lists fastapi and sqlalchemy, not PyJWT
```

## Use instead
```text
# requirements.txt (or [project] dependencies in pyproject.toml)
pyjwt>=2.8
```

## References
- Python Packaging User Guide, declaring dependencies: https://packaging.python.org/en/latest/guides/writing-pyproject-toml/#dependencies-and-requirements
- deptry, DEP001 missing and DEP003 transitive dependencies: https://deptry.com/rules-violations/
- The Twelve-Factor App, II. Dependencies: https://12factor.net/dependencies
"""

from __future__ import annotations

import ast
import bisect

from checks.detector import Detector, FileContext, Project
from checks.detectors.architecture._dependencies import (
    IMPORT_TO_DIST,
    STDLIB,
    is_declared,
    manifests,
    normalise,
)
from checks.pyfile import PyFile

_SKIP_DIRS = frozenset({"docs", "doc", "examples", "example", ".github", "benchmarks",
                        "node_modules", "site-packages", ".venv", "venv"})
_SKIP_FILES = frozenset({"setup.py", "noxfile.py", "fabfile.py", "conftest.py", "dodo.py"})
_OPTIONAL_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception",
                              "BaseException"})


class UndeclaredImport(Detector):
    """Flags imports of third-party packages that no manifest declares."""

    slug = "undeclared-import"
    items = ("ARCH-06",)

    def __init__(self) -> None:
        super().__init__()
        self._first: dict[str, tuple[str, int, str]] = {}

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        parts = f.path.split("/")
        return not (f.is_test or f.is_migration or parts[-1] in _SKIP_FILES
                    or any(p in _SKIP_DIRS for p in parts[:-1]))

    def end_file(self, ctx: FileContext) -> None:
        f = ctx.file
        wanted: list[tuple[str, int, str]] = []
        nested = False  # an import not at column 0 may be in a guarded block
        for node in _import_statements(f):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".", 1)[0]
                    if _third_party(top):
                        wanted.append((top, node.lineno, f"import {alias.name}"))
                        nested = nested or node.col_offset > 0
            elif not node.level and node.module:
                top = node.module.split(".", 1)[0]
                if _third_party(top):
                    wanted.append((top, node.lineno, f"from {node.module} import ..."))
                    nested = nested or node.col_offset > 0
        if not wanted:
            return
        # A statement at column 0 is a module-level one: no guarded block holds its line.
        starts, ends = _guarded_spans(f) if nested else ([], [])
        for top, line, text in wanted:
            at = bisect.bisect_right(starts, line) - 1
            if at >= 0 and line <= ends[at]:
                continue
            here = self._first.get(top)
            if here is None or (ctx.path, line) < here[:2]:
                self._first[top] = (ctx.path, line, text)

    def finish(self, project: Project) -> None:
        local = _local_names(project.tree.paths)
        third_party = {top: where for top, where in self._first.items() if top not in local}
        found = manifests(project)
        if not found:
            if third_party:
                names = sorted(third_party)
                listed = ", ".join(names[:8]) + (f" and {len(names) - 8} more"
                                                 if len(names) > 8 else "")
                self.report(
                    "ARCH-06", "", 0,
                    f"the project imports {len(names)} third-party package(s) ({listed}) but "
                    "has no dependency manifest (requirements.txt, pyproject.toml, Pipfile)",
                    "Declare every dependency in pyproject.toml ([project] dependencies) or a "
                    "requirements file, and pin versions with a lock file.",
                    key="no-dependency-manifest",
                )
            else:
                self.not_applicable("ARCH-06", "no third-party imports and no manifest")
            return
        declared: set[str] = set()
        for m in found:
            declared |= m.names
        declared |= set(project.dependencies)
        where = ", ".join(sorted({m.path for m in found})[:4])
        missing = 0
        for top, (path, line, text) in sorted(third_party.items(), key=lambda kv: kv[1]):
            if is_declared(top, declared):
                continue
            missing += 1
            dist = IMPORT_TO_DIST.get(top.lower(), (normalise(top),))[0]
            self.report(
                "ARCH-06", path, line,
                f"`{text}` needs the package {top!r} (distribution {dist!r}), which no "
                f"dependency manifest declares ({where})",
                f"Declare {dist} in the project's dependencies (a dev dependency if only "
                "tooling uses it), or remove the import.",
                key=f"import:{top}",
            )
        if not missing:
            self.evidence("ARCH-06", f"all {len(third_party)} third-party packages imported are "
                                     f"declared ({where})")


def _local_names(paths: list[str]) -> set[str]:
    """Every folder and module name of the tree: any of them may be imported as top level."""
    out: set[str] = set()
    for path in paths:
        parts = path.split("/")
        out.update(parts[:-1])
        base = parts[-1]
        if base.endswith((".py", ".pyi", ".pyx", ".so", ".pyd")):
            out.add(base.split(".", 1)[0])
    return out


def _third_party(top: str) -> bool:
    return top not in STDLIB and (not top.startswith("_") or top == "_pytest")


def _import_statements(f: PyFile) -> list[ast.Import | ast.ImportFrom]:
    """The file's ``import`` and ``from ... import`` statements, in source order."""
    plain: list[ast.Import | ast.ImportFrom] = f.nodes(ast.Import)
    froms: list[ast.ImportFrom] = f.nodes(ast.ImportFrom)
    if not froms:
        return plain
    if not plain:
        return list(froms)
    return sorted([*plain, *froms], key=lambda node: (node.lineno, node.col_offset))


def _guarded_spans(f: PyFile) -> tuple[list[int], list[int]]:
    """Line spans of the statements inside ``try`` blocks that catch ImportError (or broader)
    and inside ``if`` blocks (``if TYPE_CHECKING:``, ``if sys.platform == "win32":``, ``if
    settings.USE_S3:``), both branches: an import there is optional. Overlapping spans are
    merged: the starts and ends of disjoint spans, sorted."""
    spans: list[tuple[int, int]] = []
    for branch in f.nodes(ast.If):
        spans.append((branch.body[0].lineno, branch.end_lineno or branch.lineno))
    blocks: list[ast.Try | ast.TryStar] = [*f.nodes(ast.Try), *f.nodes(ast.TryStar)]
    for block in blocks:
        if any(_catches_import_error(h) for h in block.handlers):
            spans.append((block.body[0].lineno, block.body[-1].end_lineno or block.lineno))
    spans.sort()
    starts: list[int] = []
    ends: list[int] = []
    for start, end in spans:
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for n in names:
        if isinstance(n, ast.Name) and n.id in _OPTIONAL_ERRORS:
            return True
        if isinstance(n, ast.Attribute) and n.attr in _OPTIONAL_ERRORS:
            return True
    return False


