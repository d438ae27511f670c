from checks.detectors.security.debug_mode_enabled import DebugModeEnabled
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

DJANGO = """\
SECRET_KEY = "x"
INSTALLED_APPS = []
DEBUG = True
"""

FLASK = """\
from flask import Flask

app = Flask(__name__)
app.debug = True
app.config["DEBUG"] = True
app.config.update(DEBUG=True)


class ProductionConfig:
    DEBUG = True


class DevelopmentConfig:
    DEBUG = True


def serve():
    app.run(host="0.0.0.0", debug=True)


if __name__ == "__main__":
    app.run(debug=True)
"""

ASGI = """\
from fastapi import FastAPI
from starlette.applications import Starlette
from werkzeug.serving import run_simple

api = FastAPI(title="x", debug=True)
web = Starlette(debug=True)
run_simple("0.0.0.0", 5000, api, use_debugger=True)
"""


def test_flags_debug_switched_on() -> None:
    files = {
        "proj/settings.py": DJANGO,
        "proj/conf/production.py": "DEBUG = True\n",
        "web/app.py": FLASK,
        "svc/main.py": ASGI,
    }
    report = run(DebugModeEnabled, files)
    assert found(report) == [
        ("SEC-10", "proj/conf/production.py", 1),
        ("SEC-10", "proj/settings.py", 3),
        ("SEC-10", "svc/main.py", 5),
        ("SEC-10", "svc/main.py", 6),
        ("SEC-10", "svc/main.py", 7),
        ("SEC-10", "web/app.py", 4),
        ("SEC-10", "web/app.py", 5),
        ("SEC-10", "web/app.py", 6),
        ("SEC-10", "web/app.py", 10),
        ("SEC-10", "web/app.py", 18),
        ("SEC-10", "web/app.py", 22),
    ]
    assert status(report, "SEC-10") is Status.WARN
    by_place = {(f.path, f.start_line): f for f in findings(report, "SEC-10")}
    assert by_place[("web/app.py", 18)].severity is Severity.HIGH
    assert by_place[("web/app.py", 22)].severity is Severity.MEDIUM
    assert "under __main__" in by_place[("web/app.py", 22)].message
    assert "FastAPI(debug=True)" in by_place[("svc/main.py", 5)].message
    assert "DEBUG = True in proj/settings.py" in by_place[("proj/settings.py", 3)].message


def test_dev_settings_env_flags_and_base_settings_pass() -> None:
    files = {
        "proj/settings/base.py": DJANGO,
        "proj/settings/local.py": "from .base import *\nDEBUG = True\n",
        "proj/settings/production.py": "from .base import *\nDEBUG = False\n",
        "web/settings.py": "import os\nINSTALLED_APPS = []\nDEBUG = os.getenv('DEBUG') == '1'\n",
        "web/dev_server.py": FLASK,
        "tests/test_app.py": FLASK,
        "cli/run.py": "class App:\n    def run(self, debug=False): ...\nApp().run(debug=True)\n",
    }
    report = run(DebugModeEnabled, files)
    assert found(report) == []
    assert status(report, "SEC-10") is Status.PASS


def test_functions_imported_under_other_names_are_found() -> None:
    src = """\
from starlette.applications import Starlette as App
from werkzeug.serving import run_simple as serve

app = App(debug=True)
serve("0.0.0.0", 8000, app, use_debugger=True)
"""
    report = run(DebugModeEnabled, {"app/main.py": src})
    assert found(report) == [("SEC-10", "app/main.py", 4), ("SEC-10", "app/main.py", 5)]
    by_line = {f.start_line: f for f in findings(report, "SEC-10")}
    assert by_line[4].message.startswith("Starlette(debug=True) returns tracebacks")
    assert by_line[5].message.startswith("run_simple(use_debugger=True) serves the Werkzeug")
