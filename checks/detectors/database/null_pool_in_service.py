"""SQLAlchemy engine with pooling turned off (``NullPool``) in service code.

## What it flags
``create_engine(..., poolclass=NullPool)`` / ``create_async_engine(..., poolclass=NullPool)``
in service code. Not flagged: tests, migrations (Alembic's ``env.py`` uses ``NullPool`` on
purpose), scripts, modules that import Celery, and projects that put PgBouncer in front of the
database or run on AWS Lambda (``mangum``, a ``serverless.yml``): there an external pooler, or
the one-request-per-process model, makes ``NullPool`` the right choice.

## Why it matters
With ``NullPool`` every ``Session`` or ``connect()`` opens a fresh database connection and
closes it afterwards: a TCP/TLS handshake and authentication on every unit of work, and no cap
on how many connections the service opens under load.

## Example
```python
engine = create_engine(settings.DATABASE_URL, poolclass=NullPool)
```

## Use instead
```python
engine = create_engine(settings.DATABASE_URL, pool_size=10, max_overflow=5,
                       pool_pre_ping=True, pool_recycle=1800)
```
If PgBouncer (transaction mode) pools connections for you, keep ``NullPool`` and mention
PgBouncer in the deployment files so the choice is visible.

## References
- SQLAlchemy, Connection Pooling, Switching Pool Implementations:
  https://docs.sqlalchemy.org/en/20/core/pooling.html#switching-pool-implementations
- CWE-1072, Data Resource Access without Use of Connection Pooling:
  https://cwe.mitre.org/data/definitions/1072.html
"""

from __future__ import annotations

import ast

from checks.detector import Detector, FileContext, Project
from checks.detectors.database._db import (
    ENGINE_NAMES,
    ENGINES,
    database_library,
    external_pooling,
    is_migration,
    is_one_off,
    is_test,
    no_database_reason,
)
from checks.pyast import call_name, keyword, resolve

_NULL_POOLS = frozenset({"sqlalchemy.pool.NullPool", "sqlalchemy.NullPool",
                         "sqlalchemy.pool.impl.NullPool"})


class NullPoolInService(Detector):
    """Flags engines created with ``NullPool`` in service code (see module docstring)."""

    slug = "null-pool-in-service"
    items = ("DB-07",)

    calls = ENGINE_NAMES  # only an engine's creation matters

    def __init__(self) -> None:
        super().__init__()
        self._hits: list[tuple[str, int, int]] = []
        self._skip = False

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        self._skip = (is_test(f) or is_migration(f) or is_one_off(f)
                      or f.imports_module("celery") or f.path.rsplit("/", 1)[-1] == "env.py")
        return not self._skip

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip or call_name(node, ctx.file) not in ENGINES:
            return
        pool = keyword(node, "poolclass")
        if pool is not None and resolve(pool, ctx.file) in _NULL_POOLS:
            self._hits.append((ctx.path, node.lineno, node.end_lineno or node.lineno))

    def finish(self, project: Project) -> None:
        if database_library(project) is None:
            self.not_applicable("DB-07", no_database_reason())
            return
        if not self._hits:
            return
        external = external_pooling(project)
        if external:
            self.evidence("DB-07", f"NullPool used with {external}")
            return
        for path, line, end in self._hits:
            self.report(
                "DB-07", path, line,
                "engine created with `poolclass=NullPool`: every session opens and closes its "
                "own database connection",
                "Drop poolclass to get the default QueuePool and size it (pool_size, "
                "max_overflow); keep NullPool only behind PgBouncer, and say so in the "
                "deployment files.",
                end_line=end,
            )
