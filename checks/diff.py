"""A pull request's diff, parsed with ``unidiff`` into what the engine needs: which files changed
how, which lines were added, and which lines GitHub accepts review comments on.

GitHub's rule (REST docs, "Create a review comment for a pull request"): a review comment sits on
a line inside a diff hunk, ``side: RIGHT`` for added and context lines (numbered in the new file),
``side: LEFT`` for removed lines (numbered in the old file).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from unidiff.errors import UnidiffParseError
from unidiff.patch import PatchedFile, PatchSet


class ChangeStatus(enum.StrEnum):
    """How a file changed, in the words of GitHub's pull request files API."""

    ADDED = "added"
    MODIFIED = "modified"
    REMOVED = "removed"
    RENAMED = "renamed"
    COPIED = "copied"


@dataclass(frozen=True, slots=True)
class Hunk:
    """One hunk: the new-file line range it covers (1-based, inclusive; empty when ``new_len`` is
    0) and its added, context and removed lines (removed ones numbered in the old file)."""

    new_start: int
    new_len: int
    added: frozenset[int]
    context: frozenset[int]
    removed: frozenset[int]

    @property
    def new_end(self) -> int:
        """Last new-file line of the hunk (``new_start - 1`` when the hunk adds nothing)."""
        return self.new_start + self.new_len - 1


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file of the diff. ``path`` is the path at the PR head (the old path when removed)."""

    path: str
    old_path: str
    status: ChangeStatus
    hunks: tuple[Hunk, ...] = ()
    binary: bool = False
    submodule: bool = False
    added_lines: frozenset[int] = field(default=frozenset())
    added_text: tuple[str, ...] = ()

    def commentable(self, line: int, side: str = "RIGHT") -> bool:
        """True when GitHub accepts a review comment on ``line`` of ``side`` of this file."""
        if side == "LEFT":
            return any(line in h.removed for h in self.hunks)
        return any(line in h.added or line in h.context for h in self.hunks)

    def hunk_of(self, line: int) -> Hunk | None:
        """The hunk whose new-file side holds ``line``, or None."""
        for h in self.hunks:
            if line in h.added or line in h.context:
                return h
        return None


class DiffError(ValueError):
    """The diff text could not be parsed; the message says where."""


@dataclass(frozen=True, slots=True)
class Diff:
    """All files of a diff, by their path at the PR head."""

    files: dict[str, FileChange]

    @classmethod
    def parse(cls, text: str | bytes) -> Diff:
        """Parse a unified git diff (as ``git diff`` or GitHub's ``.diff`` media type give it).

        The text is split on ``\\n`` only (a ``\\r`` or form feed inside a line stays in it),
        and each line is decoded as UTF-8 with undecodable bytes replaced, so a latin-1 byte in
        a hunk never stops the parse. Git's quoted paths (``"b/caf\\303\\251.py"``) are decoded.
        Raises :class:`DiffError` when unidiff rejects the text.
        """
        data = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass")
        data = _normalise_encoding(data)
        raw = data.split(b"\n")
        if raw and raw[0].endswith(b"\r"):  # saved with CRLF line ends (Windows)
            raw = [line[:-1] if line.endswith(b"\r") else line for line in raw]
        lines = [line.decode("utf-8", errors="replace") + "\n" for line in raw]
        if lines and lines[-1] == "\n":
            lines.pop()
        try:
            patch = PatchSet(lines)
        except UnidiffParseError as exc:
            raise DiffError(f"unparsable diff: {exc}") from None
        files: dict[str, FileChange] = {}
        for pf in patch:
            change = _file_change(pf)
            files[change.path] = change
        return cls(files)

    @classmethod
    def empty(cls) -> Diff:
        """A diff that changes nothing."""
        return cls({})

    def get(self, path: str) -> FileChange | None:
        """The change of ``path``, or None when the diff does not touch it."""
        return self.files.get(path)

    def is_added(self, path: str, line: int) -> bool:
        """True when ``line`` of ``path`` (new file numbering) was added by the diff."""
        change = self.files.get(path)
        return change is not None and line in change.added_lines

    def changed_paths(self) -> list[str]:
        """Paths of files that exist at the PR head and were added, modified or renamed."""
        return [p for p, c in self.files.items() if c.status is not ChangeStatus.REMOVED]


def _normalise_encoding(data: bytes) -> bytes:
    """UTF-8 bytes from what editors and shells write: a UTF-8 BOM is dropped, UTF-16 (with its
    BOM, as PowerShell's ``git diff > pr.diff`` writes) is decoded."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").encode("utf-8", errors="surrogatepass")
    return data


_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def unquote_path(path: str) -> str:
    """Decode git's C-style quoting (``core.quotePath``): ``"caf\\303\\251.py"`` -> ``café.py``.
    Unquoted paths are returned unchanged."""
    if len(path) < 2 or not (path.startswith('"') and path.endswith('"')):
        return path
    out = bytearray()
    body = path[1:-1]
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            digits = body[i + 1 : i + 4]
            if len(digits) == 3 and all(c in "01234567" for c in digits):
                out.append(int(digits, 8) & 0xFF)
                i += 4
                continue
            out.append(_ESCAPES.get(nxt, ord(nxt)))
            i += 2
            continue
        out.extend(ch.encode("utf-8", errors="surrogatepass"))
        i += 1
    return out.decode("utf-8", errors="replace")


def _strip_prefix(path: str | None) -> str:
    if not path or path == "/dev/null":
        return ""
    path = unquote_path(path.rstrip("\t"))
    if path.startswith(("a/", "b/")):
        return path[2:]
    return path


def _strip_plain_diff_dirs(old: str, new: str) -> tuple[str, str]:
    """``diff -ruN before/app/x.py after/app/x.py`` names two folders where git writes ``a/``
    and ``b/``: drop them when the rest of both paths agree."""
    if old and new and "/" in old and "/" in new:
        old_top, old_rest = old.split("/", 1)
        new_top, new_rest = new.split("/", 1)
        if old_top != new_top and old_rest == new_rest:
            return old_rest, new_rest
    return old, new


def _is_copy(pf: PatchedFile) -> bool:
    """unidiff reports copies as renames; the extended header says which it is."""
    return any(line.startswith("copy from ") for line in (pf.patch_info or []))


def _file_change(pf: PatchedFile) -> FileChange:
    old = _strip_prefix(pf.source_file)
    new = _strip_prefix(pf.target_file)
    old, new = _strip_plain_diff_dirs(old, new)
    if pf.is_added_file:
        status = ChangeStatus.ADDED
    elif pf.is_removed_file:
        status = ChangeStatus.REMOVED
    elif pf.is_rename and _is_copy(pf):
        status = ChangeStatus.COPIED
    elif pf.is_rename or (old and new and old != new):
        status = ChangeStatus.RENAMED
    else:
        status = ChangeStatus.MODIFIED
    path = (old if status is ChangeStatus.REMOVED else new) or unquote_path(pf.path)
    submodule = bool(getattr(pf, "is_submodule", False))
    if submodule:  # a commit pointer, not a file: nothing to annotate or comment on
        return FileChange(path=path, old_path=old or path, status=status, submodule=True)
    old_path = old or path
    hunks: list[Hunk] = []
    added_all: set[int] = set()
    added_text: list[str] = []
    for h in pf:
        added: set[int] = set()
        context: set[int] = set()
        removed: set[int] = set()
        for line in h:
            if line.is_added and line.target_line_no is not None:
                added.add(line.target_line_no)
                added_text.append(line.value.rstrip("\r\n"))
            elif line.is_context and line.target_line_no is not None:
                context.add(line.target_line_no)
            elif line.is_removed and line.source_line_no is not None:
                removed.add(line.source_line_no)
        hunks.append(
            Hunk(h.target_start, h.target_length, frozenset(added), frozenset(context),
                 frozenset(removed))
        )
        added_all |= added
    return FileChange(
        path=path,
        old_path=old_path,
        status=status,
        hunks=tuple(hunks),
        binary=bool(getattr(pf, "is_binary_file", False)),
        added_lines=frozenset(added_all),
        added_text=tuple(added_text),
    )
