"""Placing inline comments where GitHub accepts them, and the markers that find them again."""

from bot import publish
from checks.diff import Diff
from checks.model import Finding, Placement, Severity

DIFF = Diff.parse("""\
--- a/app/x.py
+++ b/app/x.py
@@ -1,3 +1,4 @@
 a = 1
+b = 2
 c = 3
 d = 4
@@ -20,2 +21,3 @@
 p = 1
+q = 2
 r = 3
""")


def _finding(line: int, end: int | None = None, fp: str = "ab12", severity: Severity =
             Severity.HIGH, blocking: bool = True, path: str = "app/x.py") -> Finding:
    return Finding("SEC-08", "sql-injection", severity, path, line, end or line, "msg", "hint",
                   fp, Placement.ADDED_LINE, blocking)


def test_placement_inside_one_hunk_only() -> None:
    assert publish.placeable(_finding(2), DIFF) == (2, None)
    assert publish.placeable(_finding(1, 3), DIFF) == (3, 1)
    # A range crossing two hunks is clipped to the first hunk.
    assert publish.placeable(_finding(3, 22), DIFF) == (4, 3)
    assert publish.placeable(_finding(10), DIFF) is None
    assert publish.placeable(_finding(2, path="other.py"), DIFF) is None
    assert publish.placeable(_finding(0), DIFF) is None


def test_plan_skips_already_commented_and_caps() -> None:
    context = Finding("SEC-08", "sql-injection", Severity.HIGH, "app/x.py", 1, 1, "m", "h", "ee",
                      Placement.CHANGED_FILE, False)
    findings = [context, _finding(2, fp="aa"), _finding(22, fp="bb", severity=Severity.LOW,
                                                blocking=False), _finding(3, fp="cc"),
                _finding(10, fp="dd")]
    comments, overflow = publish.plan_comments(findings, DIFF, already={"cc"}, cap=1)
    assert [(c.line, c.finding.fingerprint) for c in comments] == [(2, "aa")]
    assert [f.fingerprint for f in overflow] == ["bb"]
    api = comments[0].as_api()
    assert api == {"path": "app/x.py", "line": 2, "side": "RIGHT", "body": comments[0].body}


def test_markers_round_trip_and_fixed_edit() -> None:
    body = publish.comment_body(_finding(2, fp="deadbeef"))
    marker = publish.parse_marker(body)
    assert marker == publish.Marker("deadbeef", "SEC-08", False)
    fixed = publish.fixed_body(body, "deadbeef", "SEC-08", "0123456789abcdef")
    assert "Fixed** in 0123456" in fixed
    assert publish.parse_marker(fixed) == publish.Marker("deadbeef", "SEC-08", True)
    assert publish.parse_marker("a human comment") is None
    review = publish.review_body("cafe1234", [], [], None)
    assert publish.reviewed_sha(review) == "cafe1234"


def test_annotations_levels_and_batches() -> None:
    findings = [_finding(i, fp=f"{i:04x}", blocking=i % 2 == 0,
                         severity=Severity.LOW if i % 3 == 0 else Severity.HIGH)
                for i in range(1, 121)]
    notes = publish.build_annotations(findings)
    assert len(notes) == 120
    assert notes[0]["annotation_level"] == "failure"
    assert {n["annotation_level"] for n in notes} == {"failure", "warning", "notice"}
    assert [len(b) for b in publish.batches(notes)] == [50, 50, 20]
