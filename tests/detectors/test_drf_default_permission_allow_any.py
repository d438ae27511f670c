from checks.detectors.security.drf_default_permission_allow_any import (
    DrfDefaultPermissionAllowAny,
)
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

VIEWS = "from rest_framework.views import APIView\n"
SETTINGS = """\
INSTALLED_APPS = ["rest_framework"]
ROOT_URLCONF = "proj.urls"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}
"""


def test_flags_missing_default_permission() -> None:
    report = run(DrfDefaultPermissionAllowAny, {"proj/settings.py": SETTINGS, "api/v.py": VIEWS})
    assert found(report) == [("SEC-02", "proj/settings.py", 3)]
    assert status(report, "SEC-02") is Status.WARN
    assert findings(report, "SEC-02")[0].severity is Severity.MEDIUM


def test_flags_allow_any_default_and_missing_setting() -> None:
    allow_any = SETTINGS.replace(
        "}\n", '    "DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.AllowAny",),\n}\n')
    report = run(DrfDefaultPermissionAllowAny, {"proj/settings.py": allow_any, "api/v.py": VIEWS})
    assert found(report) == [("SEC-02", "proj/settings.py", 5)]
    bare = "INSTALLED_APPS = ['rest_framework']\nROOT_URLCONF = 'proj.urls'\n"
    report = run(DrfDefaultPermissionAllowAny, {"proj/settings.py": bare, "api/v.py": VIEWS})
    assert found(report) == [("SEC-02", "proj/settings.py", 0)]


def test_deny_by_default_passes_and_no_drf_is_not_applicable() -> None:
    strict = SETTINGS.replace(
        "}\n",
        '    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],\n}\n',
    )
    files = {"proj/settings/base.py": strict, "proj/settings/test.py": SETTINGS, "api/v.py": VIEWS}
    report = run(DrfDefaultPermissionAllowAny, files)
    assert found(report) == []
    assert status(report, "SEC-02") is Status.PASS
    assert report.result("SEC-02").evidence == [
        "DEFAULT_PERMISSION_CLASSES set in proj/settings/base.py:5"]
    report = run(DrfDefaultPermissionAllowAny, {"app/main.py": "import fastapi\n"})
    assert status(report, "SEC-02") is Status.NOT_APPLICABLE


def test_permission_set_by_item_assignment_in_other_settings_counts() -> None:
    files = {
        "proj/settings/base.py": SETTINGS,
        "proj/settings/production.py": (
            "from .base import *\n"
            "REST_FRAMEWORK['DEFAULT_PERMISSION_CLASSES'] = ['x.IsStaff']\n"
        ),
        "api/v.py": VIEWS,
    }
    report = run(DrfDefaultPermissionAllowAny, files)
    assert found(report) == []
    assert report.result("SEC-02").evidence == [
        "DEFAULT_PERMISSION_CLASSES set in proj/settings/production.py"]
