from checks.detectors.database.models_without_migrations import ModelsWithoutMigrations
from checks.model import Status
from tests.helpers import found, run, status

DJANGO_MODELS = """\
from django.db import models


class Base(models.Model):
    class Meta:
        abstract = True


class Order(Base):
    total = models.IntegerField()
"""


def test_flags_django_app_with_models_and_no_migrations_folder() -> None:
    files = {
        "requirements.txt": "Django==5.1\n",
        "shop/models.py": DJANGO_MODELS,
        "shop/apps.py": "",
        "billing/models.py": DJANGO_MODELS.replace("Order", "Invoice"),
        "billing/migrations/__init__.py": "",
        "billing/migrations/0001_initial.py": "x = 1\n",
    }
    report = run(ModelsWithoutMigrations, files)
    assert found(report) == [("DB-10", "shop/models.py", 9)]
    # A models module in a sub-package belongs to the enclosing app and its migrations.
    files["billing/extras/models.py"] = DJANGO_MODELS.replace("Order", "Refund")
    assert found(run(ModelsWithoutMigrations, files)) == [("DB-10", "shop/models.py", 9)]
    assert report.result("DB-10").findings[0].message == (
        "Django app `shop` defines models (`Order`) but has no migrations/ folder"
    )
    assert "1 Django migrations under billing/migrations/" in report.result("DB-10").evidence


SQLA = """\
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)


engine = create_engine("postgresql://db/app")
Base.metadata.create_all(engine)
"""


def test_flags_create_all_when_no_migration_tool_exists() -> None:
    report = run(ModelsWithoutMigrations, {"app/db.py": SQLA})
    assert found(report) == [("DB-10", "app/db.py", 15)]
    assert status(report, "DB-10") is Status.WARN


def test_alembic_counts_as_a_migration_tool() -> None:
    report = run(ModelsWithoutMigrations, {"app/db.py": SQLA, "alembic.ini": "[alembic]\n"})
    assert found(report) == []
    assert report.result("DB-10").evidence == ["table models are migrated with Alembic "
                                               "(alembic.ini)"]
    report = run(ModelsWithoutMigrations, {
        "app/db.py": SQLA, "db/migrations/001_init.sql": "create table user (id int);\n"})
    assert found(report) == []


def test_raw_sql_projects_and_projects_without_database() -> None:
    report = run(ModelsWithoutMigrations, {"app/x.py": "import asyncpg\n"})
    assert status(report, "DB-10") is Status.PASS
    assert report.result("DB-10").evidence == [
        "no Django or SQLAlchemy models: the schema of raw SQL is not checked"
    ]
    report = run(ModelsWithoutMigrations, {"app/x.py": "import json\n"})
    assert status(report, "DB-10") is Status.NOT_APPLICABLE
