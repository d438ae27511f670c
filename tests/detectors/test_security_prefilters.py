"""The security detectors test each file and call cheaply before resolving names (a call's last
name part, identifiers the file's text must contain). These cases hide the names those tests
look for behind import aliases and non-ASCII spellings: each must still be found, on its line."""

from __future__ import annotations

import pytest

from checks.detector import Detector
from checks.detectors.security.broken_cryptography import BrokenCryptography
from checks.detectors.security.cors_wildcard_origin import CorsWildcardOrigin
from checks.detectors.security.csrf_protection_disabled import CsrfProtectionDisabled
from checks.detectors.security.debug_mode_enabled import DebugModeEnabled
from checks.detectors.security.insecure_jwt_decode import InsecureJwtDecode
from checks.detectors.security.insecure_random_secret import InsecureRandomSecret
from checks.detectors.security.shell_command_injection import ShellCommandInjection
from checks.detectors.security.sql_injection import SqlInjection
from checks.detectors.security.template_autoescape_disabled import TemplateAutoescapeDisabled
from checks.detectors.security.template_built_from_input import TemplateBuiltFromInput
from checks.detectors.security.tls_verification_disabled import TlsVerificationDisabled
from checks.detectors.security.unescaped_html_markup import UnescapedHtmlMarkup
from checks.detectors.security.unsafe_deserialization import UnsafeDeserialization
from checks.detectors.security.weak_password_hash import WeakPasswordHash
from tests.helpers import found, run

# Full-width letters and digits: the parser normalises them (NFKC), so full-width "jwt" is
# the name ``jwt``, though the file's text never spells ``jwt`` in ASCII.
FW_JWT = "\uff4a\uff57\uff54"
FW_MD5 = "\uff4d\uff44\uff15"

CASES: list[tuple[type[Detector], str, str, list[int]]] = [
    (InsecureJwtDecode, "SEC-01", """\
from jwt import decode as read_claims


def claims(token, key):
    return read_claims(token, key, verify=False)
""", [5]),
    (InsecureJwtDecode, "SEC-01", f"""\
import {FW_JWT}


def claims(token, key):
    return {FW_JWT}.decode(token, key, verify=False)
""", [5]),
    (InsecureRandomSecret, "SEC-01", """\
from random import choice as pick


def reset_token():
    return pick("abcdef0123456789")
""", [5]),
    (WeakPasswordHash, "SEC-12", """\
from hashlib import md5 as digest


def store(password):
    return digest(password.encode()).hexdigest()
""", [5]),
    (WeakPasswordHash, "SEC-12", f"""\
def {FW_MD5}(data=b""):
    return data


def store(password):
    h = {FW_MD5}()
    h.update(password)
""", [7]),
    (BrokenCryptography, "SEC-06", """\
from Crypto.Cipher import DES as Legacy

cipher = Legacy.new(b"8bytekey")
""", [3]),
    (TlsVerificationDisabled, "SEC-05", """\
import ssl as tls
from ssl import _create_unverified_context as insecure

context = tls.SSLContext(tls.PROTOCOL_TLSv1)
other = insecure()
""", [4, 5]),
    (CorsWildcardOrigin, "SEC-03", """\
from starlette.middleware.cors import CORSMiddleware as Cors

app.add_middleware(Cors, allow_origins=["*"])
""", [3]),
    (CsrfProtectionDisabled, "SEC-04", """\
from django.views.decorators.csrf import csrf_exempt as no_csrf


@no_csrf
def hook(request):
    return None
""", [4]),
    (DebugModeEnabled, "SEC-10", """\
from fastapi import FastAPI as Api

app = Api(debug=True)
""", [3]),
    (ShellCommandInjection, "SEC-15", """\
from os import system as run_command


def listing(name):
    run_command(f"ls {name}")
""", [5]),
    (UnsafeDeserialization, "SEC-15", """\
from pickle import loads as restore


def read(blob):
    return restore(blob)
""", [5]),
    (SqlInjection, "SEC-08", """\
from sqlalchemy import text as sql


def by_name(conn, name):
    return conn.execute(sql(f"SELECT * FROM t WHERE n = '{name}'"))
""", [5]),
    (UnescapedHtmlMarkup, "SEC-09", """\
from django.utils.safestring import mark_safe as trusted


def badge(user):
    return trusted(f"<b>{user.name}</b>")
""", [5]),
    (TemplateBuiltFromInput, "SEC-09", """\
from flask import render_template_string as render


def page(name):
    return render(f"<h1>{name}</h1>")
""", [5]),
    (TemplateAutoescapeDisabled, "SEC-09", """\
import flask
from jinja2 import Environment as Env

env = Env()
""", [4]),
]


@pytest.mark.parametrize(("detector", "item", "source", "lines"), CASES,
                         ids=[f"{c[0].slug}-{i}" for i, c in enumerate(CASES)])
def test_names_behind_aliases_and_non_ascii_spellings_are_found(
        detector: type[Detector], item: str, source: str, lines: list[int]) -> None:
    report = run(detector, {"app/module.py": source})
    assert found(report, item) == [(item, "app/module.py", line) for line in lines]
