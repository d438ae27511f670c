"""Model schema changed in a pull request that adds no migration.

## What it flags
An added line, in the pull request, on a schema statement of an ORM model, when the pull
request adds no migration that could carry it:

- Django: a field (``models.CharField(...)``, ``ForeignKey``...) or a ``class Meta`` line of a
  ``models.Model`` subclass, with no file added under the ``migrations/`` folder of the model's
  app (for an abstract model, under any ``migrations/`` folder). Models with
  ``managed = False`` are skipped.
- SQLAlchemy and SQLModel, in a project that uses Alembic (``alembic.ini``, an Alembic
  dependency or a ``versions/`` folder of migrations): a ``Column``/``mapped_column``/
  ``Mapped[...]`` attribute, a SQLModel table field, ``__tablename__`` or ``__table_args__``,
  with no file added under a ``versions/`` folder.

The finding sits on the first added schema line of each changed model. Methods, properties and
relationship declarations do not need migrations and are ignored. Removed fields are not seen
(the diff's removed lines are not parsed).

## Why it matters
The code and the database disagree as soon as the change deploys: new columns are missing
(``column does not exist`` errors), removed ones break inserts, and whoever runs
``makemigrations``/``alembic revision --autogenerate`` next picks up an unrelated change in
their pull request.

## Example
```python
class Order(models.Model):
    paid_at = models.DateTimeField(null=True)  # added, no migration in the PR
```

## Use instead
Generate and commit the migration with the model change: ``python manage.py makemigrations
shop`` or ``alembic revision --autogenerate -m "add paid_at"``, and let CI fail when they drift
(``makemigrations --check --dry-run``, ``alembic check``).

## References
- Django, Migrations: https://docs.djangoproject.com/en/stable/topics/migrations/
- Alembic, Auto Generating Migrations: https://alembic.sqlalchemy.org/en/latest/autogenerate.html
- The Twelve-Factor App, XII. Admin processes: https://12factor.net/admin-processes
"""

from __future__ import annotations

import ast
import posixpath

from checks.detector import Detector, Project
from checks.detectors.database._models import (
    ModelClass,
    app_dirs,
    django_models,
    sqlalchemy_models,
)
from checks.diff import ChangeStatus, FileChange


class ModelChangeWithoutMigration(Detector):
    """Flags model changes of a pull request that adds no migration (see module docstring)."""

    slug = "model-change-without-migration"
    items = ("DB-10",)

    def finish(self, project: Project) -> None:
        diff = project.diff
        if not diff.files:
            return
        added = [p for p, c in diff.files.items()
                 if c.status in (ChangeStatus.ADDED, ChangeStatus.RENAMED,
                                 ChangeStatus.MODIFIED) and p.endswith(".py")]
        new_files = [p for p, c in diff.files.items() if c.status is ChangeStatus.ADDED]
        django_migrations = [p for p in new_files if "migrations" in p.split("/")[:-1]]
        alembic_versions = [p for p in new_files if p.split("/")[-2:-1] == ["versions"]]
        if not added:
            return
        if project.uses("django"):
            for models in django_models(project).values():
                for model in models:
                    if model.path in added and model.managed:
                        self._django(model, diff.files[model.path], django_migrations, project)
        if _uses_alembic(project):
            for models in sqlalchemy_models(project).values():
                for model in models:
                    if model.path in added and not alembic_versions:
                        self._sqlalchemy(model, diff.files[model.path])

    def _django(self, model: ModelClass, change: FileChange, migrations: list[str],
                project: Project) -> None:
        line = _first_added(model, change)
        if line is None:
            return
        app = app_dirs(project).find(model.path)
        folder = posixpath.join(app, "migrations") if app else "migrations"
        if model.abstract:
            if migrations:
                return
            where = "any app's migrations/ folder"
        else:
            if any(p.startswith(folder + "/") for p in migrations):
                return
            where = f"`{folder}/`"
        self.report(
            "DB-10", model.path, line,
            f"model `{model.name}` changed but the pull request adds no migration under "
            f"{where}",
            f"Run `python manage.py makemigrations {posixpath.basename(app) or ''}`".rstrip()
            + " and commit the migration with the model change.",
            key=f"{model.name}:missing-migration",
        )

    def _sqlalchemy(self, model: ModelClass, change: FileChange) -> None:
        line = _first_added(model, change)
        if line is None:
            return
        self.report(
            "DB-10", model.path, line,
            f"table model `{model.name}` changed but the pull request adds no Alembic revision "
            "under `versions/`",
            "Run `alembic revision --autogenerate -m \"...\"`, review the generated script and "
            "commit it with the model change.",
            key=f"{model.name}:missing-migration",
        )


def _first_added(model: ModelClass, change: FileChange) -> int | None:
    lines: list[int] = []
    for stmt in model.schema:
        end = stmt.end_lineno or stmt.lineno
        body = stmt.body if isinstance(stmt, ast.ClassDef) else None
        if body is not None:  # class Meta: its own lines and its statements
            end = max((s.end_lineno or s.lineno) for s in body)
        lines.extend(n for n in range(stmt.lineno, end + 1) if n in change.added_lines)
    return min(lines) if lines else None


def _uses_alembic(project: Project) -> bool:
    if project.uses("alembic") or project.tree.glob_names("alembic.ini"):
        return True
    paths = set(project.tree.paths)
    return any(p.split("/")[-2:-1] == ["versions"]
               and posixpath.join(posixpath.dirname(posixpath.dirname(p)), "env.py") in paths
               for p in paths)
