from checks.detectors.security.insecure_random_secret import InsecureRandomSecret
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

BAD = """\
import random
import string
from random import randint


def make_reset_token():
    return "".join(random.choices(string.ascii_letters, k=32))


def send_code(user):
    verification_code = randint(100000, 999999)
    user.api_key = "%032x" % random.getrandbits(128)
    rng = random.Random()
    Session.create(user=user, session_id=rng.random())
    return verification_code
"""


def test_flags_secrets_from_the_random_module() -> None:
    report = run(InsecureRandomSecret, {"app/tokens.py": BAD})
    assert found(report) == [
        ("SEC-01", "app/tokens.py", 7),
        ("SEC-01", "app/tokens.py", 11),
        ("SEC-01", "app/tokens.py", 12),
        ("SEC-01", "app/tokens.py", 14),
    ]
    assert status(report, "SEC-01") is Status.WARN
    by_line = {f.start_line: f for f in findings(report, "SEC-01")}
    assert by_line[7].message.startswith("random.choices() makes make_reset_token()")
    assert "`verification_code`" in by_line[11].message
    assert "random.Random().random()" in by_line[14].message
    assert by_line[7].severity is Severity.HIGH


GOOD = """\
import random
import secrets

import numpy as np


def make_reset_token():
    return secrets.token_urlsafe(32)


def backoff(attempt):
    delay = random.uniform(0, 2 ** attempt)
    token_count = random.randint(1, 5)
    sample = np.random.choice([1, 2])
    otp = secrets.randbelow(10 ** 6)
    rng = random.SystemRandom()
    password = "".join(rng.choice("abc") for _ in range(20))
    return delay, token_count, sample, otp, password
"""


def test_secrets_module_and_non_secret_randomness_pass() -> None:
    files = {"app/tokens.py": GOOD, "tests/test_tokens.py": BAD}
    report = run(InsecureRandomSecret, files)
    assert found(report) == []
    assert status(report, "SEC-01") is Status.PASS


def test_functions_imported_under_other_names_are_found() -> None:
    src = """\
from random import randint as roll


def make_otp():
    return roll(100000, 999999)


def dice():
    return roll(1, 6)
"""
    report = run(InsecureRandomSecret, {"app/otp.py": src})
    assert found(report) == [("SEC-01", "app/otp.py", 5)]
    assert findings(report, "SEC-01")[0].message.startswith("random.randint() makes make_otp()")
