from checks.detectors.documentation.public_definition_without_docstring import (
    PublicDefinitionWithoutDocstring,
)
from checks.model import Status
from tests.helpers import found, run, status

BILLING = '''\
"""Billing."""
from typing import overload


def settle(order):
    return order


def refund(order):
    """Give the money back."""


class Invoice:
    class Meta:
        ordering = ["id"]

    def total(self):
        return 0

    def save(self):
        pass

    @property
    def paid(self):
        """Paid yet."""
        return True

    @paid.setter
    def paid(self, value):
        pass

    def _cache(self):
        def inner():
            pass


@overload
def parse(x: int) -> int: ...


class _Private:
    def visible(self):
        pass
'''

DIFF = """\
diff --git a/app/billing.py b/app/billing.py
--- a/app/billing.py
+++ b/app/billing.py
@@ -3,3 +3,11 @@
\x20
\x20
+def settle(order):
+    return order
+
+
+def refund(order):
+    \"\"\"Give the money back.\"\"\"
+
+
 class Invoice:
"""

WELL_DOCUMENTED = '''\
def a():
    """A."""


def b():
    """B."""


def c():
    pass
'''


def test_in_a_pull_request_flags_only_added_definitions() -> None:
    report = run(PublicDefinitionWithoutDocstring, {"app/billing.py": BILLING}, diff=DIFF)
    assert found(report) == [("DOC-06", "app/billing.py", 5)]
    assert report.findings[0].message == "public function settle has no docstring"


def test_full_review_flags_worst_modules_below_threshold() -> None:
    files = {"app/billing.py": BILLING, "app/util.py": WELL_DOCUMENTED,
             "tests/test_x.py": "def helper():\n    pass\n",
             "app/settings.py": "def f():\n    pass\n"}
    # billing: settle, refund, Invoice, Invoice.total, Invoice.paid -> 1 of 5 documented...
    # ...plus util: 2 of 3 -> 4 of 8 = 50%: at the threshold, no finding.
    report = run(PublicDefinitionWithoutDocstring, files)
    assert found(report) == []
    assert report.result("DOC-06").evidence == ["4 of 8 public definitions (50%) have docstrings"]
    files["app/more.py"] = "def x():\n    pass\n"
    report = run(PublicDefinitionWithoutDocstring, files)
    assert found(report) == [("DOC-06", "app/billing.py", 5)]
    assert report.findings[0].message.startswith(
        "3 of 5 public definitions in app/billing.py have no docstring (first: function settle)"
        "; project-wide 4 of 9 public definitions (44%) have docstrings, below 50%")
    assert status(report, "DOC-06") is Status.WARN


def test_not_applicable_without_public_definitions() -> None:
    report = run(PublicDefinitionWithoutDocstring, {"app/x.py": "def _f():\n    pass\n"})
    assert status(report, "DOC-06") is Status.NOT_APPLICABLE


def test_scripts_are_not_counted() -> None:
    script = "def main():\n    pass\n\n\nif __name__ == '__main__':\n    main()\n"
    report = run(PublicDefinitionWithoutDocstring, {"populate.py": script})
    assert status(report, "DOC-06") is Status.NOT_APPLICABLE
