from checks.detectors.testing.duplicated_test_setup import DuplicatedTestSetup
from checks.model import Status
from tests.helpers import found, run, status

FIXTURE = """\
import pytest


@pytest.fixture
def paid_order(db):
    customer = Customer.objects.create(email="a@example.com")
    order = Order.objects.create(customer=customer, status="paid")
    return order


def test_one(paid_order):
    assert paid_order
"""

OTHER_FIXTURE = """\
import pytest


@pytest.fixture
def client():
    return Client()


def test_two(client):
    assert client
"""

SETUP = """\
import unittest


class OrderTests(unittest.TestCase):
    def setUp(self):
        \"\"\"Shared customer.\"\"\"
        super().setUp()
        self.customer = Customer.objects.create(email="a@example.com")
        self.order = Order.objects.create(customer=self.customer)
        self.client.force_login(self.customer.user)

    def test_x(self):
        pass
"""


def test_flags_copied_fixture_and_unshared_fixtures() -> None:
    files = {
        "tests/test_orders.py": FIXTURE,
        "tests/test_refunds.py": FIXTURE,
        "tests/test_api.py": OTHER_FIXTURE,
    }
    report = run(DuplicatedTestSetup, files)
    assert found(report) == [
        ("TEST-06", "", 0),
        ("TEST-06", "tests/test_refunds.py", 5),
    ]
    dup = next(f for f in report.findings if f.path)
    assert "tests/test_orders.py:5" in dup.message


def test_flags_copied_setup_methods_even_with_conftest() -> None:
    files = {
        "tests/conftest.py": OTHER_FIXTURE,
        "tests/test_a.py": SETUP,
        "tests/test_b.py": SETUP.replace("OrderTests", "RefundTests"),
    }
    report = run(DuplicatedTestSetup, files)
    assert found(report) == [("TEST-06", "tests/test_b.py", 5)]


def test_passes_with_conftest_fixtures_and_small_local_fixtures() -> None:
    files = {
        "tests/conftest.py": FIXTURE,
        "tests/test_a.py": OTHER_FIXTURE,
        # ``return Client()`` is below the size threshold: not a copy worth flagging.
        "tests/test_b.py": OTHER_FIXTURE,
    }
    report = run(DuplicatedTestSetup, files)
    assert found(report) == []
    assert report.result("TEST-06").evidence == [
        "shared setup: fixture paid_order() in tests/conftest.py"
    ]


def test_passes_with_factories_or_a_single_fixture_module() -> None:
    factories = "import factory\n\ndef test_x():\n    pass\n"
    files = {"tests/test_a.py": FIXTURE, "tests/test_b.py": OTHER_FIXTURE,
             "tests/test_factories.py": factories}
    assert found(run(DuplicatedTestSetup, files)) == []
    files = {"tests/test_a.py": FIXTURE, "tests/test_b.py": "def test_y():\n    pass\n"}
    assert found(run(DuplicatedTestSetup, files)) == []


def test_not_applicable_without_tests() -> None:
    report = run(DuplicatedTestSetup, {"app/x.py": "x = 1\n"})
    assert status(report, "TEST-06") is Status.NOT_APPLICABLE


def test_short_setups_on_a_shared_base_class_are_not_copies() -> None:
    short = ("from hc.test import BaseTestCase\n\nclass T(BaseTestCase):\n    def setUp(self):\n"
             "        super().setUp()\n        self.check = Check.objects.create(project=1)\n")
    files = {"tests/test_a.py": short, "tests/test_b.py": short.replace("T(", "U(")}
    assert found(run(DuplicatedTestSetup, files)) == []
