"""Fingerprints: stable identities of findings that survive code moving between pushes.

Like GitHub code scanning's ``primaryLocationLineHash`` and Semgrep's match-based IDs, a
fingerprint hashes what was found, never where: the item, the detector, the file path and the
flagged source text with whitespace collapsed (or the detector's ``key`` when the finding is not
about a piece of text), plus the occurrence number among identical matches in the same file.
"""

from __future__ import annotations

import hashlib

_MAX_LINES = 5


def normalise(text: str) -> str:
    """Collapse all runs of whitespace to one space and strip the ends."""
    return " ".join(text.split())


def fingerprint(item_id: str, detector: str, path: str, content: str, occurrence: int) -> str:
    """A 20-hex-digit SHA-256 prefix of the finding's identity (see module docstring)."""
    raw = "\x1f".join((item_id, detector, path, normalise(content), str(occurrence)))
    return hashlib.sha256(raw.encode("utf-8", errors="replace")).hexdigest()[:20]


def flagged_text(lines: list[str], start: int, end: int) -> str:
    """The source text of lines ``start``..``end`` (1-based, inclusive, at most five lines)."""
    if start <= 0:
        return ""
    end = min(max(end, start), start + _MAX_LINES - 1)
    return "\n".join(lines[start - 1 : end])
