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
