"""The repository at the PR head, held in memory: the files detectors read, and the path of every
other file (detectors ask "is there a ``docs/`` folder?" without reading it).

Nothing is written to disk. A GitHub tarball (``GET /repos/{owner}/{repo}/tarball/{ref}``) is a
gzip'd tar with one top-level folder ``<owner>-<repo>-<sha>/``; :meth:`SourceTree.from_tarball`
strips it, keeps regular files only (links, devices and FIFOs are never followed nor kept), and
refuses member names that are absolute or climb out with ``..``.
"""

from __future__ import annotations

import io
import posixpath
import tarfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from checks.model import Note

# File names (lower-cased) and suffixes whose content detectors read.
_KEEP_NAMES = frozenset(
    {
        "dockerfile", "containerfile", "procfile", "makefile", "pipfile", "pipfile.lock",
        "poetry.lock", "pdm.lock", "uv.lock", "requirements.txt", "setup.cfg", "tox.ini",
        "pytest.ini", ".pre-commit-config.yaml", ".flake8", ".pylintrc", ".env.example",
        "codeowners", "license", "readme", "contributing", "app.yml", "app.json",
        "alembic.ini", "manage.py", "conftest.py", "locustfile.py", ".dockerignore",
        "jenkinsfile", "vagrantfile", "renovate.json5", ".renovaterc", ".env",
    }
)
_KEEP_SUFFIXES = (
    ".py", ".toml", ".cfg", ".ini", ".yml", ".yaml", ".md", ".rst", ".txt", ".lock", ".tf",
    ".hcl", ".json", ".mmd", ".puml", ".plantuml", ".env.example", ".conf", ".dockerfile",
    ".mdx", ".adoc", ".sql",
)


def is_relevant(path: str) -> bool:
    """True when detectors may read the content of ``path`` (a POSIX path relative to the root)."""
    name = posixpath.basename(path).lower()
    if name in _KEEP_NAMES or name.startswith(("dockerfile", "requirements", "readme", ".env")):
        return True
    return name.endswith(_KEEP_SUFFIXES)


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on what is read, so a hostile repository cannot exhaust memory or time.

    ``max_file_bytes``: larger files are listed but their content is dropped (with a note).
    ``max_total_bytes``: total content kept (and, for tarballs, four times that decompressed).
    ``max_members``: tar members or directory entries looked at before reading stops.
    """

    max_file_bytes: int = 5 * 1024 * 1024
    max_total_bytes: int = 256 * 1024 * 1024
    max_members: int = 200_000


@dataclass(slots=True)
class SourceTree:
    """Files of a repository by POSIX path relative to its root.

    ``files`` holds the content of relevant files; ``paths`` is every regular file seen, relevant
    or not, sorted. ``notes`` records what was skipped and why.
    """

    files: dict[str, bytes]
    paths: list[str]
    notes: list[Note] = field(default_factory=list)

    @classmethod
    def from_files(cls, files: dict[str, bytes | str]) -> SourceTree:
        """A tree from an in-memory mapping (tests and the bundled example use this)."""
        data = {p: (c.encode() if isinstance(c, str) else c) for p, c in files.items()}
        return cls(files={p: c for p, c in data.items() if is_relevant(p)}, paths=sorted(data))

    @classmethod
    def from_entries(
        cls, entries: Iterable[tuple[str, int, Iterator[bytes] | None]], limits: Limits = Limits()
    ) -> SourceTree:
        """Build a tree from ``(path, size, reader)`` triples; ``reader`` is called lazily, only
        for relevant files within the caps (see :class:`Limits`)."""
        tree = cls(files={}, paths=[])
        total = 0
        for count, (path, size, reader) in enumerate(entries):
            if count >= limits.max_members:
                tree.notes.append(Note("limit", f"stopped after {limits.max_members} files"))
                break
            if not _is_utf8(path):
                shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                tree.notes.append(Note("skipped", "not read: the file name is not valid UTF-8",
                                       shown))
                continue
            tree.paths.append(path)
            if reader is None or not is_relevant(path):
                continue
            if size > limits.max_file_bytes:
                tree.notes.append(
                    Note("skipped", f"not read: {size} bytes is over the per-file cap", path)
                )
                continue
            if total + size > limits.max_total_bytes:
                tree.notes.append(
                    Note("limit", f"stopped reading contents after {total} bytes", path)
                )
                break
            try:
                content = b"".join(reader)
            except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
                tree.notes.append(Note("error", f"the archive ends early or is damaged: {exc}",
                                       path))
                break  # a broken stream cannot be read past this point
            total += len(content)
            tree.files[path] = content
        tree.paths.sort()
        return tree

    @classmethod
    def from_tarball(cls, data: bytes, limits: Limits = Limits()) -> SourceTree:
        """Read a gzip'd tarball held in memory. Raises :class:`TarballError` when ``data`` is not
        a gzip'd tar at all; bad members are skipped with a note."""
        notes: list[Note] = []
        try:
            tar = tarfile.open(fileobj=io.BytesIO(data), mode="r|gz")  # noqa: SIM115 - streamed
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise TarballError(f"not a gzip'd tar archive: {exc}") from None
        tree = cls.from_entries(_tar_entries(tar, notes, limits), limits)
        tree.notes[:0] = notes
        return tree

    def text(self, path: str) -> str | None:
        """Content of ``path`` decoded as UTF-8 (bad bytes replaced), or None if not held."""
        data = self.files.get(path)
        return None if data is None else data.decode("utf-8", errors="replace")

    def exists(self, path: str) -> bool:
        """True when the repository has a regular file at ``path``."""
        return path in self.files or _bisect_has(self.paths, path)

    def glob_names(self, *names: str) -> list[str]:
        """Paths whose basename, lower-cased, is one of ``names`` (given lower-case)."""
        wanted = set(names)
        return [p for p in self.paths if posixpath.basename(p).lower() in wanted]


