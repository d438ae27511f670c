from checks.detectors.resilience.swallowed_exception import SwallowedException
from checks.model import Status
from tests.helpers import found, run, status

SERVICE = """\
import contextlib
from contextlib import suppress

def publish(event, broker, log):
    try:
        broker.send(event)
    except Exception:
        pass
    try:
        broker.flush()
    except:
        log.error("flush failed")
    try:
        broker.close()
    except (ValueError, BaseException) as exc:
        ...
    with suppress(Exception):
        broker.ack(event)
    with contextlib.suppress(KeyError):
        broker.nack(event)

def handled(broker, log):
    try:
        broker.send(1)
    except Exception:
        log.warning("dropped", exc_info=True)
    try:
        broker.send(2)
    except:
        broker.rollback()
        raise
    try:
        broker.send(3)
    except Exception:
        pass  # best effort: metrics only
    for item in broker.items():
        try:
            item.warm()
        except LookupError:
            continue

class Conn:
    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
"""


def test_flags_bare_and_empty_broad_handlers() -> None:
    report = run(SwallowedException, {"app/events.py": SERVICE})
    assert found(report) == [
        ("RES-05", "app/events.py", 7),
        ("RES-05", "app/events.py", 11),
        ("RES-05", "app/events.py", 15),
        ("RES-05", "app/events.py", 17),
    ]
    assert status(report, "RES-05") is Status.WARN


def test_tests_and_scripts_are_ignored_and_a_shadowed_exception_name_is_not_broad() -> None:
    files = {
        "tests/test_events.py": "try:\n    x = 1\nexcept Exception:\n    pass\n",
        "scripts/backfill.py": "try:\n    x = 1\nexcept:\n    pass\n",
        "app/errors.py": """\
from app.domain import Exception

try:
    run()
except Exception:
    pass
""",
    }
    report = run(SwallowedException, files)
    assert found(report) == []
    assert status(report, "RES-05") is Status.PASS
