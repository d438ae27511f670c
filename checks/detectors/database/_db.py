"""Facts about a project's database use, shared by the database and scalability detectors."""

from __future__ import annotations

import ast
import bisect
import operator
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from checks.detector import Project
from checks.pyfile import PyFile

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

DATABASE_LIBRARIES = (
    "sqlalchemy", "sqlmodel", "flask_sqlalchemy", "django", "psycopg2", "psycopg", "asyncpg",
    "pymysql", "MySQLdb", "mysqlclient", "mysql", "aiomysql", "aiosqlite", "sqlite3", "peewee",
    "tortoise", "pony", "databases", "piccolo", "ormar", "pymongo", "motor", "mongoengine",
    "beanie", "odmantic", "cassandra", "edgedb", "records", "dataset",
)
"""Import (or distribution) names of database drivers and ORMs."""

ENGINES = frozenset(
    {"sqlalchemy.create_engine", "sqlalchemy.engine.create_engine",
     "sqlalchemy.ext.asyncio.create_async_engine", "sqlmodel.create_engine"}
)
"""Calls that create a SQLAlchemy engine (and with it a connection pool)."""

ENGINE_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in ENGINES)
"""Last parts of :data:`ENGINES`: a file that spells none of them creates no engine."""

_DEPLOY_SUFFIXES = (".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf", ".tf", ".env.example",
                    ".dockerfile")
_SERVERLESS_FILES = ("serverless.yml", "serverless.yaml", "template.yaml", "zappa_settings.json")

_ONE_OFF_FILES = frozenset({"cli.py", "__main__.py", "manage.py", "setup.py", "noxfile.py",
                            "fabfile.py", "conftest.py"})
_CLI_MODULES = ("argparse", "click", "typer", "fire", "docopt")

SKIPPED_DIRS = frozenset({"scripts", "bin", "tools", "examples", "docs", "benchmarks"})
"""Folders of one-off code whose queries do not run per request."""


def database_library(project: Project) -> str | None:
    """The first database library the project uses, or None when it uses none."""
    for name in DATABASE_LIBRARIES:
        if project.uses(name):
            return name
    return None


def no_database_reason() -> str:
    """The ``not_applicable`` reason shared by every database item."""
    return "no database driver or ORM is imported or declared as a dependency"


def is_one_off(f: PyFile) -> bool:
    """True for code that does not serve requests: scripts, management commands, command-line
    modules (``argparse``/``click``/``typer``), ``manage.py`` and friends."""
    parts = f.path.split("/")
    return (
        any(p in SKIPPED_DIRS for p in parts[:-1])
        or "management" in parts[:-1]
        or parts[-1] in _ONE_OFF_FILES
        or imports_any(f, *_CLI_MODULES)
    )


def is_migration(f: PyFile) -> bool:
    """Migrations: the engine's rule plus any module that imports Alembic (``env.py`` and
    revision scripts kept in a folder of another name, such as ``revisions/``)."""
    return f.is_migration or imports_any(f, "alembic")


def external_pooling(project: Project) -> str | None:
    """What pools connections outside the app, if anything: PgBouncer named in a deployment
    file, or a serverless deployment (one request per process)."""
    if project.uses("mangum", "aws_lambda_powertools"):
        return "AWS Lambda (one request per process)"
    for name in _SERVERLESS_FILES:
        if project.tree.glob_names(name):
            return f"a serverless deployment ({name})"
    for path, data in project.tree.files.items():
        name = path.rsplit("/", 1)[-1].lower()
        if (name.endswith(_DEPLOY_SUFFIXES) or name.startswith(("dockerfile", "procfile"))) and (
            b"pgbouncer" in data.lower()
        ):
            return f"PgBouncer (mentioned in {path})"
    return None


def is_test(f: PyFile) -> bool:
    """Test code: the engine's rule (``tests/``, ``test_*.py``...) plus Django's ``tests.py``
    modules, which the startapp template creates in every app."""
    return f.is_test or f.path.rsplit("/", 1)[-1] == "tests.py"


def service_files(project: Project) -> list[PyFile]:
    """Python files that are neither tests (see :func:`is_test`) nor migrations (see
    :func:`is_migration`); computed once per review (callers must not change the list)."""
    return project.memo("db.service_files", lambda: [
        f for f in project.service_files() if not is_test(f) and not is_migration(f)
    ])


