from checks.detectors.documentation.undocumented_configuration import UndocumentedConfiguration
from checks.model import Status
from tests.helpers import found, run, status

SETTINGS = """\
import os
from os import environ

import environ as django_environ
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic import Field

env = django_environ.Env()

DATABASE_URL = os.environ["DATABASE_URL"]
STRIPE_KEY = os.getenv("STRIPE_KEY", "")
SENTRY_DSN = environ.get("SENTRY_DSN")
HOME = os.environ.get("HOME")
CACHE_URL = env("CACHE_URL")
WORKERS = env.int("WORKERS", default=2)
os.environ["FORCED"] = "1"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_")

    redis_url: str
    api_token: str = Field("", alias="PAYMENTS_TOKEN")
    timeout: int = 5
    _private: int = 1
"""


def test_one_finding_when_nothing_is_documented() -> None:
    report = run(UndocumentedConfiguration, {"app/settings.py": SETTINGS,
                                             "README.md": "# Shop\n"})
    assert found(report) == [("DOC-04", "app/settings.py", 10)]
    assert report.findings[0].message == (
        "configuration is not documented: the code reads 7 environment variable(s) "
        "(DATABASE_URL, STRIPE_KEY, SENTRY_DSN, CACHE_URL, WORKERS, SHOP_REDIS_URL, "
        "PAYMENTS_TOKEN) and no README section, docs page or .env.example describes them")
    assert status(report, "DOC-04") is Status.WARN


def test_one_finding_per_undocumented_variable_once_some_are_documented() -> None:
    files = {
        "app/settings.py": SETTINGS,
        ".env.example": "DATABASE_URL=postgres://localhost/shop\nshop_redis_url=redis://\n",
        "docker-compose.yml": "services:\n  web:\n    environment:\n      - WORKERS=4\n",
        "README.md": "## Configuration\nSet `CACHE_URL` and `PAYMENTS_TOKEN`.\n",
        "tests/test_x.py": "import os\nos.environ['TEST_ONLY']\n",
        "scripts/seed.py": "import os\nos.environ['SEED_ONLY']\n",
    }
    report = run(UndocumentedConfiguration, files)
    assert found(report) == [
        ("DOC-04", "app/settings.py", 11),
        ("DOC-04", "app/settings.py", 12),
    ]
    assert [f.message.split(" ")[2] for f in report.findings] == ["STRIPE_KEY", "SENTRY_DSN"]


def test_passes_when_every_variable_is_mentioned() -> None:
    code = "import os\nfrom decouple import config\nA = os.getenv('API_URL')\nB = config('B_KEY')\n"
    report = run(UndocumentedConfiguration, {"app/conf.py": code,
                                             "docs/config.md": "API_URL and B_KEY\n"})
    assert found(report) == []
    assert status(report, "DOC-04") is Status.PASS


def test_unread_sample_env_file_suppresses_per_variable_findings() -> None:
    files = {"app/settings.py": SETTINGS, ".envs/.production/.django": "DATABASE_URL=x\n",
             ".env.example": "DATABASE_URL=x\n"}
    report = run(UndocumentedConfiguration, files)
    assert found(report) == []


def test_not_applicable_without_environment_reads() -> None:
    report = run(UndocumentedConfiguration, {"app/x.py": "X = 1\n"})
    assert status(report, "DOC-04") is Status.NOT_APPLICABLE


def test_settings_fields_through_a_base_class_in_another_module() -> None:
    base = ("from pydantic import BaseSettings, Field\n\nclass BaseAppSettings(BaseSettings):\n"
            "    app_env: str = Field(...)\n\n    class Config:\n        env_prefix = 'SHOP_'\n")
    app = ("from app.settings.base import BaseAppSettings\n\nclass AppSettings(BaseAppSettings):"
           "\n    database_url: str\n    secret_key: str\n    debug: bool = False\n")
    files = {"app/settings/base.py": base, "app/settings/app.py": app,
             "README.md": "## Configuration\nSet SHOP_DATABASE_URL and SHOP_APP_ENV.\n"}
    report = run(UndocumentedConfiguration, files)
    assert found(report) == [("DOC-04", "app/settings/app.py", 5)]
    assert report.findings[0].message.startswith("environment variable SHOP_SECRET_KEY is read")


def test_many_undocumented_variables_make_one_finding() -> None:
    reads = "".join(f"V{i} = os.environ['VAR_{i}']\n" for i in range(12))
    code = "import os\nDOC = os.environ['DOCUMENTED']\n" + reads
    report = run(UndocumentedConfiguration, {"app/settings.py": code,
                                             "README.md": "Set DOCUMENTED.\n"})
    assert found(report) == [("DOC-04", "app/settings.py", 3)]
    assert report.findings[0].message.startswith(
        "12 of the 13 environment variables the code reads (VAR_0, VAR_1, VAR_2, VAR_3, VAR_4, "
        "VAR_5, VAR_6, VAR_7 and 4 more) are not mentioned")


def test_aliased_reads_and_env_object_methods_are_recorded() -> None:
    code = ("from os import getenv as read_env\nfrom environs import Env\n\n"
            "TOKEN = read_env('PAYMENT_TOKEN')\nsettings_env = Env()\n"
            "TIMEOUT = settings_env.float(\n    'HTTP_TIMEOUT', 3.0)\n"
            "DEBUG = settings_env('DEBUG')\n")
    report = run(UndocumentedConfiguration, {"app/conf.py": code,
                                             "README.md": "Set DEBUG to 1 locally.\n"})
    assert found(report) == [("DOC-04", "app/conf.py", 4), ("DOC-04", "app/conf.py", 6)]
    assert [f.message.split(" ")[2] for f in report.findings] == ["PAYMENT_TOKEN",
                                                                  "HTTP_TIMEOUT"]
