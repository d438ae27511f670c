"""The engine's traversal, grading and isolation, with small detectors defined here."""

from __future__ import annotations

import ast
from typing import ClassVar

from checks import engine
from checks.config import load
from checks.detector import Detector, FileContext, Project
from checks.diff import Diff
from checks.model import Conclusion, Placement, Severity, Status
from checks.source import SourceTree


class CallScopes(Detector):
    """Records, for each call to ``probe()``, whether it is in async code and in a loop."""

    slug = "test-call-scopes"
    items = ("ARCH-08",)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "probe":
            arg = node.args[0]
            assert isinstance(arg, ast.Constant)
            self.report_node("ARCH-08", ctx, node,
                             f"{arg.value}: async={ctx.in_async} loop={ctx.in_loop}", "hint")


SCOPES = """\
async def handler(items):
    probe("a")
    for x in probe("b"):
        probe("c")
        def inner():
            probe("d")
    else:
        probe("e")
    [probe("f") for y in probe("g")]
    while probe("h"):
        pass

@decorate(probe("i"))
async def other(arg=probe("j")):
    lambda: probe("k")
"""


def _messages(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.message for f in report.findings]


def test_traversal_tracks_async_and_loops_exactly() -> None:
    report = engine.review(SourceTree.from_files({"app/x.py": SCOPES}), detectors=[CallScopes])
    assert _messages(report) == [
        "a: async=True loop=False",
        "b: async=True loop=False",
        "c: async=True loop=True",
        "d: async=False loop=False",
        "e: async=True loop=False",
        "f: async=True loop=True",
        "g: async=True loop=False",
        "h: async=True loop=True",
        "i: async=False loop=False",
        "j: async=False loop=False",
        "k: async=False loop=False",
    ]


class Crashes(Detector):
    slug = "test-crashes"
    items = ("SEC-08",)

    def visit_Name(self, node: ast.Name, ctx: FileContext) -> None:
        raise RuntimeError("boom")


class ProjectLevel(Detector):
    slug = "test-project-level"
    items = ("OBS-06", "OBS-03")

    def finish(self, project: Project) -> None:
        self.report("OBS-06", "", 0, "no health endpoint", "add /healthz", key="missing")
        self.not_applicable("OBS-03", "nothing to measure")


def test_a_crashing_detector_is_isolated() -> None:
    tree = SourceTree.from_files({"a.py": "x = 1\n", "bad.py": "def (:\n"})
    report = engine.review(tree, detectors=[Crashes, ProjectLevel])
    assert report.result("SEC-08").status is Status.ERROR
    assert "boom" in report.result("SEC-08").evidence[0]
    assert report.result("OBS-06").status is Status.WARN
    assert report.result("OBS-03").status is Status.NOT_APPLICABLE
    assert report.conclusion is Conclusion.NEUTRAL
    kinds = sorted((n.kind, n.path) for n in report.notes)
    assert kinds == [("error", "a.py"), ("parse", "bad.py")]


class FlagsEval(Detector):
    slug = "test-flags-eval"
    items = ("SEC-15",)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "eval":
            self.report_node("SEC-15", ctx, node, "eval", "don't", severity=Severity.HIGH)


BEFORE = "import os\n\ndef f(x):\n    return eval(x)\n"
AFTER = (
    "import os\n" + "\n" * 30 + "def f(x):\n    return eval(x)\n\ndef g(y):\n    return eval(y)\n"
)
PR_DIFF = """\
diff --git a/app/x.py b/app/x.py
--- a/app/x.py
+++ b/app/x.py
@@ -33,0 +34,3 @@
+
+def g(y):
+    return eval(y)
"""


def test_fingerprints_survive_moves_and_placement_decides_blocking() -> None:
    before = engine.review(SourceTree.from_files({"app/x.py": BEFORE}), detectors=[FlagsEval])
    after = engine.review(SourceTree.from_files({"app/x.py": AFTER}), Diff.parse(PR_DIFF),
                          detectors=[FlagsEval])
    (old,) = before.findings
    moved, added = after.findings
    assert (moved.start_line, added.start_line) == (33, 36)
    assert moved.fingerprint == old.fingerprint
    assert added.fingerprint != old.fingerprint
    assert (moved.placement, added.placement) == (Placement.CHANGED_FILE, Placement.ADDED_LINE)
    assert (moved.blocking, added.blocking) == (False, True)
    assert after.result("SEC-15").status is Status.FAIL
    assert after.conclusion is Conclusion.FAILURE


def test_identical_findings_get_distinct_fingerprints() -> None:
    src = "eval(x)\neval(x)\n"
    report = engine.review(SourceTree.from_files({"a.py": src}), detectors=[FlagsEval])
    assert len({f.fingerprint for f in report.findings}) == 2


def test_threshold_and_scope_are_configurable() -> None:
    cfg, _ = load("blocking:\n  severity: critical\n")
    report = engine.review(SourceTree.from_files({"app/x.py": AFTER}), Diff.parse(PR_DIFF), cfg,
                           detectors=[FlagsEval])
    assert report.conclusion is Conclusion.SUCCESS
    assert report.result("SEC-15").status is Status.WARN
    cfg, _ = load("blocking:\n  scope: all\n  severity: low\n")
    report = engine.review(SourceTree.from_files({"app/x.py": AFTER}), Diff.parse(PR_DIFF), cfg,
                           detectors=[FlagsEval])
    assert [f.blocking for f in report.findings] == [True, True]


