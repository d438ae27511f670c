from checks.detectors.resilience.external_call_without_retry import ExternalCallWithoutRetry
from checks.model import Status
from tests.helpers import findings, found, run, status

CLIENT = """\
import httpx
import requests

def rates(currency):
    first = requests.get(f"https://x/{currency}", timeout=5)
    second = requests.get("https://x/other", timeout=5)
    return first, second

class Billing:
    def __init__(self):
        self.http = httpx.Client()

    def charge(self, amount):
        return self.http.post("https://pay/charges", json={"amount": amount})

def polled():
    for attempt in range(3):
        try:
            return requests.get("https://x", timeout=2)
        except requests.RequestException:
            continue

@with_retries(3)
def decorated():
    return requests.get("https://x", timeout=2)

def local_only(cache):
    return cache.get("key")
"""


def test_flags_each_function_once_when_nothing_retries() -> None:
    report = run(ExternalCallWithoutRetry, {"app/client.py": CLIENT})
    assert found(report) == [
        ("RES-01", "app/client.py", 5),
        ("RES-01", "app/client.py", 14),
    ]
    messages = [f.message for f in findings(report, "RES-01")]
    assert messages[0].startswith("rates() calls `requests.get()`")
    assert messages[1].startswith("Billing.charge() calls `self.http.post()`")
    assert status(report, "RES-01") is Status.WARN


def test_a_retry_library_anywhere_passes() -> None:
    files = {
        "app/client.py": CLIENT,
        "requirements.txt": "requests==2.32.3\ntenacity>=8\n",
    }
    report = run(ExternalCallWithoutRetry, files)
    assert found(report) == []
    assert status(report, "RES-01") is Status.PASS
    assert report.result("RES-01").evidence == ["retry library `tenacity` is used or declared"]


def test_a_retrying_adapter_passes() -> None:
    files = {
        "app/client.py": CLIENT,
        "app/http.py": """\
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

session = requests.Session()
session.mount("https://", HTTPAdapter(max_retries=Retry(total=3, backoff_factor=0.5)))
""",
    }
    report = run(ExternalCallWithoutRetry, files)
    assert found(report) == []
    assert report.result("RES-01").evidence == [
        "retries configured: `HTTPAdapter(max_retries=...)` at app/http.py:6"]


def test_not_applicable_without_outbound_calls_and_tests_ignored() -> None:
    files = {"tests/test_api.py": "import requests\nrequests.get('https://x')\n"}
    report = run(ExternalCallWithoutRetry, files)
    assert status(report, "RES-01") is Status.NOT_APPLICABLE


RETRYING = """\
from urllib3.util.retry import Retry as UrlRetry

from app.worker import app

@app.task(autoretry_for=(IOError,))
def sync():
    pass

POLICY = UrlRetry(total=3)
"""


def test_the_first_retry_mechanism_is_quoted_through_aliases() -> None:
    files = {"app/client.py": CLIENT, "app/tasks.py": RETRYING}
    report = run(ExternalCallWithoutRetry, files)
    assert found(report) == []
    assert report.result("RES-01").evidence == [
        "retries configured: Celery `autoretry_for` at app/tasks.py:5"]

    files["app/tasks.py"] = RETRYING.replace("autoretry_for", "bind")
    report = run(ExternalCallWithoutRetry, files)
    assert found(report) == []
    assert report.result("RES-01").evidence == [
        "retries configured: `urllib3.util.retry.Retry` at app/tasks.py:9"]
