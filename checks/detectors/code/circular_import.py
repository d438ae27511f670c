"""Import cycle between the project's own modules.

## What it flags
Cycles in the graph of module-level imports between the project's own service modules (tests
and migrations left out). Imports inside functions and under ``if TYPE_CHECKING:`` are not
edges: they do not run at import time. ``from pkg import name`` is an edge to ``pkg.name`` when
that is a module, else to ``pkg`` itself; relative imports are resolved from the importing
file's package. Each cycle (strongly connected component, found with Tarjan's algorithm) is
reported once, on the import line of its first module (by name), naming one shortest cycle
through it (``app.a -> app.b -> app.a``) and the size of the component when larger.

## Why it matters
Modules that import each other can only be loaded in one order: moving an import or adding a
new one raises ``ImportError: cannot import name ... (most likely due to a circular import)`` or
hands out half-initialised modules. The cycle also means neither module can be understood,
tested or split out alone (CODE-03, CODE-02).

## Example
```python
# app/models.py
from app.services import price_of

# app/services.py
from app.models import Order
```

## Use instead
```python
# app/services.py depends on app/models.py, never the reverse: move price_of next to Order,
# or pass it in, or import it lazily inside the one function that needs it.
```

## References
- Python import system: https://docs.python.org/3/reference/import.html
- Tarjan, "Depth-first search and linear graph algorithms", SIAM J. Computing 1(2), 1972
- import-linter: https://import-linter.readthedocs.io/
"""

from __future__ import annotations

import ast
import posixpath
from collections import deque

from checks.detector import Detector, FileContext, Project
from checks.detectors.observability._facts import in_service_dir
from checks.pyfile import PyFile


