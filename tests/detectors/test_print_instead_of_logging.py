from checks.detectors.observability.print_instead_of_logging import PrintInsteadOfLogging
from checks.model import Status
from tests.helpers import found, run, status

SERVICE = """\
import logging

def charge(order):
    print("charging", order)
    logging.info("ok")
"""


def test_flags_print_in_service_code() -> None:
    report = run(PrintInsteadOfLogging, {"app/billing.py": SERVICE})
    assert found(report) == [("OBS-01", "app/billing.py", 4)]
    assert status(report, "OBS-01") is Status.WARN


def test_ignores_tests_scripts_and_cli_modules() -> None:
    files = {
        "tests/test_billing.py": "def test_x():\n    print('debug')\n",
        "scripts/seed.py": "print('seeding')\n",
        "app/cli.py": "import argparse\nprint('usage')\n",
        "app/run.py": "if __name__ == '__main__':\n    print('hi')\n",
        "app/shadow.py": "from rich import print\nprint('styled')\n",
        "app/probe.py": "#!/usr/bin/env python\nprint('ok')\n",
        "docker/healthcheck.py": "print('ok')\n",
        "app/db/env.py": "from alembic import context\nprint(context)\n",
    }
    report = run(PrintInsteadOfLogging, files)
    assert found(report) == []
    assert status(report, "OBS-01") is Status.PASS