class TarballError(ValueError):
    """The tarball could not be read at all; the message says why."""


def _is_utf8(path: str) -> bool:
    """False for a name holding bytes that are not UTF-8 (decoded as lone surrogates by
    ``os.fsdecode`` and ``tarfile``): no report, log or GitHub request can carry it."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bisect_has(sorted_paths: list[str], path: str) -> bool:
    import bisect

    i = bisect.bisect_left(sorted_paths, path)
    return i < len(sorted_paths) and sorted_paths[i] == path


def _safe_member_path(name: str) -> str | None:
    """Strip the top-level folder; None for names that are absolute or climb out."""
    if name.startswith("/") or "\\" in name:
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if len(parts) < 2 or ".." in parts:
        return None
    return "/".join(parts[1:])


def _tar_entries(
    tar: tarfile.TarFile, notes: list[Note], limits: Limits
) -> Iterator[tuple[str, int, Iterator[bytes] | None]]:
    budget = limits.max_total_bytes * 4
    try:
        for member in tar:
            if not member.isreg():
                if member.issym() or member.islnk() or member.isdev() or member.isfifo():
                    notes.append(Note("skipped", "not read: links and special files are ignored",
                                      member.name))
                continue
            path = _safe_member_path(member.name)
            if path is None:
                notes.append(Note("skipped", "not read: unsafe member name", member.name))
                continue
            budget -= member.size
            if budget < 0:
                notes.append(Note("limit", "stopped: the archive unpacks to too many bytes"))
                return
            yield path, member.size, _reader(tar, member)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        notes.append(Note("error", f"the archive ends early or is damaged: {exc}"))


def _reader(tar: tarfile.TarFile, member: tarfile.TarInfo) -> Iterator[bytes]:
    fh = tar.extractfile(member)
    if fh is None:
        return
    while chunk := fh.read(1 << 16):
        yield chunk
