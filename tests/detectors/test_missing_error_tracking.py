from checks.detectors.observability.missing_error_tracking import MissingErrorTracking
from checks.model import Status
from tests.helpers import found, run, status

WSGI = """\
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")
application = get_wsgi_application()
"""


def test_flags_django_project_without_error_tracker() -> None:
    report = run(MissingErrorTracking, {"site/wsgi.py": WSGI, "site/settings.py": "DEBUG = 0\n"})
    assert found(report) == [("OBS-05", "site/wsgi.py", 6)]
    assert report.result("OBS-05").findings[0].message.startswith(
        "No error tracking in this Django service"
    )


def test_passes_on_sentry_init_with_evidence() -> None:
    settings = "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN)\n"
    report = run(MissingErrorTracking, {"site/wsgi.py": WSGI, "site/settings.py": settings})
    assert found(report) == []
    assert status(report, "OBS-05") is Status.PASS
    assert report.result("OBS-05").evidence == ["found sentry_sdk.init() at site/settings.py:3"]


def test_rollbar_dependency_counts() -> None:
    files = {"site/wsgi.py": WSGI, "requirements/base.txt": "Django==5.0\nrollbar==1.0\n"}
    report = run(MissingErrorTracking, files)
    assert report.result("OBS-05").evidence == [
        "found dependency rollbar at requirements/base.txt:2"
    ]


def test_django_settings_without_wsgi_module_is_a_service() -> None:
    report = run(MissingErrorTracking, {"proj/settings.py": "ROOT_URLCONF = 'proj.urls'\n"})
    assert found(report) == [("OBS-05", "proj/settings.py", 1)]


def test_library_is_not_applicable() -> None:
    report = run(MissingErrorTracking, {"pkg/core.py": "import logging\n"})
    assert status(report, "OBS-05") is Status.NOT_APPLICABLE
