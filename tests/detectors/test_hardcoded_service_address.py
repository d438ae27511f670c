import pytest

from checks.detectors.deployment.hardcoded_service_address import (
    HardcodedServiceAddress,
    classify,
)
from checks.model import Status
from tests.helpers import found, run, status

SERVICE = '''\
"""Talks to postgresql://docs@prod-db:5432 (a docstring, not code)."""
import os

import redis
from sqlalchemy import create_engine

engine = create_engine("postgresql://app:s3cret@prod-db:5432/orders")
cache = redis.Redis(host="10.0.0.5", port=6379)
BILLING = "http://billing-internal:8080/api"
STRIPE = "https://api.stripe.com/v1"
LOCAL = os.getenv("DATABASE_URL", "postgresql://postgres@localhost:5432/dev")
COMPOSE = os.environ.get("REDIS_URL") or "redis://redis:6379/0"
PROD_DEFAULT = os.getenv("BROKER_URL", "amqp://guest@rabbit.prod.acme.com:5672//")
QUEUE = "amqp://10.1.2.3"
'''


def test_flags_exact_lines_and_never_echoes_passwords() -> None:
    report = run(HardcodedServiceAddress, {"app/db.py": SERVICE})
    assert found(report) == [
        ("DEPLOY-08", "app/db.py", 7),
        ("DEPLOY-08", "app/db.py", 8),
        ("DEPLOY-08", "app/db.py", 9),
        ("DEPLOY-08", "app/db.py", 13),
        ("DEPLOY-08", "app/db.py", 14),
    ]
    messages = [f.message for f in report.result("DEPLOY-08").findings]
    assert messages[0] == (
        "Service address hard-coded: postgresql URL in the code points at host `prod-db`"
    )
    assert messages[3] == (
        "Service address hard-coded: amqp URL as the default of an environment read points at "
        "host `rabbit.prod.acme.com`"
    )
    assert not any("s3cret" in m for m in messages)
    assert status(report, "DEPLOY-08") is Status.WARN


def test_django_databases_host_and_settings_class_defaults() -> None:
    settings = (
        "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n"
        "        'HOST': 'db.prod.acme.net',\n    },\n"
        "    'replica': {'ENGINE': 'x', 'HOST': 'localhost'},\n}\n"
    )
    assert found(run(HardcodedServiceAddress, {"proj/settings.py": settings})) == [
        ("DEPLOY-08", "proj/settings.py", 4)
    ]
    pydantic = (
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
        "    redis_url: str = 'redis://redis:6379'\n"
        "    db_url: str = 'postgresql://app@10.0.0.9/app'\n"
    )
    assert found(run(HardcodedServiceAddress, {"app/config.py": pydantic})) == [
        ("DEPLOY-08", "app/config.py", 5)
    ]


def test_tests_local_settings_scripts_and_examples_are_skipped() -> None:
    literal = 'URL = "postgresql://app@prod-db:5432/x"\n'
    files = {"tests/test_db.py": literal, "proj/settings/local.py": literal,
             "scripts/load.py": literal, "examples/app.py": literal,
             "app/schemas.py": 'from pydantic import Field\nurl: str = Field(examples=['
                               '"postgresql://u@db.acme.com/x"])\n'}
    report = run(HardcodedServiceAddress, files)
    assert found(report) == []
    assert status(report, "DEPLOY-08") is Status.PASS


@pytest.mark.parametrize(
    ("scheme", "host", "expected"),
    [
        ("postgresql", "localhost", None), ("redis", "127.0.0.1", None),
        ("redis", "10.0.0.5", "strong"), ("postgresql", "db", "name"),
        ("postgresql", "db.acme.com", "strong"), ("http", "api.github.com", None),
        ("http", "billing", "name"), ("http", "orders.svc.cluster.local", "strong"),
        ("https", "api.internal.acme.com", "strong"), ("http", "{host}", None),
        ("postgresql", "host.docker.internal", None), ("http", "www.example.com", None),
    ],
)
def test_classify(scheme: str, host: str, expected: str | None) -> None:
    assert classify(scheme, host) == expected


def test_aliased_client_with_a_literal_host_is_flagged() -> None:
    code = ("from redis import Redis as Cache\nfrom pymongo import MongoClient\n\n"
            "cache = Cache(host='cache.prod.acme.net')\n"
            "db = MongoClient(\n    port=27017,\n    host='10.1.0.7',\n)\n"
            "local = Cache(host='localhost')\n")
    report = run(HardcodedServiceAddress, {"app/clients.py": code})
    assert found(report) == [("DEPLOY-08", "app/clients.py", 4),
                             ("DEPLOY-08", "app/clients.py", 5)]
    assert report.result("DEPLOY-08").findings[0].message == (
        "Service address hard-coded: `redis.Redis(host=...)` points at host "
        "`cache.prod.acme.net`")
