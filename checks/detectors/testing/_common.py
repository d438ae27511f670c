"""What several testing, documentation and compliance detectors need to know about a project:
whether it is a web service or has a database, which files are tests, which files are CI and
tool configuration, and which Python files are "service source" (code a test should cover, as
opposed to settings, scripts, docs and entry-point boilerplate). HTTP routes come from
:mod:`checks.detectors.api._routes`."""

from __future__ import annotations

import ast
import functools
import posixpath
import re
from collections.abc import Iterator

from checks import pyast
from checks.detector import Project
from checks.pyfile import PyFile, is_migration_path, is_test_path

# Import names of web frameworks; a project importing or declaring one is a network service.
WEB_FRAMEWORKS = (
    "fastapi", "flask", "django", "starlette", "aiohttp", "sanic", "litestar", "quart", "falcon",
    "tornado", "pyramid", "bottle", "connexion", "apiflask", "ninja", "blacksheep", "robyn",
    "grpc", "aiohttp_jinja2",
)
# Import names of database drivers and ORMs.
DATABASE_LIBS = (
    "sqlalchemy", "sqlmodel", "django", "tortoise", "peewee", "pony", "psycopg", "psycopg2",
    "asyncpg", "aiopg", "pymongo", "motor", "mongoengine", "beanie", "odmantic", "databases",
    "aiomysql", "pymysql", "MySQLdb", "mysqlclient", "aiosqlite", "flask_sqlalchemy",
    "piccolo", "ormar", "cassandra", "neo4j", "sqlite3", "edgedb", "prisma",
)
# Folders whose Python files are tooling rather than the service itself.
_NON_SERVICE_DIRS = frozenset(
    {"docs", "doc", "examples", "example", "scripts", "script", "bin", "tools", "benchmarks",
     ".github", "site-packages", "node_modules", "vendor", "third_party"}
)
_NON_SERVICE_FILES = frozenset(
    {"setup.py", "manage.py", "noxfile.py", "fabfile.py", "conftest.py", "wsgi.py", "asgi.py",
     "__main__.py", "gunicorn.conf.py", "gunicorn_conf.py",
     "locustfile.py", "dodo.py"}
)
_SETTINGS = re.compile(r"(^|/)(settings|config|configs|conf)(/|\.py$)|(^|/)settings_\w+\.py$")

# Files that configure CI, hooks and tools: where scanners and test runners are wired in.
_TOOL_NAMES = frozenset(
    {".pre-commit-config.yaml", "tox.ini", "noxfile.py", "makefile", "pyproject.toml",
     "setup.cfg", ".gitlab-ci.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml",
     "justfile", "taskfile.yml", "cloudbuild.yaml", "buildspec.yml", ".travis.yml",
     "appveyor.yml", ".drone.yml", "jenkinsfile"}
)
_CI_DIRS = (".github/workflows/", ".circleci/", ".gitlab/", ".buildkite/", ".github/actions/")


@functools.lru_cache(maxsize=16384)
def is_service_source(path: str) -> bool:
    """True for Python code of the service itself: not tests, migrations, settings, docs,
    scripts, packaging or entry-point boilerplate (``wsgi.py``, ``manage.py``). Asked about
    every Python file by several detectors, so answers are cached."""
    if not path.endswith(".py") or is_test_path(path) or is_migration_path(path):
        return False
    parts = path.split("/")
    # Hidden folders (.copier/, .devcontainer/, .github/) hold tooling, not the service.
    if any(p in _NON_SERVICE_DIRS or p.startswith(".") for p in parts[:-1]):
        return False
    if parts[-1] in _NON_SERVICE_FILES:
        return False
    return not _SETTINGS.search(path)


def is_script(f: PyFile) -> bool:
    """True for a module run as a program: it has a module-level ``if __name__ ==
    "__main__":`` block."""
    return _module_body(f)[0]


