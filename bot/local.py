"""Local inputs for ``archreview review``: a checkout's files and its diff against a base ref.

Everything here shells out to ``git`` (never to repository code) or reads files; the engine in
``checks/`` then works on the in-memory result, exactly as for a pull request on GitHub.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

from checks.source import Limits, SourceTree, is_relevant

_SKIP_DIRS = frozenset(
    {".git", ".hg", ".venv", "venv", "env", "node_modules", "__pycache__", ".mypy_cache",
     ".pytest_cache", ".ruff_cache", ".tox", ".nox", "build", "dist", "site-packages"}
)
_DEFAULT_BASES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


class LocalError(RuntimeError):
    """A local input could not be read; the message says what to fix."""


def git(root: Path, *args: str, check: bool = True) -> str:
    """Run ``git -C root ARGS`` and return its stdout; raises :class:`LocalError` on failure."""
    try:
        done = subprocess.run(  # noqa: S603 - fixed executable, argument list
            ["git", "-C", str(root), *args],  # noqa: S607 - git from PATH, like any git tool
            capture_output=True, check=False, timeout=120,
        )
    except FileNotFoundError:
        raise LocalError("git is not installed or not on PATH") from None
    if check and done.returncode != 0:
        err = done.stderr.decode(errors="replace").strip()
        raise LocalError(f"git {' '.join(args)} failed: {err}")
    return done.stdout.decode("utf-8", errors="surrogateescape")


def is_git_checkout(root: Path) -> bool:
    """True when ``root`` is the top folder of a git work tree (a folder inside a checkout is
    reviewed as a plain folder: its paths would not match the repository's diff)."""
    try:
        top = git(root, "rev-parse", "--show-toplevel", check=False).strip()
    except LocalError:
        return False
    return bool(top) and Path(top).resolve() == root.resolve()


def default_base(root: Path) -> str | None:
    """The first of ``origin/HEAD``, ``origin/main``, ``origin/master``, ``main``, ``master`` that
    exists and is not HEAD itself, or None."""
    head = git(root, "rev-parse", "HEAD", check=False).strip()
    for ref in _DEFAULT_BASES:
        sha = git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        if sha.strip() and sha.strip() != head:
            return ref
    return None


def diff_against(root: Path, base: str) -> bytes:
    """The diff from ``merge-base(base, HEAD)`` to the work tree, untracked files included as
    added files. Raises :class:`LocalError` when ``base`` does not exist."""
    merge_base = git(root, "merge-base", base, "HEAD").strip()
    tracked = git(root, "diff", "--no-color", "--no-ext-diff", "-M", merge_base, "--")
    parts = [tracked.encode("utf-8", errors="surrogateescape")]
    for path in git(root, "ls-files", "--others", "--exclude-standard", "-z").split("\0"):
        data = _regular_file(root, path) if path else None
        if data is not None:
            parts.append(_added_file_diff(path, data))
    return b"".join(parts)


def _regular_file(root: Path, path: str) -> bytes | None:
    """The content of the untracked file ``path``, or None when it is not a regular file (a
    link is never followed, as in :func:`load_tree`) or its name is not UTF-8 (the tree leaves
    such files out)."""
    full = os.path.join(os.fspath(root), path)
    try:
        path.encode("utf-8")
        if not stat.S_ISREG(os.lstat(full).st_mode):
            return None
        fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW)  # not a link now either
        with os.fdopen(fd, "rb") as f:
            return f.read()
    except (UnicodeEncodeError, OSError):
        return None


def _added_file_diff(path: str, data: bytes) -> bytes:
    if b"\0" in data[:8000]:
        return f"diff --git a/{path} b/{path}\nnew file mode 100644\nBinary files /dev/null and b/{path} differ\n".encode()  # noqa: E501
    lines = data.decode("utf-8", errors="replace").splitlines()
    head = f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n"
    if not lines:
        return head.encode()
    body = "".join(f"+{line}\n" for line in lines)
    return (head + f"@@ -0,0 +1,{len(lines)} @@\n" + body).encode()


def load_tree(root: Path, limits: Limits | None = None) -> SourceTree:
    """Read the work tree at ``root`` into memory: the files git tracks or would track
    (``.gitignore`` respected) in a checkout, else every file outside build and virtualenv
    folders. Only relevant files (see :func:`checks.source.is_relevant`) are read."""
    if is_git_checkout(root):
        listed = git(root, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
        paths = sorted({p for p in listed.split("\0") if p})
    else:
        paths = sorted(_walk(root))
    return SourceTree.from_entries(_entries(root, paths), limits or Limits())


def _walk(root: Path) -> Iterator[str]:
    top = os.fspath(root)
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS and not d.endswith(".egg-info")]
        rel = os.path.relpath(dirpath, top).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        for name in filenames:
            yield prefix + name


def _entries(root: Path, paths: list[str]) -> Iterator[tuple[str, int, Iterator[bytes] | None]]:
    top = os.fspath(root)
    for path in paths:
        full = os.path.join(top, path)
        try:
            st = os.lstat(full)
        except OSError:
            continue  # deleted in the work tree since it was listed
        if not stat.S_ISREG(st.st_mode):
            continue  # a link, a folder (submodule) or a device: never followed
        yield path, st.st_size, (_read(full) if is_relevant(path) else None)


def _read(path: str) -> Iterator[bytes]:
    with open(path, "rb") as f:
        yield f.read()
