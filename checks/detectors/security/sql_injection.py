"""SQL built from run-time values by string formatting.

## What it flags
A query string built with an f-string placeholder, ``%``, ``+`` or ``.format()`` from a value that
is not a constant, passed (directly, or through a variable assigned in the same function) to:

- a DB-API or driver call: ``execute``, ``executemany``, ``executescript``, ``mogrify``
  (sqlite3, psycopg/psycopg2, pymysql, mysqlclient), asyncpg ``fetch``/``fetchrow``/``fetchval``/
  ``execute``, SQLAlchemy ``session.execute``/``conn.execute``/``exec_driver_sql``, pandas
  ``read_sql``;
- SQLAlchemy ``text()``, Django ``Manager.raw()``, ``QuerySet.extra()`` and ``RawSQL``.

For method names that other libraries also use (``execute``, ``fetch``, ``raw``), the literal
parts of the string must read as SQL (``SELECT ... FROM``, ``INSERT INTO``, ``WHERE`` ...).
Parameterized queries (``execute("... WHERE id = %s", (x,))``, ``text("... = :id")``) and
strings built from constants only (including ``", ".join("?" * len(ids))`` placeholder lists and
``int(...)`` values) are not flagged. Tests are skipped.

## Why it matters
Formatting a value into SQL lets whoever controls the value change the statement: read other
users' rows, bypass a login, drop tables. Drivers send parameters separately from the SQL text,
so a parameterized query cannot be rewritten by its data.

## Example
```python
def find_user(cur, name):
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
```

## Use instead
```python
def find_user(cur, name):
    cur.execute("SELECT * FROM users WHERE name = %s", (name,))

session.execute(text("SELECT * FROM users WHERE name = :name"), {"name": name})
User.objects.raw("SELECT * FROM app_user WHERE name = %s", [name])
```
Identifiers (table or column names) cannot be parameters: choose them from a fixed allow-list,
or quote them with ``psycopg.sql.Identifier``.

## References
- CWE-89, SQL Injection: https://cwe.mitre.org/data/definitions/89.html
- OWASP SQL Injection Prevention Cheat Sheet:
  https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html
- PEP 249, parameter styles: https://peps.python.org/pep-0249/#paramstyle
- Django, performing raw SQL queries: https://docs.djangoproject.com/en/stable/topics/db/sql/
"""

from __future__ import annotations

import ast
import re

from checks import pyast
from checks.detector import Detector, FileContext
from checks.detectors.security._common import (
    Bindings,
    Scopes,
    assigned_values,
    is_built_string,
    string_fragments,
)
from checks.model import Severity

# Calls that only ever take SQL: flagged whatever the text reads like.
_SQL_CALLS = frozenset(
    {
        "sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text",
        "sqlmodel.text", "django.db.models.expressions.RawSQL", "django.db.models.RawSQL",
        "pandas.read_sql", "pandas.read_sql_query",
    }
)
_SQL_METHODS = frozenset({"executescript", "mogrify", "exec_driver_sql"})
# Method names shared with other libraries: the text must read as SQL.
_MAYBE_SQL_METHODS = frozenset(
    {"execute", "executemany", "fetch", "fetchrow", "fetchval", "fetchmany", "raw", "read_sql",
     "read_sql_query", "query", "copy_expert"}
)
_QUERY_KEYWORDS = ("sql", "query", "operation", "statement", "stmt")
_SQL_SHAPE = re.compile(
    r"\bselect\b[\s\S]*\bfrom\b|\binsert\s+(?:or\s+\w+\s+)?into\b|\bupdate\b[\s\S]*\bset\b"
    r"|\bdelete\s+from\b|\breplace\s+into\b|\b(?:create|drop|alter|truncate)\s+(?:table|index"
    r"|view|database|schema)\b|\bwhere\b|\border\s+by\b|\bgroup\s+by\b|\bvalues\s*\("
    r"|\bjoin\b[\s\S]*\bon\b",
    re.IGNORECASE,
)


class SqlInjection(Detector):
    """Flags SQL strings formatted from run-time values (see module docstring)."""

    slug = "sql-injection"
    items = ("SEC-08",)

    def __init__(self) -> None:
        super().__init__()
        self._scopes = Scopes()
        self._skip = False

    def start_file(self, ctx: FileContext) -> None:
        self._skip = ctx.file.is_test or ctx.file.is_migration
        self._scopes.reset(ctx.file.tree)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        name = pyast.call_name(node, ctx.file) or ""
        method = pyast.attr_name(node) or ""
        if name in _SQL_CALLS:
            self._check(node, _query_arg(node), ctx, name, need_shape=False)
        elif isinstance(node.func, ast.Attribute) and method in _SQL_METHODS:
            self._check(node, _query_arg(node), ctx, method, need_shape=False)
        elif isinstance(node.func, ast.Attribute) and method in _MAYBE_SQL_METHODS:
            self._check(node, _query_arg(node), ctx, method, need_shape=True)
        elif isinstance(node.func, ast.Attribute) and method == "extra":
            for kw in ("where", "select", "tables", "order_by"):
                value = pyast.keyword(node, kw)
                if value is None:
                    continue
                parts = value.values if isinstance(value, ast.Dict) else (
                    value.elts if isinstance(value, ast.List | ast.Tuple) else [value])
                for part in parts:
                    if part is not None:
                        self._check(node, part, ctx, f"extra({kw}=...)", need_shape=False)

    def _check(self, call: ast.Call, query: ast.expr | None, ctx: FileContext, callee: str,
               *, need_shape: bool) -> None:
        if query is None:
            return
        chain = self._scopes.chain(ctx)
        if not is_built_string(query, chain):
            return
        if need_shape and not _SQL_SHAPE.search(" ".join(string_fragments(query, chain))):
            return
        how = _how(query, chain)
        self.report_node(
            "SEC-08", ctx, call,
            f"SQL passed to {callee}() is {how}: a value formatted into the query text can "
            "rewrite the statement",
            "Pass values as query parameters (execute(\"... WHERE id = %s\", (id,)), "
            "text(\"... = :id\") with a dict); pick identifiers from an allow-list.",
            severity=Severity.HIGH,
        )


def _query_arg(call: ast.Call) -> ast.expr | None:
    if call.args and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    for kw in _QUERY_KEYWORDS:
        value = pyast.keyword(call, kw)
        if value is not None:
            return value
    return None


def _how(node: ast.expr, chain: list[Bindings]) -> str:
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, chain) or []
        built = [v for v in values if is_built_string(v, chain)]
        first = built[0] if built else (values[0] if values else node)
        return f"`{node.id}`, {_operation(first)} at line {first.lineno}"
    return _operation(node)


def _operation(node: ast.expr) -> str:
    if isinstance(node, ast.JoinedStr):
        return "built with an f-string"
    if isinstance(node, ast.BinOp):
        return "built with %-formatting" if isinstance(node.op, ast.Mod) else (
            "built by concatenation")
    if isinstance(node, ast.Call):
        return "built with .format()"
    return "built at run time"
