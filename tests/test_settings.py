import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from bot.settings import Settings, SettingsError


def _pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode()


KEY = _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))
BASE = {"GITHUB_APP_ID": "123", "GITHUB_PRIVATE_KEY": KEY, "GITHUB_WEBHOOK_SECRET": "s3cret"}


def test_defaults() -> None:
    s = Settings.from_env(BASE)
    assert (s.api_url, s.port, s.webhook_path, s.log_level, s.log_format) == (
        "https://api.github.com", 3000, "/webhook", "info", "json")


@pytest.mark.parametrize(("host", "bound"), [
    ("", None), ("127.0.0.1", "127.0.0.1"), ("::1", "::1"), ("app.internal", "app.internal")])
def test_host_to_listen_on(host: str, bound: str | None) -> None:
    assert Settings.from_env({**BASE, "HOST": host}).host == bound


@pytest.mark.parametrize("host", ["127.0.0.1:8080", "http://x", "a b", "-x", "[::1]"])
def test_a_host_that_cannot_be_bound_is_refused(host: str) -> None:
    with pytest.raises(SettingsError, match="HOST must be an IP address or a host name"):
        Settings.from_env({**BASE, "HOST": host})


def test_body_read_timeout() -> None:
    assert Settings.from_env(BASE).body_read_seconds == 10.0
    assert Settings.from_env({**BASE, "WEBHOOK_READ_SECONDS": "3"}).body_read_seconds == 3.0
    with pytest.raises(SettingsError, match="WEBHOOK_READ_SECONDS"):
        Settings.from_env({**BASE, "WEBHOOK_READ_SECONDS": "0"})


def test_secrets_never_in_repr() -> None:
    text = repr(Settings.from_env(BASE))
    assert "s3cret" not in text and "MII" not in text and "123" in text


def test_refuses_to_start_without_webhook_secret() -> None:
    env = dict(BASE)
    del env["GITHUB_WEBHOOK_SECRET"]
    with pytest.raises(SettingsError, match="GITHUB_WEBHOOK_SECRET is not set"):
        Settings.from_env(env)


def test_every_problem_is_listed_with_its_fix() -> None:
    env = {"GITHUB_APP_ID": "abc", "PORT": "99999", "LOG_FORMAT": "xml",
           "WEBHOOK_PATH": "hook", "GITHUB_API_URL": "ftp://x"}
    with pytest.raises(SettingsError) as info:
        Settings.from_env(env)
    message = str(info.value)
    for fragment in ("GITHUB_WEBHOOK_SECRET", "numeric App ID", "GITHUB_PRIVATE_KEY_PATH",
                     "PORT must be", "LOG_FORMAT", "WEBHOOK_PATH", "GITHUB_API_URL"):
        assert fragment in message


def test_private_key_from_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pem = tmp_path / "app.pem"
    pem.write_text(KEY)
    env = {k: v for k, v in BASE.items() if k != "GITHUB_PRIVATE_KEY"}
    env.update(GITHUB_PRIVATE_KEY_PATH=str(pem), GITHUB_API_URL="http://127.0.0.1:9/")
    s = Settings.from_env(env)
    assert s.private_key == KEY and s.api_url == "http://127.0.0.1:9"
    env["GITHUB_PRIVATE_KEY_PATH"] = str(tmp_path / "missing.pem")
    with pytest.raises(SettingsError, match="not a regular file"):
        Settings.from_env(env)


@pytest.mark.parametrize(("key", "fragment"), [
    ("-----BEGIN RSA PRIVATE KEY-----\ngarbage\n-----END RSA PRIVATE KEY-----\n",
     "cannot be read"),
    (_pem(ec.generate_private_key(ec.SECP256R1())), "not an RSA key"),
])
def test_keys_github_cannot_use_are_refused_at_start(key: str, fragment: str) -> None:
    with pytest.raises(SettingsError, match=fragment):
        Settings.from_env(dict(BASE, GITHUB_PRIVATE_KEY=key))


def test_a_key_path_that_is_not_a_file_is_refused() -> None:
    env = {k: v for k, v in BASE.items() if k != "GITHUB_PRIVATE_KEY"}
    with pytest.raises(SettingsError, match="not a regular file"):
        Settings.from_env(dict(env, GITHUB_PRIVATE_KEY_PATH="/dev/zero"))