def module_names(files: list[PyFile], paths: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """``(name -> path, path -> display name)`` for the project's modules.

    A file is known by its path-derived name (``src/app/a.py`` -> ``src.app.a``), by that name
    without a leading ``src.``, and by its name from the top of its package (the highest folder
    chain holding ``__init__.py``), so absolute imports resolve whatever the layout.
    """
    inits = {posixpath.dirname(p) for p in paths
             if p.endswith("__init__.py") and posixpath.basename(p) == "__init__.py"}
    roots: dict[str, str] = {}  # package folder -> the folder holding its top package
    names: dict[str, str] = {}
    display: dict[str, str] = {}
    for f in files:
        full = f.module_name
        candidates = [full]
        if full.startswith("src."):
            candidates.append(full[4:])
        folder = posixpath.dirname(f.path)
        if folder in inits:
            root = roots.get(folder)
            if root is None:
                top = folder
                while top and posixpath.dirname(top) in inits:
                    top = posixpath.dirname(top)
                root = roots[folder] = posixpath.dirname(top)
            stem = (f.path[len(root) + 1:] if root else f.path)[:-3]
            if posixpath.basename(stem) == "__init__":
                stem = posixpath.dirname(stem)
            candidates.append(stem.replace("/", "."))
        for name in candidates:
            if name:
                names.setdefault(name, f.path)
        display[f.path] = candidates[-1] or full
    return names, display


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


# Statements module_level_imports looks at or into; any other statement holds no import that
# runs at import time (functions and classes run theirs later, if ever).
_MODULE_LEVEL = frozenset({ast.Import, ast.ImportFrom, ast.If, ast.Try, ast.TryStar, ast.With,
                           ast.AsyncWith})


def module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: at module level, also inside ``if``,
    ``try`` and ``with`` blocks, but not in functions, classes or ``if TYPE_CHECKING:``."""
    out: list[ast.Import | ast.ImportFrom] = []
    wanted = _MODULE_LEVEL
    stack: list[ast.stmt] = list(reversed(tree.body))
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        if node.__class__ not in wanted:
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append(node)
        elif isinstance(node, ast.If):
            body = [] if _type_checking(node.test) else node.body
            extend(reversed([*body, *node.orelse]))
        elif isinstance(node, ast.Try | ast.TryStar):
            inner = [*node.body, *[s for h in node.handlers for s in h.body], *node.orelse,
                     *node.finalbody]
            extend(reversed(inner))
        elif isinstance(node, ast.With | ast.AsyncWith):
            extend(reversed(node.body))
    out.sort(key=lambda n: n.lineno)
    return out


def import_candidates(node: ast.Import | ast.ImportFrom, f: PyFile,
                      package: str | None = None) -> list[tuple[str, ...]]:
    """For each name an import statement loads, the module names it may stand for, most
    specific first: the first that is a project module is the edge (``import a.b.c``:
    ``a.b.c``, ``a.b``, ``a``; ``from pkg import name``: ``pkg.name``, ``pkg``). ``package``
    is :func:`package_of` ``f``, when the caller has it already."""
    out: list[tuple[str, ...]] = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            name = alias.name
            if "." not in name:
                out.append((name,))
                continue
            parts = name.split(".")
            out.append(tuple(".".join(parts[:i]) for i in range(len(parts), 0, -1)))
        return out
    if node.level:
        if package is None:
            package = package_of(f)
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = ".".join(p for p in (package, node.module or "") if p)
    else:
        base = node.module or ""
    for alias in node.names:
        if alias.name == "*":
            out.append((base,))
        else:
            out.append((f"{base}.{alias.name}" if base else alias.name, base))
    return out


def package_of(f: PyFile) -> str:
    """The package a relative import of ``f`` starts from: its own name for an
    ``__init__.py``, else the name of its folder's package."""
    package = f.module_name
    if posixpath.basename(f.path) != "__init__.py":
        package = package.rpartition(".")[0]
    return package


def strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (no recursion limit on deep graphs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            succ = graph.get(node, [])
            if i < len(succ):
                work.append((node, i + 1))
                nxt = succ[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def shortest_cycle(start: str, graph: dict[str, list[str]], members: set[str]) -> list[str]:
    """A shortest cycle from ``start`` back to itself within ``members`` (breadth first)."""
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph.get(node, []):
            if nxt not in members:
                continue
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return [start, start]


class CircularImport(Detector):
    """Flags import cycles between project modules (see module docstring)."""

    slug = "circular-import"
    items = ("CODE-03",)

    def __init__(self) -> None:
        super().__init__()
        # path -> (line, import candidates) of each module-level import, read in end_file
        # while the file's tree is fresh in memory.
        self._imports: dict[str, list[tuple[int, list[tuple[str, ...]]]]] = {}

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        return not f.is_test and not f.is_migration and in_service_dir(f.path)

    def end_file(self, ctx: FileContext) -> None:
        f = ctx.file
        found = module_level_imports(f.tree)
        package = package_of(f) if any(n.level for n in found if isinstance(n, ast.ImportFrom)) \
            else None
        self._imports[f.path] = [(node.lineno, import_candidates(node, f, package))
                                 for node in found]

    def finish(self, project: Project) -> None:
        files = [f for f in project.service_files() if in_service_dir(f.path)]
        names, display = module_names(files, project.tree.paths)
        graph: dict[str, list[str]] = {f.path: [] for f in files}
        first_line: dict[tuple[str, str], int] = {}
        for f in files:
            path = f.path
            edges = graph[path]
            for line, candidates in self._imports.get(path, ()):
                for options in candidates:
                    for name in options:  # the most specific project module it stands for
                        if name in names:
                            dest = names[name]
                            break
                    else:
                        continue
                    if dest == path:
                        continue
                    if (path, dest) not in first_line:
                        first_line[(path, dest)] = line
                        edges.append(dest)
        cycles = 0
        for component in strongly_connected(graph):
            if len(component) < 2:
                continue
            cycles += 1
            members = set(component)
            start = min(component, key=lambda p: display[p])
            cycle = shortest_cycle(start, graph, members)
            shown = " -> ".join(display[p] for p in cycle)
            extra = (f" ({len(component)} modules are mutually dependent)"
                     if len(component) > len(cycle) - 1 else "")
            self.report(
                "CODE-03", start, first_line[(cycle[0], cycle[1])],
                f"Import cycle: {shown}{extra}",
                "Break the cycle: move the shared code into a module both can import, invert "
                "the dependency (pass it in), or import inside the one function that needs it.",
                key=f"{self.slug}:{','.join(sorted(display[p] for p in component))}",
            )
        if not cycles:
            self.evidence("CODE-03", f"no import cycle among {len(files)} service modules")