def mentions(f: PyFile, *words: str) -> bool:
    """True when the source of ``f`` contains one of ``words``: an exact pre-filter before
    any tree work, since every name in the tree (``Name``, attribute, import) is spelled in
    the source. Non-ASCII sources are searched after NFKC normalisation, as the parser
    normalises identifiers that way (PEP 3131). Each word is searched once per file."""
    found: dict[str, bool] | None = f.memo.get("db.words")
    if found is None:
        found = f.memo["db.words"] = {}
        text = f.text if f.text.isascii() else unicodedata.normalize("NFKC", f.text)
        f.memo["db.text"] = text
    for w in words:
        hit = found.get(w)
        if hit is None:
            hit = found[w] = w in f.memo["db.text"]
        if hit:
            return True
    return False


def imports_any(f: PyFile, *prefixes: str) -> bool:
    """:meth:`PyFile.imports_module`, memoised per file and prefixes (several detectors ask
    the same question of every file)."""
    known: dict[tuple[str, ...], bool] = f.memo.setdefault("db.imports", {})
    hit = known.get(prefixes)
    if hit is None:
        hit = known[prefixes] = f.imports_module(*prefixes)
    return hit


def segment_mentions(f: PyFile, node: ast.stmt, *words: str) -> bool:
    """:func:`mentions` limited to the lines of ``node`` (a function, say)."""
    lines: list[str] | None = f.memo.get("db.lines")
    if lines is None:
        lines = f.memo["db.lines"] = f.text.split("\n")  # the parser's own line numbers
    text = "\n".join(lines[node.lineno - 1:node.end_lineno or node.lineno])
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return any(w in text for w in words)


def functions(f: PyFile) -> list[FunctionNode]:
    """Every ``def`` and ``async def`` of ``f``, nested ones included, in source order;
    listed once per file and shared (callers must not change the list)."""
    found: list[FunctionNode] | None = f.memo.get("db.functions")
    if found is None:
        plain: list[FunctionNode] = f.nodes(ast.FunctionDef)
        coros: list[FunctionNode] = f.nodes(ast.AsyncFunctionDef)
        # Each list is already in source order: sort only when both kinds are there.
        found = (f.nodes(ast.FunctionDef, ast.AsyncFunctionDef) if plain and coros
                 else plain or coros)
        f.memo["db.functions"] = found
    return found


def module_statements(f: PyFile, *kinds: type[ast.stmt]) -> list[ast.stmt]:
    """The module's own statements (``f.tree.body``) of exactly these classes, in source
    order (callers must not change the list). The statements are sorted by class once per
    file: several project-wide facts (functions, classes, settings, bases) each read one or
    two kinds of statement of every file, and touching only those is cheaper than each
    walking all of them."""
    by_kind: dict[type[ast.stmt], list[ast.stmt]] | None = f.memo.get("db.module_statements")
    if by_kind is None:
        by_kind = {}
        for stmt in f.tree.body:
            found = by_kind.get(stmt.__class__)
            if found is None:
                by_kind[stmt.__class__] = [stmt]
            else:
                found.append(stmt)
        f.memo["db.module_statements"] = by_kind
    if len(kinds) == 1:
        return by_kind.get(kinds[0], [])
    present = [by_kind[k] for k in kinds if k in by_kind]
    if len(present) < 2:
        return present[0] if present else []
    out = [stmt for group in present for stmt in group]
    out.sort(key=_POSITION)
    return out


def decorated_functions(f: PyFile) -> list[FunctionNode]:
    """The functions of :func:`functions` that have a decorator, in source order; listed once
    per file and shared (callers must not change the list)."""
    found: list[FunctionNode] | None = f.memo.get("db.decorated")
    if found is None:
        found = f.memo["db.decorated"] = [fn for fn in functions(f) if fn.decorator_list]
    return found


def in_walk_order[N: ast.AST](f: PyFile, nodes: Sequence[N]) -> list[N]:
    """``nodes`` of ``f`` in the order ``ast.walk(f.tree)`` yields them (breadth first), for
    results that keep the first match of such a walk. Only the top-level statements that
    hold one of the nodes are walked: breadth-first order is (depth, top-level statement,
    order within that statement at that depth)."""
    if len(nodes) < 2:
        return list(nodes)
    body = f.tree.body
    starts = [_start(stmt) for stmt in body]
    wanted = {id(n): n for n in nodes}
    tops = sorted({max(bisect.bisect_right(starts, _start(n)) - 1, 0) for n in nodes})
    keyed: list[tuple[tuple[int, int, int], N]] = []
    for top in tops:
        level: list[ast.AST] = [body[top]]
        depth = rank = 0
        while level:
            depth += 1
            below: list[ast.AST] = []
            for node in level:
                hit = wanted.get(id(node))
                if hit is not None:
                    keyed.append(((depth, top, rank), hit))
                rank += 1
                below.extend(ast.iter_child_nodes(node))
            level = below
    if len(keyed) != len(wanted):  # never seen: a node outside the statement it was placed in
        order = {id(n): i for i, n in enumerate(ast.walk(f.tree))}
        return sorted(nodes, key=lambda n: order[id(n)])
    keyed.sort(key=lambda pair: pair[0])
    return [n for _, n in keyed]


