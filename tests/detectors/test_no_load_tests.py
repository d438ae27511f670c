import pytest

from checks.detectors.testing.no_load_tests import NoLoadTests
from checks.model import Status
from tests.helpers import found, run, status

APP = "from fastapi import FastAPI\n\napp = FastAPI()\n"


def test_flags_service_without_load_tests() -> None:
    files = {"app/main.py": APP, "perf/bench_json.py": "import timeit\n",
             "benchmarks/test_speed.py": "def test_x():\n    pass\n"}
    report = run(NoLoadTests, files)
    assert found(report) == [("SCALE-11", "", 0), ("TEST-04", "", 0)]
    assert status(report, "TEST-04") is Status.WARN
    assert "fastapi service" in report.findings[0].message


@pytest.mark.parametrize(
    ("path", "content", "evidence"),
    [
        ("loadtests/locustfile.py", "x = 1\n", "load test loadtests/locustfile.py"),
        ("tools/shop_users.py", "from locust import HttpUser\n", "load test tools/shop_users.py"),
        ("k6/checkout.js", "export default function () {}\n", "load test k6/checkout.js"),
        ("perf/checkout.js", "export default function () {}\n", "load test perf/checkout.js"),
        ("requirements-dev.txt", "locust==2.31\n", "locust declared as a dependency"),
        (".github/workflows/load.yml", "steps:\n  - run: k6 run scenario.js\n",
         "'k6 run' at .github/workflows/load.yml:2"),
    ],
)
def test_passes_with_load_test_signal(path: str, content: str, evidence: str) -> None:
    report = run(NoLoadTests, {"app/main.py": APP, path: content})
    assert found(report) == []
    assert report.result("TEST-04").evidence == [evidence]
    assert report.result("SCALE-11").evidence == [evidence]


def test_not_applicable_without_web_framework() -> None:
    report = run(NoLoadTests, {"lib/parse.py": "import json\n"})
    assert found(report) == []
    assert status(report, "TEST-04") is Status.NOT_APPLICABLE
    assert status(report, "SCALE-11") is Status.NOT_APPLICABLE
