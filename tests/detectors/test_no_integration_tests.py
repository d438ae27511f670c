import pytest

from checks.detectors.testing.no_integration_tests import NoIntegrationTests
from checks.model import Status
from tests.helpers import found, run, status

SERVICE = "def price(total):\n    return total\n"
UNIT = "from unittest import mock\n\ndef test_price():\n    assert price(1) == 1\n"


def test_flags_unit_only_suite() -> None:
    report = run(NoIntegrationTests, {"app/pricing.py": SERVICE, "tests/test_pricing.py": UNIT})
    assert found(report) == [("TEST-02", "", 0)]
    assert report.findings[0].message.startswith("1 test module(s) but none")


def test_flags_project_without_tests() -> None:
    report = run(NoIntegrationTests, {"app/pricing.py": SERVICE})
    assert found(report) == [("TEST-02", "", 0)]


@pytest.mark.parametrize(
    ("path", "code", "evidence"),
    [
        ("tests/integration/test_checkout.py", "def test_x():\n    pass\n",
         "integration test module tests/integration/test_checkout.py"),
        ("tests/test_orders.py", "import pytest\n\n@pytest.mark.django_db\ndef test_x():\n"
         "    pass\n", "@pytest.mark.django_db in tests/test_orders.py:3"),
        ("tests/test_orders.py", "from django.test import TestCase\n\nclass T(TestCase):\n"
         "    pass\n", "T(django.test.TestCase) in tests/test_orders.py:3"),
        ("tests/test_orders.py", "def test_x(db_session):\n    pass\n",
         "test_x() uses the db_session fixture in tests/test_orders.py"),
        ("tests/test_orders.py", "from testcontainers.postgres import PostgresContainer\n",
         "testcontainers.postgres.PostgresContainer imported in tests/test_orders.py"),
        ("tests/test_api.py", "async def test_x(client):\n    await client.get('/')\n",
         "requests through the app: client.get() in tests/test_api.py:2"),
        ("pytest.ini", "[pytest]\nmarkers =\n    integration: needs the database\n",
         "pytest marker 'integration' declared at pytest.ini:3"),
    ],
)
def test_passes_with_an_integration_signal(path: str, code: str, evidence: str) -> None:
    files = {"app/pricing.py": SERVICE, "tests/test_pricing.py": UNIT, path: code}
    report = run(NoIntegrationTests, files)
    assert found(report) == []
    assert report.result("TEST-02").evidence == [f"integration tests: {evidence}"]


def test_a_custom_mark_attribute_that_is_not_pytest_is_no_signal() -> None:
    code = "import marks\n\n@marks.mark.integration\ndef test_x():\n    pass\n"
    report = run(NoIntegrationTests, {"app/pricing.py": SERVICE, "tests/test_x.py": code})
    assert found(report) == [("TEST-02", "", 0)]


def test_not_applicable_without_service_code() -> None:
    report = run(NoIntegrationTests, {"tests/test_pricing.py": UNIT})
    assert status(report, "TEST-02") is Status.NOT_APPLICABLE


def test_an_aliased_engine_factory_is_a_signal() -> None:
    code = ("from sqlalchemy import create_engine as make_engine\n\n\ndef test_x():\n"
            "    assert make_engine('postgresql://localhost/test')\n")
    report = run(NoIntegrationTests, {"app/pricing.py": SERVICE, "tests/test_orders.py": code})
    assert found(report) == []
    assert report.result("TEST-02").evidence == [
        "integration tests: sqlalchemy.create_engine() in tests/test_orders.py:5"]
