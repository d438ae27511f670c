from checks.detectors.database.connection_opened_per_request import ConnectionOpenedPerRequest
from checks.model import Status
from tests.helpers import findings, found, run, status

DB = """\
import functools
import psycopg2
import sqlite3
from flask import g

_conn = None


def get_conn():
    return psycopg2.connect("dbname=shop")


def get_db():
    if "db" not in g:
        g.db = psycopg2.connect("dbname=shop")
    return g.db


@functools.lru_cache
def shared():
    return psycopg2.connect("dbname=shop")


def once():
    global _conn
    if _conn is None:
        _conn = psycopg2.connect("dbname=shop")
    return _conn


def local():
    return sqlite3.connect("app.db")
"""

ROUTES = """\
import asyncpg
from fastapi import APIRouter, Depends
from app.db import get_conn, get_db, shared, once, local

router = APIRouter()


async def conn_dep():
    conn = await asyncpg.connect("postgresql://db/shop")
    try:
        yield conn
    finally:
        await conn.close()


@router.get("/a")
async def a(conn=Depends(conn_dep)):
    return await conn.fetch("SELECT 1")


@router.get("/b")
def b():
    get_conn()
    get_db()
    shared()
    once()
    local()


@router.get("/c")
async def c():
    conn = await asyncpg.connect("postgresql://db/shop")
    return conn


def batch_job():
    return get_conn()
"""


def test_flags_connections_opened_in_handlers_their_callees_and_dependencies() -> None:
    report = run(ConnectionOpenedPerRequest, {"app/db.py": DB, "app/routes.py": ROUTES})
    assert found(report) == [
        ("DB-07", "app/db.py", 10),
        ("DB-07", "app/db.py", 15),
        ("DB-07", "app/routes.py", 9),
        ("DB-07", "app/routes.py", 32),
    ]
    messages = {(f.path, f.start_line): f.message for f in findings(report, "DB-07")}
    assert messages[("app/db.py", 10)] == (
        "`psycopg2.connect()` opens a new database connection per request (in `get_conn`, "
        "called from request handler `b` (app/routes.py:23))"
    )
    assert messages[("app/routes.py", 32)] == (
        "`asyncpg.connect()` opens a new database connection per request (in request handler "
        "`c`)"
    )
    assert status(report, "DB-07") is Status.WARN


def test_pool_created_once_passes_with_evidence() -> None:
    code = (
        "import asyncpg\n"
        "from fastapi import FastAPI\n"
        "app = FastAPI()\n"
        "pool = None\n"
        "async def startup():\n"
        "    global pool\n"
        "    pool = await asyncpg.create_pool('postgresql://db/shop')\n"
        "@app.get('/x')\n"
        "async def x():\n"
        "    async with pool.acquire() as conn:\n"
        "        return await conn.fetch('SELECT 1')\n"
    )
    report = run(ConnectionOpenedPerRequest, {"app/main.py": code})
    assert found(report) == []
    assert report.result("DB-07").evidence == ["`asyncpg.create_pool()` at app/main.py:7"]


def test_not_applicable_without_a_database() -> None:
    report = run(ConnectionOpenedPerRequest, {"app/main.py": "import fastapi\n"})
    assert status(report, "DB-07") is Status.NOT_APPLICABLE


def test_a_dependency_used_twice_names_the_use_a_walk_of_the_file_meets_first() -> None:
    # The annotation alias comes first in the source, but the parameter default sits nearer
    # the top of the syntax tree: a breadth-first walk meets it first, and it names the
    # finding.
    main = (
        "from typing import Annotated\n"
        "from fastapi import Depends, FastAPI\n"
        "from app.db import get_conn\n"
        "Conn = Annotated[object, Depends(get_conn)]\n"
        "app = FastAPI()\n"
        "@app.get('/a')\n"
        "def a(conn=Depends(get_conn)):\n"
        "    return conn\n"
    )
    report = run(ConnectionOpenedPerRequest, {"app/db.py": DB, "app/main.py": main})
    assert found(report) == [("DB-07", "app/db.py", 10)]
    assert findings(report, "DB-07")[0].message == (
        "`psycopg2.connect()` opens a new database connection per request (in `get_conn`, "
        "a FastAPI dependency (app/main.py:7))"
    )
