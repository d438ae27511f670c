from checks.detectors.testing.api_without_contract_tests import ApiWithoutContractTests
from checks.model import Status
from tests.helpers import found, run, status

APP = """\
from fastapi import FastAPI

app = FastAPI()


def helper():
    return 1


@app.get("/orders/{order_id}")
def get_order(order_id: int):
    return {"id": order_id}
"""

UNIT_ONLY = """\
from app.main import get_order


def test_get_order():
    assert get_order(1) == {"id": 1}
"""

URLS = """\
from django.urls import path

from shop import views

urlpatterns = [
    path("orders/", views.orders),
]
"""

VIEWS = """\
from django.http import JsonResponse


def orders(request):
    return JsonResponse({})
"""


def test_flags_routes_without_api_tests() -> None:
    report = run(ApiWithoutContractTests,
                 {"app/main.py": APP, "tests/test_main.py": UNIT_ONLY})
    assert found(report) == [("TEST-03", "app/main.py", 10)]
    assert "(first: GET /orders/{order_id})" in report.findings[0].message


def test_flags_django_urlpatterns_without_client_calls() -> None:
    report = run(ApiWithoutContractTests, {"shop/urls.py": URLS, "shop/views.py": VIEWS})
    assert found(report) == [("TEST-03", "shop/views.py", 4)]


def test_passes_with_test_client_import() -> None:
    tests = "from fastapi.testclient import TestClient\n\ndef test_x():\n    pass\n"
    report = run(ApiWithoutContractTests, {"app/main.py": APP, "tests/test_api.py": tests})
    assert found(report) == []
    assert report.result("TEST-03").evidence == [
        "API tests: fastapi.testclient.TestClient imported in tests/test_api.py"
    ]


def test_passes_with_client_fixture_calls() -> None:
    tests = "def test_orders(client):\n    assert client.get('/orders/').status_code == 200\n"
    report = run(ApiWithoutContractTests,
                 {"shop/urls.py": URLS, "shop/views.py": VIEWS, "tests/test_views.py": tests})
    assert found(report) == []
    assert status(report, "TEST-03") is Status.PASS


def test_passes_with_flask_test_client_and_tavern_files() -> None:
    flask_app = "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef i():\n" \
                "    return 'ok'\n"
    tests = "def test_index(app):\n    c = app.test_client()\n    assert c\n"
    assert found(run(ApiWithoutContractTests,
                     {"web/app.py": flask_app, "tests/test_web.py": tests})) == []
    assert found(run(ApiWithoutContractTests,
                     {"web/app.py": flask_app, "tests/test_orders.tavern.yaml": "x: 1\n"})) == []


def test_not_applicable_without_routes() -> None:
    # A ``.get("/x")`` decorator in a module that imports no web framework is not a route.
    code = "import cachetools\n\n@cache.get('/x')\ndef f():\n    pass\n"
    report = run(ApiWithoutContractTests, {"app/cache.py": code})
    assert found(report) == []
    assert status(report, "TEST-03") is Status.NOT_APPLICABLE
