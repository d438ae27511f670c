"""X-Hub-Signature-256 verification over the exact bytes received (property-based)."""

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from bot.server import verify_signature


def _sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@given(body=st.binary(max_size=2000), secret=st.text(min_size=1, max_size=64))
def test_a_correct_signature_verifies(body: bytes, secret: str) -> None:
    assert verify_signature(body, _sign(body, secret), secret)


@given(body=st.binary(min_size=1, max_size=2000), secret=st.text(min_size=1, max_size=64),
       index=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_any_changed_byte_fails(body: bytes, secret: str, index: int, flip: int) -> None:
    i = index % len(body)
    tampered = body[:i] + bytes([body[i] ^ flip]) + body[i + 1:]
    assert not verify_signature(tampered, _sign(body, secret), secret)


@given(header=st.one_of(st.none(), st.text(max_size=80)), body=st.binary(max_size=200))
def test_garbage_headers_never_verify_and_never_raise(header: str | None, body: bytes) -> None:
    assert not verify_signature(body, header, "s3cret") or header == _sign(body, "s3cret")


def test_sha1_only_and_unicode_bodies() -> None:
    body = '{"title": "naïve café 🚀"}'.encode()
    sha1 = "sha1=" + hmac.new(b"k", body, hashlib.sha1).hexdigest()
    assert not verify_signature(body, sha1, "k")
    assert verify_signature(body, _sign(body, "k"), "k")
    assert not verify_signature(body.decode().encode("utf-16"), _sign(body, "k"), "k")
