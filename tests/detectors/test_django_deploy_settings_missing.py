from checks.detectors.security.django_deploy_settings_missing import DjangoDeploySettingsMissing
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

BASE = """\
INSTALLED_APPS = ["django.contrib.auth"]
ROOT_URLCONF = "proj.urls"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = False
"""

PRODUCTION = """\
from .base import *

DEBUG = False
SECURE_HSTS_SECONDS = 0
"""


def test_flags_missing_and_disabled_settings_through_star_imports() -> None:
    files = {
        "proj/settings/base.py": BASE,
        "proj/settings/production.py": PRODUCTION,
        "proj/settings/local.py": "from .base import *\nDEBUG = True\n",
    }
    report = run(DjangoDeploySettingsMissing, files)
    assert found(report) == [
        ("SEC-10", "proj/settings/base.py", 4),
        ("SEC-10", "proj/settings/production.py", 0),
        ("SEC-10", "proj/settings/production.py", 4),
    ]
    assert status(report, "SEC-10") is Status.WARN
    by_place = {(f.path, f.start_line): f for f in findings(report, "SEC-10")}
    missing = by_place[("proj/settings/production.py", 0)]
    assert missing.message.startswith(
        "production settings proj/settings/production.py do not set SECURE_SSL_REDIRECT ")
    assert missing.severity is Severity.MEDIUM
    assert "CSRF_COOKIE_SECURE = False in proj/settings/base.py" in by_place[
        ("proj/settings/base.py", 4)].message


SINGLE = """\
import environ

env = environ.Env()
SECRET_KEY = env("SECRET_KEY")
INSTALLED_APPS = []
if not env.bool("DEBUG", False):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env.int("HSTS", 3600)
SESSION_COOKIE_SECURE = env.bool("COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = True
"""


def test_single_settings_file_with_everything_set_passes() -> None:
    files = {"proj/settings.py": SINGLE, "proj/test_settings.py": "INSTALLED_APPS = []\n"}
    report = run(DjangoDeploySettingsMissing, files)
    assert found(report) == []
    assert status(report, "SEC-10") is Status.PASS
    assert report.result("SEC-10").evidence == [
        "proj/settings.py sets SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, SESSION_COOKIE_SECURE, "
        "CSRF_COOKIE_SECURE"
    ]


def test_single_settings_py_missing_everything() -> None:
    files = {"proj/settings.py": "INSTALLED_APPS = []\nROOT_URLCONF = 'proj.urls'\n"}
    assert found(run(DjangoDeploySettingsMissing, files)) == [
        ("SEC-10", "proj/settings.py", 0)]


def test_base_only_or_no_django_is_not_judged() -> None:
    files = {"proj/settings/base.py": BASE, "app/config.py": "DEBUG = False\n"}
    assert found(run(DjangoDeploySettingsMissing, files)) == []
