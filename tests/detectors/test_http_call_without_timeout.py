from checks.detectors.resilience.http_call_without_timeout import HttpCallWithoutTimeout
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

CLIENT = """\
import aiohttp
import boto3
import httpx
import requests
import smtplib
import socket
import urllib.request
from botocore.config import Config
from requests import get as fetch

def rates():
    return requests.get("https://x/rates").json()

def aliased():
    return fetch("https://x")

def explicit_none():
    return requests.post("https://x", json={}, timeout=None)

def ok(**kw):
    requests.get("https://x", timeout=5)
    requests.get("https://x", **kw)
    httpx.get("https://x")

class Api:
    def __init__(self):
        self.session = requests.Session()

    def user(self, uid):
        return self.session.get(f"https://x/users/{uid}")

def unbounded_httpx():
    return httpx.Client(timeout=None)

async def pull():
    async with aiohttp.ClientSession() as s:
        async with s.get("https://x") as r:
            return await r.text()

def legacy():
    urllib.request.urlopen("https://x")
    urllib.request.urlopen("https://x", None, 10)
    smtplib.SMTP("mail", 25)
    smtplib.SMTP("mail", 25, None, 10)
    socket.create_connection(("h", 1))
    socket.create_connection(("h", 1), 3)

s3 = boto3.client("s3")
s3_ok = boto3.client("s3", config=Config(connect_timeout=2, read_timeout=5))
sqs = boto3.client("sqs", config=Config(retries={"max_attempts": 3}))
"""


def test_flags_calls_without_a_bounded_timeout() -> None:
    report = run(HttpCallWithoutTimeout, {"app/client.py": CLIENT})
    assert found(report) == [
        ("RES-03", "app/client.py", 12),
        ("RES-03", "app/client.py", 15),
        ("RES-03", "app/client.py", 18),
        ("RES-03", "app/client.py", 30),
        ("RES-03", "app/client.py", 33),
        ("RES-03", "app/client.py", 36),
        ("RES-03", "app/client.py", 41),
        ("RES-03", "app/client.py", 43),
        ("RES-03", "app/client.py", 45),
        ("RES-03", "app/client.py", 48),
        ("RES-03", "app/client.py", 50),
    ]
    by_line = {f.start_line: f for f in findings(report, "RES-03")}
    assert "`requests.get()` without `timeout=`" in by_line[12].message
    assert "`requests.get()`" in by_line[15].message  # resolved through the alias
    assert "`self.session.get()`" in by_line[30].message
    assert by_line[36].severity is Severity.LOW  # aiohttp's 5-minute default
    assert by_line[48].severity is Severity.LOW and "boto3.client('s3')" in by_line[48].message
    assert status(report, "RES-03") is Status.WARN


def test_project_wide_defaults_cancel_findings() -> None:
    files = {
        "app/http.py": """\
import requests
from requests.adapters import HTTPAdapter

class TimeoutAdapter(HTTPAdapter):
    def send(self, request, **kwargs):
        kwargs.setdefault("timeout", 5)
        return super().send(request, **kwargs)

session = requests.Session()
session.mount("https://", TimeoutAdapter())

def user(uid):
    return session.get(f"https://x/users/{uid}")

def plain():
    return requests.get("https://x")
""",
        "app/boot.py": """\
import socket
import urllib.request

socket.setdefaulttimeout(10)
urllib.request.urlopen("https://x")
""",
        "app/aio.py": """\
import aiohttp

async def pull():
    async with aiohttp.ClientSession() as s:
        return await s.get("https://x", timeout=aiohttp.ClientTimeout(total=5))
""",
    }
    report = run(HttpCallWithoutTimeout, files)
    # The adapter covers the session, not the module-level requests.get().
    assert found(report) == [("RES-03", "app/http.py", 16)]
    assert any("app/http.py:4" in e for e in report.result("RES-03").evidence)


def test_tests_and_ambiguous_names_are_not_flagged() -> None:
    files = {
        "tests/test_client.py": "import requests\nrequests.get('https://x')\n",
        "app/mixed.py": """\
import requests

def a():
    client = requests.Session()
    return client

def b(cache):
    client = cache.connect()
    return client.get("key")

def c():
    return requests.get("https://x", timeout=3)
""",
    }
    report = run(HttpCallWithoutTimeout, files)
    assert found(report) == []
    assert status(report, "RES-03") is Status.PASS


def test_not_applicable_without_outbound_calls() -> None:
    report = run(HttpCallWithoutTimeout, {"app/math.py": "def add(a, b):\n    return a + b\n"})
    assert status(report, "RES-03") is Status.NOT_APPLICABLE


def test_aliased_constructors_are_resolved() -> None:
    files = {"app/mail.py": """\
from httpx import Client as HttpxClient
from smtplib import SMTP as Mailer

def send():
    Mailer("mail", 25)

def api():
    return HttpxClient(timeout=None)
"""}
    report = run(HttpCallWithoutTimeout, files)
    assert found(report) == [("RES-03", "app/mail.py", 5), ("RES-03", "app/mail.py", 8)]
    by_line = {f.start_line: f for f in findings(report, "RES-03")}
    assert by_line[5].message.startswith("`smtplib.SMTP()` without a timeout")
    assert by_line[8].message.startswith("`httpx.Client(timeout=None)`")
