from checks.detectors.api.missing_rate_limiting import _GATEWAY, MissingRateLimiting, _gateway_match
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


def test_gateway_match_finds_what_a_full_scan_finds() -> None:
    filler = "x: 1\n" * 2000
    texts = [
        "",
        filler,
        filler + "annotations:\n  nginx.ingress.kubernetes.io/limit-rps: '10'\n",
        filler + "rate_limits: 3\n" + filler,  # \brate_limit\b fails on the trailing s
        "rate_limit: 5\nrateLimit",
        "envoy.filters.http.ratelimit and limit_req_zone",
        filler + "ThrottlingBurstLimit: 5\nresource aws_api_gateway_usage_plan x",
        "xrateLimit ratelimited sc_http_req_rate",  # no word boundary before rateLimit
    ]
    seen: list[tuple[int, str] | None] = []
    for text in texts:
        full = _GATEWAY.search(text)
        fast = _gateway_match(text)
        expected = (full.start(), full.group(0)) if full is not None else None
        got = (fast.start(), fast.group(0)) if fast is not None else None
        assert got == expected, text[-80:]
        seen.append(got)
    assert seen == [None, None, (10043, "limit-rps"), None, (0, "rate_limit:"),
                    (0, "envoy.filters.http.ratelimit"), (10000, "ThrottlingBurstLimit"),
                    (23, "sc_http_req_rate")]
