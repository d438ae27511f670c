"""Pooled database connections reused without a liveness check.

## What it flags
- A SQLAlchemy ``create_engine``/``create_async_engine`` call in service code that keeps a
  pool (no ``poolclass=NullPool``/``StaticPool``, not a literal ``sqlite`` URL, no ``**kwargs``)
  and does not set ``pool_pre_ping=True``. The message also says which sizing settings
  (``pool_size``, ``max_overflow``, ``pool_recycle``) are left at their defaults.
- Django settings that keep connections open (``CONN_MAX_AGE`` set to a literal other than 0,
  or ``None``) without ``CONN_HEALTH_CHECKS = True`` (Django 4.1+). A value read from the
  environment is not judged.

Tests, migrations and scripts are skipped.

## Why it matters
A pooled connection can die while it sits idle: the database restarts or fails over, a
firewall, load balancer or PgBouncer drops idle connections. Without a check before reuse, the
next request that borrows it fails with "server closed the connection unexpectedly". Defaults
(5 connections plus 10 overflow per process) are rarely matched to ``max_connections`` divided
by the number of processes.

## Example
```python
engine = create_engine(settings.DATABASE_URL)
```

## Use instead
```python
engine = create_engine(
    settings.DATABASE_URL,
    pool_pre_ping=True,     # test the connection on checkout
    pool_recycle=1800,      # shorter than the server's and proxies' idle timeouts
    pool_size=10, max_overflow=5,  # processes x (size + overflow) < max_connections
)
```
Django: ``"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True``.

## References
- SQLAlchemy, Dealing with Disconnects (pessimistic disconnect handling):
  https://docs.sqlalchemy.org/en/20/core/pooling.html#pool-disconnects
- Django, CONN_HEALTH_CHECKS:
  https://docs.djangoproject.com/en/stable/ref/settings/#conn-health-checks
"""

from __future__ import annotations

import ast

from checks.detector import Detector, FileContext, Project
from checks.detectors.database._db import (
    ENGINE_NAMES,
    ENGINES,
    database_library,
    is_migration,
    is_one_off,
    is_test,
    no_database_reason,
)
from checks.detectors.database._django_settings import django_databases
from checks.model import Severity
from checks.pyast import call_name, const_str, has_kwargs_splat, is_true, keyword, resolve

_UNPOOLED = ("NullPool", "StaticPool", "SingletonThreadPool", "AssertionPool")
_SIZING = ("pool_size", "max_overflow", "pool_recycle")


class PoolWithoutPrePing(Detector):
    """Flags connection pools reused without a liveness check (see module docstring)."""

    slug = "pool-without-pre-ping"
    items = ("SCALE-07",)

    calls = ENGINE_NAMES  # only an engine's creation matters

    def __init__(self) -> None:
        super().__init__()
        self._skip = False

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        self._skip = is_test(f) or is_migration(f) or is_one_off(f)
        return not self._skip

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip or call_name(node, ctx.file) not in ENGINES or has_kwargs_splat(node):
            return
        pool = keyword(node, "poolclass")
        if pool is not None and (resolve(pool, ctx.file) or "").endswith(_UNPOOLED):
            return
        url = node.args[0] if node.args else keyword(node, "url")
        text = const_str(url) or (
            const_str(url.values[0]) if isinstance(url, ast.JoinedStr) and url.values else None
        )
        if text is not None and text.startswith("sqlite"):
            return
        set_sizing = [k for k in _SIZING if keyword(node, k) is not None]
        if is_true(keyword(node, "pool_pre_ping")):
            shown = ", ".join(["pool_pre_ping", *set_sizing])
            self.evidence("SCALE-07", f"engine at {ctx.path}:{node.lineno} sets {shown}")
            return
        defaults = [k for k in _SIZING if k not in set_sizing]
        extra = f"; {', '.join(defaults)} left at defaults" if defaults else ""
        self.report_node(
            "SCALE-07", ctx, node,
            f"engine created without pool_pre_ping: a pooled connection dropped by the server "
            f"or a proxy fails the next request that borrows it{extra}",
            "Pass pool_pre_ping=True and a pool_recycle shorter than the server's idle "
            "timeout; size pool_size + max_overflow so that all processes stay under "
            "max_connections.",
            severity=Severity.LOW,
        )

    def finish(self, project: Project) -> None:
        if database_library(project) is None:
            self.not_applicable("SCALE-07", no_database_reason())
            return
        if not project.uses("django"):
            return
        dbs = django_databases(project)
        literal = [c for c in dbs.conn_max_age if c[2] is not ... and c[2] != 0]
        if not literal:
            return  # 0 everywhere, or read from the environment: nothing is known to persist
        if any(v is not False for _, _, v in dbs.health_checks):
            path, line, _ = dbs.health_checks[0]
            self.evidence("SCALE-07", f"CONN_HEALTH_CHECKS at {path}:{line}")
            return
        path, line, value = literal[0]
        shown = repr(value)
        self.report(
            "SCALE-07", path, line,
            f"CONN_MAX_AGE = {shown} keeps connections open without CONN_HEALTH_CHECKS: a "
            "connection dropped by the server fails the next request",
            "Set CONN_HEALTH_CHECKS = True (Django 4.1+) next to CONN_MAX_AGE.",
            severity=Severity.LOW, key="conn-health-checks",
        )
