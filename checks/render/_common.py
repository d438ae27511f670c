"""What the renderers share: status wording, finding priority and small text helpers."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from checks import catalogue
from checks.model import Finding, Placement, Report, Status, Waiver

STATUS_LABELS: dict[Status, str] = {
    Status.FAIL: "fail",
    Status.WARN: "warn",
    Status.WAIVED: "waived",
    Status.PASS: "pass",
    Status.SKIPPED: "skipped",
    Status.NOT_APPLICABLE: "not applicable",
    Status.NEEDS_ATTESTATION: "needs attestation",
    Status.ATTESTED: "attested",
    Status.ERROR: "error",
}

PLACEMENT_LABELS: dict[Placement, str] = {
    Placement.ADDED_LINE: "added line",
    Placement.CHANGED_FILE: "changed file",
    Placement.PRE_EXISTING: "pre-existing",
}

_PLACEMENT_RANK = {Placement.ADDED_LINE: 0, Placement.CHANGED_FILE: 1, Placement.PRE_EXISTING: 2}
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

PriorityKey = tuple[bool, bool, int, int, str, int, str, str]


def priority(finding: Finding) -> PriorityKey:
    """Sort key putting the findings a reviewer must see first: blocking ones, then those not
    waived, then those on added lines, then in changed files, then by severity (highest
    first), path and line."""
    return (
        not finding.blocking,
        finding.waiver is not None,
        _PLACEMENT_RANK[finding.placement],
        -int(finding.severity),
        finding.path,
        finding.start_line,
        finding.item_id,
        finding.fingerprint,
    )


def count_phrase(status: Status, n: int) -> str:
    """``"3 fail"``, ``"1 needs attestation"``, ``"2 need attestation"``."""
    if status is Status.NEEDS_ATTESTATION and n != 1:
        return f"{n} need attestation"
    return f"{n} {STATUS_LABELS[status]}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``plural(1, "finding")`` -> ``"1 finding"``, ``plural(2, "finding")`` -> ``"2 findings"``."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def item_title(item_id: str) -> str:
    """The checklist wording of an item, or the ID itself for an ID the catalogue lacks."""
    item = catalogue.find(item_id)
    return item.title if item is not None else item_id


def where(finding: Finding) -> str:
    """``"app/db.py:42"``, ``"app/db.py"`` (whole file) or ``""`` (whole project)."""
    if not finding.path:
        return ""
    return f"{finding.path}:{finding.start_line}" if finding.start_line > 0 else finding.path


def blocking(report: Report) -> list[Finding]:
    """The report's blocking findings, in priority order."""
    return sorted((f for r in report.results for f in r.findings if f.blocking), key=priority)


def blocking_scope(findings: list[Finding]) -> str:
    """Where all of ``findings`` sit, as a phrase to follow "N blocking findings": ``"on added
    lines"``, ``"in changed files"`` or ``""`` when some are pre-existing."""
    if not findings:
        return ""
    if all(f.placement is Placement.ADDED_LINE for f in findings):
        return "on added lines"
    if all(f.placement is not Placement.PRE_EXISTING for f in findings):
        return "in changed files"
    return ""


def by_waiver(report: Report) -> dict[Waiver, list[Finding]]:
    """The report's waived findings grouped by the waiver that covers them."""
    out: dict[Waiver, list[Finding]] = {}
    for f in report.findings:
        if f.waiver is not None:
            out.setdefault(f.waiver, []).append(f)
    return out


def waived_by(waiver: Waiver) -> str:
    """``"waived by @alice"``, ``"waived in config (owner @acme/sec)"``."""
    if waiver.source == "config":
        return f"waived in config (owner @{waiver.author})"
    return f"waived by @{waiver.author}"


def day(moment: datetime | None) -> str:
    """The UTC date of ``moment`` as ``YYYY-MM-DD`` (naive times are UTC), or ``""``."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d")


def one_line(text: str) -> str:
    """``text`` with every line break (and the spaces around it) turned into one space."""
    return _NEWLINES.sub(" ", text).strip()


def printable(text: str) -> str:
    """``text`` on one line with control characters (ANSI escapes included) written as
    ``\\x1b``, so that repository text cannot drive the terminal."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", one_line(text.replace("\t", " ")))


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"
