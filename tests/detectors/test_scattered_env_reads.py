from checks.detectors.code.scattered_env_reads import ScatteredEnvReads, is_config_module
from checks.model import Status
from tests.helpers import found, run, status


def _module(var: str) -> str:
    return f"import os\n\nVALUE = os.getenv('{var}')\n"


def test_flags_every_read_when_more_than_three_modules_read_env() -> None:
    files = {f"app/m{i}.py": _module(f"V{i}") for i in range(4)}
    files["app/config.py"] = "import os\nDB = os.environ['DB']\n"
    report = run(ScatteredEnvReads, files)
    assert found(report) == [("CODE-05", f"app/m{i}.py", 3) for i in range(4)]
    assert report.result("CODE-05").findings[0].message == (
        "`V0` is read from the environment here, one of 4 modules that read the environment "
        "themselves"
    )
    assert status(report, "CODE-05") is Status.WARN


def test_three_modules_at_import_time_pass() -> None:
    files = {f"app/m{i}.py": _module(f"V{i}") for i in range(3)}
    report = run(ScatteredEnvReads, files)
    assert found(report) == []
    assert report.result("CODE-05").evidence == [
        "environment read outside configuration modules in 3 module(s), at import time: "
        "app/m0.py, app/m1.py, app/m2.py"
    ]


def test_reads_inside_handlers_are_flagged_even_when_few() -> None:
    source = (
        "from os import environ\nfrom fastapi import APIRouter\nrouter = APIRouter()\n\n"
        "@router.post('/charge')\nasync def charge() -> None:\n"
        "    key = environ.get('STRIPE_KEY')\n    other = environ['X']\n\n"
        "def helper() -> str:\n    return environ.get('Y', '')\n\n"
        "def view(request):\n    return environ['Z']\n"
    )
    report = run(ScatteredEnvReads, {"app/payments.py": source})
    assert found(report) == [
        ("CODE-05", "app/payments.py", 7),
        ("CODE-05", "app/payments.py", 8),
        ("CODE-05", "app/payments.py", 14),
    ]


def test_config_modules_tests_scripts_and_writes_are_ignored() -> None:
    files = {
        "app/settings/base.py": _module("A"),
        "app/core/config.py": _module("B"),
        "proj/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')\n",
        "tests/test_a.py": _module("C"),
        "scripts/seed.py": _module("D"),
        "app/cli.py": "import click\n" + _module("E"),
        "app/worker.py": "import os\nos.environ['X'] = '1'\n",
    }
    report = run(ScatteredEnvReads, files)
    assert found(report) == []
    assert report.result("CODE-05").evidence == [
        "environment read only in configuration modules (app/core/config.py, "
        "app/settings/base.py)"
    ]


def test_is_config_module() -> None:
    assert is_config_module("app/settings.py")
    assert is_config_module("svc/app_config.py")
    assert is_config_module("conf/prod.py")
    assert not is_config_module("app/services/orders.py")


def test_aliased_getenv_is_still_a_read() -> None:
    source = (
        "from os import getenv as env_var\nfrom fastapi import APIRouter\nrouter = APIRouter()\n\n"
        "@router.get('/rate')\nasync def rate() -> str:\n    return env_var('RATE_API_KEY')\n"
    )
    report = run(ScatteredEnvReads, {"app/rates.py": source})
    assert found(report) == [("CODE-05", "app/rates.py", 7)]
