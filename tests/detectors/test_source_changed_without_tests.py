from checks.detectors.testing.source_changed_without_tests import SourceChangedWithoutTests
from checks.model import Status
from tests.helpers import found, run, status

PRICING = '''\
"""Pricing rules."""


def discount(total):
    """Ten percent off above 100."""
    # big baskets only
    return total * 0.9 if total > 100 else total
'''

SOURCE_DIFF = """\
diff --git a/app/pricing.py b/app/pricing.py
new file mode 100644
--- /dev/null
+++ b/app/pricing.py
@@ -0,0 +1,7 @@
+\"\"\"Pricing rules.\"\"\"
+
+
+def discount(total):
+    \"\"\"Ten percent off above 100.\"\"\"
+    # big baskets only
+    return total * 0.9 if total > 100 else total
"""

TEST_DIFF = """\
diff --git a/tests/test_pricing.py b/tests/test_pricing.py
new file mode 100644
--- /dev/null
+++ b/tests/test_pricing.py
@@ -0,0 +1,2 @@
+def test_discount():
+    assert discount(200) == 180
"""

COMMENT_ONLY_DIFF = """\
diff --git a/app/pricing.py b/app/pricing.py
--- a/app/pricing.py
+++ b/app/pricing.py
@@ -4,4 +4,4 @@
 def discount(total):
     \"\"\"Ten percent off above 100.\"\"\"
-    # big baskets
+    # big baskets only
     return total * 0.9 if total > 100 else total
"""

SETTINGS_DIFF = """\
diff --git a/app/settings.py b/app/settings.py
--- a/app/settings.py
+++ b/app/settings.py
@@ -1 +1,2 @@
 DEBUG = False
+TIMEOUT = 5
"""


def test_flags_first_code_line_of_source_change_without_tests() -> None:
    report = run(SourceChangedWithoutTests, {"app/pricing.py": PRICING}, diff=SOURCE_DIFF)
    # Line 1 is the module docstring, 2-3 are blank: the first code line is the def.
    assert found(report) == [("TEST-01", "app/pricing.py", 4)]
    assert status(report, "TEST-01") is Status.WARN


def test_passes_when_the_diff_also_changes_a_test() -> None:
    files = {"app/pricing.py": PRICING,
             "tests/test_pricing.py": "def test_discount():\n    assert discount(200) == 180\n"}
    report = run(SourceChangedWithoutTests, files, diff=SOURCE_DIFF + TEST_DIFF)
    assert found(report) == []
    assert report.result("TEST-01").evidence == ["tests changed: tests/test_pricing.py"]


def test_ignores_comment_only_changes_and_settings() -> None:
    files = {"app/pricing.py": PRICING, "app/settings.py": "DEBUG = False\nTIMEOUT = 5\n"}
    assert found(run(SourceChangedWithoutTests, files, diff=COMMENT_ONLY_DIFF)) == []
    assert found(run(SourceChangedWithoutTests, files, diff=SETTINGS_DIFF)) == []


def test_full_review_flags_project_without_any_test() -> None:
    report = run(SourceChangedWithoutTests, {"app/pricing.py": PRICING, "manage.py": "x = 1\n"})
    assert found(report) == [("TEST-01", "", 0)]


def test_full_review_passes_with_tests_and_reports_coverage_gate() -> None:
    files = {
        "app/pricing.py": PRICING,
        "tests/test_pricing.py": "def test_discount():\n    assert True\n",
        "pyproject.toml": "[tool.coverage.report]\nfail_under = 85\n",
    }
    report = run(SourceChangedWithoutTests, files)
    assert found(report) == []
    assert report.result("TEST-01").evidence == [
        "coverage gate fail_under=85 at pyproject.toml:2",
        "1 test module(s), e.g. tests/test_pricing.py",
    ]


def test_full_review_not_applicable_without_service_modules() -> None:
    report = run(SourceChangedWithoutTests, {"scripts/seed.py": "def main():\n    pass\n"})
    assert status(report, "TEST-01") is Status.NOT_APPLICABLE


def test_tooling_in_hidden_folders_is_not_service_code() -> None:
    tooling = SOURCE_DIFF.replace("app/pricing.py", ".copier/update_dotenv.py")
    report = run(SourceChangedWithoutTests, {".copier/update_dotenv.py": PRICING}, diff=tooling)
    assert found(report) == []
