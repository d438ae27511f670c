from checks.detectors.security.sql_injection import SqlInjection
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

BAD = """\
import sqlite3
from sqlalchemy import text
from django.db.models.expressions import RawSQL


def by_name(cur, name):
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")


def by_id(conn, user_id):
    query = "SELECT * FROM users WHERE id = %s" % user_id
    return conn.execute(query)


def by_email(session, email):
    stmt = text("SELECT id FROM users WHERE email = '" + email + "'")
    return session.execute(stmt)


def grow(cur, name):
    sql = "SELECT * FROM users WHERE 1 = 1"
    sql += " AND name = '{}'".format(name)
    cur.executemany(sql, [])


async def pg(pool, uid):
    return await pool.fetchrow(f"SELECT * FROM t WHERE id = {uid}")


def script(db, table):
    db.executescript("DROP TABLE " + table)


def django_raw(User, Model, order):
    User.objects.raw("SELECT * FROM auth_user ORDER BY %s" % order)
    Model.objects.extra(where=[f"name = '{order}'"])
    return RawSQL(f"SELECT {order}", ())


def keyword_sql(cur, x):
    cur.execute(sql=f"DELETE FROM t WHERE x = {x}")
"""


def test_flags_formatted_sql_in_every_sink() -> None:
    report = run(SqlInjection, {"app/repo.py": BAD})
    assert found(report) == [
        ("SEC-08", "app/repo.py", 7),
        ("SEC-08", "app/repo.py", 12),
        ("SEC-08", "app/repo.py", 16),
        ("SEC-08", "app/repo.py", 23),
        ("SEC-08", "app/repo.py", 27),
        ("SEC-08", "app/repo.py", 31),
        ("SEC-08", "app/repo.py", 35),
        ("SEC-08", "app/repo.py", 36),
        ("SEC-08", "app/repo.py", 37),
        ("SEC-08", "app/repo.py", 41),
    ]
    assert status(report, "SEC-08") is Status.WARN
    first = findings(report, "SEC-08")[0]
    assert first.severity is Severity.HIGH
    assert "execute()" in first.message and "f-string" in first.message
    second = findings(report, "SEC-08")[1]
    assert "`query`, built with %-formatting at line 11" in second.message


GOOD = """\
from sqlalchemy import text

TABLE = "users"
COLUMNS = ", ".join(["id", "name"])


def params(cur, name, ids):
    cur.execute("SELECT * FROM users WHERE name = %s", (name,))
    cur.execute(f"SELECT {COLUMNS} FROM {TABLE} WHERE id = ?", (1,))
    marks = ", ".join("?" * len(ids))
    cur.execute(f"SELECT * FROM users WHERE id IN ({marks})", ids)
    holders = ",".join(["%s"] * len(ids))
    cur.execute("DELETE FROM t WHERE id IN (%s)" % holders, ids)
    cur.execute("SELECT * FROM t LIMIT %d" % int(name))
    cur.execute("SELECT 1 " + "FROM dual")


def bound(session, uid):
    session.execute(text("SELECT * FROM users WHERE id = :id"), {"id": uid})


def not_sql(executor, client, task, url):
    executor.execute(f"task-{task}")
    client.fetch(f"https://example.org/{url}")


def unknown(cur, query):
    cur.execute(query)
"""


def test_parameterized_constant_and_non_sql_strings_pass() -> None:
    report = run(SqlInjection, {"app/repo.py": GOOD})
    assert found(report) == []
    assert status(report, "SEC-08") is Status.PASS


def test_skips_tests_and_migrations() -> None:
    files = {
        "tests/test_repo.py": BAD,
        "app/migrations/0002_data.py": BAD,
    }
    assert found(run(SqlInjection, files)) == []


