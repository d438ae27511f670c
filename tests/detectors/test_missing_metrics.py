from checks.detectors.observability.missing_metrics import MissingMetrics
from checks.model import Status
from tests.helpers import found, run, status

APP = """\
from fastapi import FastAPI

app = FastAPI(title="orders")
"""


def test_flags_service_without_metrics_on_app_line() -> None:
    report = run(MissingMetrics, {"app/main.py": APP, "requirements.txt": "fastapi==0.110\n"})
    assert found(report) == [("OBS-03", "app/main.py", 3)]
    assert "FastAPI service" in report.result("OBS-03").findings[0].message
    assert status(report, "OBS-03") is Status.WARN


def test_passes_with_prometheus_instrumentator_import() -> None:
    files = {
        "app/main.py": APP + "from prometheus_fastapi_instrumentator import Instrumentator\n"
                             "Instrumentator().instrument(app).expose(app)\n",
    }
    report = run(MissingMetrics, files)
    assert found(report) == []
    assert status(report, "OBS-03") is Status.PASS
    assert report.result("OBS-03").evidence == [
        "found prometheus_fastapi_instrumentator imported at app/main.py:4"
    ]


def test_passes_with_declared_dependency_or_launcher() -> None:
    declared = run(MissingMetrics, {"app/main.py": APP,
                                    "requirements.txt": "fastapi\ndjango-prometheus==2.3\n"})
    assert found(declared) == []
    assert declared.result("OBS-03").evidence == [
        "found dependency django-prometheus at requirements.txt:2"
    ]
    launched = run(MissingMetrics, {"app/main.py": APP,
                                    "Dockerfile": "FROM python:3.12\nCMD ddtrace-run uvicorn\n"})
    assert launched.result("OBS-03").evidence == ["found `ddtrace-run` at Dockerfile:2"]


def test_not_applicable_without_application() -> None:
    report = run(MissingMetrics, {"lib/util.py": "def f() -> int:\n    return 1\n",
                                  "examples/demo.py": APP})
    assert found(report) == []
    assert status(report, "OBS-03") is Status.NOT_APPLICABLE


def test_imports_in_tests_do_not_count() -> None:
    files = {"app/main.py": APP, "tests/test_metrics.py": "import prometheus_client\n"}
    assert found(run(MissingMetrics, files)) == [("OBS-03", "app/main.py", 3)]
