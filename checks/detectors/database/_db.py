"""Facts about a project's database use, shared by the database and scalability detectors."""

from __future__ import annotations

from checks.detector import Project

DATABASE_LIBRARIES = (
    "sqlalchemy", "sqlmodel", "flask_sqlalchemy", "django", "psycopg2", "psycopg", "asyncpg",
    "pymysql", "MySQLdb", "mysqlclient", "mysql", "aiomysql", "aiosqlite", "sqlite3", "peewee",
    "tortoise", "pony", "databases", "piccolo", "ormar", "pymongo", "motor", "mongoengine",
    "beanie", "odmantic", "cassandra", "edgedb", "records", "dataset",
)
"""Import (or distribution) names of database drivers and ORMs."""

_DEPLOY_SUFFIXES = (".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf", ".tf", ".env.example",
                    ".dockerfile")
_SERVERLESS_FILES = ("serverless.yml", "serverless.yaml", "template.yaml", "zappa_settings.json")

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


def is_one_off(path: str) -> bool:
    """True for scripts, management commands and documentation examples."""
    parts = path.split("/")
    return any(p in SKIPPED_DIRS for p in parts[:-1]) or "management" in parts[:-1]


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
