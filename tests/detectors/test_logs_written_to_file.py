from checks.detectors.compliance.logs_written_to_file import LogsWrittenToFile
from checks.model import Status
from tests.helpers import found, run, status

CODE = """\
import logging
import sys
from logging.handlers import RotatingFileHandler

from loguru import logger

handler = RotatingFileHandler("/var/log/app.log")
logging.basicConfig(filename="app.log")
logging.basicConfig(stream=sys.stdout)
logger.add("app.log")
logger.add(sys.stderr)
stream = logging.StreamHandler()
"""

SETTINGS = """\
LOGGING = {
    "handlers": {
        "file": {
            "class": "logging.FileHandler",
            "filename": "django.log",
        },
        "console": {"class": "logging.StreamHandler"},
    },
}
"""


def test_flags_file_handlers_in_code_and_dict_config() -> None:
    report = run(LogsWrittenToFile, {"app/log.py": CODE, "shop/settings.py": SETTINGS})
    assert found(report) == [
        ("COMP-07", "app/log.py", 7),
        ("COMP-07", "app/log.py", 8),
        ("COMP-07", "app/log.py", 10),
        ("COMP-07", "shop/settings.py", 4),
    ]
    assert status(report, "COMP-07") is Status.WARN


def test_flags_gunicorn_and_config_files() -> None:
    files = {
        "gunicorn.conf.py": "accesslog = '-'\nerrorlog = '/var/log/gunicorn.log'\n",
        "Procfile": "web: gunicorn app:app --access-logfile /tmp/access.log\n",
        "Dockerfile": 'CMD ["gunicorn", "--access-logfile", "-", "app:app"]\n',
        "logging.ini": "[handler_file]\nclass=handlers.RotatingFileHandler\n",
        "log.yaml": "handlers:\n  console:\n    class: logging.StreamHandler\n",
    }
    report = run(LogsWrittenToFile, files)
    assert found(report) == [
        ("COMP-07", "Procfile", 1),
        ("COMP-07", "gunicorn.conf.py", 2),
        ("COMP-07", "logging.ini", 2),
    ]


def test_ignores_tests_and_scripts() -> None:
    report = run(LogsWrittenToFile, {"tests/test_log.py": CODE, "scripts/etl.py": CODE})
    assert found(report) == []


def test_aliased_handler_and_basic_config_are_flagged() -> None:
    code = (
        "from logging import basicConfig as setup_logging\n"
        "from logging.handlers import TimedRotatingFileHandler as Rotating\n\n"
        "setup_logging(filename='app.log')\n"
        "handler = Rotating('/var/log/app.log', when='midnight')\n"
    )
    report = run(LogsWrittenToFile, {"app/log.py": code})
    assert found(report) == [("COMP-07", "app/log.py", 4), ("COMP-07", "app/log.py", 5)]
