from checks.detectors.code.missing_type_hints import MissingTypeHints
from checks.model import Status
from tests.helpers import found, run, status

MODULE = """\
from typing import overload


def untyped(order, code):
    return order


def typed(order: int) -> int:
    return order


def _private(x):
    return x


class Service:
    def __init__(self, repo):
        self.repo = repo

    def get(self, key):
        return key

    def ok(self) -> None:
        def inner(y):
            return y

    @staticmethod
    def build(x):
        return x

    @overload
    def load(self, x: int) -> int: ...
"""

def _added_file(path: str, text: str) -> str:
    lines = text.splitlines()
    body = "".join(f"+{line}\n" for line in lines)
    return (f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n"
            f"+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n{body}")


DIFF = _added_file("app/service.py", MODULE)


def test_diff_mode_flags_each_added_unannotated_public_function() -> None:
    report = run(MissingTypeHints, {"app/service.py": MODULE}, diff=DIFF)
    assert found(report) == [
        ("CODE-06", "app/service.py", 4),
        ("CODE-06", "app/service.py", 17),
        ("CODE-06", "app/service.py", 20),
        ("CODE-06", "app/service.py", 28),
    ]
    assert report.result("CODE-06").findings[0].message == (
        "Function `untyped` has no type hints (no parameter or return annotation)"
    )


def test_diff_mode_ignores_functions_whose_def_line_is_not_added() -> None:
    diff = (
        "diff --git a/app/service.py b/app/service.py\n--- a/app/service.py\n"
        "+++ b/app/service.py\n@@ -4,2 +4,2 @@\n def untyped(order, code):\n"
        "-    return None\n+    return order\n"
    )
    report = run(MissingTypeHints, {"app/service.py": MODULE}, diff=diff)
    assert found(report) == []
    assert report.result("CODE-06").evidence == ["no new public function in the diff"]


def test_full_review_reports_the_project_ratio() -> None:
    bare = "".join(f"def f{i}(x):\n    return x\n\n" for i in range(8))
    typed = "".join(f"def g{i}(x: int) -> int:\n    return x\n\n" for i in range(3))
    report = run(MissingTypeHints, {"app/a.py": bare, "app/b.py": typed,
                                    "tests/test_a.py": bare, "shop/tests.py": bare})
    assert found(report) == [("CODE-06", "", 0)]
    assert report.result("CODE-06").findings[0].message == (
        "Only 3 of 11 public functions in service code have type hints (27%); most "
        "unannotated: app/a.py (8)"
    )
    assert status(report, "CODE-06") is Status.WARN


def test_full_review_passes_above_threshold_or_when_small() -> None:
    typed = "".join(f"def g{i}(x: int) -> int:\n    return x\n\n" for i in range(6))
    bare = "".join(f"def f{i}(x):\n    return x\n\n" for i in range(5))
    report = run(MissingTypeHints, {"app/a.py": typed + bare})
    assert found(report) == []
    assert report.result("CODE-06").evidence == ["6 of 11 public functions annotated (55%)"]
    assert found(run(MissingTypeHints, {"app/a.py": bare})) == []
