from checks.detectors.scalability.pool_without_pre_ping import PoolWithoutPrePing
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

ENGINES = """\
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

engine = create_engine(settings.DATABASE_URL)
aengine = create_async_engine(settings.DATABASE_URL, pool_size=10, max_overflow=5)
good = create_engine(settings.DATABASE_URL, pool_pre_ping=True, pool_recycle=1800)
unpooled = create_engine(settings.DATABASE_URL, poolclass=NullPool)
local = create_engine("sqlite:///app.db")
opts = create_engine(settings.DATABASE_URL, **options)
"""


def test_flags_engines_without_pre_ping() -> None:
    report = run(PoolWithoutPrePing, {"app/db.py": ENGINES})
    assert found(report) == [("SCALE-07", "app/db.py", 5), ("SCALE-07", "app/db.py", 6)]
    first, second = findings(report, "SCALE-07")
    assert first.message.endswith("; pool_size, max_overflow, pool_recycle left at defaults")
    assert second.message.endswith("; pool_recycle left at defaults")
    assert first.severity is Severity.LOW
    assert status(report, "SCALE-07") is Status.WARN


def test_django_conn_max_age_without_health_checks() -> None:
    settings = (
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',\n"
        "                         'CONN_MAX_AGE': 60}}\n"
    )
    files = {"requirements.txt": "django\n", "shop/settings.py": settings}
    assert found(run(PoolWithoutPrePing, files)) == [("SCALE-07", "shop/settings.py", 2)]
    files["shop/settings.py"] = settings.replace("60}", "env_int('AGE', 0)}")
    assert found(run(PoolWithoutPrePing, files)) == []
    files["shop/settings.py"] = settings.replace("60}", "60, 'CONN_HEALTH_CHECKS': True}")
    report = run(PoolWithoutPrePing, files)
    assert found(report) == []
    assert report.result("SCALE-07").evidence == ["CONN_HEALTH_CHECKS at shop/settings.py:2"]


def test_not_applicable_without_database() -> None:
    report = run(PoolWithoutPrePing, {"app/x.py": "x = 1\n"})
    assert status(report, "SCALE-07") is Status.NOT_APPLICABLE


def test_an_aliased_engine_factory_is_resolved() -> None:
    files = {"app/db.py": """\
from sqlalchemy.ext.asyncio import create_async_engine as make_engine

engine = make_engine(settings.DATABASE_URL)
checked = make_engine(settings.DATABASE_URL, pool_pre_ping=True)
"""}
    report = run(PoolWithoutPrePing, files)
    assert found(report) == [("SCALE-07", "app/db.py", 3)]
    assert report.result("SCALE-07").evidence == [
        "engine at app/db.py:4 sets pool_pre_ping"]
