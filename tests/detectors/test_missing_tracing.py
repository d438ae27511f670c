from checks.detectors.observability.missing_tracing import MissingTracing
from checks.model import Status
from tests.helpers import found, run, status

APP = """\
from flask import Flask

app = Flask(__name__)
"""


def test_flags_flask_app_without_tracing() -> None:
    report = run(MissingTracing, {"svc/app.py": APP})
    assert found(report) == [("OBS-04", "svc/app.py", 3)]
    assert status(report, "OBS-04") is Status.WARN


def test_passes_with_opentelemetry_instrumentation() -> None:
    files = {"svc/app.py": APP + "from opentelemetry.instrumentation.flask import "
                                 "FlaskInstrumentor\nFlaskInstrumentor().instrument_app(app)\n"}
    report = run(MissingTracing, files)
    assert found(report) == []
    assert report.result("OBS-04").evidence == [
        "found opentelemetry.instrumentation.flask imported at svc/app.py:4"
    ]


def test_otel_metrics_alone_is_not_tracing() -> None:
    files = {"svc/app.py": APP + "from opentelemetry import metrics\n"}
    assert found(run(MissingTracing, files)) == [("OBS-04", "svc/app.py", 3)]


def test_sentry_counts_only_with_traces_sample_rate() -> None:
    off = APP + "import sentry_sdk\nsentry_sdk.init(dsn='x', traces_sample_rate=0)\n"
    assert found(run(MissingTracing, {"svc/app.py": off})) == [("OBS-04", "svc/app.py", 3)]
    on = APP + "import sentry_sdk\nsentry_sdk.init(dsn='x', traces_sample_rate=0.2)\n"
    report = run(MissingTracing, {"svc/app.py": on})
    assert found(report) == []
    assert report.result("OBS-04").evidence == [
        "found sentry_sdk.init(traces_sample_rate=...) at svc/app.py:5"
    ]


def test_dependency_prefix_and_launcher_count() -> None:
    pyproject = (
        '[project]\nname = "svc"\ndependencies = [\n    "flask>=3",\n'
        '    "opentelemetry-instrumentation-flask>=0.45b0",\n]\n'
    )
    report = run(MissingTracing, {"svc/app.py": APP, "pyproject.toml": pyproject})
    assert report.result("OBS-04").evidence == [
        "found dependency opentelemetry-instrumentation-flask at pyproject.toml:5"
    ]
    procfile = {"svc/app.py": APP, "Procfile": "web: opentelemetry-instrument gunicorn app\n"}
    assert found(run(MissingTracing, procfile)) == []


def test_celery_worker_is_a_service() -> None:
    worker = "from celery import Celery\n\ncelery_app = Celery('jobs')\n"
    report = run(MissingTracing, {"jobs/worker.py": worker})
    assert found(report) == [("OBS-04", "jobs/worker.py", 3)]
    assert "Celery worker" in report.result("OBS-04").findings[0].message
