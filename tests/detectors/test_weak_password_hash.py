from checks.detectors.security.weak_password_hash import WeakPasswordHash
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

BAD = """\
import crypt
import hashlib
from hashlib import md5
from passlib.context import CryptContext
from passlib.hash import md5_crypt
from werkzeug.security import generate_password_hash


def store(user, raw_password):
    user.hash = md5(raw_password.encode()).hexdigest()


def hash_password(value, salt):
    return hashlib.sha256((salt + value).encode()).hexdigest()


def legacy(pw):
    h = hashlib.sha1()
    h.update(pw.encode())
    digest = hashlib.new("md5", pw.encode())
    return crypt.crypt(pw), md5_crypt.hash(pw), h, digest


pwd_context = CryptContext(schemes=["ldap_salted_sha1", "bcrypt"])
weak = generate_password_hash("x", method="sha1")
few = generate_password_hash("x", method="pbkdf2:sha256:1000")
key = hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 1000)
"""


def test_flags_fast_hashes_of_passwords() -> None:
    report = run(WeakPasswordHash, {"app/auth.py": BAD})
    assert found(report) == [
        ("SEC-12", "app/auth.py", 10),
        ("SEC-12", "app/auth.py", 14),
        ("SEC-12", "app/auth.py", 19),
        ("SEC-12", "app/auth.py", 20),
        ("SEC-12", "app/auth.py", 21),
        ("SEC-12", "app/auth.py", 21),
        ("SEC-12", "app/auth.py", 24),
        ("SEC-12", "app/auth.py", 25),
        ("SEC-12", "app/auth.py", 26),
        ("SEC-12", "app/auth.py", 27),
    ]
    assert status(report, "SEC-12") is Status.WARN
    by_line = {f.start_line: f for f in findings(report, "SEC-12")}
    assert "hashlib.md5() hashes `raw_password`" in by_line[10].message
    assert "in hash_password()" in by_line[14].message
    assert "hashlib.sha1().update() hashes `pw`" in by_line[19].message
    assert "`ldap_salted_sha1`" in by_line[24].message
    assert by_line[27].severity is Severity.MEDIUM


DJANGO = """\
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
"""


def test_django_default_hasher_outside_test_settings() -> None:
    files = {"proj/settings.py": DJANGO, "proj/settings/test.py": DJANGO}
    assert found(run(WeakPasswordHash, files)) == [("SEC-12", "proj/settings.py", 1)]


GOOD = """\
import hashlib

import bcrypt
from argon2 import PasswordHasher
from passlib.context import CryptContext
from werkzeug.security import generate_password_hash

ctx = CryptContext(schemes=["argon2", "md5_crypt"], deprecated="auto")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                    "django.contrib.auth.hashers.MD5PasswordHasher"]


def store(password, body, password_reset_token):
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
    PasswordHasher().hash(password)
    generate_password_hash(password)
    generate_password_hash(password, method="scrypt")
    hashlib.pbkdf2_hmac("sha256", password.encode(), b"salt", 600_000)
    etag = hashlib.md5(body).hexdigest()
    token_digest = hashlib.sha256(password_reset_token.encode()).hexdigest()
    return hashed, etag, token_digest


def password_reset_token(user):
    return hashlib.sha256(user.email.encode()).hexdigest()
"""


def test_strong_hashes_and_non_password_digests_pass() -> None:
    files = {"app/auth.py": GOOD, "tests/test_auth.py": BAD}
    report = run(WeakPasswordHash, files)
    assert found(report) == []
    assert status(report, "SEC-12") is Status.PASS


def test_passlib_schemes_and_pbkdf2_classes_under_other_names_are_found() -> None:
    src = """\
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC as Kdf
from passlib.hash import ldap_salted_sha1 as legacy


class FastPBKDF2HMAC(Kdf):
    pass


def derive(password, salt, algorithm, stored):
    ok = legacy.verify(password, stored)
    a = Kdf(algorithm=algorithm, length=32, salt=salt, iterations=10_000)
    b = FastPBKDF2HMAC(algorithm=algorithm, length=32, salt=salt, iterations=1_000)
    return ok, a, b
"""
    report = run(WeakPasswordHash, {"app/kdf.py": src})
    assert found(report) == [
        ("SEC-12", "app/kdf.py", 10), ("SEC-12", "app/kdf.py", 11), ("SEC-12", "app/kdf.py", 12),
    ]
    by_line = {f.start_line: f for f in findings(report, "SEC-12")}
    assert by_line[10].message.startswith("passlib scheme `ldap_salted_sha1` is a fast")
    assert by_line[11].message == "PBKDF2HMAC with 10,000 iterations is fast to brute-force"
    assert by_line[12].message == "PBKDF2HMAC with 1,000 iterations is fast to brute-force"
