import difflib

from checks.detectors.database.model_change_without_migration import (
    ModelChangeWithoutMigration,
)
from checks.model import Status
from tests.helpers import findings, found, run, status


def _diff(path: str, old: str | None, new: str) -> str:
    """A git-style unified diff of one file (``old`` None: the file is added)."""
    before = "/dev/null" if old is None else f"a/{path}"
    lines = difflib.unified_diff(
        (old or "").splitlines(keepends=True), new.splitlines(keepends=True),
        fromfile=before, tofile=f"b/{path}",
    )
    return f"diff --git a/{path} b/{path}\n" + "".join(lines)


OLD_MODELS = """\
from django.db import models


class Order(models.Model):
    total = models.IntegerField()

    def __str__(self):
        return str(self.total)


class Legacy(models.Model):
    code = models.CharField(max_length=5)

    class Meta:
        managed = False
"""

NEW_MODELS = """\
from django.db import models


class Order(models.Model):
    total = models.IntegerField()
    paid_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"{self.total}"


class Legacy(models.Model):
    code = models.CharField(max_length=5)
    name = models.CharField(max_length=5)

    class Meta:
        managed = False
"""

MIGRATION = "from django.db import migrations\n"
FILES = {
    "requirements.txt": "django\n",
    "shop/__init__.py": "",
    "shop/models.py": NEW_MODELS,
    "shop/migrations/__init__.py": "",
    "shop/migrations/0001_initial.py": MIGRATION,
}
MODELS_DIFF = _diff("shop/models.py", OLD_MODELS, NEW_MODELS)


def test_flags_django_field_added_without_migration() -> None:
    report = run(ModelChangeWithoutMigration, FILES, diff=MODELS_DIFF)
    assert found(report) == [("DB-10", "shop/models.py", 6)]
    (finding,) = findings(report, "DB-10")
    assert finding.message == (
        "model `Order` changed but the pull request adds no migration under `shop/migrations/`"
    )
    assert finding.blocking  # DB-10 is high by default and the line is added
    assert status(report, "DB-10") is Status.FAIL


def test_passes_when_the_app_gets_a_migration() -> None:
    files = {**FILES, "shop/migrations/0002_order_paid_at.py": MIGRATION}
    diff = MODELS_DIFF + _diff("shop/migrations/0002_order_paid_at.py", None, MIGRATION)
    report = run(ModelChangeWithoutMigration, files, diff=diff)
    assert found(report) == []
    assert status(report, "DB-10") is Status.PASS


def test_a_migration_of_another_app_does_not_count() -> None:
    files = {**FILES, "billing/migrations/0002_x.py": MIGRATION}
    diff = MODELS_DIFF + _diff("billing/migrations/0002_x.py", None, MIGRATION)
    report = run(ModelChangeWithoutMigration, files, diff=diff)
    assert found(report) == [("DB-10", "shop/models.py", 6)]


def test_method_only_changes_need_no_migration() -> None:
    new = OLD_MODELS.replace("return str(self.total)", "return f'{self.total}'")
    files = {**FILES, "shop/models.py": new}
    report = run(ModelChangeWithoutMigration, files, diff=_diff("shop/models.py", OLD_MODELS, new))
    assert found(report) == []


SA_OLD = """\
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
"""

SA_NEW = """\
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    items = relationship("Item")
    email: Mapped[str]
"""


def test_flags_sqlalchemy_column_added_without_alembic_revision() -> None:
    files = {"alembic.ini": "[alembic]\n", "app/models.py": SA_NEW,
             "alembic/versions/001_init.py": "revision = '001'\n"}
    report = run(ModelChangeWithoutMigration, files,
                 diff=_diff("app/models.py", SA_OLD, SA_NEW))
    assert found(report) == [("DB-10", "app/models.py", 12)]
    revision = "revision = '002'\n"
    files["alembic/versions/002_email.py"] = revision
    diff = _diff("app/models.py", SA_OLD, SA_NEW) + _diff("alembic/versions/002_email.py",
                                                          None, revision)
    assert found(run(ModelChangeWithoutMigration, files, diff=diff)) == []


def test_sqlalchemy_without_alembic_is_left_to_the_project_level_check() -> None:
    files = {"app/models.py": SA_NEW}
    report = run(ModelChangeWithoutMigration, files,
                 diff=_diff("app/models.py", SA_OLD, SA_NEW))
    assert found(report) == []
