"""ORM models with no migration tooling in the repository.

## What it flags
- A Django app that defines concrete, managed models but has no ``migrations/`` folder: its
  tables are created by ``migrate --run-syncdb`` or by hand, and never evolve in step with the
  code. The finding sits on the first model class of the app.
- SQLAlchemy or SQLModel table classes in a project with no migration tool at all: no Alembic
  (``alembic.ini``, dependency, ``versions/`` folder) and no other versioned migrations (a
  ``migrations/`` or ``migration/`` folder, yoyo, Flyway). The finding sits on the
  ``metadata.create_all()`` call when there is one (the schema is created at start-up, and
  never altered), else on the first table class.

## Why it matters
Without versioned migrations, every schema change is applied by hand, differently in each
environment; ``create_all`` creates missing tables but never adds a column to an existing one,
so production drifts from the models and deploys fail on the first changed table.

## Example
```python
class Base(DeclarativeBase): ...

class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)

Base.metadata.create_all(engine)  # at start-up
```

## Use instead
Adopt Alembic (``alembic init``, ``alembic revision --autogenerate``, ``alembic upgrade head``
as a release step) or, in Django, ``python manage.py makemigrations <app>`` and commit the
``migrations/`` folder.

## References
- Alembic tutorial: https://alembic.sqlalchemy.org/en/latest/tutorial.html
- Django, Migrations: https://docs.djangoproject.com/en/stable/topics/migrations/
- SQLAlchemy, MetaData.create_all (creates, never alters):
  https://docs.sqlalchemy.org/en/20/core/metadata.html#sqlalchemy.schema.MetaData.create_all
"""

from __future__ import annotations

import ast
import bisect
import posixpath
from collections.abc import Callable

from checks.detector import Detector, Project
from checks.detectors.database._db import (
    database_library,
    in_walk_order,
    mentions,
    no_database_reason,
    service_files,
)
from checks.detectors.database._models import (
    ModelClass,
    app_dirs,
    django_models,
    sqlalchemy_models,
)
from checks.pyast import attr_name

_OTHER_TOOLS = ("yoyo", "yoyo_migrations", "flyway", "aerich", "piccolo", "dbmate",
                "sqlalchemy_migrate", "migrate")


class ModelsWithoutMigrations(Detector):
    """Flags ORM models that no migration tool follows (see module docstring)."""

    slug = "models-without-migrations"
    items = ("DB-10",)

    def finish(self, project: Project) -> None:
        paths = project.tree.paths
        django = django_models(project) if project.uses("django") else {}
        sqla = sqlalchemy_models(project)
        if not django and not sqla:
            if database_library(project) is None:
                self.not_applicable("DB-10", no_database_reason())
                return
            tool = _migration_tool(project)
            self.evidence("DB-10", f"schema migrated with {tool}" if tool else
                          "no Django or SQLAlchemy models: the schema of raw SQL is not checked")
            return
        if django:
            self._django(django, paths, app_dirs(project).find)
        if sqla:
            self._sqlalchemy(sqla, project)

    def _django(self, models: dict[str, list[ModelClass]], paths: list[str],
                app_dir: Callable[[str], str]) -> None:
        apps: dict[str, list[ModelClass]] = {}
        for group in models.values():
            for model in group:
                if not model.abstract and model.managed:
                    apps.setdefault(app_dir(model.path), []).append(model)
        ordered = sorted(paths)
        for app, members in sorted(apps.items()):
            folder = posixpath.join(app, "migrations") if app else "migrations"
            # The paths under the folder are one run of the sorted paths.
            prefix = folder + "/"
            at = bisect.bisect_left(ordered, prefix)
            under: list[str] = []
            while at < len(ordered) and ordered[at].startswith(prefix):
                under.append(ordered[at])
                at += 1
            count = sum(1 for p in under if p.endswith(".py") and not p.endswith("__init__.py"))
            has_folder = bool(under)
            if has_folder:
                self.evidence("DB-10", f"{count} Django migrations under {folder}/")
                continue
            first = min(members, key=lambda m: (m.path, m.node.lineno))
            self.report(
                "DB-10", first.path, first.node.lineno,
                f"Django app `{app or '.'}` defines models ({_names(members)}) but has no "
                "migrations/ folder",
                f"Run `python manage.py makemigrations {posixpath.basename(app)}` and commit "
                "the migrations/ folder.",
                key=f"{app}:no-migrations",
            )

    def _sqlalchemy(self, models: dict[str, list[ModelClass]], project: Project) -> None:
        tool = _migration_tool(project)
        if tool is not None:
            self.evidence("DB-10", f"table models are migrated with {tool}")
            return
        tables = [m for group in models.values() for m in group if not m.abstract]
        if not tables:
            return
        path, line = _create_all(project) or min(
            ((m.path, m.node.lineno) for m in tables), key=lambda t: t
        )
        self.report(
            "DB-10", path, line,
            f"{len(tables)} table models ({_names(tables)}) but no migration tool: no "
            "alembic.ini, no Alembic dependency, no versions/ or migrations/ folder",
            "Adopt Alembic: `alembic init`, then `alembic revision --autogenerate` for each "
            "schema change, and run `alembic upgrade head` as a release step instead of "
            "create_all().",
            key="no-migration-tool",
        )


def _names(models: list[ModelClass]) -> str:
    names = sorted({m.name for m in models})
    shown = ", ".join(f"`{n}`" for n in names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _migration_tool(project: Project) -> str | None:
    for ini in project.tree.glob_names("alembic.ini"):
        return f"Alembic ({ini})"
    if project.uses("alembic", "flask_migrate", "flask-migrate"):
        return "Alembic (dependency)"
    for name in _OTHER_TOOLS:
        if project.uses(name):
            return name
    for p in project.tree.paths:
        parts = p.split("/")[:-1]
        if "versions" in parts or "migrations" in parts or "migration" in parts:
            return f"versioned migrations ({posixpath.dirname(p)}/)"
    return None


def _create_all(project: Project) -> tuple[str, int] | None:
    for f in service_files(project):
        if not mentions(f, "create_all"):
            continue
        calls = [node for node in f.nodes(ast.Call) if attr_name(node) == "create_all"
                 and isinstance(node.func, ast.Attribute)
                 and "metadata" in ast.unparse(node.func.value)]
        if calls:
            first = in_walk_order(f, calls)[0]
            return f.path, first.lineno
    return None
