from checks.detectors.security.cors_wildcard_origin import CorsWildcardOrigin
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

FASTAPI = """\
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware import Middleware

ORIGINS = ["*"]
app = FastAPI(middleware=[Middleware(CORSMiddleware, allow_origin_regex=".*")])
app.add_middleware(
    CORSMiddleware,
    allow_origins=ORIGINS,
    allow_credentials=True,
)
"""

FLASK = """\
from flask import Flask
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app, supports_credentials=True)
CORS(app, resources={r"/api/*": {"origins": "*"}})


@app.get("/x")
@cross_origin(origins=["*"], supports_credentials=True)
def x():
    return "x"
"""


def test_flags_wildcards_with_and_without_credentials() -> None:
    report = run(CorsWildcardOrigin, {"app/main.py": FASTAPI, "web/app.py": FLASK})
    assert found(report) == [
        ("SEC-03", "app/main.py", 6),
        ("SEC-03", "app/main.py", 7),
        ("SEC-03", "web/app.py", 5),
        ("SEC-03", "web/app.py", 6),
        ("SEC-03", "web/app.py", 10),
    ]
    assert status(report, "SEC-03") is Status.WARN
    by_place = {(f.path, f.start_line): f for f in findings(report, "SEC-03")}
    assert by_place[("app/main.py", 6)].severity is Severity.LOW
    assert "allow_origin_regex matching everything" in by_place[("app/main.py", 6)].message
    assert by_place[("app/main.py", 7)].severity is Severity.HIGH
    assert by_place[("app/main.py", 7)].end_line == 11
    assert "every origin (the default) with supports_credentials=True" in by_place[
        ("web/app.py", 5)].message
    assert by_place[("web/app.py", 6)].severity is Severity.LOW
    assert by_place[("web/app.py", 10)].severity is Severity.HIGH


def test_django_allow_all_with_credentials_from_base_settings() -> None:
    files = {
        "proj/settings/base.py": "CORS_ALLOW_CREDENTIALS = True\nINSTALLED_APPS = []\n",
        "proj/settings/production.py": "from .base import *\n\nCORS_ORIGIN_ALLOW_ALL = True\n",
        "proj/settings/local.py": "from .base import *\nCORS_ALLOW_ALL_ORIGINS = True\n",
        "other/settings.py": "CORS_ALLOW_ALL_ORIGINS = True\n",
    }
    report = run(CorsWildcardOrigin, files)
    assert found(report) == [
        ("SEC-03", "other/settings.py", 1),
        ("SEC-03", "proj/settings/production.py", 3),
    ]
    by_path = {f.path: f for f in findings(report, "SEC-03")}
    assert by_path["proj/settings/production.py"].severity is Severity.HIGH
    assert by_path["other/settings.py"].severity is Severity.LOW


GOOD = """\
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask_cors import CORS

from app.core.config import settings

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=settings.origins, allow_credentials=True)
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"],
                   allow_credentials=True)
CORS(app, origins=["https://app.example.com"], supports_credentials=True)
CORS(app, resources={r"/api/*": {"origins": ["https://a.example"]}})
"""


def test_explicit_origins_pass_and_no_framework_is_not_applicable() -> None:
    report = run(CorsWildcardOrigin, {"app/main.py": GOOD, "tests/test_x.py": FASTAPI})
    assert found(report) == []
    assert status(report, "SEC-03") is Status.PASS
    report = run(CorsWildcardOrigin, {"lib/core.py": "import json\n"})
    assert status(report, "SEC-03") is Status.NOT_APPLICABLE


def test_allow_all_in_shared_settings_overridden_for_production_passes() -> None:
    files = {
        "config/settings/cors.py": "CORS_ALLOW_CREDENTIALS = True\nCORS_ALLOW_ALL_ORIGINS = True\n",
        "config/django/production.py": "from .base import *\nCORS_ALLOW_ALL_ORIGINS = False\n",
    }
    report = run(CorsWildcardOrigin, files)
    assert found(report) == []
    assert report.result("SEC-03").evidence == [
        "CORS_ALLOW_ALL_ORIGINS = True in config/settings/cors.py is turned off for production at "
        "config/django/production.py:2"
    ]


def test_classes_imported_under_other_names_are_found() -> None:
    src = """\
from flask_cors import cross_origin as allow
from starlette.middleware import Middleware as Mw
from starlette.middleware.cors import CORSMiddleware

middleware = [Mw(CORSMiddleware, allow_origins=["*"])]


@allow(origins="*", supports_credentials=True)
def feed():
    return []
"""
    report = run(CorsWildcardOrigin, {"app/main.py": src})
    assert found(report) == [("SEC-03", "app/main.py", 5), ("SEC-03", "app/main.py", 8)]
    by_line = {f.start_line: f for f in findings(report, "SEC-03")}
    assert by_line[5].message.startswith('CORSMiddleware allows allow_origins=["*"]: any website')
    assert by_line[5].severity is Severity.LOW
    assert by_line[8].message.startswith('cross_origin() allows origins="*" with '
                                         "supports_credentials=True")
    assert by_line[8].severity is Severity.HIGH
