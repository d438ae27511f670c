from checks.detectors.architecture._dependencies import is_declared
from checks.detectors.architecture.undeclared_import import UndeclaredImport
from checks.model import Status
from tests.helpers import found, run, status

APP = """\
import json
import distutils
from typing import TYPE_CHECKING

import jwt
import yaml
from fastapi import FastAPI
from starlette.requests import Request
from google.cloud import storage
from corsheaders.middleware import CorsMiddleware
import redis
from app.db import Session
from . import views
import helpers

try:
    import ujson
except ImportError:
    ujson = None

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
"""

REQUIREMENTS = """\
-r requirements/base.txt
fastapi==0.115
PyYAML==6.0
"""


def test_is_declared_maps_import_names_to_distributions() -> None:
    declared = {"pyyaml", "django-cors-headers", "fastapi", "google-cloud-storage", "pillow"}
    assert is_declared("yaml", declared)
    assert is_declared("corsheaders", declared)
    assert is_declared("starlette", declared)
    assert is_declared("google", declared)
    assert is_declared("PIL", declared)
    assert not is_declared("jwt", declared)
    assert not is_declared("sh", {"shapely"})


def test_drf_jwt_provides_rest_framework_jwt_and_brings_rest_framework() -> None:
    assert is_declared("rest_framework_jwt", {"drf-jwt"})
    assert is_declared("rest_framework", {"drf-jwt"})
    assert is_declared("rest_framework_jwt", {"djangorestframework-jwt"})
    assert not is_declared("rest_framework_jwt", {"djangorestframework"})


def test_flags_first_import_of_each_undeclared_package() -> None:
    files = {
        "app/main.py": APP,
        "app/db.py": "import redis\n",
        "app/helpers.py": "",
        "requirements.txt": REQUIREMENTS,
        "requirements/base.txt": "google-cloud-storage\ndjango-cors-headers\n",
        "tests/test_main.py": "import pytest\nimport freezegun\n",
        "docs/conf.py": "import sphinx_rtd_theme\n",
    }
    report = run(UndeclaredImport, files)
    assert found(report) == [("ARCH-06", "app/db.py", 1), ("ARCH-06", "app/main.py", 5)]
    messages = sorted(f.message for f in report.findings)
    assert messages[0].startswith("`import jwt` needs the package 'jwt' (distribution 'pyjwt')")
    assert status(report, "ARCH-06") is Status.WARN


def test_passes_when_everything_is_declared_in_pyproject() -> None:
    pyproject = '[project]\nname = "x"\ndependencies = ["pyjwt", "redis>=5"]\n'
    files = {"app/main.py": "import jwt\nimport redis\n", "pyproject.toml": pyproject}
    report = run(UndeclaredImport, files)
    assert found(report) == []
    assert report.result("ARCH-06").evidence == [
        "all 2 third-party packages imported are declared (pyproject.toml)"]


def test_setup_py_and_poetry_manifests_count() -> None:
    setup = "from setuptools import setup\nsetup(install_requires=['requests>=2'])\n"
    poetry = '[tool.poetry.dependencies]\npython = "^3.12"\nhttpx = "*"\n'
    files = {"svc/a.py": "import requests\nimport httpx\n", "setup.py": setup,
             "pyproject.toml": poetry}
    assert found(run(UndeclaredImport, files)) == []


def test_one_project_finding_without_any_manifest() -> None:
    report = run(UndeclaredImport, {"app/main.py": "import requests\nimport flask\n"})
    assert found(report) == [("ARCH-06", "", 0)]
    assert "2 third-party package(s) (flask, requests)" in report.findings[0].message


def test_extras_declare_what_they_install() -> None:
    poetry = ('[tool.poetry.dependencies]\npython = "^3.12"\n'
              'pydantic = { version = "^1.9", extras = ["email", "dotenv"] }\n')
    files = {"svc/a.py": "import bcrypt\nimport email_validator\nimport dotenv\nimport uvloop\n",
             "pyproject.toml": poetry, "requirements.txt": "passlib[bcrypt]\nuvicorn[standard]\n"}
    assert found(run(UndeclaredImport, files)) == []


def test_imports_under_an_if_are_optional() -> None:
    code = ("import os\nif os.environ.get('SECRETS') == 'metatron':\n    import metatron.decrypt\n"
            "else:\n    import hvac\n")
    report = run(UndeclaredImport, {"app/config.py": code, "requirements.txt": "fastapi\n"})
    assert found(report) == []
