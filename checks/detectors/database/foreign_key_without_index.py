"""SQLAlchemy foreign key column declared without an index.

## What it flags
A column that references another table and is not indexed:

- ``Column(ForeignKey("user.id"))`` / ``mapped_column(ForeignKey("user.id"))`` in a declarative
  class or a ``Table(...)``, without ``index=True``, ``unique=True`` or ``primary_key=True``;
- a SQLModel ``Field(foreign_key="user.id")`` without ``index=True`` / ``unique=True`` /
  ``primary_key=True``;

unless an ``Index``, ``UniqueConstraint`` or ``PrimaryKeyConstraint`` of the same class or
table (in ``__table_args__``, the ``Table(...)`` call, or at module level) starts with that
column. Projects that only use MySQL drivers are skipped: InnoDB indexes foreign keys itself.
Django is not checked: its ``ForeignKey`` creates an index unless ``db_index=False``.

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

from checks.detector import Detector, FileContext, Project
from checks.pyast import call_name, const_str, dotted, is_true, keyword
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
        self._candidates: list[tuple[str, int, int, str, str]] = []
        self._indexed = 0
        self._skip = False

    def start_file(self, ctx: FileContext) -> None:
        f = ctx.file
        self._skip = f.is_test or f.is_migration or not f.imports_module("sqlalchemy",
                                                                         "sqlmodel")
        if self._skip:
            return
        module_leading = _leading_columns(f.tree.body, f)
        for node in ast.walk(f.tree):
            if isinstance(node, ast.ClassDef):
                self._class(node, f, module_leading)
            elif isinstance(node, ast.Call) and _last(node, f) == "Table":
                self._table(node, f, module_leading)

    def _class(self, cls: ast.ClassDef, f: PyFile, module_leading: set[str]) -> None:
        table_args: list[ast.AST] = []
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__table_args__" for t in stmt.targets
            ):
                table_args.append(stmt.value)
        leading = module_leading | _leading_columns(table_args, f)
        for stmt in cls.body:
            if not isinstance(stmt, ast.Assign | ast.AnnAssign) or not isinstance(
                stmt.value, ast.Call
            ):
                continue
            target = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
            if not isinstance(target, ast.Name):
                continue
            self._column(stmt.value, target.id, leading, f, f"`{cls.name}.{target.id}`")

    def _table(self, call: ast.Call, f: PyFile, module_leading: set[str]) -> None:
        leading = module_leading | _leading_columns(call.args, f)
        name = const_str(call.args[0]) if call.args else None
        for arg in call.args[1:]:
            if isinstance(arg, ast.Call) and _last(arg, f) == "Column" and arg.args:
                col = const_str(arg.args[0])
                if col:
                    self._column(arg, col, leading, f, f"`{name or 'table'}.{col}`")

    def _column(self, call: ast.Call, attr: str, leading: set[str], f: PyFile,
                label: str) -> None:
        last = _last(call, f)
        if last in _COLUMN_CALLS:
            fk = next((a for a in call.args if isinstance(a, ast.Call)
                       and _last(a, f) == "ForeignKey"), None)
            if fk is None:
                return
            ref = const_str(fk.args[0]) if fk.args else None
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
        line = call.lineno
        self._candidates.append((f.path, line, call.end_lineno or line, label, ref or "?"))

    def finish(self, project: Project) -> None:
        if project.uses(*_MYSQL) and not project.uses(*_POSTGRES_OR_SQLITE):
            self.not_applicable("DB-03", "MySQL only: InnoDB indexes foreign key columns itself")
            return
        for path, line, end, label, ref in self._candidates:
            self.report(
                "DB-03", path, line,
                f"foreign key column {label} (-> `{ref}`) has no index: PostgreSQL does not "
                "index the referencing side",
                "Add `index=True` to the column, or an Index in __table_args__ that starts "
                "with this column.",
                end_line=end,
            )
        if not self._candidates and self._indexed:
            self.evidence("DB-03", f"{self._indexed} foreign key columns, all indexed")


def _last(call: ast.Call, f: PyFile) -> str:
    name = call_name(call, f) or ""
    return name.rsplit(".", 1)[-1]


def _leading_columns(nodes: list[ast.AST] | list[ast.stmt] | list[ast.expr],
                     f: PyFile) -> set[str]:
    """First column names of Index / UniqueConstraint / PrimaryKeyConstraint calls."""
    out: set[str] = set()
    for root in nodes:
        for node in ast.walk(root):
            if not (isinstance(node, ast.Call) and _last(node, f) in _LEADING):
                continue
            cols = node.args[1:] if _last(node, f) == "Index" else node.args
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
