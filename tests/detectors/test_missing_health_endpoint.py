import pytest

from checks.detectors.observability.missing_health_endpoint import (
    MissingHealthEndpoint,
    health_path,
)
from checks.model import Status
from tests.helpers import found, run, status

FASTAPI = """\
from fastapi import APIRouter, FastAPI

app = FastAPI()
router = APIRouter()


@router.get("/users/{user_id}/status")
async def user_status(user_id: int) -> dict[str, str]:
    return {}


@app.get("/items")
async def items(q: str | None = None) -> list[str]:
    return [q or ""]
"""


def test_flags_fastapi_app_without_health_route() -> None:
    report = run(MissingHealthEndpoint, {"api/main.py": FASTAPI})
    assert found(report) == [("OBS-06", "api/main.py", 3)]
    assert status(report, "OBS-06") is Status.WARN


def test_passes_with_health_route_and_reports_where() -> None:
    source = FASTAPI + '\n\n@router.get("/healthz")\nasync def healthz() -> str:\n    return ""\n'
    report = run(MissingHealthEndpoint, {"api/main.py": source})
    assert found(report) == []
    assert report.result("OBS-06").evidence == ["found health route '/healthz' at api/main.py:17"]


def test_flask_blueprint_prefix_and_django_path() -> None:
    flask = (
        "from flask import Blueprint, Flask\n\napp = Flask(__name__)\n"
        "bp = Blueprint('ops', __name__, url_prefix='/health')\n"
    )
    assert found(run(MissingHealthEndpoint, {"web/app.py": flask})) == []
    urls = (
        "from django.urls import include, path\n\n"
        "urlpatterns = [path('ping', views.ping), path('admin/', admin.site.urls)]\n"
    )
    wsgi = "from django.core.wsgi import get_wsgi_application\napplication = " \
           "get_wsgi_application()\n"
    report = run(MissingHealthEndpoint, {"proj/urls.py": urls, "proj/wsgi.py": wsgi})
    assert found(report) == []
    assert report.result("OBS-06").evidence == ["found health route 'ping' at proj/urls.py:3"]


def test_dict_get_of_a_status_key_is_not_a_route() -> None:
    source = (
        "from flask import Flask, request\n\napp = Flask(__name__)\n"
        "state = request.args.get('status')\nhealth = app.config.get('HEALTH')\n"
    )
    assert found(run(MissingHealthEndpoint, {"web/app.py": source})) == [
        ("OBS-06", "web/app.py", 3)
    ]


def test_library_and_probe_count() -> None:
    settings = "ROOT_URLCONF = 'p.urls'\nINSTALLED_APPS = ['health_check', 'health_check.db']\n"
    report = run(MissingHealthEndpoint, {"p/settings.py": settings})
    assert report.result("OBS-06").evidence == [
        "found health_check app configured in p/settings.py"
    ]
    docker = {
        "web/app.py": "import flask\napp = flask.Flask(__name__)\n",
        "Dockerfile": "FROM python:3.12\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n",
    }
    report = run(MissingHealthEndpoint, docker)
    assert found(report) == []
    assert report.result("OBS-06").evidence[0].endswith("at Dockerfile:2")
    disabled = {**docker, "Dockerfile": "FROM python:3.12\nHEALTHCHECK NONE\n"}
    assert found(run(MissingHealthEndpoint, disabled)) == [("OBS-06", "web/app.py", 2)]


def test_celery_only_is_not_applicable() -> None:
    report = run(MissingHealthEndpoint, {"w.py": "from celery import Celery\napp = Celery()\n"})
    assert status(report, "OBS-06") is Status.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/health", True), ("/api/v1/healthz", True), ("^health/?$", True), ("/livez", True),
        ("/ping", True), ("/status", True), ("/_health/", True), ("/health/{check}", True),
        ("/orders/{id}/status", False), ("/users", False), ("/", False), ("/pingback/x", False),
    ],
)
def test_health_path(path: str, expected: bool) -> None:
    assert health_path(path) is expected
