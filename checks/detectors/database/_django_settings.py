"""Django ``DATABASES`` settings read from the syntax tree of settings modules (never imported)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from checks.detector import Project
from checks.detectors.database._db import in_walk_order, service_files
from checks.pyast import const, const_str


@dataclass(slots=True)
class DatabasesSetting:
    """One module-level ``DATABASES = ...`` assignment."""

    path: str
    line: int
    aliases: list[str]
    engines: list[str | None]  # literal ENGINE per alias, None when computed (URL, env)


@dataclass(slots=True)
class DjangoDatabases:
    """What the settings modules say about database connections.

    ``conn_max_age``: every value given to ``CONN_MAX_AGE`` (dict key, ``DATABASES[...][...] =``
    assignment, or ``conn_max_age=`` of ``dj_database_url``/``django-environ``), as the literal
    value or ``...`` when computed. ``pool``: the psycopg pool option (Django 5.1) is set.
    """

    settings: list[DatabasesSetting] = field(default_factory=list)
    conn_max_age: list[tuple[str, int, object]] = field(default_factory=list)
    health_checks: list[tuple[str, int, object]] = field(default_factory=list)
    pool: list[tuple[str, int]] = field(default_factory=list)

    @property
    def server_settings(self) -> list[DatabasesSetting]:
        """Assignments with at least one alias that is not SQLite."""
        return [s for s in self.settings
                if any(e is None or "sqlite" not in e for e in s.engines)]

    @property
    def persistent(self) -> bool:
        """True when some ``CONN_MAX_AGE`` is not the literal 0."""
        return any(v != 0 for _, _, v in self.conn_max_age)


def django_databases(project: Project) -> DjangoDatabases:
    """Read ``DATABASES`` settings from every service module that assigns them; computed once
    per review and shared (callers must not change it)."""
    return project.memo("db.django_databases", lambda: _django_databases(project))


def _django_databases(project: Project) -> DjangoDatabases:
    out = DjangoDatabases()
    for f in service_files(project):
        if "DATABASES" not in f.text and "conn_max_age" not in f.text:
            continue
        for stmt in f.tree.body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "DATABASES" for t in stmt.targets
            ):
                out.settings.append(_setting(f.path, stmt))
        found: list[ast.AST] = [node for node in f.nodes(ast.Dict)
                                if any(const_str(k) in _KEYS for k in node.keys)]
        found.extend(node for node in f.nodes(ast.Assign) if any(
            isinstance(t, ast.Subscript) and const_str(t.slice) in _KEYS for t in node.targets))
        found.extend(node for node in f.nodes(ast.Call)
                     if any(kw.arg in _KWARGS for kw in node.keywords))
        for node in in_walk_order(f, found):  # the first value found is the one shown
            _collect(node, f.path, out)
    return out


_KEYS = frozenset({"CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "pool"})
_KWARGS = frozenset({"conn_max_age", "conn_health_checks"})


def _setting(path: str, stmt: ast.Assign) -> DatabasesSetting:
    aliases: list[str] = []
    engines: list[str | None] = []
    if isinstance(stmt.value, ast.Dict):
        for key, value in zip(stmt.value.keys, stmt.value.values, strict=True):
            alias = const_str(key)
            if alias is None:
                continue
            aliases.append(alias)
            engine: str | None = None
            if isinstance(value, ast.Dict):
                for k, v in zip(value.keys, value.values, strict=True):
                    if const_str(k) == "ENGINE":
                        engine = const_str(v)
            engines.append(engine)
    else:
        aliases.append("default")
        engines.append(None)
    return DatabasesSetting(path, stmt.lineno, aliases, engines)


def _collect(node: ast.AST, path: str, out: DjangoDatabases) -> None:
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            name = const_str(key)
            if name == "CONN_MAX_AGE":
                out.conn_max_age.append((path, value.lineno, const(value)))
            elif name == "CONN_HEALTH_CHECKS":
                out.health_checks.append((path, value.lineno, const(value)))
            elif name == "pool" and const(value) is not False:
                out.pool.append((path, value.lineno))
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Subscript):
                name = const_str(target.slice)
                if name == "CONN_MAX_AGE":
                    out.conn_max_age.append((path, node.lineno, const(node.value)))
                elif name == "CONN_HEALTH_CHECKS":
                    out.health_checks.append((path, node.lineno, const(node.value)))
    elif isinstance(node, ast.Call):
        for kw in node.keywords:
            if kw.arg == "conn_max_age":
                out.conn_max_age.append((path, kw.value.lineno, const(kw.value)))
            elif kw.arg == "conn_health_checks":
                out.health_checks.append((path, kw.value.lineno, const(kw.value)))
