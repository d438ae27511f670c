from checks.diff import ChangeStatus, Diff

DIFF = """\
diff --git a/app/models.py b/app/models.py
index 83db48f..bf269f4 100644
--- a/app/models.py
+++ b/app/models.py
@@ -1,4 +1,5 @@
 import os
-OLD = 1
+NEW = 1
+EXTRA = 2
 x = 3
 y = 4
@@ -10,2 +11,3 @@ def f():
     a = 1
+    b = 2
     c = 3
diff --git a/app/new.py b/app/new.py
new file mode 100644
index 0000000..e69de29
--- /dev/null
+++ b/app/new.py
@@ -0,0 +1,2 @@
+print(1)
+print(2)
diff --git a/old.py b/old.py
deleted file mode 100644
index 1..0
--- a/old.py
+++ /dev/null
@@ -1 +0,0 @@
-gone = True
diff --git a/a/name.py b/b/renamed.py
similarity index 90%
rename from a/name.py
rename to b/renamed.py
index 1..2 100644
--- a/a/name.py
+++ b/b/renamed.py
@@ -1 +1 @@
-v = 1
+v = 2
"""


def test_statuses_and_added_lines() -> None:
    diff = Diff.parse(DIFF)
    models = diff.files["app/models.py"]
    assert models.status is ChangeStatus.MODIFIED
    assert models.added_lines == frozenset({2, 3, 12})
    assert models.added_text == ("NEW = 1", "EXTRA = 2", "    b = 2")
    assert diff.files["app/new.py"].status is ChangeStatus.ADDED
    assert diff.files["app/new.py"].added_lines == frozenset({1, 2})
    assert diff.files["old.py"].status is ChangeStatus.REMOVED
    renamed = diff.files["b/renamed.py"]
    assert renamed.status is ChangeStatus.RENAMED
    assert renamed.old_path == "a/name.py"
    assert diff.changed_paths() == ["app/models.py", "app/new.py", "b/renamed.py"]


def test_commentable_lines_follow_github_rules() -> None:
    models = Diff.parse(DIFF).files["app/models.py"]
    assert models.commentable(1)  # context line
    assert models.commentable(2)  # added line
    assert not models.commentable(7)  # between hunks
    assert models.commentable(2, side="LEFT")  # removed line, old numbering
    assert not models.commentable(3, side="LEFT")
    hunk = models.hunk_of(12)
    assert hunk is not None and (hunk.new_start, hunk.new_end) == (11, 13)
    assert models.hunk_of(8) is None


def test_is_added_and_bytes_input() -> None:
    diff = Diff.parse(DIFF.encode() + b"")
    assert diff.is_added("app/models.py", 3)
    assert not diff.is_added("app/models.py", 4)
    assert not diff.is_added("missing.py", 1)
    assert Diff.parse("").files == {}


# -- the odd diffs git produces -----------------------------------------------------------------
import difflib  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ODD = (
    b"diff --git a/img.png b/img.png\nnew file mode 100644\nindex 0000000..1111111\n"
    b"Binary files /dev/null and b/img.png differ\n\n"
    b"diff --git a/old.py b/new.py\nsimilarity index 100%\nrename from old.py\nrename to new.py\n"
    b"diff --git a/src.py b/dst.py\nsimilarity index 100%\ncopy from src.py\ncopy to dst.py\n"
    b"diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n"
    b"diff --git a/e.py b/e.py\nnew file mode 100644\nindex 0000000..e69de29\n"
    b"diff --git a/vendor/lib b/vendor/lib\nindex 1111111..2222222 160000\n--- a/vendor/lib\n"
    b"+++ b/vendor/lib\n@@ -1 +1 @@\n-Subproject commit 1111111111111111111111111111111111111111\n"
    b"+Subproject commit 2222222222222222222222222222222222222222\n"
    b"diff --git a/nl.py b/nl.py\n--- a/nl.py\n+++ b/nl.py\n@@ -1 +1 @@\n-x = 1\n"
    b"\\ No newline at end of file\n+x = 2\n\\ No newline at end of file\n"
    b"diff --git a/a.sql b/a.sql\n--- a/a.sql\n+++ b/a.sql\n@@ -1,3 +1,3 @@\n a\n--- old --\n"
    b"+++ new\n c\n"
    b"diff --git a/l1.py b/l1.py\n--- a/l1.py\n+++ b/l1.py\n@@ -1 +1 @@\n-x = 1\n+n = 'caf\xe9'\n"
    b'diff --git "a/docs/caf\\303\\251.py" "b/docs/caf\\303\\251.py"\n'
    b'--- "a/docs/caf\\303\\251.py"\n+++ "b/docs/caf\\303\\251.py"\n@@ -1 +1 @@\n-x\n+y\n'
    b"diff --git a/my file.py b/my file.py\n--- a/my file.py\t\n+++ b/my file.py\t\n"
    b"@@ -1 +1 @@\n-x\n+y\n"
    b"diff --git a/cr.py b/cr.py\n--- a/cr.py\n+++ b/cr.py\n@@ -0,0 +1,2 @@\n+a = '\r'\n"
    b"+b = '\x0c'\n"
)


