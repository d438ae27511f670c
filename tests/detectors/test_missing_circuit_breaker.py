from checks.detectors.resilience.missing_circuit_breaker import MissingCircuitBreaker
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

FILES = {
    "app/scoring.py": """\
import requests

def score(applicant):
    return requests.post("https://score", json=applicant, timeout=3).json()
""",
    "app/geo.py": """\
import httpx

async def locate(ip):
    async with httpx.AsyncClient() as client:
        return await client.get(f"https://geo/{ip}")
""",
}


def test_one_low_finding_on_the_first_outbound_call() -> None:
    report = run(MissingCircuitBreaker, FILES)
    assert found(report) == [("RES-02", "app/geo.py", 5)]
    (finding,) = findings(report, "RES-02")
    assert finding.severity is Severity.LOW
    assert finding.message.startswith("2 outbound HTTP calls in 2 modules (first: "
                                      "`client.get()`)")


def test_a_breaker_library_passes() -> None:
    files = {**FILES, "pyproject.toml": '[project]\nname = "x"\ndependencies = ["pybreaker"]\n'}
    report = run(MissingCircuitBreaker, files)
    assert found(report) == []
    assert status(report, "RES-02") is Status.PASS


def test_not_applicable_without_outbound_calls() -> None:
    report = run(MissingCircuitBreaker, {"app/core.py": "def f():\n    return 1\n"})
    assert status(report, "RES-02") is Status.NOT_APPLICABLE


def test_an_aliased_module_function_counts() -> None:
    files = {"app/feed.py": """\
from urllib.request import urlopen as fetch_url

def feed():
    return fetch_url("https://feed", timeout=3).read()
"""}
    report = run(MissingCircuitBreaker, files)
    assert found(report) == [("RES-02", "app/feed.py", 4)]
    (finding,) = findings(report, "RES-02")
    assert finding.message.startswith("1 outbound HTTP calls in 1 modules (first: "
                                      "`urllib.request.urlopen()`)")
