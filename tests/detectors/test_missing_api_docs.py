from checks.detectors.api.missing_api_docs import MissingApiDocs
from checks.model import Status
from tests.helpers import found, run, status

ROUTE = "\n@app.get('/items')\ndef items():\n    return []\n"


def test_fastapi_with_docs_and_schema_off() -> None:
    app = "from fastapi import FastAPI\n\napp = FastAPI(docs_url=None, redoc_url=None,\n" \
          "              openapi_url=None)\n" + ROUTE
    report = run(MissingApiDocs, {"app/main.py": app})
    assert found(report) == [("API-06", "app/main.py", 3), ("API-10", "app/main.py", 3)]
    # An exported schema in the repository satisfies API-10.
    report = run(MissingApiDocs, {"app/main.py": app, "docs/openapi.yaml": "openapi: 3.1.0\n"})
    assert found(report) == [("API-06", "app/main.py", 3)]
    assert status(report, "API-10") is Status.PASS


def test_fastapi_defaults_and_conditional_docs_pass() -> None:
    files = {
        "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI(title='x')\n" + ROUTE,
        "app/admin.py": "from fastapi import FastAPI\n\nadmin = FastAPI(docs_url=None)\n",
        "app/prod.py": "from fastapi import FastAPI\n\nprod = FastAPI(openapi_url=None if "
                       "PROD else '/openapi.json')\n",
    }
    report = run(MissingApiDocs, files)
    assert found(report) == []
    assert status(report, "API-06") is Status.PASS


def test_custom_docs_route_replaces_the_builtin_ones() -> None:
    app = """\
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html

app = FastAPI(docs_url=None, redoc_url=None)

@app.get("/internal/docs", include_in_schema=False)
def docs():
    return get_swagger_ui_html(openapi_url="/openapi.json", title="x")
"""
    report = run(MissingApiDocs, {"app/main.py": app})
    assert found(report) == []


DRF_VIEWS = """\
from rest_framework import viewsets

class OrderViewSet(viewsets.ModelViewSet):
    queryset = None
"""


def test_drf_without_a_schema_generator() -> None:
    files = {
        "shop/views.py": DRF_VIEWS,
        "proj/settings.py": "INSTALLED_APPS = ['rest_framework']\n\nREST_FRAMEWORK = {}\n",
    }
    report = run(MissingApiDocs, files)
    assert found(report) == [("API-06", "proj/settings.py", 3),
                             ("API-10", "proj/settings.py", 3)]
    files["requirements.txt"] = "djangorestframework\ndrf-spectacular\n"
    report = run(MissingApiDocs, files)
    assert found(report) == []


FLASK = """\
from flask import Flask, jsonify, render_template

app = Flask(__name__)

@app.get("/api/users")
def users():
    return jsonify([])
"""


def test_flask_api_without_a_docs_library() -> None:
    report = run(MissingApiDocs, {"web/app.py": FLASK})
    assert found(report) == [("API-06", "web/app.py", 3), ("API-10", "web/app.py", 3)]
    report = run(MissingApiDocs, {"web/app.py": FLASK, "requirements.txt": "flask-smorest\n"})
    assert found(report) == []


def test_html_only_flask_site_is_not_applicable() -> None:
    site = FLASK.replace("return jsonify([])", "return render_template('users.html')")
    report = run(MissingApiDocs, {"web/app.py": site})
    assert found(report) == []
    assert status(report, "API-06") is Status.NOT_APPLICABLE
