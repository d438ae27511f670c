from checks.detectors.security.hardcoded_secret import HardcodedSecret
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

# Token shapes are assembled here so that this file itself holds none.
AWS_ID = "AKIA" + "Z7QK4MNB2XJ5WP3R"
GITHUB = "ghp" + "_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
STRIPE = "sk" + "_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
PEM_BODY = "\n".join(["MIIEowIBAAKCAQEA7bq98p1xB6Jd3hGQwdvTZkKj8s2RdXp1t9mQvYcLw0ZaB4nE"] * 3)
PEM = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n-----END RSA PRIVATE KEY-----\n"

SERVICE = f"""\
import os
import psycopg

DB_PASSWORD = "s3cr3t-Pa55w0rd"
settings.api_key = "9f8e7d6c5b4a39281706"
config["SECRET_KEY"] = "django-insecure-k2j3h4g5f6d7s8a9"
conn = psycopg.connect(host="db", password="hunter2hunter2")
HEADERS = {{"Authorization": "Bearer x", "api_key": "live-83hf83hf83hf"}}


def login(user, pwd="letmein123"):
    if user.password == "0p3n-s3s4m3":
        return True


AWS_KEY_ID = "{AWS_ID}"
"""


def test_flags_literals_bound_to_secret_names() -> None:
    report = run(HardcodedSecret, {"app/config.py": SERVICE})
    assert found(report) == [
        ("SEC-07", "app/config.py", 4),
        ("SEC-07", "app/config.py", 5),
        ("SEC-07", "app/config.py", 6),
        ("SEC-07", "app/config.py", 7),
        ("SEC-07", "app/config.py", 8),
        ("SEC-07", "app/config.py", 11),
        ("SEC-07", "app/config.py", 12),
        ("SEC-07", "app/config.py", 16),
    ]
    assert status(report, "SEC-07") is Status.WARN
    by_line = {f.start_line: f for f in findings(report, "SEC-07")}
    assert "`DB_PASSWORD`" in by_line[4].message
    assert by_line[4].severity is Severity.HIGH
    assert "AWS access key ID" in by_line[16].message  # one finding per line, the shape wins
    assert by_line[16].severity is Severity.MEDIUM  # no secret key near it


NOT_SECRETS = """\
import os

DB_PASSWORD = os.environ["DB_PASSWORD"]
SECRET_KEY = os.getenv("SECRET_KEY", "")
API_KEY = "<your-api-key>"
TOKEN = "${API_TOKEN}"
password = "changeme"
private_key = "xxxxxxxx"
TOKEN_URL = "https://auth.example.org/token"
token_type = "bearer"
csrf_token = "csrfmiddlewaretoken"
PASSWORD_FIELD = "password"
secret_env = "SECRET_KEY"
PRIVATE_KEY = "keys/private.pem"
error = {"password": "This password is too short."}
max_tokens = "4096"
SECRET_NAME = "DB_PASSWORD"
password = None
client_secret = "client_secret"
"""


def test_placeholders_env_reads_and_names_are_not_secrets() -> None:
    report = run(HardcodedSecret, {"app/config.py": NOT_SECRETS})
    assert found(report) == []
    assert status(report, "SEC-07") is Status.PASS


def test_skips_tests_migrations_and_dev_settings_for_named_literals() -> None:
    files = {
        "tests/test_login.py": 'PASSWORD = "hunter2hunter2"\n',
        "app/settings/local.py": 'SECRET_KEY = "dev-only-9s8d7f6g5h"\n',
        "config/test.py": 'DB_PASSWORD = "ci-pass-12345"\n',
        "app/migrations/0001_initial.py": 'token = "abcdef123456"\n',
    }
    assert found(run(HardcodedSecret, files)) == []


def test_private_keys_and_tokens_in_any_kept_file() -> None:
    files = {
        "deploy/values.yaml": f"image: app\nghToken: {GITHUB}\n",
        "config/keys.json": '{"key": "' + PEM.replace("\n", "\\n") + '"}',
        "app/keys.py": f'KEY = """\n{PEM}"""\n',
        "docs/setup.md": "Set `STRIPE_KEY`:\n\n    " + STRIPE + "\n",
        "tests/fixtures.py": f'FAKE = "{GITHUB}"\nTEST_KEY = """\n{PEM}"""\n',
        "poetry.lock": f'hash = "{AWS_ID}"\n',
    }
    report = run(HardcodedSecret, files)
    assert found(report) == [
        ("SEC-07", "app/keys.py", 2),
        ("SEC-07", "config/keys.json", 1),
        ("SEC-07", "deploy/values.yaml", 2),
        ("SEC-07", "docs/setup.md", 3),
        ("SEC-07", "tests/fixtures.py", 1),
    ]
    by_path = {f.path: f for f in findings(report, "SEC-07")}
    assert by_path["app/keys.py"].end_line == 6
    assert by_path["app/keys.py"].severity is Severity.CRITICAL
    assert "rsa private key" in by_path["app/keys.py"].message
    assert "GitHub token" in by_path["deploy/values.yaml"].message
    assert by_path["tests/fixtures.py"].severity is Severity.MEDIUM


