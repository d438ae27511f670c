from checks.detectors.code.tab_indentation import TabIndentation
from checks.model import Status
from tests.helpers import found, run, status


def test_flags_first_tab_indented_statement_once_per_file() -> None:
    source = 'TEXT = """\n\tinside a string\n"""\n\ndef f(x):\n\ty = x\n\treturn y\n'
    report = run(TabIndentation, {"app/calc.py": source})
    assert found(report) == [("CODE-08", "app/calc.py", 6)]
    assert status(report, "CODE-08") is Status.WARN


def test_tabs_only_in_strings_or_tests_pass() -> None:
    files = {
        "app/text.py": 'TEXT = """\n\tindented text\n"""\nrow = "a\tb"\n',
        "tests/test_calc.py": "def test_f():\n\tassert True\n",
    }
    report = run(TabIndentation, files)
    assert found(report) == []
    assert status(report, "CODE-08") is Status.PASS
