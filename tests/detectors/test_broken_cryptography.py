from checks.detectors.security.broken_cryptography import BrokenCryptography
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

BAD = """\
from Crypto.Cipher import AES, DES
from Crypto.PublicKey import RSA
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

a = DES.new(key, DES.MODE_CBC)
b = AES.new(key, AES.MODE_ECB)
c = Cipher(algorithms.AES(key), modes.ECB())
d = Cipher(algorithms.TripleDES(key), modes.CBC(iv))
e = rsa.generate_private_key(public_exponent=65537, key_size=1024)
f = RSA.generate(1024)
g = ec.generate_private_key(ec.SECP192R1())
h = ec.generate_private_key(curve=ec.SECT163R2, backend=None)
"""


def test_flags_broken_ciphers_ecb_and_short_keys() -> None:
    report = run(BrokenCryptography, {"app/crypto.py": BAD})
    assert found(report) == [
        ("SEC-06", "app/crypto.py", line) for line in (6, 7, 8, 9, 10, 11, 12, 13)
    ]
    assert status(report, "SEC-06") is Status.WARN
    by_line = {f.start_line: f for f in findings(report, "SEC-06")}
    assert by_line[6].message == "DES is a broken or 64-bit-block cipher"
    assert by_line[9].message == "TripleDES is a broken or 64-bit-block cipher"
    assert by_line[10].message.startswith("a 1024-bit RSA key")
    assert by_line[10].severity is Severity.MEDIUM
    assert by_line[7].severity is Severity.HIGH
    assert by_line[13].message == "curve SECT163R2 is under 224 bits"


GOOD = """\
import os

from Crypto.Cipher import AES
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

a = AES.new(key, AES.MODE_GCM)
b = Fernet(key).encrypt(b"x")
c = AESGCM(key).encrypt(os.urandom(12), b"x", None)
d = rsa.generate_private_key(public_exponent=65537, key_size=3072)
e = ec.generate_private_key(ec.SECP256R1())
"""


def test_modern_cryptography_passes_with_evidence() -> None:
    files = {"app/crypto.py": GOOD, "tests/test_crypto.py": BAD}
    report = run(BrokenCryptography, files)
    assert found(report) == []
    assert status(report, "SEC-06") is Status.PASS
    assert report.result("SEC-06").evidence[0].startswith("3 cipher or key calls checked")


def test_functions_imported_under_other_names_are_found_and_counted() -> None:
    src = """\
from Crypto.Cipher.ARC4 import new as rc4
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key as new_key


def setup(key):
    stream = rc4(key)
    private = new_key(public_exponent=65537, key_size=1024)
    return stream, private
"""
    report = run(BrokenCryptography, {"app/keys.py": src})
    assert found(report) == [("SEC-06", "app/keys.py", 6), ("SEC-06", "app/keys.py", 7)]
    by_line = {f.start_line: f for f in findings(report, "SEC-06")}
    assert by_line[6].message == "ARC4 is a broken or 64-bit-block cipher"
    assert by_line[7].message.startswith("a 1024-bit RSA key is too short")
    assert report.result("SEC-06").evidence[0].startswith("2 cipher or key calls checked")
