from checks.detectors.security.tls_verification_disabled import TlsVerificationDisabled
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

BAD = """\
import ssl

import aiohttp
import httpx
import paramiko
import requests
import urllib3
from OpenSSL import SSL

requests.get("https://x", verify=False)
client = httpx.AsyncClient(verify=False, timeout=5)
session = requests.Session()
session.verify = False
session.post("https://x", verify=False)
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ssl._create_default_https_context = ssl._create_unverified_context
raw = ssl._create_unverified_context()
urllib3.disable_warnings()
pool = urllib3.PoolManager(cert_reqs="CERT_NONE")
conn = aiohttp.TCPConnector(ssl=False)
ssh = paramiko.SSHClient()
ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
old = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
ctx.minimum_version = ssl.TLSVersion.TLSv1_1
broker_use_ssl = {"ssl_cert_reqs": ssl.CERT_NONE}
sock = ssl.wrap_socket(raw_sock)
SSL.Context(method=SSL.TLSv1_METHOD)


def connect(version=ssl.PROTOCOL_SSLv3):
    return version
"""


def test_flags_every_way_of_disabling_verification() -> None:
    report = run(TlsVerificationDisabled, {"app/clients.py": BAD})
    assert found(report) == [
        ("SEC-05", "app/clients.py", line)
        for line in (10, 11, 13, 14, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 32)
    ]
    assert status(report, "SEC-05") is Status.WARN
    by_line = {f.start_line: f for f in findings(report, "SEC-05")}
    assert by_line[10].message.startswith("requests.get(verify=False)")
    assert by_line[20].severity is Severity.LOW
    assert by_line[24].severity is Severity.HIGH
    assert "AutoAddPolicy" in by_line[24].message
    assert "TLSv1_1" in by_line[26].message
    assert by_line[28].message.startswith("ssl.wrap_socket() checks no certificate")
    assert by_line[29].message.startswith("TLSv1_METHOD is an obsolete protocol")
    assert "parameter default" in by_line[32].message


GOOD = """\
import ssl

from OpenSSL import SSL

import jwt
import requests

requests.get("https://x", verify="/etc/ssl/ca.pem")
requests.get("https://x")
ctx = ssl.create_default_context()
ctx.minimum_version = ssl.TLSVersion.TLSv1_2
if ctx.verify_mode == ssl.CERT_NONE:
    raise RuntimeError("no")
claims = jwt.decode(token, key, verify=False)
form.validate(verify=False)
sock = ssl.wrap_socket(raw_sock, cert_reqs=ssl.CERT_REQUIRED)
ctx = SSL.Context(SSL.SSLv23_METHOD)
"""


def test_verified_calls_and_unrelated_verify_keywords_pass() -> None:
    files = {"app/clients.py": GOOD, "tests/test_clients.py": BAD}
    report = run(TlsVerificationDisabled, files)
    assert found(report) == []
    assert status(report, "SEC-05") is Status.PASS


def test_functions_imported_under_other_names_are_found() -> None:
    src = """\
from requests import get as fetch
from urllib3 import disable_warnings as quiet

quiet()
page = fetch("https://internal", verify=False)
"""
    report = run(TlsVerificationDisabled, {"app/client.py": src})
    assert found(report) == [("SEC-05", "app/client.py", 4), ("SEC-05", "app/client.py", 5)]
    by_line = {f.start_line: f for f in findings(report, "SEC-05")}
    assert by_line[4].message.startswith("urllib3.disable_warnings() hides the warnings")
    assert by_line[4].severity is Severity.LOW
    assert by_line[5].message.startswith("fetch(verify=False) sends requests without checking")
