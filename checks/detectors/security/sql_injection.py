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

A string formatted the same way that starts with an upper-case SQL statement (``SELECT ...
FROM``, ``INSERT INTO``, ``UPDATE ... SET``, ``DELETE FROM``, ``WITH x AS (``) but is not seen
reaching one of those calls (it is returned, or executed in another function) is a medium
finding of its own, unless it is the query of a call already flagged.

Parameterized queries (``execute("... WHERE id = %s", (x,))``, ``text("... = :id")``) and
strings built from constants only (including ``", ".join("?" * len(ids))`` placeholder lists and
``int(...)`` values) are not flagged. A formatted query that is also given parameters (the
formatted part is then usually a table name or a sub-query) is medium; otherwise high. Tests,
migrations and modules importing ``alembic`` are skipped.

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
    STRING_BUILDING_METHODS,
    Chain,
    Scopes,
    assigned_values,
    call_name,
    is_built_string,
    is_string_operation,
    string_fragments,
)
from checks.model import Severity
from checks.pyast import called_last

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
_SQL_CALL_LAST = frozenset(n.rsplit(".", 1)[-1] for n in _SQL_CALLS)
_SINK_METHODS = _SQL_METHODS | _MAYBE_SQL_METHODS | {"extra"}
_QUERY_KEYWORDS = ("sql", "query", "operation", "statement", "stmt")
_SQL_SHAPE = re.compile(
    r"\bselect\b[\s\S]*\bfrom\b|\binsert\s+(?:or\s+\w+\s+)?into\b|\bupdate\b[\s\S]*\bset\b"
    r"|\bdelete\s+from\b|\breplace\s+into\b|\b(?:create|drop|alter|truncate)\s+(?:table|index"
    r"|view|database|schema)\b|\bwhere\b|\border\s+by\b|\bgroup\s+by\b|\bvalues\s*\("
    r"|\bjoin\b[\s\S]*\bon\b",
    re.IGNORECASE,
)
# A statement written out in upper case, at the start of a string: SQL even with no sink in sight.
_SQL_STATEMENT = re.compile(
    r"^\s*(?:SELECT\s[\s\S]*\bFROM\b|INSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b|UPDATE\s+\S+\s[\s\S]*"
    r"\bSET\b|DELETE\s+FROM\b|WITH\s+\w+\s+AS\s*\(|REPLACE\s+INTO\b|MERGE\s+INTO\b)"
)
_HINT = (
    "Pass values as query parameters (execute(\"... WHERE id = %s\", (id,)), "
    "text(\"... = :id\") with a dict); pick identifiers from an allow-list."
)
Span = tuple[int, int, int, int]


class SqlInjection(Detector):
    """Flags SQL strings formatted from run-time values (see module docstring)."""

    slug = "sql-injection"
    items = ("SEC-08",)
    # .format()/.replace() calls may build a statement (_loose_sql); the rest may run one
    calls = STRING_BUILDING_METHODS | _SQL_CALL_LAST | _SINK_METHODS

    def __init__(self) -> None:
        super().__init__()
        self._scopes = Scopes()
        self._skip = False
        self._covered: list[Span] = []
        self._loose: list[tuple[Span, ast.expr]] = []

    def start_file(self, ctx: FileContext) -> None:
        # alembic's env.py and revision scripts are migration tooling, run by the operator
        self._skip = ctx.file.is_test or ctx.file.is_migration or ctx.file.imports_module(
            "alembic")
        self._scopes.reset(ctx.file)
        self._covered = []
        self._loose = []

    def end_file(self, ctx: FileContext) -> None:
        for span, node in self._loose:
            if any(_inside(span, c) for c in self._covered):
                continue
            self.report_node(
                "SEC-08", ctx, node,
                f"SQL statement {_operation(node)} from run-time values: "
                "wherever it is executed, the values can rewrite it",
                _HINT, severity=Severity.MEDIUM,
            )

    def visit_JoinedStr(self, node: ast.JoinedStr, ctx: FileContext) -> None:
        self._loose_sql(node, ctx)

    def visit_BinOp(self, node: ast.BinOp, ctx: FileContext) -> None:
        self._loose_sql(node, ctx)

    def _loose_sql(self, node: ast.expr, ctx: FileContext) -> None:
        if self._skip or not is_string_operation(node):
            return
        if not _SQL_STATEMENT.match(_leading_literal(node)):
            return  # cheap test first: the statement must open the string literally
        span = _span(node)
        if any(_inside(span, s) for s, _ in self._loose):
            return  # a part of a string already kept
        chain = self._scopes.chain(ctx)
        if not is_built_string(node, chain):
            return
        if _SQL_STATEMENT.match(" ".join(string_fragments(node, chain))):
            self._loose.append((span, node))

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip:
            return
        if isinstance(node.func, ast.Attribute) and node.func.attr in STRING_BUILDING_METHODS:
            self._loose_sql(node, ctx)
        last = called_last(node, ctx.file)
        if last not in _SQL_CALL_LAST and not (
                isinstance(node.func, ast.Attribute) and last in _SINK_METHODS):
            return  # neither an SQL function nor a method that takes SQL
        name = call_name(node, ctx.file)
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
        self._covered.append(_span(query))
        if isinstance(query, ast.Name):
            self._covered.extend(_span(v) for v in assigned_values(query.id, chain) or [])
        with_params = len(call.args) > 1 or any(
            k.arg in ("params", "parameters", "args", "vars") for k in call.keywords)
        self.report_node(
            "SEC-08", ctx, call,
            f"SQL passed to {callee}() is {how}: a value formatted into the query text can "
            "rewrite the statement"
            + (" (values are also passed as parameters: check what the formatted part is)"
               if with_params else ""),
            _HINT, severity=Severity.MEDIUM if with_params else Severity.HIGH,
        )


def _query_arg(call: ast.Call) -> ast.expr | None:
    if call.args and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    for kw in _QUERY_KEYWORDS:
        value = pyast.keyword(call, kw)
        if value is not None:
            return value
    return None


def _how(node: ast.expr, chain: Chain) -> str:
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


def _leading_literal(node: ast.AST) -> str:
    """The literal text a string expression starts with: ``"SELECT * FROM "`` for
    ``"SELECT * FROM " + t``, the first constant part of an f-string."""
    while True:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            first = node.values[0] if node.values else None
            return first.value if isinstance(first, ast.Constant) and isinstance(
                first.value, str) else ""
        if isinstance(node, ast.BinOp):
            node = node.left
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        else:
            return ""


def _span(node: ast.expr) -> Span:
    return (node.lineno, node.col_offset, node.end_lineno or node.lineno,
            node.end_col_offset or node.col_offset)


def _inside(inner: Span, outer: Span) -> bool:
    return (inner[0], inner[1]) >= (outer[0], outer[1]) and (inner[2], inner[3]) <= (
        outer[2], outer[3])
