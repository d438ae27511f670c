from checks.detectors.security.csrf_protection_disabled import CsrfProtectionDisabled
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

VIEWS = """\
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def update_profile(request):
    return None


@method_decorator(csrf_exempt, name="dispatch")
class Hook(View):
    pass


legacy = csrf_exempt(update_profile)
"""

SETTINGS = """\
INSTALLED_APPS = ["django.contrib.auth"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
"""

FLASK = """\
from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)
app.config["WTF_CSRF_ENABLED"] = False


@csrf.exempt
def hook():
    return "ok"


class ProductionConfig:
    WTF_CSRF_ENABLED = False


class TestingConfig:
    WTF_CSRF_ENABLED = False
"""

BLUEPRINTS = """\
from app.extensions import csrf
from app.api import api_bp

csrf.exempt(api_bp)
"""


def test_flags_exemptions_and_disabled_protection() -> None:
    files = {
        "shop/views.py": VIEWS,
        "shop/settings.py": SETTINGS,
        "web/app.py": FLASK,
        "web/routes.py": BLUEPRINTS,
    }
    report = run(CsrfProtectionDisabled, files)
    assert found(report) == [
        ("SEC-04", "shop/settings.py", 2),
        ("SEC-04", "shop/views.py", 6),
        ("SEC-04", "shop/views.py", 11),
        ("SEC-04", "shop/views.py", 16),
        ("SEC-04", "web/app.py", 6),
        ("SEC-04", "web/app.py", 9),
        ("SEC-04", "web/app.py", 15),
        ("SEC-04", "web/routes.py", 4),
    ]
    assert status(report, "SEC-04") is Status.WARN
    by_place = {(f.path, f.start_line): f for f in findings(report, "SEC-04")}
    assert "csrf_exempt turns off CSRF checks for `update_profile`" in by_place[
        ("shop/views.py", 6)].message
    assert by_place[("shop/views.py", 6)].severity is Severity.MEDIUM
    assert by_place[("shop/settings.py", 2)].severity is Severity.HIGH
    assert "`api_bp`" in by_place[("web/routes.py", 4)].message


def test_middleware_added_elsewhere_and_dev_settings_pass() -> None:
    files = {
        "proj/settings/base.py": SETTINGS,
        "proj/settings/production.py": (
            "from .base import *\nMIDDLEWARE += ['django.middleware.csrf.CsrfViewMiddleware']\n"
        ),
        "proj/settings/test.py": "WTF_CSRF_ENABLED = False\n",
        "tests/test_views.py": VIEWS,
        "app/requirements.txt": "django\n",
    }
    report = run(CsrfProtectionDisabled, files)
    assert found(report) == []
    assert status(report, "SEC-04") is Status.PASS


def test_not_applicable_without_django_or_flask() -> None:
    report = run(CsrfProtectionDisabled, {"app/main.py": "import fastapi\n"})
    assert status(report, "SEC-04") is Status.NOT_APPLICABLE


def test_exemptions_imported_under_other_names_are_found() -> None:
    src = """\
from django.views.decorators.csrf import csrf_exempt as no_csrf

from app import views
from app.extensions import csrf as protect

hook = no_csrf(views.hook)
protect.exempt(views.api)
"""
    report = run(CsrfProtectionDisabled, {"app/urls.py": src})
    assert found(report) == [("SEC-04", "app/urls.py", 6), ("SEC-04", "app/urls.py", 7)]
    by_line = {f.start_line: f for f in findings(report, "SEC-04")}
    assert by_line[6].message == "csrf_exempt turns off CSRF checks for `views.hook`"
    assert by_line[7].message == "csrf.exempt turns off CSRF checks for `views.api`"