def _module_body(f: PyFile) -> tuple[bool, bool]:
    """``(is a script, defines a function or class)`` from one pass over the module's own
    statements, memoised in ``f.memo`` (asked of every service file by several detectors)."""
    found: tuple[bool, bool] | None = f.memo.get(_MODULE_BODY)
    if found is None:
        script = defines = False
        for stmt in f.tree.body:
            if isinstance(stmt, _DEFINITIONS):
                defines = True
            elif not script and isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Compare):
                names = [stmt.test.left, *stmt.test.comparators]
                script = any(isinstance(n, ast.Name) and n.id == "__name__" for n in names) and any(
                    pyast.const_str(n) == "__main__" for n in names
                )
        found = f.memo[_MODULE_BODY] = (script, defines)
    return found


_MODULE_BODY = "testing.module_body"
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def web_framework(project: Project) -> str | None:
    """The first web framework the project's service code imports or declares, or None."""
    return project.memo("testing.web_framework", lambda: _web_framework(project))


def _web_framework(project: Project) -> str | None:
    for name in WEB_FRAMEWORKS:
        if project.uses(name):
            return name
    if project.uses("djangorestframework", "django-ninja", "grpcio"):
        return "django" if project.uses("djangorestframework", "django-ninja") else "grpc"
    return None


def database_library(project: Project) -> str | None:
    """The first database driver or ORM service code imports or the project declares, or None."""
    return project.memo("testing.database_library", lambda: _database_library(project))


def _database_library(project: Project) -> str | None:
    for name in DATABASE_LIBS:
        if project.uses(name):
            return name
    return None


def defines_tests(f: PyFile) -> bool:
    """True when a test file holds at least one test: a module-level ``test*`` function, or a
    module-level class named ``Test*`` or deriving from a ``*TestCase`` (pytest and unittest
    discovery). Only the module body is read, so this stays cheap on large suites."""
    for node in f.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith(
            "test"
        ):
            return True
        if isinstance(node, ast.ClassDef) and (
            node.name.startswith("Test")
            or any((pyast.dotted(b) or "").endswith(("TestCase", "Tests")) for b in node.bases)
        ):
            return True
    return False


def find_test_modules(project: Project) -> list[str]:
    """Paths of parsed test files that define at least one test, sorted (computed once per
    review and shared: do not change the list)."""
    return project.memo("testing.test_modules", lambda: [
        p for p, f in sorted(project.python.items()) if f.is_test and defines_tests(f)])


def service_modules(project: Project) -> list[str]:
    """Paths of parsed service-source files (scripts aside) that define at least one function
    or class (computed once per review and shared: do not change the list)."""
    return project.memo("testing.service_modules", lambda: [
        path for path, f in sorted(project.python.items())
        if is_service_source(path) and _module_body(f) == (False, True)])


def is_tool_config(path: str) -> bool:
    """True for CI workflows, pre-commit, tox/nox, Makefiles and packaging config."""
    lower = path.lower()
    base = posixpath.basename(lower)
    return lower.startswith(_CI_DIRS) or base in _TOOL_NAMES or (
        base.startswith("requirements") and base.endswith((".txt", ".in"))
    ) or lower.startswith("requirements/")


def tool_config_texts(project: Project) -> Iterator[tuple[str, str]]:
    """``(path, text)`` of every held CI, hook, task-runner and packaging file, by path."""
    paths: list[str] = project.memo("testing.tool_config_paths", lambda: [
        p for p in sorted(project.tree.files) if is_tool_config(p)])
    for path in paths:
        text = project.text(path)
        if text is not None:
            yield path, text


def first_match(pattern: re.Pattern[str], texts: Iterator[tuple[str, str]]
                ) -> tuple[str, int, str] | None:
    """The first ``(path, line, matched text)`` of ``pattern`` in ``texts``, or None."""
    for path, text in texts:
        m = pattern.search(text)
        if m:
            return path, text.count("\n", 0, m.start()) + 1, m.group(0).strip()
    return None