def _end(node: ast.AST) -> tuple[int, int]:
    """Where ``node`` ends in the source."""
    line = getattr(node, "end_lineno", None) or getattr(node, "lineno", 0)
    col = getattr(node, "end_col_offset", None) or 0
    return (int(line or 0), int(col))


def _start(node: ast.AST) -> tuple[int, int]:
    """Where ``node`` starts in the source, decorators included."""
    start = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
    for d in getattr(node, "decorator_list", ()):
        start = min(start, (d.lineno, d.col_offset))
    return start


_Position = tuple[int, int]
_POSITION = operator.attrgetter("lineno", "col_offset")
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def scope_nodes(f: PyFile, fn: FunctionNode, *types: type[ast.stmt | ast.expr]
                ) -> list[ast.AST]:
    """The nodes of ``types`` that ``walk_scope(fn.body)`` yields (``fn``'s own body, nested
    functions, lambdas and classes left out), in source order, read from the file's node
    index by position instead of walking the function: call it after the file's traversal."""
    if not fn.body:
        return []
    lo, hi = _start(fn.body[0]), _end(fn)
    spans = [(_start(node), _end(node)) for kind in _SCOPES for node in _run(f, kind, lo, hi)]
    return _outside(f, types, lo, hi, spans)


def function_nodes(f: PyFile, fn: FunctionNode, *types: type[ast.stmt | ast.expr]
                   ) -> list[ast.AST]:
    """The nodes of ``types`` whose innermost enclosing function or lambda is ``fn``, as
    ``FileContext.function`` has it during the traversal: ``fn``'s body, nested classes
    included, and the decorators, parameters and return annotations of nested functions (they
    belong to the scope around them), without the bodies of nested functions and lambdas. In
    source order, read from the file's node index: call it after the file's traversal."""
    if not fn.body:
        return []
    lo, hi = _start(fn.body[0]), _end(fn)
    spans: list[tuple[_Position, _Position]] = []
    for kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda):
        for node in _run(f, kind, lo, hi):
            body = node.body  # type: ignore[attr-defined]
            if isinstance(body, list):
                if body:
                    spans.append((_start(body[0]), _end(node)))
            else:  # a lambda's expression
                spans.append((_start(body), _end(node)))
    return _outside(f, types, lo, hi, spans)


def _run(f: PyFile, kind: type[ast.AST], lo: _Position, hi: _Position) -> list[ast.AST]:
    """The nodes of ``kind`` that start within ``lo``..``hi``, the body of a function of ``f``.

    The traversal lists a function's nodes together, after every node that starts before its
    body and before every node that starts after it (it visits a comprehension's first iterable
    before its element, but a comprehension holds no statement): so, whatever the order within
    the body, "starts before ``lo``" and "starts before or at ``hi``" each hold for a prefix of
    the file's list of any kind, and two bisections find the run."""
    nodes = f.nodes(kind)
    start = _start if "decorator_list" in kind._fields else _POSITION
    first = bisect.bisect_left(nodes, lo, key=start)
    return nodes[first:bisect.bisect_right(nodes, hi, lo=first, key=start)]


def _outside(f: PyFile, types: tuple[type[ast.stmt | ast.expr], ...], lo: _Position,
             hi: _Position, spans: list[tuple[_Position, _Position]]) -> list[ast.AST]:
    """The nodes of ``types`` that start within ``lo``..``hi`` and in none of ``spans`` (nested
    scopes, in any order), in source order."""
    spans.sort(key=lambda span: span[0])
    starts: list[_Position] = []
    ends: list[_Position] = []
    for span_start, span_end in spans:  # the outermost ones: the others are inside them
        if not ends or span_start > ends[-1]:
            starts.append(span_start)
            ends.append(span_end)
    out: list[tuple[_Position, ast.AST]] = []
    for kind in types:
        start = _start if "decorator_list" in kind._fields else _POSITION
        for node in _run(f, kind, lo, hi):
            where = start(node)
            at = bisect.bisect_right(starts, where) - 1
            if at < 0 or where > ends[at]:
                out.append((where, node))
    out.sort(key=lambda pair: pair[0])
    return [node for _where, node in out]


def walk_scope(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node under ``nodes`` without entering nested functions, lambdas or classes."""
    stack = list(nodes)
    stack.reverse()
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        children = list(ast.iter_child_nodes(node))
        children.reverse()
        stack.extend(children)
