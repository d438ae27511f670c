"""Unified diffs: build one from two file trees, and index one the way GitHub resolves lines.

GitHub accepts a review comment only on a line its diff shows: on the RIGHT side an added or a
context line of the new file, on the LEFT side a removed line of the old file. ``ParsedDiff``
keeps, for every file of a pull request's diff, which lines each side shows, in which hunk, and
at which ``position`` (the deprecated line counter that starts below the first ``@@`` header).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from unidiff.patch import PatchedFile, PatchSet

Side = Literal["LEFT", "RIGHT"]
FileStatus = Literal["added", "removed", "modified", "renamed"]

NO_NEWLINE = "\\ No newline at end of file\n"


def blob_sha(content: bytes) -> str:
    """The SHA git gives a blob of ``content``."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def as_bytes(content: bytes | str) -> bytes:
    return content.encode() if isinstance(content, str) else content


def is_binary(content: bytes) -> bool:
    """Whether git would print ``Binary files ... differ`` for ``content``."""
    if b"\0" in content[:8000]:
        return True
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _file_lines(content: bytes) -> list[str]:
    return content.decode("utf-8").splitlines(keepends=True)


def _hunks(old: bytes, new: bytes, old_name: str, new_name: str, context: int) -> str:
    out: list[str] = []
    for line in difflib.unified_diff(
        _file_lines(old), _file_lines(new), old_name, new_name, n=context, lineterm="\n"
    ):
        if line.endswith("\n"):
            out.append(line)
        else:  # last line of a file without a final newline, as git prints it
            out.append(line + "\n" + NO_NEWLINE)
    return "".join(out)


def unified_diff(
    before: Mapping[str, bytes | str],
    after: Mapping[str, bytes | str],
    *,
    context: int = 3,
) -> str:
    """A git-style unified diff (``diff --git`` and ``index`` lines) from ``before`` to ``after``.

    Paths present only in ``after`` are new files, only in ``before`` deleted files. Binary
    content (NUL bytes or invalid UTF-8) is summarised as ``Binary files ... differ``.
    """
    parts: list[str] = []
    for path in sorted(set(before) | set(after)):
        old = as_bytes(before[path]) if path in before else None
        new = as_bytes(after[path]) if path in after else None
        if old == new:
            continue
        header = [f"diff --git a/{path} b/{path}\n"]
        old_sha = blob_sha(old)[:7] if old is not None else "0000000"
        new_sha = blob_sha(new)[:7] if new is not None else "0000000"
        if old is None:
            header += ["new file mode 100644\n", f"index {old_sha}..{new_sha}\n"]
        elif new is None:
            header += ["deleted file mode 100644\n", f"index {old_sha}..{new_sha}\n"]
        else:
            header.append(f"index {old_sha}..{new_sha} 100644\n")
        old_name = f"a/{path}" if old is not None else "/dev/null"
        new_name = f"b/{path}" if new is not None else "/dev/null"
        old_b, new_b = old or b"", new or b""
        if is_binary(old_b) or is_binary(new_b):
            parts.append("".join(header) + f"Binary files {old_name} and {new_name} differ\n")
            continue
        if not old_b and not new_b:  # an empty file added or deleted: no hunk at all
            parts.append("".join(header))
            continue
        parts.append("".join(header) + _hunks(old_b, new_b, old_name, new_name, context))
    return "".join(parts)


@dataclass(frozen=True)
class DiffLine:
    """One line of a hunk: ``kind`` is ``+``, ``-`` or a space."""

    kind: str
    old: int | None
    new: int | None
    position: int
    hunk: int


@dataclass
class FileDiff:
    """What a pull request's diff shows of one file."""

    path: str
    previous_path: str | None
    status: FileStatus
    binary: bool
    additions: int
    deletions: int
    patch: str
    blob_sha: str | None
    lines: list[DiffLine] = field(default_factory=list)
    hunk_headers: list[int] = field(default_factory=list)
    _text_lines: list[str] = field(default_factory=list, repr=False)

    @property
    def changes(self) -> int:
        return self.additions + self.deletions

    def line_on(self, side: str, line: int) -> DiffLine | None:
        """The diff line a comment on ``line`` of ``side`` anchors to, if the diff shows it."""
        for entry in self.lines:
            if side == "RIGHT" and entry.kind in "+ " and entry.new == line:
                return entry
            if side == "LEFT" and entry.kind == "-" and entry.old == line:
                return entry
        return None

    def at_position(self, position: int) -> DiffLine | None:
        for entry in self.lines:
            if entry.position == position:
                return entry
        return None

    def diff_hunk(self, target: DiffLine) -> str:
        """The hunk's text from its ``@@`` header down to ``target``, as in ``diff_hunk``."""
        start = self.hunk_headers[target.hunk]
        end = self.hunk_headers[0] + target.position
        return "".join(self._text_lines[start : end + 1]).rstrip("\n")


def _strip_prefix(name: str) -> str:
    return name[2:] if name.startswith(("a/", "b/")) else name


@dataclass
class ParsedDiff:
    """A pull request's diff, parsed with unidiff, one ``FileDiff`` per path (new path)."""

    text: str
    files: dict[str, FileDiff]

    @property
    def line_count(self) -> int:
        return self.text.count("\n")

    @property
    def byte_count(self) -> int:
        return len(self.text.encode())

    @classmethod
    def parse(cls, text: str) -> ParsedDiff:
        text_lines = text.splitlines(keepends=True)
        files: dict[str, FileDiff] = {}
        for patched in PatchSet(text):
            files[patched.path] = _file_diff(patched, text_lines)
        return cls(text=text, files=files)


def _index_sha(patched: PatchedFile, removed: bool) -> str | None:
    for line in str(patched.patch_info or "").splitlines():
        if line.startswith("index "):
            shas = line.split()[1].split("..")
            return shas[0] if removed else shas[-1]
    return None


def _file_diff(patched: PatchedFile, text_lines: list[str]) -> FileDiff:
    if patched.is_added_file:
        status: FileStatus = "added"
    elif patched.is_removed_file:
        status = "removed"
    elif patched.is_rename:
        status = "renamed"
    else:
        status = "modified"
    previous = _strip_prefix(patched.source_file) if patched.is_rename else None
    result = FileDiff(
        path=patched.path,
        previous_path=previous,
        status=status,
        binary=bool(patched.is_binary_file),
        additions=patched.added,
        deletions=patched.removed,
        patch="",
        blob_sha=_index_sha(patched, patched.is_removed_file),
        _text_lines=text_lines,
    )
    first_header: int | None = None
    last_line = 0
    for hunk in patched:
        numbers = [(line, line.diff_line_no) for line in hunk if line.diff_line_no is not None]
        if not numbers:
            continue
        index = len(result.hunk_headers)
        header = numbers[0][1] - 2  # 0-based index of the "@@" line in the text
        result.hunk_headers.append(header)
        if first_header is None:
            first_header = header
        for line, number in numbers:
            last_line = number - 1
            if line.line_type not in ("+", "-", " "):
                continue
            result.lines.append(
                DiffLine(
                    kind=line.line_type,
                    old=line.source_line_no,
                    new=line.target_line_no,
                    position=number - 1 - first_header,
                    hunk=index,
                )
            )
    if first_header is not None:
        while last_line + 1 < len(text_lines) and text_lines[last_line + 1].startswith("\\"):
            last_line += 1  # unidiff leaves the number off a final "\ No newline" marker
        result.patch = "".join(text_lines[first_header : last_line + 1]).rstrip("\n")
    return result
