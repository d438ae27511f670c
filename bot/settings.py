"""Operator settings, read once from the environment into a typed object.

Every variable is documented in the README's "Running the GitHub App" table. Nothing else in
the app reads ``os.environ``: the server builds one :class:`Settings` at start-up (from an
injectable mapping, so tests pass their own) and hands it down.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

_LOG_LEVELS = ("debug", "info", "warning", "error")
_LOG_FORMATS = ("json", "console")


class SettingsError(ValueError):
    """The environment is incomplete or wrong; the message lists every problem and its fix."""


@dataclass(frozen=True, slots=True)
class Settings:
    """The app's settings. ``private_key`` and ``webhook_secret`` are secrets: they are excluded
    from ``repr`` so they never reach a log line."""

    app_id: str
    private_key: str = field(repr=False)
    webhook_secret: str = field(repr=False)
    api_url: str = "https://api.github.com"
    port: int = 3000
    host: str | None = None
    webhook_path: str = "/webhook"
    log_level: str = "info"
    log_format: str = "json"
    workers: int = 2
    max_body_bytes: int = 25 * 1024 * 1024
    body_read_seconds: float = 10.0
    drain_seconds: float = 20.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``env`` (default: the process environment).

        Raises :class:`SettingsError` naming every missing or invalid variable at once.
        """
        env = os.environ if env is None else env
        problems: list[str] = []

        def get(name: str, default: str = "") -> str:
            return env.get(name, default).strip()

        secret = env.get("GITHUB_WEBHOOK_SECRET", "")
        if not secret:
            problems.append("GITHUB_WEBHOOK_SECRET is not set: set it to the webhook secret of "
                            "the GitHub App (Settings > Developer settings > your app); the app "
                            "refuses to serve unverified webhooks")
        app_id = get("GITHUB_APP_ID")
        if not app_id.isdigit():
            problems.append("GITHUB_APP_ID must be the numeric App ID shown on the app's "
                            f"settings page (got {app_id!r})")
        key = env.get("GITHUB_PRIVATE_KEY", "")
        key_path = get("GITHUB_PRIVATE_KEY_PATH")
        if not key and key_path:
            key = _read_key(key_path, problems)
        if not key and not key_path:
            problems.append("set GITHUB_PRIVATE_KEY (the PEM text) or GITHUB_PRIVATE_KEY_PATH "
                            "(a path to the .pem file GitHub generated for the app)")
        elif key:
            problem = _key_problem(key)
            if problem:
                problems.append(problem)
        api_url = get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
        if not api_url.startswith(("https://", "http://")):
            problems.append(f"GITHUB_API_URL must be an http(s) URL (got {api_url!r})")
        port = _int(get("PORT", "3000"), "PORT", 1, 65535, problems)
        host = get("HOST") or None
        if host is not None and not _bindable(host):
            problems.append(f"HOST must be an IP address or a host name to listen on, such as "
                            f"127.0.0.1 (got {host!r})")
        workers = _int(get("WORKERS", "2"), "WORKERS", 1, 64, problems)
        drain = _int(get("DRAIN_SECONDS", "20"), "DRAIN_SECONDS", 0, 3600, problems)
        max_body = _int(get("WEBHOOK_MAX_BYTES", str(25 * 1024 * 1024)), "WEBHOOK_MAX_BYTES",
                        1024, 100 * 1024 * 1024, problems)
        read_seconds = _int(get("WEBHOOK_READ_SECONDS", "10"), "WEBHOOK_READ_SECONDS", 1, 300,
                            problems)
        path = get("WEBHOOK_PATH", "/webhook")
        if not path.startswith("/"):
            problems.append(f"WEBHOOK_PATH must start with '/' (got {path!r})")
        level = get("LOG_LEVEL", "info").lower()
        if level not in _LOG_LEVELS:
            problems.append(f"LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)} (got {level!r})")
        fmt = get("LOG_FORMAT", "json").lower()
        if fmt not in _LOG_FORMATS:
            problems.append(f"LOG_FORMAT must be json or console (got {fmt!r})")
        if problems:
            raise SettingsError("invalid settings:\n  - " + "\n  - ".join(problems))
        return cls(
            app_id=app_id,
            private_key=key,
            webhook_secret=secret,
            api_url=api_url,
            port=port,
            host=host,
            webhook_path=path,
            log_level=level,
            log_format=fmt,
            workers=workers,
            drain_seconds=float(drain),
            max_body_bytes=max_body,
            body_read_seconds=float(read_seconds),
        )


_MAX_KEY_BYTES = 16 * 1024
_HOST_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                        r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


def _bindable(host: str) -> bool:
    """An IP address (RFC 791 / RFC 4291) or a host name (RFC 1123 labels)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return len(host) <= 253 and _HOST_NAME.match(host) is not None
    return True


def _read_key(path: str, problems: list[str]) -> str:
    """The key file's text, read from a regular file and at most 16 KiB (``/dev/zero`` or a
    FIFO would otherwise be read forever)."""
    try:
        file = Path(path)
        if not file.is_file():
            problems.append(f"GITHUB_PRIVATE_KEY_PATH={path!r} is not a regular file")
            return ""
        with file.open("rb") as fh:
            data = fh.read(_MAX_KEY_BYTES + 1)
    except OSError as exc:
        problems.append(f"GITHUB_PRIVATE_KEY_PATH={path!r} cannot be read: {exc}")
        return ""
    if len(data) > _MAX_KEY_BYTES:
        problems.append(f"GITHUB_PRIVATE_KEY_PATH={path!r} is not a private key (over 16 KiB)")
        return ""
    return data.decode("ascii", errors="replace")


def _key_problem(pem: str) -> str:
    """Why ``pem`` is not an RSA private key GitHub can verify our JWTs with, or ``""``."""
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except TypeError:
        return "the private key is encrypted: give the unencrypted .pem GitHub generated"
    except (ValueError, UnsupportedAlgorithm):
        return ("the private key cannot be read: set the PEM text of the .pem file GitHub "
                "generated for the app (-----BEGIN RSA PRIVATE KEY----- ...)")
    if not isinstance(key, rsa.RSAPrivateKey):
        return "the private key is not an RSA key: GitHub App keys are RSA (JWTs use RS256)"
    return ""


def _int(text: str, name: str, low: int, high: int, problems: list[str]) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        problems.append(f"{name} must be an integer from {low} to {high} (got {text!r})")
        return low
    return value
