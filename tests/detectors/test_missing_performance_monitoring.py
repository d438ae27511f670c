from checks.detectors.observability.missing_performance_monitoring import (
    MissingPerformanceMonitoring,
)
from checks.model import Status
from tests.helpers import found, run, status

APP = """\
from aiohttp import web

app = web.Application()
"""


def test_flags_aiohttp_service_without_apm() -> None:
    report = run(MissingPerformanceMonitoring, {"svc/server.py": APP})
    assert found(report) == [("SCALE-10", "svc/server.py", 3)]
    assert status(report, "SCALE-10") is Status.WARN


def test_passes_with_newrelic_dependency() -> None:
    files = {"svc/server.py": APP, "requirements.txt": "aiohttp==3.9\nnewrelic==9.0\n"}
    report = run(MissingPerformanceMonitoring, files)
    assert found(report) == []
    assert report.result("SCALE-10").evidence == ["found dependency newrelic at requirements.txt:2"]


def test_passes_with_sentry_tracing_but_not_plain_sentry() -> None:
    plain = APP + "import sentry_sdk\nsentry_sdk.init(dsn='x')\n"
    assert found(run(MissingPerformanceMonitoring, {"svc/server.py": plain})) == [
        ("SCALE-10", "svc/server.py", 3)
    ]
    traced = APP + "import sentry_sdk\nsentry_sdk.init(dsn='x', traces_sampler=sampler)\n"
    report = run(MissingPerformanceMonitoring, {"svc/server.py": traced})
    assert found(report) == []
    assert status(report, "SCALE-10") is Status.PASS


def test_not_applicable_for_a_library() -> None:
    report = run(MissingPerformanceMonitoring, {"lib/x.py": "import json\n"})
    assert status(report, "SCALE-10") is Status.NOT_APPLICABLE
