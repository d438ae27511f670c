from checks.detectors.security.dynamic_code_evaluation import DynamicCodeEvaluation
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

BAD = """\
def calculate(expression, field):
    total = eval(expression)
    exec(f"result = obj.{field}")
    code = "x = " + field
    exec(code)
    return total
"""


def test_flags_eval_and_exec_of_values() -> None:
    report = run(DynamicCodeEvaluation, {"app/calc.py": BAD})
    assert found(report) == [
        ("SEC-15", "app/calc.py", 2), ("SEC-15", "app/calc.py", 3), ("SEC-15", "app/calc.py", 5),
    ]
    assert status(report, "SEC-15") is Status.WARN
    by_line = {f.start_line: f for f in findings(report, "SEC-15")}
    assert by_line[2].severity is Severity.MEDIUM
    assert by_line[3].severity is Severity.HIGH
    assert by_line[5].message.startswith("exec() runs code formatted from values")


GOOD = """\
import ast

SNIPPET = "print('hi')"


def safe(model, df, text):
    model.eval()
    df.eval("a + b")
    exec(SNIPPET)
    eval("1 + 2")
    return ast.literal_eval(text)
"""

SHADOWED = """\
from asteval import eval


def run(text):
    return eval(text)
"""


def test_constants_methods_shadowing_and_packaging_pass() -> None:
    files = {
        "app/safe.py": GOOD,
        "app/shadow.py": SHADOWED,
        "setup.py": "exec(open('pkg/version.py').read())\n",
        "tests/test_calc.py": BAD,
    }
    report = run(DynamicCodeEvaluation, files)
    assert found(report) == []
    assert status(report, "SEC-15") is Status.PASS


def test_management_commands_are_low() -> None:
    src = "def handle(self, *args, **options):\n    exec(options['command'])\n"
    report = run(DynamicCodeEvaluation, {"core/management/commands/shell.py": src})
    assert found(report) == [("SEC-15", "core/management/commands/shell.py", 2)]
    assert findings(report, "SEC-15")[0].severity is Severity.LOW
