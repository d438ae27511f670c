from checks.detectors.database.django_persistent_connections_disabled import (
    DjangoPersistentConnectionsDisabled,
)
from checks.model import Status
from tests.helpers import findings, found, run, status

SETTINGS = """\
import os

DEBUG = False

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.getenv("DB_NAME", "shop"),
    },
}
"""

REQS = "Django==5.1\n"


def test_flags_postgres_without_conn_max_age() -> None:
    report = run(DjangoPersistentConnectionsDisabled,
                 {"requirements.txt": REQS, "shop/settings.py": SETTINGS})
    assert found(report) == [("DB-07", "shop/settings.py", 5)]
    assert findings(report, "DB-07")[0].message == (
        "Django opens a new database connection for every request: CONN_MAX_AGE is not set "
        "(default 0) for `default`"
    )
    zero = SETTINGS.replace('"NAME"', '"CONN_MAX_AGE": 0,\n        "NAME"')
    report = run(DjangoPersistentConnectionsDisabled,
                 {"requirements.txt": REQS, "shop/settings.py": zero})
    assert found(report) == [("DB-07", "shop/settings.py", 5)]


def test_conn_max_age_in_another_settings_module_counts() -> None:
    prod = 'from .base import *\nDATABASES["default"]["CONN_MAX_AGE"] = 60\n'
    files = {"requirements.txt": REQS, "shop/settings/base.py": SETTINGS,
             "shop/settings/prod.py": prod}
    report = run(DjangoPersistentConnectionsDisabled, files)
    assert found(report) == []
    assert report.result("DB-07").evidence == ["CONN_MAX_AGE = 60 at shop/settings/prod.py:2"]


def test_dj_database_url_and_pool_option() -> None:
    url = ("import dj_database_url\n"
           "DATABASES = {'default': dj_database_url.config(conn_max_age=600)}\n")
    assert found(run(DjangoPersistentConnectionsDisabled,
                     {"requirements.txt": REQS, "shop/settings.py": url})) == []
    no_age = "import dj_database_url\nDATABASES = {'default': dj_database_url.config()}\n"
    report = run(DjangoPersistentConnectionsDisabled,
                 {"requirements.txt": REQS, "shop/settings.py": no_age})
    assert found(report) == [("DB-07", "shop/settings.py", 2)]
    assert findings(report, "DB-07")[0].message.endswith(
        "for `default` (unless the database URL sets conn_max_age)"
    )
    pool = SETTINGS.replace('"NAME"', '"OPTIONS": {"pool": True},\n        "NAME"')
    report = run(DjangoPersistentConnectionsDisabled,
                 {"requirements.txt": REQS, "shop/settings.py": pool})
    assert found(report) == []


def test_sqlite_only_projects_are_not_flagged() -> None:
    sqlite = SETTINGS.replace("postgresql", "sqlite3")
    report = run(DjangoPersistentConnectionsDisabled,
                 {"requirements.txt": REQS, "shop/settings.py": sqlite})
    assert found(report) == []
    assert status(report, "DB-07") is Status.PASS