def test_truncated_pem_examples_and_fake_tokens_pass() -> None:
    files = {
        "README.md": (
            "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n"
            "Use a key like AKIAIOSFODNN7EXAMPLE or ghp_" + "x" * 36 + "\n"
        ),
    }
    assert found(run(HardcodedSecret, files)) == []


def test_secret_word_anywhere_in_the_name_unless_it_names_something_else() -> None:
    src = (
        "my_password_for_email = 'd6s$f9g!j8mg7hw?n&2'\n"
        "db_pass = 'Tr0ub4dor&3'\n"
        "super_secret = 'mysupersecret42'\n"
        "PASSWORD_RESET_TIMEOUT = '259200'\n"
        "ACCESS_TOKEN_EXPIRE_MINUTES = '30'\n"
        "api_key_header = 'X-Api-Key-Value'\n"
        "page_token = 'CAESBggDEgIIAQ'\n"
        "grant_type = 'password'\n"
    )
    report = run(HardcodedSecret, {"app/mail.py": src})
    assert found(report) == [
        ("SEC-07", "app/mail.py", 1),
        ("SEC-07", "app/mail.py", 2),
        ("SEC-07", "app/mail.py", 3),
    ]


def test_aws_key_id_alone_is_medium_and_presigned_scopes_pass() -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "Zq8Vt3Lk2p"
    files = {
        "app/aws.py": f'KEY_ID = "{AWS_ID}"\n',
        "app/aws_pair.py": f'KEY_ID = "{AWS_ID}"\nAWS_SECRET_ACCESS_KEY = "{secret}"\n',
        "app/doc.py": f'# x-amz-credential: {AWS_ID}/20220405/eu-central-1/s3/aws4_request\n',
    }
    report = run(HardcodedSecret, files)
    assert found(report) == [
        ("SEC-07", "app/aws.py", 1), ("SEC-07", "app/aws_pair.py", 1),
        ("SEC-07", "app/aws_pair.py", 2),
    ]
    by_path = {(f.path, f.start_line): f for f in findings(report, "SEC-07")}
    assert by_path[("app/aws.py", 1)].severity is Severity.MEDIUM
    assert by_path[("app/aws_pair.py", 1)].severity is Severity.CRITICAL


def test_public_database_image_defaults_are_not_secrets() -> None:
    src = 'DATABASES = {"default": {"USER": "postgres", "PASSWORD": "postgres"}}\n'
    assert found(run(HardcodedSecret, {"config/base.py": src})) == []


def test_token_and_key_values_must_look_generated() -> None:
    src = (
        "REQUEST_TOKEN = 'request'\n"
        "CONSTRAINT_TOKEN_USER = '$user'\n"
        "MODULE_TOKEN = '{module}'\n"
        "app = App(token='xoxb-valid')\n"
        "SECRET_KEY_CHARSET = 'abcdefghijklmnopqrstuvwxyz0123456789'\n"
        "ADMIN_PASSWORD = 'letmein'\n"
    )
    assert found(run(HardcodedSecret, {"app/constants.py": src})) == [
        ("SEC-07", "app/constants.py", 6)]


def test_image_defaults_in_comparisons_and_parameter_defaults_are_credentials() -> None:
    src = (
        "def login(user, password='admin'):\n"
        "    if password == 'root':\n"
        "        return True\n"
    )
    assert found(run(HardcodedSecret, {"app/auth.py": src})) == [
        ("SEC-07", "app/auth.py", 1), ("SEC-07", "app/auth.py", 2)]


def test_status_words_next_to_password_are_not_secrets() -> None:
    src = 'ctx = {}\nctx["email_password_status"] = "success"\npassword_state = "sent-ok-1"\n'
    assert found(run(HardcodedSecret, {"app/views.py": src})) == []


def test_environment_defaults_through_other_names_are_found() -> None:
    src = """\
import os
from os import putenv as set_env

os.environ.setdefault("SIGNING_KEY", "q8Zr2LmP0xVt7NcY")
set_env("API_TOKEN", "AbCdEf1234567890")
os.environ.setdefault("LOG_LEVEL", "WARNING")
"""
    report = run(HardcodedSecret, {"app/boot.py": src})
    assert found(report) == [("SEC-07", "app/boot.py", 4), ("SEC-07", "app/boot.py", 5)]
    by_line = {f.start_line: f for f in findings(report, "SEC-07")}
    assert by_line[4].message.startswith("`SIGNING_KEY` is set to a string literal")
    assert by_line[5].message.startswith("`API_TOKEN` is set to a string literal")