def test_loop_variable_is_not_a_constant() -> None:
    src = (
        "def drop_all(cur, tables):\n"
        "    for name in tables:\n"
        "        cur.execute(f'TRUNCATE TABLE {name}')\n"
    )
    assert found(run(SqlInjection, {"app/admin.py": src})) == [("SEC-08", "app/admin.py", 3)]


def test_templates_from_elsewhere_filled_with_constants_pass() -> None:
    src = (
        "from sqlalchemy import text\n"
        "TABLE = 'users'\n"
        "def run(session, query, name):\n"
        "    session.execute(text(query.replace('\\n', ' ')))\n"
        "    session.execute(text(query.format(table=TABLE)))\n"
        "    session.execute(text(query % (TABLE,)))\n"
        "    session.execute(text(query.replace('[NAME]', name)))\n"
    )
    assert found(run(SqlInjection, {"app/q.py": src})) == [("SEC-08", "app/q.py", 7)]


def test_self_referencing_constant_variable_is_constant() -> None:
    src = (
        "def build(cur):\n"
        "    cols = 'id'\n"
        "    cols = cols + ', name'\n"
        "    cur.execute(f'SELECT {cols} FROM users WHERE id = %s', (1,))\n"
    )
    assert found(run(SqlInjection, {"app/q.py": src})) == []


LOOSE = """\
def user_query(name):
    return "SELECT * FROM users WHERE name = '" + name + "'"


def report_sql(table, day):
    sql = f'''
        DELETE FROM {table}
        WHERE day = '{day}'
    '''
    return sql


def run(cur, uid):
    q = f"SELECT * FROM t WHERE id = {uid}"
    cur.execute(q)


def fine(name, log):
    log.info(f"select from {name} failed")
    return "SELECT * FROM users WHERE name = %s"
"""


def test_sql_statements_built_away_from_any_sink_are_medium() -> None:
    report = run(SqlInjection, {"app/queries.py": LOOSE})
    assert found(report) == [
        ("SEC-08", "app/queries.py", 2),
        ("SEC-08", "app/queries.py", 6),
        ("SEC-08", "app/queries.py", 15),
    ]
    by_line = {f.start_line: f for f in findings(report, "SEC-08")}
    assert by_line[2].severity is Severity.MEDIUM
    assert by_line[2].message.startswith("SQL statement built by concatenation from run-time")
    assert by_line[6].end_line == 9
    assert by_line[15].severity is Severity.HIGH


def test_formatted_query_with_parameters_is_medium_and_alembic_is_skipped() -> None:
    src = (
        "def search(Model, sql, params):\n"
        "    return Model.objects.raw(f'SELECT * FROM ({sql}) t WHERE rank = 1', params)\n"
    )
    alembic_env = (
        "from alembic import context\n"
        "from sqlalchemy import text\n"
        "def run(connection, schema):\n"
        "    connection.execute(text(f'set search_path to {schema}'))\n"
    )
    report = run(SqlInjection, {"app/search.py": src, "db/revisions/env.py": alembic_env})
    assert found(report) == [("SEC-08", "app/search.py", 2)]
    finding = findings(report, "SEC-08")[0]
    assert finding.severity is Severity.MEDIUM
    assert "also passed as parameters" in finding.message


def test_functions_imported_under_other_names_are_found() -> None:
    src = """\
from pandas import read_sql_query as query_frame
from sqlalchemy import text as sql_text


def load(conn, table, name):
    rows = conn.execute(sql_text(f"DELETE FROM t WHERE name = '{name}'"))
    frame = query_frame(f"SELECT * FROM {table}", conn)
    return rows, frame
"""
    report = run(SqlInjection, {"app/store.py": src})
    assert found(report) == [("SEC-08", "app/store.py", 6), ("SEC-08", "app/store.py", 7)]
    by_line = {f.start_line: f for f in findings(report, "SEC-08")}
    assert by_line[6].message.startswith("SQL passed to sqlalchemy.text() is built with an f-")
    assert by_line[7].message.startswith("SQL passed to pandas.read_sql_query() is built")
