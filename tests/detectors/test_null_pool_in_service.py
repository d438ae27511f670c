from checks.detectors.database.null_pool_in_service import NullPoolInService
from checks.model import Status
from tests.helpers import found, run, status

ENGINE = """\
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool, QueuePool

engine = create_engine("postgresql://db/app", poolclass=NullPool)
pooled = create_engine("postgresql://db/app", poolclass=QueuePool, pool_size=5)
"""


def test_flags_null_pool_in_service_code() -> None:
    report = run(NullPoolInService, {"app/db.py": ENGINE})
    assert found(report) == [("DB-07", "app/db.py", 4)]
    assert status(report, "DB-07") is Status.WARN


def test_alembic_tests_celery_and_pgbouncer_are_left_alone() -> None:
    files = {
        "alembic/env.py": ENGINE,
        "tests/conftest.py": ENGINE,
        "app/worker.py": "import celery\n" + ENGINE,
    }
    assert found(run(NullPoolInService, files)) == []
    files = {
        "app/db.py": ENGINE,
        "docker-compose.yml": "services:\n  pgbouncer:\n    image: edoburu/pgbouncer\n",
    }
    report = run(NullPoolInService, files)
    assert found(report) == []
    assert report.result("DB-07").evidence == [
        "NullPool used with PgBouncer (mentioned in docker-compose.yml)"
    ]


def test_an_aliased_engine_factory_is_resolved() -> None:
    files = {"app/db.py": """\
from sqlalchemy import create_engine as make_engine
from sqlalchemy.pool import NullPool as NoPool

engine = make_engine("postgresql://db/app", poolclass=NoPool)
"""}
    assert found(run(NullPoolInService, files)) == [("DB-07", "app/db.py", 4)]