def test_odd_entries_parse_with_exact_lines() -> None:
    files = Diff.parse(ODD).files
    assert files["img.png"].binary and files["img.png"].hunks == ()
    assert files["new.py"].status is ChangeStatus.RENAMED
    assert files["dst.py"].status is ChangeStatus.COPIED
    assert files["run.sh"].added_lines == frozenset()
    assert files["e.py"].status is ChangeStatus.ADDED and files["e.py"].hunks == ()
    assert files["vendor/lib"].submodule and files["vendor/lib"].added_lines == frozenset()
    assert files["nl.py"].added_lines == frozenset({1})
    assert files["a.sql"].added_lines == frozenset({2})
    assert files["a.sql"].hunks[0].removed == frozenset({2})
    assert files["l1.py"].added_text == ("n = 'caf\ufffd'",)
    assert files["docs/café.py"].added_lines == frozenset({1})
    assert files["my file.py"].added_lines == frozenset({1})
    # Only \n ends a line: a carriage return or form feed inside one keeps the numbering.
    assert files["cr.py"].added_lines == frozenset({1, 2})


def _git_like_diff(path: str, old: list[str], new: list[str], context: int) -> str:
    body = "".join(difflib.unified_diff(
        [line + "\n" for line in old], [line + "\n" for line in new],
        f"a/{path}", f"b/{path}", n=context, lineterm="\n"))
    return f"diff --git a/{path} b/{path}\n" + body


_lines = st.lists(st.sampled_from(["a", "b", "c", "d = 1", "", "--x", "++y", " z"]),
                  max_size=30)


@settings(max_examples=300, deadline=None)
@given(old=_lines, new=_lines, context=st.integers(min_value=0, max_value=4))
def test_added_lines_map_to_new_file_lines(old: list[str], new: list[str], context: int
                                           ) -> None:
    text = _git_like_diff("m.py", old, new, context)
    diff = Diff.parse(text)
    if old == new:  # a header alone, as for a mode change
        assert all(not c.added_lines and not c.hunks for c in diff.files.values())
        return
    change = diff.files["m.py"]
    numbers = sorted(change.added_lines)
    assert list(change.added_text) == [new[n - 1] for n in numbers]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    expected = {j + 1 for tag, _i1, _i2, j1, j2 in matcher.get_opcodes()
                if tag in ("replace", "insert") for j in range(j1, j2)}
    assert set(numbers) == expected
    removed = {n for h in change.hunks for n in h.removed}
    assert all(1 <= n <= len(old) for n in removed)
    for n in numbers:
        assert change.commentable(n)


def test_diffs_saved_by_windows_tools_and_plain_diff_parse_the_same() -> None:
    git = Diff.parse(DIFF)
    expected = {p: c.added_lines for p, c in git.files.items()}
    crlf = DIFF.replace("\n", "\r\n").encode()
    assert {p: c.added_lines for p, c in Diff.parse(crlf).files.items()} == expected
    utf16 = DIFF.encode("utf-16")  # with its BOM, as PowerShell writes
    assert {p: c.added_lines for p, c in Diff.parse(utf16).files.items()} == expected
    bom = b"\xef\xbb\xbf" + DIFF.encode()
    assert {p: c.added_lines for p, c in Diff.parse(bom).files.items()} == expected
    plain = ("--- before/app/x.py\t2026-01-01\n+++ after/app/x.py\t2026-01-02\n"
             "@@ -1 +1,2 @@\n a\n+b\n")
    assert list(Diff.parse(plain).files) == ["app/x.py"]
