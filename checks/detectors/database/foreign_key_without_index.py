"""SQLAlchemy foreign key column declared without an index.

## What it flags
A column that references another table and is not indexed:

- ``Column(ForeignKey("user.id"))`` / ``mapped_column(ForeignKey("user.id"))`` in a declarative
  class or a ``Table(...)``, without ``index=True``, ``unique=True`` or ``primary_key=True``;
- a SQLModel ``Field(foreign_key="user.id")`` without ``index=True`` / ``unique=True`` /
  ``primary_key=True``;

unless an ``Index``, ``UniqueConstraint`` or ``PrimaryKeyConstraint`` of the same class or
table (in ``__table_args__``, the ``Table(...)`` call, or at module level) starts with that
column, or an Alembic migration creates one (``op.create_index(name, table, [column, ...])``,
``op.create_unique_constraint``, an indexed column in ``op.create_table`` or
``op.add_column``). Projects that only use MySQL drivers are skipped: InnoDB indexes foreign
keys itself. Django is not checked: its ``ForeignKey`` creates an index unless
``db_index=False``.

## Why it matters
PostgreSQL (and SQLite) create no index for the referencing side of a foreign key. Every join
from the parent, every ``WHERE owner_id = ...`` and every ``ON DELETE`` check on the parent then
scans the whole child table: fine with a thousand rows, a production incident with ten
million.

## Example
```python
class Item(Base):
    __tablename__ = "item"
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
```

## Use instead
```python
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
```
or ``__table_args__ = (Index("ix_item_owner_id_created", "owner_id", "created"),)`` when a
composite index serves the queries.

## References
- PostgreSQL, Foreign Keys ("declaration of a foreign key constraint does not automatically
  create an index on the referencing columns"):
  https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK
- SQLAlchemy, Column.index: https://docs.sqlalchemy.org/en/20/core/metadata.html#sqlalchemy.schema.Column.params.index
- SQLModel, Indexes: https://sqlmodel.tiangolo.com/tutorial/indexes/
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from checks.detector import Detector, FileContext, Project
from checks.detectors.database._db import (
    database_library,
    is_migration,
    is_test,
    mentions,
    no_database_reason,
)
from checks.pyast import argument, call_name, called_last, const_str, dotted, is_true, keyword
from checks.pyfile import PyFile

_COLUMN_CALLS = frozenset({"Column", "mapped_column"})
_LEADING = frozenset({"Index", "UniqueConstraint", "PrimaryKeyConstraint"})
_MYSQL = ("pymysql", "mysqlclient", "MySQLdb", "aiomysql", "mysql-connector-python", "asyncmy")
_POSTGRES_OR_SQLITE = ("psycopg2", "psycopg", "psycopg2-binary", "asyncpg", "pg8000",
                       "aiosqlite", "sqlite3")


class ForeignKeyWithoutIndex(Detector):
    """Flags SQLAlchemy/SQLModel foreign key columns without an index (see module docstring)."""

    slug = "foreign-key-without-index"
    items = ("DB-03",)

    def __init__(self) -> None:
        super().__init__()
        self._candidates: list[_Candidate] = []
        self._indexed = 0
        self._skip = False

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        self._skip = is_test(f) or is_migration(f) or not f.imports_module("sqlalchemy",
                                                                         "sqlmodel")
        return not self._skip

    def end_file(self, ctx: FileContext) -> None:
        # After the traversal, so that the file's node index is there (in start_file it would
        # cost a walk of its own).
        f = ctx.file
        calls = f.nodes(ast.Call)
        module_leading = _leading_of(calls, f)
        for cls in f.nodes(ast.ClassDef):
            self._class(cls, f, module_leading)
        for call in calls:
            if called_last(call, f) == "Table" and _last(call, f) == "Table":
                self._table(call, f, module_leading)

    def _class(self, cls: ast.ClassDef, f: PyFile, module_leading: set[str]) -> None:
        table_args: list[ast.AST] = []
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__table_args__" for t in stmt.targets
            ):
                table_args.append(stmt.value)
        leading = module_leading | _leading_columns(table_args, f)
        table = None
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__tablename__" for t in stmt.targets
            ):
                table = const_str(stmt.value)
        for stmt in cls.body:
            if not isinstance(stmt, ast.Assign | ast.AnnAssign) or not isinstance(
                stmt.value, ast.Call
            ):
                continue
            target = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
            if not isinstance(target, ast.Name):
                continue
            self._column(stmt.value, target.id, leading, f, f"`{cls.name}.{target.id}`", table)

    def _table(self, call: ast.Call, f: PyFile, module_leading: set[str]) -> None:
        leading = module_leading | _leading_columns(call.args, f)
        name = const_str(call.args[0]) if call.args else None
        for arg in call.args[1:]:
            if isinstance(arg, ast.Call) and _last(arg, f) == "Column" and arg.args:
                col = const_str(arg.args[0])
                if col:
                    self._column(arg, col, leading, f, f"`{name or 'table'}.{col}`", name)

    def _column(self, call: ast.Call, attr: str, leading: set[str], f: PyFile,
                label: str, table: str | None) -> None:
        last = _last(call, f)
        if last in _COLUMN_CALLS:
            fk = next((a for a in call.args if isinstance(a, ast.Call)
                       and _last(a, f) == "ForeignKey"), None)
            if fk is None:
                return
            ref = (const_str(fk.args[0]) or ast.unparse(fk.args[0])) if fk.args else None
            column = const_str(call.args[0]) if call.args else None
        elif last == "Field":
            ref = const_str(keyword(call, "foreign_key"))
            if ref is None:
                return
            column = None
        else:
            return
        if any(is_true(keyword(call, k)) for k in ("index", "unique", "primary_key")):
            self._indexed += 1
            return
        if attr in leading or (column and column in leading):
            self._indexed += 1
            return
        if keyword(call, "index") is not None:
            return  # index=False is a decision; index=<expression> cannot be read
        self._candidates.append(_Candidate(f.path, call.lineno, call.end_lineno or call.lineno,
                                           label, ref or "?", table, column or attr))

    def finish(self, project: Project) -> None:
        if database_library(project) is None:
            self.not_applicable("DB-03", no_database_reason())
            return
        if project.uses(*_MYSQL) and not project.uses(*_POSTGRES_OR_SQLITE):
            self.not_applicable("DB-03", "MySQL only: InnoDB indexes foreign key columns itself")
            return
        migrated = _migration_indexes(project)
        migrated_columns = {col for _, col in migrated}
        flagged = 0
        for c in self._candidates:
            if (c.table, c.column) in migrated or (c.table is None
                                                   and c.column in migrated_columns):
                self._indexed += 1
                continue
            flagged += 1
            self.report(
                "DB-03", c.path, c.line,
                f"foreign key column {c.label} (-> `{c.ref}`) has no index: PostgreSQL does not "
                "index the referencing side",
                "Add `index=True` to the column, or an Index in __table_args__ that starts "
                "with this column.",
                end_line=c.end_line,
            )
        if not flagged and self._indexed:
            self.evidence("DB-03", f"{self._indexed} foreign key columns, all indexed")
        if not self._candidates and not self._indexed and project.uses("django"):
            self.evidence("DB-03", "Django ForeignKey fields are indexed unless db_index=False")


@dataclass(frozen=True, slots=True)
class _Candidate:
    path: str
    line: int
    end_line: int
    label: str
    ref: str
    table: str | None
    column: str


def _migration_indexes(project: Project) -> set[tuple[str | None, str]]:
    """``(table, first column)`` of indexes and constraints that migrations create:
    ``op.create_index(name, table, [cols])``, ``op.create_unique_constraint``,
    ``op.create_primary_key``, and ``sa.Column(name, ..., index=True)`` inside
    ``op.create_table(table, ...)`` / ``op.add_column(table, ...)``."""
    out: set[tuple[str | None, str]] = set()
    for f in project.python.values():
        if not is_migration(f) or not mentions(f, "create_", "add_column"):
            continue
        for node in f.nodes(ast.Call):
            if not isinstance(node.func, ast.Attribute):
                continue
            method = node.func.attr
            if method in ("create_index", "create_unique_constraint", "create_primary_key"):
                table = const_str(argument(node, 1, "table_name"))
                cols = argument(node, 2, "columns")
                if isinstance(cols, ast.List | ast.Tuple) and cols.elts:
                    first = const_str(cols.elts[0])
                    if first:
                        out.add((table, first))
            elif method in ("create_table", "add_column"):
                table = const_str(node.args[0]) if node.args else None
                for arg in node.args[1:]:
                    if isinstance(arg, ast.Call) and arg.args and any(
                        is_true(keyword(arg, k)) for k in ("index", "unique", "primary_key")
                    ):
                        col = const_str(arg.args[0])
                        if col:
                            out.add((table, col))
    return out


def _last(call: ast.Call, f: PyFile) -> str:
    name = call_name(call, f) or ""
    return name.rsplit(".", 1)[-1]


def _leading_columns(nodes: list[ast.AST] | list[ast.stmt] | list[ast.expr],
                     f: PyFile) -> set[str]:
    """First column names of Index / UniqueConstraint / PrimaryKeyConstraint calls."""
    return _leading_of([node for root in nodes for node in ast.walk(root)
                        if isinstance(node, ast.Call)], f)


def _leading_of(calls: list[ast.Call], f: PyFile) -> set[str]:
    """First column names of the Index / UniqueConstraint / PrimaryKeyConstraint ``calls``."""
    out: set[str] = set()
    for node in calls:
        if called_last(node, f) not in _LEADING:
            continue  # cheaply: its last name is the one _last gives, when there is one
        last = _last(node, f)
        if last not in _LEADING:
            continue
        cols = node.args[1:] if last == "Index" else node.args
        if not cols:
            continue
        first = cols[0]
        text = const_str(first)
        if text:
            out.add(text)
            continue
        name = dotted(first)
        if name:
            out.add(name.rsplit(".", 1)[-1])
    return out
