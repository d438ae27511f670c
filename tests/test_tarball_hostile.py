"""Hostile tarballs: every archive here is built by the test itself, in memory.

A tarball comes from the repository, so from anyone who can open a pull request. Reading one
must never write anything, never follow a link, keep going past a bad member, and stop at
the size and count caps with a note.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zlib
from collections.abc import Iterator

import pytest

from checks.source import Limits, SourceTree, TarballError

PREFIX = "octo-svc-0123456"


def _member(name: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"", **attrs: object
            ) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    for key, value in attrs.items():
        setattr(info, key, value)
    return info, data


def _archive(members: list[tuple[tarfile.TarInfo, bytes]]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if info.type == tarfile.REGTYPE else None)
    return gzip.compress(raw.getvalue(), compresslevel=1)


def test_escapes_links_and_devices_are_skipped_and_the_rest_is_read() -> None:
    data = _archive([
        _member(f"{PREFIX}/app/a.py", data=b"a = 1\n"),
        _member(f"{PREFIX}/../../etc/evil.py", data=b"boom\n"),
        _member("/etc/abs.py", data=b"boom\n"),
        _member(f"{PREFIX}/app/../../up.py", data=b"boom\n"),
        _member(f"{PREFIX}/in_link.py", tarfile.SYMTYPE, linkname="app/a.py"),
        _member(f"{PREFIX}/out_link.py", tarfile.SYMTYPE, linkname="/etc/passwd"),
        _member(f"{PREFIX}/hard.py", tarfile.LNKTYPE, linkname=f"{PREFIX}/app/a.py"),
        _member(f"{PREFIX}/dev/null.py", tarfile.CHRTYPE, devmajor=1, devminor=3),
        _member(f"{PREFIX}/dev/sda.py", tarfile.BLKTYPE, devmajor=8, devminor=0),
        _member(f"{PREFIX}/fifo.py", tarfile.FIFOTYPE),
        _member(f"{PREFIX}/app\\win.py", data=b"boom\n"),
        _member(f"{PREFIX}/app/b.py", data=b"b = 2\n"),
    ])
    tree = SourceTree.from_tarball(data)
    assert tree.files == {"app/a.py": b"a = 1\n", "app/b.py": b"b = 2\n"}
    assert tree.paths == ["app/a.py", "app/b.py"]
    skipped = sorted(n.path for n in tree.notes)
    assert len(skipped) == 10 and all(n.kind == "skipped" for n in tree.notes)


def test_nothing_is_written_to_disk(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    data = _archive([_member(f"{PREFIX}/../../../tmp_escape.py", data=b"x\n"),
                     _member(f"{PREFIX}/ok.py", data=b"x = 1\n")])
    SourceTree.from_tarball(data)
    assert list(tmp_path.iterdir()) == []


def _zeros(size: int) -> Iterator[bytes]:
    chunk = b"\0" * (1 << 20)
    while size > 0:
        yield chunk[: min(size, len(chunk))]
        size -= len(chunk)


def _bomb(declared: int) -> bytes:
    """A gzip'd tar whose one member unpacks to ``declared`` bytes of zeros (compressed ~1000:1),
    followed by a normal member; built by streaming so the test never holds it unpacked."""
    out = io.BytesIO()
    gz = zlib.compressobj(1, zlib.DEFLATED, 31)
    info = tarfile.TarInfo(f"{PREFIX}/data/huge.py")
    info.size = declared
    out.write(gz.compress(info.tobuf(format=tarfile.GNU_FORMAT)))
    for chunk in _zeros(declared):
        out.write(gz.compress(chunk))
    out.write(gz.compress(b"\0" * ((512 - declared % 512) % 512)))
    after = tarfile.TarInfo(f"{PREFIX}/after.py")
    after.size = 6
    out.write(gz.compress(after.tobuf(format=tarfile.GNU_FORMAT) + b"x = 1\n" + b"\0" * 506))
    out.write(gz.compress(b"\0" * 1024))
    out.write(gz.flush())
    return out.getvalue()


def test_a_member_that_unpacks_to_gigabytes_ends_the_read_with_a_note() -> None:
    data = _bomb(64 * 1024 * 1024)
    assert len(data) < 1024 * 1024  # a small download...
    tree = SourceTree.from_tarball(data, Limits(max_total_bytes=4 * 1024 * 1024))
    # ...that is never unpacked: the declared size alone ends the read.
    assert tree.files == {}
    assert [n.kind for n in tree.notes] == ["limit"]
    assert "too many bytes" in tree.notes[0].message


def test_a_large_file_is_listed_but_not_read() -> None:
    data = _bomb(8 * 1024 * 1024)
    tree = SourceTree.from_tarball(data, Limits(max_file_bytes=1024 * 1024))
    assert tree.files == {"after.py": b"x = 1\n"}
    assert tree.paths == ["after.py", "data/huge.py"]
    assert tree.notes[0].path == "data/huge.py" and "per-file cap" in tree.notes[0].message


def test_hundreds_of_thousands_of_members_stop_at_the_count_cap() -> None:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for i in range(3000):
            info = tarfile.TarInfo(f"{PREFIX}/m/{i}.txt")
            tar.addfile(info, io.BytesIO(b""))
    tree = SourceTree.from_tarball(gzip.compress(raw.getvalue()), Limits(max_members=1000))
    assert len(tree.paths) == 1000
    assert tree.notes[-1].kind == "limit" and "1000 files" in tree.notes[-1].message


@pytest.mark.parametrize("body", [
    b"<!DOCTYPE html><html><body>Rate limited</body></html>",
    b"",
    b"\x1f\x8b\x08\x00garbage",
])
def test_a_body_that_is_not_a_tarball_is_a_clear_error(body: bytes) -> None:
    with pytest.raises(TarballError, match="not a gzip'd tar"):
        SourceTree.from_tarball(body)


def test_a_truncated_archive_keeps_what_came_before() -> None:
    data = _archive([_member(f"{PREFIX}/a.py", data=b"a = 1\n"),
                     _member(f"{PREFIX}/b.py", data=b"b = 2\n" * 5000)])
    tree = SourceTree.from_tarball(data[: len(data) // 2])
    assert tree.files.get("a.py") == b"a = 1\n"
    assert any(n.kind == "error" for n in tree.notes)


def test_a_member_whose_name_is_not_utf8_is_left_out_with_a_note() -> None:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT,
                      encoding="utf-8", errors="surrogateescape") as tar:
        for name, data in ((f"{PREFIX}/app/bad\udcfe.py", b"x = 1\n"),
                           (f"{PREFIX}/app/ok.py", b"y = 2\n")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    tree = SourceTree.from_tarball(gzip.compress(raw.getvalue()))
    assert tree.paths == ["app/ok.py"]
    assert [(n.kind, n.message, n.path) for n in tree.notes] == [
        ("skipped", "not read: the file name is not valid UTF-8", "app/bad\ufffd.py")]
