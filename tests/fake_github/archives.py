"""Tarballs shaped like the ones codeload.github.com serves for ``/repos/{o}/{r}/tarball/{ref}``."""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Mapping

from tests.fake_github.diffs import as_bytes

# git archive stamps every member with the commit time; a fixed one keeps tarballs reproducible.
_MTIME = 1_700_000_000


def tarball_prefix(owner: str, repo: str, sha: str) -> str:
    """GitHub's top-level folder name inside a tarball: ``owner-repo-<sha7>``."""
    return f"{owner}-{repo}-{sha[:7]}"


def make_tarball(
    files: Mapping[str, bytes | str],
    prefix: str,
    *,
    commit: str | None = None,
) -> bytes:
    """A gzip'd tar of ``files`` under ``prefix/``, with directory entries, as GitHub builds them.

    ``commit``, when given, is written as the pax global header comment, where ``git archive``
    records the commit id.
    """
    raw = io.BytesIO()
    pax = {"comment": commit} if commit else {}
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT, pax_headers=pax) as tar:
        directories = {prefix}
        for path in sorted(files):
            parts = path.split("/")
            for depth in range(1, len(parts)):
                directories.add(f"{prefix}/{'/'.join(parts[:depth])}")
        for directory in sorted(directories):
            info = tarfile.TarInfo(directory + "/")
            info.type = tarfile.DIRTYPE
            info.mode = 0o775
            info.mtime = _MTIME
            tar.addfile(info)
        for path in sorted(files):
            content = as_bytes(files[path])
            info = tarfile.TarInfo(f"{prefix}/{path}")
            info.size = len(content)
            info.mode = 0o664
            info.mtime = _MTIME
            tar.addfile(info, io.BytesIO(content))
    return gzip.compress(raw.getvalue(), mtime=0)
