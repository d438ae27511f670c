from checks.detectors.api.mixed_web_frameworks import MixedWebFrameworks
from checks.model import Status
from tests.helpers import findings, found, run, status

FASTAPI = """\
from fastapi import FastAPI

api = FastAPI()

@api.get("/orders")
def orders(): ...

@api.get("/users")
def users(): ...
"""

FLASK = """\
from flask import Flask

web = Flask(__name__)

@web.route("/reports")
def reports():
    return "[]"
"""


def test_two_frameworks_in_one_service() -> None:
    files = {"pyproject.toml": "[project]\nname = 'shop'\n", "shop/api.py": FASTAPI,
             "shop/legacy.py": FLASK}
    report = run(MixedWebFrameworks, files)
    assert found(report) == [("API-01", "shop/legacy.py", 3)]
    assert findings(report, "API-01")[0].message == (
        "one service serves HTTP through 2 frameworks: FastAPI (2 endpoints, shop/api.py:3), "
        "Flask (1 endpoints, shop/legacy.py:3)")


def test_separate_services_and_bridges_pass() -> None:
    monorepo = {
        "services/orders/pyproject.toml": "[project]\nname = 'orders'\n",
        "services/orders/app.py": FASTAPI,
        "services/reports/requirements.txt": "flask\n",
        "services/reports/app.py": FLASK,
    }
    report = run(MixedWebFrameworks, monorepo)
    assert found(report) == []
    assert status(report, "API-01") is Status.PASS
    bridged = {
        "shop/api.py": FASTAPI + "\nfrom fastapi.middleware.wsgi import WSGIMiddleware\n"
                                 "from shop.legacy import web\n"
                                 "api.mount('/legacy', WSGIMiddleware(web))\n",
        "shop/legacy.py": FLASK,
    }
    report = run(MixedWebFrameworks, bridged)
    assert found(report) == []


def test_not_applicable_without_a_web_framework() -> None:
    report = run(MixedWebFrameworks, {"etl/job.py": "import pandas\n"})
    assert status(report, "API-01") is Status.NOT_APPLICABLE
