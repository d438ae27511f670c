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
