from checks.detectors.api.missing_rate_limiting import MissingRateLimiting
from checks.model import Status
from tests.helpers import found, run, status

APP = """\
from fastapi import FastAPI

from app.routes import router

app = FastAPI(title="shop")
app.include_router(router)
"""


def test_one_finding_per_item_on_the_app() -> None:
    report = run(MissingRateLimiting, {"app/main.py": APP})
    assert found(report) == [
        ("API-05", "app/main.py", 5),
        ("RES-08", "app/main.py", 5),
        ("SEC-14", "app/main.py", 5),
    ]
    assert status(report, "API-05") is Status.WARN


def test_a_limiter_library_passes() -> None:
    files = {"app/main.py": APP, "requirements.txt": "fastapi\nslowapi==0.1.9\n"}
    report = run(MissingRateLimiting, files)
    assert found(report) == []
    assert report.result("SEC-14").evidence == [
        "rate limiting library `slowapi` is used or declared"]


def test_drf_throttling_passes() -> None:
    files = {
        "proj/urls.py": "from django.urls import path\nurlpatterns = []\n",
        "proj/settings.py": 'REST_FRAMEWORK = {\n    "DEFAULT_THROTTLE_CLASSES": '
                            '["rest_framework.throttling.UserRateThrottle"],\n}\n',
    }
    report = run(MissingRateLimiting, files)
    assert found(report) == []
    assert report.result("API-05").evidence == [
        "DRF DEFAULT_THROTTLE_CLASSES at proj/settings.py:2"]


def test_a_gateway_limit_passes() -> None:
    files = {
        "app/main.py": APP,
        "deploy/nginx/site.conf": "limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;\n",
    }
    report = run(MissingRateLimiting, files)
    assert found(report) == []
    assert report.result("RES-08").evidence == [
        "gateway rate limit `limit_req_zone` in deploy/nginx/site.conf"]


def test_django_project_reports_on_the_root_urlconf() -> None:
    files = {
        "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\n',
        "proj/urls.py": "from django.urls import path\n\nurlpatterns = []\n",
    }
    report = run(MissingRateLimiting, files)
    assert found(report, "API-05") == [("API-05", "proj/urls.py", 3)]


def test_not_applicable_without_a_web_framework() -> None:
    report = run(MissingRateLimiting, {"etl/job.py": "import pandas\n"})
    for item in ("API-05", "SEC-14", "RES-08"):
        assert status(report, item) is Status.NOT_APPLICABLE
