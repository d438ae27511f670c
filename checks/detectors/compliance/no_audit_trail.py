"""A service with a database and no sign of an audit trail.

## What it flags
A project whose service code uses a database (an ORM or driver is imported or declared) with
no sign of recording who changed what: no audit library (django-simple-history,
django-auditlog, django-reversion, django-pghistory, django-easy-audit, SQLAlchemy-Continuum,
PostgreSQL-Audit, pgaudit), no model or table named for an audit log or history (``AuditLog``,
``OrderHistory``, ``ActivityLog``, ``EventLog``, ``ChangeLog``, ``__tablename__ =
"audit_events"``), no ``audit`` logger (``logging.getLogger("audit")``) and no ``audit`` module.
One project-level finding for COMP-06 (audit trails) and one for SEC-13 (audit logging).

## Why it matters
When a record is changed or data is exported, investigators, auditors (SOC 2 CC7, ISO 27001
A.8.15, HIPAA 164.312(b), PCI DSS 10) and customers ask who did it and when; application logs
rotate away and do not say which row changed. An append-only trail of security-relevant actions
answers that. Heuristic: an audit trail kept by the platform (database or cloud audit logs)
is invisible here; a reviewer can waive the finding with a pointer to it.

## Example
```python
class Order(Base):
    __tablename__ = "orders"
    status: Mapped[str]
# ...and status changes overwrite the row, with nothing recording who changed it
```

## Use instead
```python
audit = logging.getLogger("audit")

def cancel(order, actor):
    order.status = "cancelled"
    audit.info("order.cancelled", extra={"order_id": order.id, "actor_id": actor.id})
```
or django-simple-history / SQLAlchemy-Continuum for row-level history.

## References
- OWASP Logging Cheat Sheet, which events to log: https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#which-events-to-log
- CWE-778, Insufficient Logging: https://cwe.mitre.org/data/definitions/778.html
- django-simple-history: https://django-simple-history.readthedocs.io/
- SQLAlchemy-Continuum: https://sqlalchemy-continuum.readthedocs.io/
"""

from __future__ import annotations

import ast
import re

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.testing._common import database_library

_LIBRARIES = ("simple_history", "auditlog", "reversion", "pghistory", "easyaudit",
              "field_history", "sqlalchemy_continuum", "sqlalchemy_history", "postgresql_audit",
              "django_audit_log", "audit_log", "flask_continuum", "pgtrigger")
_DISTRIBUTIONS = ("django-simple-history", "django-auditlog", "django-reversion",
                  "django-pghistory", "django-easy-audit", "django-field-history",
                  "sqlalchemy-continuum", "sqlalchemy-history", "postgresql-audit")
_CLASS_NAME = re.compile(r"(Audit|ActivityLog|ActivityStream|EventLog|ChangeLog|History"
                         r"|Revision|AccessLog)", re.I)
_TABLE_NAME = re.compile(r"audit|history|event_log|activity_log|change_log|access_log", re.I)
_LOGGER_FACTORIES = frozenset({"logging.getLogger", "structlog.get_logger",
                               "structlog.getLogger", "structlog.stdlib.get_logger"})
_PGAUDIT = re.compile(r"\bpgaudit\b", re.I)


class NoAuditTrail(Detector):
    """Flags a database-backed service with no audit trail (see module docstring)."""

    slug = "no-audit-trail"
    items = ("COMP-06", "SEC-13")
    calls = frozenset(n.rsplit(".", 1)[-1] for n in _LOGGER_FACTORIES)

    def __init__(self) -> None:
        super().__init__()
        self._found: str | None = None
        self._skip = True

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        self._skip = f.is_test or self._found is not None
        if self._skip:
            return False
        for target in f.imports.values():
            if target.split(".", 1)[0] in _LIBRARIES:
                self._found = f"{target} imported in {f.path}"
                return False
        stem = f.path.rsplit("/", 1)[-1].removesuffix(".py")
        if "audit" in stem.lower() or "/audit" in f.path.lower():
            self._found = f"audit module {f.path}"
        return self._found is None

    def visit_ClassDef(self, node: ast.ClassDef, ctx: FileContext) -> None:
        if self._skip or self._found is not None or not node.bases:
            return
        if _CLASS_NAME.search(node.name) and not node.name.lower().startswith("test"):
            bases = ", ".join(pyast.dotted(b) or "?" for b in node.bases)
            self._found = f"model {node.name}({bases}) at {ctx.path}:{node.lineno}"

    def visit_Assign(self, node: ast.Assign, ctx: FileContext) -> None:
        if self._skip or self._found is not None:
            return
        if any(isinstance(t, ast.Name) and t.id in ("__tablename__", "db_table")
               for t in node.targets):
            name = pyast.const_str(node.value)
            if name is not None and _TABLE_NAME.search(name):
                self._found = f"table {name!r} at {ctx.path}:{node.lineno}"

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._skip or self._found is not None:
            return
        if pyast.call_name(node, ctx.file) in _LOGGER_FACTORIES and node.args:
            name = pyast.const_str(node.args[0])
            if name is not None and "audit" in name.lower():
                self._found = f"audit logger {name!r} at {ctx.path}:{node.lineno}"

    def finish(self, project: Project) -> None:
        db = database_library(project)
        if db is None:
            for item in self.items:
                self.not_applicable(item, "no database library is used")
            return
        found = self._found
        if found is None:
            dist = next((d for d in _DISTRIBUTIONS if d in project.dependencies), None)
            if dist is not None:
                found = f"{dist} declared as a dependency"
        if found is None:
            for path in sorted(project.tree.files):
                if path.endswith((".tf", ".yml", ".yaml", ".conf", ".hcl", ".json")):
                    text = project.text(path) or ""
                    m = _PGAUDIT.search(text)
                    if m:
                        found = f"pgaudit at {path}:{text.count(chr(10), 0, m.start()) + 1}"
                        break
        if found is not None:
            for item in self.items:
                self.evidence(item, found)
            return
        for item in self.items:
            self.report(
                item, "", 0,
                f"the service stores data ({db}) but keeps no audit trail: no audit library, "
                "audit/history table or audit logger",
                "Record security-relevant and data-changing actions (who, what, when, from "
                "where) in an append-only audit log or history tables (django-simple-history, "
                "SQLAlchemy-Continuum, a dedicated 'audit' logger shipped to write-once "
                "storage).",
                key="no-audit-trail",
            )
