from checks.detectors.code.unittest_without_pytest import UnittestWithoutPytest
from checks.model import Status
from tests.helpers import found, run, status

UNITTEST = """\
import unittest


class TestPricing(unittest.TestCase):
    def test_discount(self):
        self.assertEqual(1, 1)


class TestMore(unittest.TestCase):
    pass
"""


def test_flags_unittest_suite_without_pytest_on_first_testcase() -> None:
    report = run(UnittestWithoutPytest, {"app/p.py": "", "tests/test_pricing.py": UNITTEST})
    assert found(report) == [("CODE-07", "tests/test_pricing.py", 4)]
    assert report.result("CODE-07").findings[0].message == (
        "Tests are written for unittest only (2 TestCase classes) and pytest is not set up"
    )
    assert status(report, "CODE-07") is Status.WARN


def test_django_testcase_hint_mentions_pytest_django() -> None:
    tests = "from django.test import TestCase\n\nclass T(TestCase):\n    pass\n"
    report = run(UnittestWithoutPytest, {"shop/tests.py": tests})
    assert found(report) == [("CODE-07", "shop/tests.py", 3)]
    assert "pytest-django" in report.result("CODE-07").findings[0].hint


def test_any_pytest_setup_passes() -> None:
    base = {"tests/test_pricing.py": UNITTEST}
    for extra in ({"tests/conftest.py": ""},
                  {"pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-q'\n"},
                  {"requirements-dev.txt": "pytest-cov==5.0\n"},
                  {"tests/test_new.py": "import pytest\n"},
                  {"setup.cfg": "[tool:pytest]\ntestpaths = tests\n"}):
        assert found(run(UnittestWithoutPytest, {**base, **extra})) == [], extra


def test_plain_pytest_functions_pass() -> None:
    report = run(UnittestWithoutPytest, {"tests/test_a.py": "def test_a():\n    assert 1\n"})
    assert found(report) == []