def test_untouched_domains_are_skipped_and_attestations_listed() -> None:
    docs_diff = "--- a/app/models.py\n+++ b/app/models.py\n@@ -1 +1 @@\n-a = 1\n+b = 1\n"
    report = engine.review(SourceTree.from_files({"app/models.py": "b = 1\n",
                                                  "a.py": "eval(x)\n"}),
                           Diff.parse(docs_diff), detectors=[FlagsEval])
    assert report.result("SEC-15").status is Status.SKIPPED
    assert report.result("DB-01").status is Status.NEEDS_ATTESTATION
    assert report.result("DB-08").status is Status.SKIPPED  # its detectors were not selected
    assert report.findings == []
    full = engine.review(SourceTree.from_files({"a.py": "eval(x)\n"}), Diff.parse(docs_diff),
                         full=True, detectors=[FlagsEval])
    assert full.result("SEC-15").status is Status.WARN


def test_disabled_items_and_excluded_paths() -> None:
    cfg, _ = load("disable: [SEC-15]\n")
    report = engine.review(SourceTree.from_files({"a.py": "eval(x)\n"}), None, cfg,
                           detectors=[FlagsEval])
    assert report.result("SEC-15").status is Status.SKIPPED
    cfg, _ = load("exclude: ['vendor/']\n")
    report = engine.review(
        SourceTree.from_files({"vendor/a.py": "eval(x)\n", "b.py": "eval(y)\n"}), None, cfg,
        detectors=[FlagsEval])
    assert [f.path for f in report.findings] == ["b.py"]
    assert report.python_files == 1


def test_gc_is_paused_during_a_review_and_restored_after() -> None:
    import gc

    class SeesGc(Detector):
        slug = "test-sees-gc"
        items = ("OBS-02",)
        seen: ClassVar[list[bool]] = []

        def finish(self, project: Project) -> None:
            SeesGc.seen.append(gc.isenabled())

    assert gc.isenabled()
    engine.review(SourceTree.from_files({"a.py": "x = 1\n"}), detectors=[SeesGc])
    assert SeesGc.seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        engine.review(SourceTree.from_files({"a.py": "x = 1\n"}), detectors=[SeesGc])
        assert not gc.isenabled()  # a caller's own choice is kept
    finally:
        gc.enable()


def test_start_file_returning_false_skips_the_file() -> None:
    class OnlyApp(Detector):
        slug = "test-only-app"
        items = ("SEC-15",)
        ends: ClassVar[list[str]] = []

        def start_file(self, ctx: FileContext) -> bool:
            return ctx.path.startswith("app/")

        def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
            self.report_node("SEC-15", ctx, node, "call", "hint")

        def end_file(self, ctx: FileContext) -> None:
            OnlyApp.ends.append(ctx.path)

    files = {"app/a.py": "f()\n", "lib/b.py": "g()\n"}
    report = engine.review(SourceTree.from_files(files), detectors=[OnlyApp])
    assert [(f.path, f.start_line) for f in report.findings] == [("app/a.py", 1)]
    assert OnlyApp.ends == ["app/a.py"]


def test_an_unparsable_changed_file_is_never_a_success() -> None:
    change = "--- a/app/x.py\n+++ b/app/x.py\n@@ -1 +1 @@\n-a = 1\n+print 'py2'\n"
    tree = SourceTree.from_files({"app/x.py": "print 'py2'\n", "old/y.py": "print 'py2'\n"})
    report = engine.review(tree, Diff.parse(change), detectors=[FlagsEval])
    assert report.conclusion is Conclusion.NEUTRAL
    report = engine.review(SourceTree.from_files({"old/y.py": "print 'py2'\n"}),
                           Diff.parse(change.replace("app/x.py", "app/z.py")),
                           detectors=[FlagsEval])
    assert report.conclusion is Conclusion.SUCCESS  # an untouched broken file only notes


def test_a_review_keeps_no_syntax_tree_alive() -> None:
    """The app reviews pull requests for days: no cache may hold a review's trees after it."""
    import gc
    from pathlib import Path

    from bot.local import load_tree

    def modules() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, ast.Module))

    before = modules()
    example = Path(__file__).resolve().parents[1] / "examples" / "shop"
    report = engine.review(load_tree(example), full=True)
    assert report.python_files > 5
    del report
    assert modules() <= before


def test_a_file_a_detector_cannot_handle_does_not_hide_its_findings_elsewhere() -> None:
    """A 500-term string concatenation is deeper than a recursive helper can follow: the
    detector fails on that file only, and the SQL injection of another file still blocks."""
    from checks.detectors.security.sql_injection import SqlInjection

    chain = "x = (" + " + ".join(['"SELECT "'] + ['"a"'] * 500) + ")\n"
    orders = ("from sqlalchemy import text\n\n\ndef find(db, name):\n"
              "    return db.execute(text(f\"SELECT * FROM t WHERE n = '{name}'\"))\n")
    diff = Diff.parse(
        "diff --git a/app/plus.py b/app/plus.py\nnew file mode 100644\n--- /dev/null\n"
        f"+++ b/app/plus.py\n@@ -0,0 +1 @@\n+{chain}"
        "diff --git a/app/orders.py b/app/orders.py\n--- a/app/orders.py\n+++ b/app/orders.py\n"
        f"@@ -5,0 +5 @@\n+{orders.splitlines()[4]}\n")
    tree = SourceTree.from_files({"app/plus.py": chain, "app/orders.py": orders})
    report = engine.review(tree, diff, detectors=[SqlInjection])
    assert [(f.path, f.start_line, f.blocking) for f in report.findings] == [
        ("app/orders.py", 5, True)]
    assert report.conclusion is Conclusion.FAILURE
    assert [(n.kind, n.path) for n in report.notes] == [("error", "app/plus.py")]
    assert "RecursionError" in report.notes[0].message
