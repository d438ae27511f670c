from checks.detectors.security.insecure_jwt_decode import InsecureJwtDecode
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

BAD = """\
import jwt
from jose import jwt as jose_jwt

NO_CHECK = {"verify_signature": False}


def claims(token, key):
    a = jwt.decode(token, options={"verify_signature": False})
    b = jwt.decode(token, key, verify=False)
    c = jwt.decode(token, key, algorithms=["HS256", "none"])
    d = jwt.decode(token, key)
    e = jose_jwt.decode(token, key)
    f = jwt.decode(token, key, algorithms=["HS256"], options={"verify_exp": False})
    g = jwt.decode(token, key, algorithms=["HS256"], options=NO_CHECK)
    return a, b, c, d, e, f, g


unsigned = jwt.encode({"sub": "1"}, None, algorithm="none")
"""


def test_flags_unverified_and_unsigned_tokens() -> None:
    report = run(InsecureJwtDecode, {"app/auth.py": BAD})
    assert found(report) == [
        ("SEC-01", "app/auth.py", line) for line in (8, 9, 10, 11, 12, 13, 14, 18)
    ]
    assert status(report, "SEC-01") is Status.WARN
    by_line = {f.start_line: f for f in findings(report, "SEC-01")}
    assert by_line[8].severity is Severity.HIGH
    assert "without signature verification" in by_line[8].message
    assert by_line[11].severity is Severity.MEDIUM
    assert "PyJWT may accept" in by_line[11].message
    assert "python-jose may accept" in by_line[12].message
    assert "verify_exp=False" in by_line[13].message
    assert "without signature verification" in by_line[14].message


GOOD = """\
import jwt
from jose import jwt as jose_jwt


def claims(token, key, **kw):
    header = jwt.get_unverified_header(token)
    a = jwt.decode(token, key, algorithms=["RS256"], audience="api")
    b = jose_jwt.decode(token, key, algorithms=["RS256"])
    c = jwt.decode(token, key, **kw)
    return header, a, b, c, jwt.encode({"sub": "1"}, key, algorithm="HS256")
"""


def test_verified_decoding_passes() -> None:
    files = {"app/auth.py": GOOD, "tests/test_auth.py": BAD}
    report = run(InsecureJwtDecode, files)
    assert found(report) == []
    assert status(report, "SEC-01") is Status.PASS


def test_unverified_oidc_id_token_is_medium() -> None:
    src = (
        "import jwt\n"
        "def claims(tokens):\n"
        "    return jwt.decode(jwt=tokens.id_token, options={'verify_signature': False})\n"
    )
    report = run(InsecureJwtDecode, {"app/google.py": src})
    assert found(report) == [("SEC-01", "app/google.py", 3)]
    assert findings(report, "SEC-01")[0].severity is Severity.MEDIUM
    assert "OpenID Connect ID token" in findings(report, "SEC-01")[0].message


def test_functions_imported_under_other_names_are_found() -> None:
    src = """\
from jose.jwt import decode as read_claims
from jwt import encode as sign


def claims(token, key):
    return read_claims(token, key)


unsigned = sign({"sub": "1"}, None, algorithm="none")
"""
    report = run(InsecureJwtDecode, {"app/auth.py": src})
    assert found(report) == [("SEC-01", "app/auth.py", 6), ("SEC-01", "app/auth.py", 9)]
    by_line = {f.start_line: f for f in findings(report, "SEC-01")}
    assert "python-jose may accept" in by_line[6].message
    assert by_line[9].message.startswith('jwt.encode(algorithm="none")')
