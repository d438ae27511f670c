import pytest

from checks.detectors.compliance.no_audit_trail import NoAuditTrail
from checks.model import Status
from tests.helpers import found, run, status

MODELS = """\
from sqlalchemy.orm import DeclarativeBase, Mapped


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"
    status: Mapped[str]
"""


def test_flags_database_service_without_audit_trail() -> None:
    files = {"app/models.py": MODELS, "tests/test_history.py": "class OrderHistory(X):\n  pass\n"}
    report = run(NoAuditTrail, files)
    assert found(report) == [("COMP-06", "", 0), ("SEC-13", "", 0)]
    assert status(report, "SEC-13") is Status.WARN


@pytest.mark.parametrize(
    ("path", "code", "evidence"),
    [
        ("app/history.py", "from simple_history.models import HistoricalRecords\n",
         "simple_history.models.HistoricalRecords imported in app/history.py"),
        ("app/events.py", "class OrderHistory(Base):\n    pass\n",
         "model OrderHistory(Base) at app/events.py:1"),
        ("app/events.py", "class E(Base):\n    __tablename__ = 'audit_events'\n",
         "table 'audit_events' at app/events.py:2"),
        ("app/log.py", "import logging\naudit = logging.getLogger('shop.audit')\n",
         "audit logger 'shop.audit' at app/log.py:2"),
        ("app/audit.py", "X = 1\n", "audit module app/audit.py"),
        ("requirements.txt", "sqlalchemy\nSQLAlchemy-Continuum==1.4\n",
         "sqlalchemy-continuum declared as a dependency"),
        ("infra/db.tf", 'parameter {\n  value = "pgaudit"\n}\n', "pgaudit at infra/db.tf:2"),
    ],
)
def test_passes_with_an_audit_signal(path: str, code: str, evidence: str) -> None:
    report = run(NoAuditTrail, {"app/models.py": MODELS, path: code})
    assert found(report) == []
    assert report.result("COMP-06").evidence == [evidence]
    assert report.result("SEC-13").evidence == [evidence]


def test_not_applicable_without_database() -> None:
    report = run(NoAuditTrail, {"app/x.py": "import json\n"})
    assert status(report, "COMP-06") is Status.NOT_APPLICABLE
    assert status(report, "SEC-13") is Status.NOT_APPLICABLE


def test_an_aliased_logger_factory_still_counts() -> None:
    code = "from logging import getLogger as get_log\n\naudit = get_log('audit')\n"
    report = run(NoAuditTrail, {"app/models.py": MODELS, "app/log.py": code})
    assert found(report) == []
    assert report.result("COMP-06").evidence == ["audit logger 'audit' at app/log.py:3"]
