from checks.detectors.testing.real_http_call_in_test import RealHttpCallInTest
from checks.model import Status
from tests.helpers import found, run, status

LIVE = """\
import httpx
import pytest
import requests
from urllib.request import urlopen


def test_rate():
    rate = requests.get("https://api.exchangerate.host/latest").json()
    assert rate
    assert httpx.request("GET", f"https://api.github.com/repos/{NAME}")
    assert urlopen("http://93.184.216.34/")


def test_local_services():
    requests.get("http://localhost:8000/health")
    requests.get("http://127.0.0.1/health")
    requests.get("http://web:8000/health")
    requests.get("https://shop.test/health")
    requests.get(f"https://{HOST}/health")
    requests.get("http://10.0.0.5/health")
    requests.get(URL)


@pytest.mark.network
def test_marked_live():
    requests.get("https://api.github.com")


class TestClient:
    def test_session(self):
        self.client.get("https://api.github.com")
"""

MOCKED = """\
import requests


def test_rate(requests_mock):
    requests_mock.get("https://api.exchangerate.host/latest", json={})
    assert requests.get("https://api.exchangerate.host/latest").json() == {}
"""


def test_flags_unmocked_calls_to_public_hosts() -> None:
    report = run(RealHttpCallInTest, {"tests/test_rates.py": LIVE})
    assert found(report) == [
        ("TEST-07", "tests/test_rates.py", 8),
        ("TEST-07", "tests/test_rates.py", 10),
        ("TEST-07", "tests/test_rates.py", 11),
    ]
    assert status(report, "TEST-07") is Status.WARN
    assert "https://api.exchangerate.host/latest with requests.get()" in (
        report.findings[0].message)


def test_ignores_mocked_files_live_folders_and_service_code() -> None:
    files = {
        "tests/test_mocked.py": MOCKED,
        "tests/test_patch.py": "from unittest import mock\n" + LIVE,
        "tests/integration/test_live.py": LIVE,
        "app/rates.py": LIVE,
    }
    report = run(RealHttpCallInTest, files)
    assert found(report) == []
    assert status(report, "TEST-07") is Status.PASS


def test_ignores_all_when_conftest_installs_http_mocking_or_network_is_blocked() -> None:
    conftest = "import responses\n"
    report = run(RealHttpCallInTest, {"tests/conftest.py": conftest, "tests/test_r.py": LIVE})
    assert found(report) == []
    assert report.result("TEST-07").evidence == ["HTTP mocking installed in tests/conftest.py"]
    ini = "[pytest]\naddopts = --disable-socket\n"
    assert found(run(RealHttpCallInTest, {"pytest.ini": ini, "tests/test_r.py": LIVE})) == []


def test_module_level_live_mark_skips_the_file() -> None:
    code = "import pytest\nimport requests\npytestmark = pytest.mark.online\n\n" \
           "def test_x():\n    requests.get('https://api.github.com')\n"
    assert found(run(RealHttpCallInTest, {"tests/test_gh.py": code})) == []


def test_aliased_requests_function_is_flagged() -> None:
    code = ("from requests import get as fetch\n\n\ndef test_rate():\n"
            "    assert fetch('https://api.exchangerate.host/latest').ok\n")
    report = run(RealHttpCallInTest, {"tests/test_rates.py": code})
    assert found(report) == [("TEST-07", "tests/test_rates.py", 5)]
    assert "https://api.exchangerate.host/latest with requests.get()" in (
        report.findings[0].message)
