from checks.detectors.scalability.long_running_call_in_request_handler import (
    LongRunningCallInRequestHandler,
)
from checks.model import Status
from tests.helpers import findings, found, run, status

APP = """\
import os
import subprocess
import time
from flask import Flask

app = Flask(__name__)


@app.route("/report")
def report():
    subprocess.run(["wkhtmltopdf", "a", "b"], check=True)
    time.sleep(2)
    os.system("convert a b")
    return "ok"


@app.get("/async")
async def later():
    time.sleep(1)


def build():
    subprocess.run(["make"])
"""


def test_flags_sleep_and_commands_in_sync_handlers_only() -> None:
    report = run(LongRunningCallInRequestHandler, {"app/web.py": APP})
    assert found(report) == [
        ("SCALE-06", "app/web.py", 11),
        ("SCALE-06", "app/web.py", 12),
        ("SCALE-06", "app/web.py", 13),
    ]
    assert findings(report, "SCALE-06")[1].message == (
        "`time.sleep()` sleeps inside request handler `report`: the worker and the client's "
        "connection are held until it ends"
    )


def test_clean_handlers_pass_and_non_web_projects_are_not_applicable() -> None:
    clean = "from flask import Flask\napp = Flask(__name__)\n@app.get('/')\ndef i():\n    pass\n"
    report = run(LongRunningCallInRequestHandler, {"app/web.py": clean})
    assert status(report, "SCALE-06") is Status.PASS
    assert report.result("SCALE-06").evidence == [
        "1 request handlers, none sleeps or waits for an external command"
    ]
    report = run(LongRunningCallInRequestHandler, {"tool/x.py": "import time\ntime.sleep(1)\n"})
    assert status(report, "SCALE-06") is Status.NOT_APPLICABLE
