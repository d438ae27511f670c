"""App authentication as GitHub checks it: RS256 JWTs signed by the app key, installation tokens.

GitHub's rules for the JWT an app sends to ``POST /app/installations/{id}/access_tokens``:
``iss`` is the app id (or client id), ``iat`` an integer not in the future (60 s of clock drift
forgiven), ``exp`` in the future and at most 10 minutes ahead of GitHub's clock. GitHub's own
example sets ``iat`` 60 s in the past and ``exp`` 10 minutes ahead, so ``exp - iat`` may reach 11
minutes; the ten-minute limit is measured from now, not from ``iat``.
"""

from __future__ import annotations

import functools
import secrets
import string
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fake_github.state import App

CLOCK_SKEW = 60
MAX_JWT_LIFETIME = 600

MSG_UNDECODABLE = "A JSON web token could not be decoded"
MSG_IAT = "'Issued at' claim ('iat') must be an Integer representing a time in the past"
MSG_EXP = (
    "'Expiration time' claim ('exp') must be a numeric value representing the future time "
    "at which the assertion expires"
)
MSG_EXP_TOO_FAR = "'Expiration time' claim ('exp') is too far in the future"
MSG_ISS = "'Issuer' claim ('iss') must be an Integer"
MSG_NO_APP = "Integration not found"


class AuthError(Exception):
    """The credentials are refused; ``message`` is GitHub's text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def generate_key_pair() -> tuple[str, str]:
    """A fresh 2048-bit RSA key pair as (private PEM, public PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@functools.cache
def default_key_pair() -> tuple[str, str]:
    """One key pair per test process: generating RSA keys is slow."""
    return generate_key_pair()


def public_key_of(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def sign_app_jwt(
    app: App, now: float, *, issued_ago: int = CLOCK_SKEW, lifetime: int = MAX_JWT_LIFETIME
) -> str:
    """The JWT a well-behaved app sends: ``iat`` ``issued_ago`` s back, ``exp`` ``lifetime`` on."""
    claims = {"iat": int(now) - issued_ago, "exp": int(now) + lifetime, "iss": str(app.id)}
    return jwt.encode(claims, app.private_key_pem, algorithm="RS256")


def _issuer(claims: dict[str, Any], apps: dict[int, App]) -> App:
    issuer = claims.get("iss")
    if isinstance(issuer, str) and not issuer.isdigit():
        for app in apps.values():
            if app.client_id == issuer:
                return app
        raise AuthError(MSG_ISS)
    if isinstance(issuer, str):
        issuer = int(issuer)
    if not isinstance(issuer, int):
        raise AuthError(MSG_ISS)
    if issuer not in apps:
        raise AuthError(MSG_NO_APP)
    return apps[issuer]


def verify_app_jwt(token: str, apps: dict[int, App], now: float) -> App:
    """The app ``token`` authenticates, or ``AuthError`` with GitHub's reason."""
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise AuthError(MSG_UNDECODABLE) from error
    if header.get("alg") != "RS256":
        raise AuthError(MSG_UNDECODABLE)
    app = _issuer(claims, apps)
    try:
        jwt.decode(
            token,
            app.public_key_pem,
            algorithms=["RS256"],
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except jwt.PyJWTError as error:
        raise AuthError(MSG_UNDECODABLE) from error
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int) or isinstance(iat, bool) or iat > now + CLOCK_SKEW:
        raise AuthError(MSG_IAT)
    if not isinstance(exp, int | float) or isinstance(exp, bool) or exp <= now:
        raise AuthError(MSG_EXP)
    if exp > now + MAX_JWT_LIFETIME:
        raise AuthError(MSG_EXP_TOO_FAR)
    return app


_TOKEN_ALPHABET = string.ascii_letters + string.digits


def new_installation_token() -> str:
    """A token shaped like GitHub's installation tokens: ``ghs_`` and 36 characters."""
    return "ghs_" + "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(36))
