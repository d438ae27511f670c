"""Facts about a project's database use, shared by the database and scalability detectors."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from checks.detector import Project
from checks.pyfile import PyFile

DATABASE_LIBRARIES = (
    "sqlalchemy", "sqlmodel", "flask_sqlalchemy", "django", "psycopg2", "psycopg", "asyncpg",
    "pymysql", "MySQLdb", "mysqlclient", "mysql", "aiomysql", "aiosqlite", "sqlite3", "peewee",
    "tortoise", "pony", "databases", "piccolo", "ormar", "pymongo", "motor", "mongoengine",
    "beanie", "odmantic", "cassandra", "edgedb", "records", "dataset",
)
"""Import (or distribution) names of database drivers and ORMs."""

ENGINES = frozenset(
    {"sqlalchemy.create_engine", "sqlalchemy.engine.create_engine",
     "sqlalchemy.ext.asyncio.create_async_engine", "sqlmodel.create_engine"}
)
"""Calls that create a SQLAlchemy engine (and with it a connection pool)."""

_DEPLOY_SUFFIXES = (".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf", ".tf", ".env.example",
                    ".dockerfile")
_SERVERLESS_FILES = ("serverless.yml", "serverless.yaml", "template.yaml", "zappa_settings.json")

_ONE_OFF_FILES = frozenset({"cli.py", "__main__.py", "manage.py", "setup.py", "noxfile.py",
                            "fabfile.py", "conftest.py"})
_CLI_MODULES = ("argparse", "click", "typer", "fire", "docopt")

SKIPPED_DIRS = frozenset({"scripts", "bin", "tools", "examples", "docs", "benchmarks"})
"""Folders of one-off code whose queries do not run per request."""


def database_library(project: Project) -> str | None:
    """The first database library the project uses, or None when it uses none."""
    for name in DATABASE_LIBRARIES:
        if project.uses(name):
            return name
    return None


def no_database_reason() -> str:
    """The ``not_applicable`` reason shared by every database item."""
    return "no database driver or ORM is imported or declared as a dependency"


def is_one_off(f: PyFile) -> bool:
    """True for code that does not serve requests: scripts, management commands, command-line
    modules (``argparse``/``click``/``typer``), ``manage.py`` and friends."""
    parts = f.path.split("/")
    return (
        any(p in SKIPPED_DIRS for p in parts[:-1])
        or "management" in parts[:-1]
        or parts[-1] in _ONE_OFF_FILES
        or f.imports_module(*_CLI_MODULES)
    )


def is_migration(f: PyFile) -> bool:
    """Migrations: the engine's rule plus any module that imports Alembic (``env.py`` and
    revision scripts kept in a folder of another name, such as ``revisions/``)."""
    return f.is_migration or f.imports_module("alembic")


def external_pooling(project: Project) -> str | None:
    """What pools connections outside the app, if anything: PgBouncer named in a deployment
    file, or a serverless deployment (one request per process)."""
    if project.uses("mangum", "aws_lambda_powertools"):
        return "AWS Lambda (one request per process)"
    for name in _SERVERLESS_FILES:
        if project.tree.glob_names(name):
            return f"a serverless deployment ({name})"
    for path, data in project.tree.files.items():
        name = path.rsplit("/", 1)[-1].lower()
        if (name.endswith(_DEPLOY_SUFFIXES) or name.startswith(("dockerfile", "procfile"))) and (
            b"pgbouncer" in data.lower()
        ):
            return f"PgBouncer (mentioned in {path})"
    return None


def is_test(f: PyFile) -> bool:
    """Test code: the engine's rule (``tests/``, ``test_*.py``...) plus Django's ``tests.py``
    modules, which the startapp template creates in every app."""
    return f.is_test or f.path.rsplit("/", 1)[-1] == "tests.py"


def service_files(project: Project) -> list[PyFile]:
    """Python files that are neither tests (see :func:`is_test`) nor migrations (see
    :func:`is_migration`)."""
    return [f for f in project.service_files() if not is_test(f) and not is_migration(f)]


def walk_scope(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node under ``nodes`` without entering nested functions, lambdas or classes."""
    stack = list(nodes)
    stack.reverse()
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        children = list(ast.iter_child_nodes(node))
        children.reverse()
        stack.extend(children)
