from checks.detectors.observability.unstructured_logging import UnstructuredLogging
from checks.model import Status
from tests.helpers import found, run, status

APP = """\
import logging

from fastapi import FastAPI

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
log = logging.getLogger(__name__)
app = FastAPI()


@app.get("/x")
async def x(user: str) -> None:
    log.info(f"user {user}")
"""


def test_flags_basic_config_without_json_formatter() -> None:
    report = run(UnstructuredLogging, {"svc/main.py": APP})
    assert found(report) == [("OBS-01", "svc/main.py", 5)]
    assert report.result("OBS-01").findings[0].message.startswith(
        "Logging is configured with logging.basicConfig()"
    )
    assert status(report, "OBS-01") is Status.WARN


def test_flags_app_line_when_logging_is_not_configured() -> None:
    source = "from flask import Flask\n\napp = Flask(__name__)\n"
    report = run(UnstructuredLogging, {"web.py": source})
    assert found(report) == [("OBS-01", "web.py", 3)]
    assert "configures no logging at all" in report.result("OBS-01").findings[0].message


def test_logging_set_up_in_a_script_is_not_the_service_s() -> None:
    script = (
        "import logging\nlogging.basicConfig(level=logging.INFO)\n\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    report = run(UnstructuredLogging, {"web.py": "import flask\napp = flask.Flask('x')\n",
                                       "pre_start.py": script})
    assert found(report) == [("OBS-01", "web.py", 2)]


def test_passes_with_structlog_or_json_formatter_in_dict_config() -> None:
    structured = "import structlog\n" + APP
    report = run(UnstructuredLogging, {"svc/main.py": structured})
    assert found(report) == []
    assert report.result("OBS-01").evidence == ["found structlog imported at svc/main.py:1"]
    dict_config = APP + (
        "\nLOGGING = {'formatters': {'json': "
        "{'()': 'pythonjsonlogger.json.JsonFormatter'}}}\n"
    )
    assert found(run(UnstructuredLogging, {"svc/main.py": dict_config})) == []


def test_passes_with_custom_json_formatter_class_or_loguru_serialize() -> None:
    custom = APP + (
        "\nimport json\n\nclass JsonLines(logging.Formatter):\n"
        "    def format(self, record):\n        return json.dumps({'m': record.msg})\n"
    )
    report = run(UnstructuredLogging, {"svc/main.py": custom})
    assert report.result("OBS-01").evidence == ["found JSON formatter class JsonLines at "
                                                "svc/main.py:16"]
    loguru = (
        "import sys\nfrom loguru import logger\nfrom fastapi import FastAPI\n"
        "logger.add(sys.stdout, serialize=True)\napp = FastAPI()\n"
    )
    assert found(run(UnstructuredLogging, {"svc/main.py": loguru})) == []
    plain_loguru = loguru.replace("serialize=True", "level='INFO'")
    assert found(run(UnstructuredLogging, {"svc/main.py": plain_loguru})) == [
        ("OBS-01", "svc/main.py", 5)
    ]


def test_passes_with_json_formatter_in_logging_yaml() -> None:
    yaml = "formatters:\n  json:\n    class: pythonjsonlogger.json.JsonFormatter\n"
    report = run(UnstructuredLogging, {"svc/main.py": APP, "config/logging.yaml": yaml})
    assert report.result("OBS-01").evidence == ["found JSON formatter in config/logging.yaml:3"]


def test_library_is_not_applicable() -> None:
    report = run(UnstructuredLogging, {"lib/x.py": "import logging\nlog = logging.getLogger()\n"})
    assert status(report, "OBS-01") is Status.NOT_APPLICABLE
