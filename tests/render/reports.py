"""Small reports built by hand for the renderer tests, independent of which detectors exist."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from checks.model import (
    Conclusion,
    Domain,
    Finding,
    ItemResult,
    Note,
    Placement,
    Report,
    Severity,
    Status,
)


def finding(
    item_id: str,
    path: str,
    line: int,
    message: str = "something is wrong",
    hint: str = "fix it",
    *,
    severity: Severity = Severity.MEDIUM,
    placement: Placement = Placement.ADDED_LINE,
    blocking: bool = False,
    end_line: int | None = None,
    detector: str = "demo-detector",
) -> Finding:
    """A finding whose fingerprint is derived from what it says, so it is stable in tests."""
    digest = hashlib.sha256(f"{item_id}|{path}|{line}|{message}".encode()).hexdigest()[:20]
    return Finding(item_id, detector, severity, path, line, line if end_line is None else end_line,
                   message, hint, digest, placement, blocking)


def result(item_id: str, status: Status, *findings: Finding,
           evidence: Iterable[str] = ()) -> ItemResult:
    """An item result."""
    return ItemResult(item_id, status, list(findings), list(evidence))


def report(
    *results: ItemResult,
    domains: dict[Domain, list[str]] | None = None,
    full: bool = False,
    notes: Iterable[Note] = (),
    files: int = 10,
    python: int = 6,
) -> Report:
    """A report holding just ``results``, its conclusion derived as the engine derives it."""
    items = list(results)
    if any(f.blocking for r in items for f in r.findings):
        conclusion = Conclusion.FAILURE
    elif any(r.status is Status.ERROR for r in items):
        conclusion = Conclusion.NEUTRAL
    else:
        conclusion = Conclusion.SUCCESS
    return Report(items, dict(domains or {}), conclusion, full, list(notes), files, python,
                  seconds=1.25)
