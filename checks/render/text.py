"""Plain text for the terminal.

Findings are compiler-style lines, ``path:line: ITEM-ID message [severity, placement]``, at the
start of a line so that editors and terminals link them; the fix hint follows, indented. They are
grouped by status (fail, warn, waived) and then by domain, each item under its checklist
wording; a waived finding says who waived it. Items in error, items awaiting attestation, the
pull request's waivers and attestations (when they were applied) and notes follow; the last line
sums the review up.

ANSI colour is off unless ``color=True``; the ``path:line:`` prefix is never coloured.
"""

from __future__ import annotations

import textwrap

from checks import catalogue
from checks.model import Conclusion, Domain, Finding, ItemResult, Report, Status, Waiver
from checks.render._common import (
    PLACEMENT_LABELS,
    blocking,
    blocking_scope,
    by_waiver,
    count_phrase,
    day,
    item_title,
    plural,
    printable,
    priority,
    waived_by,
    where,
)

_WIDTH = 100
_RESET = "\033[0m"
_STYLES = {
    "bold": "\033[1m",
    "dim": "\033[2m",
    "red": "\033[31m",
    "green": "\033[32m",
    "yellow": "\033[33m",
    "magenta": "\033[35m",
}
_STATUS_STYLES = {Status.FAIL: "red", Status.WARN: "yellow", Status.WAIVED: "dim",
                  Status.PASS: "green", Status.ATTESTED: "green", Status.ERROR: "magenta"}
_CONCLUSION_STYLES = {Conclusion.SUCCESS: "green", Conclusion.FAILURE: "red",
                      Conclusion.NEUTRAL: "yellow"}
_NOTE_KINDS = {"error": "error", "limit": "limit reached", "parse": "not parsed",
               "skipped": "not read"}


def render(report: Report, *, color: bool = False) -> str:
    """The report as terminal text; ``color`` adds ANSI colour codes."""
    paint = _Paint(color)
    blocks = [_domains(report)]
    for status in (Status.FAIL, Status.WARN, Status.WAIVED):
        blocks += [_group(status, domain, results, paint)
                   for domain, results in _by_domain(report, status)]
    blocks += [_errors(report, paint), _attestation(report), _triage(report, paint),
               _notes(report, paint)]
    blocks.append(_summary(report, paint))
    return "\n".join(b for b in blocks if b)


def _domains(report: Report) -> str:
    files = f"{plural(report.files_reviewed, 'file')} ({report.python_files} Python)"
    if report.full:
        head = f"Reviewed {files}: every domain (full review)."
        if report.domains:
            head += " The change touches:"
    elif report.domains:
        head = f"Reviewed {files}: the domains the change touches:"
    else:
        head = f"Reviewed {files}: the change touches no checklist domain."
    lines = [head]
    for domain, reasons in report.domains.items():
        lines.append(f"  {domain.value} {domain.heading}: " + "; ".join(printable(r)
                                                                        for r in reasons))
    return "\n".join(lines) + "\n"


def _by_domain(report: Report, status: Status) -> list[tuple[Domain | None, list[ItemResult]]]:
    groups: dict[Domain | None, list[ItemResult]] = {}
    for r in report.results:
        if r.status is status:
            item = catalogue.find(r.item_id)
            groups.setdefault(item.domain if item else None, []).append(r)
    order = {d: i for i, d in enumerate(Domain)}
    return sorted(groups.items(),
                  key=lambda kv: order[kv[0]] if kv[0] is not None else len(order))


def _group(status: Status, domain: Domain | None, results: list[ItemResult],
           paint: _Paint) -> str:
    name = domain.heading if domain else "Other"
    lines = [paint(f"{status.value} · {name}", _STATUS_STYLES[status], "bold")]
    for r in results:
        lines.append(f"  {r.item_id} {item_title(r.item_id)}")
        lines += [_finding(f, paint) for f in sorted(r.findings, key=priority)]
    return "\n".join(lines) + "\n"


def _finding(f: Finding, paint: _Paint) -> str:
    loc = printable(where(f)) or "(project)"
    meta = [f.severity.label, PLACEMENT_LABELS[f.placement]]
    if f.blocking:
        meta.append("blocking")
    if f.waiver is not None:
        meta.append(waived_by(f.waiver))
    line = f"{loc}: {f.item_id} {printable(f.message)} " + paint(f"[{', '.join(meta)}]", "dim")
    if f.hint:
        line += "\n" + paint(f"    fix: {printable(f.hint)}", "dim")
    return line


def _errors(report: Report, paint: _Paint) -> str:
    errors = [r for r in report.results if r.status is Status.ERROR]
    if not errors:
        return ""
    lines = [paint("error", _STATUS_STYLES[Status.ERROR], "bold")]
    for r in errors:
        why = printable("; ".join(r.evidence)) or "no detector decided it"
        lines.append(f"  {r.item_id} {item_title(r.item_id)}: {why}")
    return "\n".join(lines) + "\n"


def _attestation(report: Report) -> str:
    ids = [r.item_id for r in report.results if r.status is Status.NEEDS_ATTESTATION]
    if not ids:
        return ""
    listing = textwrap.fill(f"{count_phrase(Status.NEEDS_ATTESTATION, len(ids))}: "
                            + ", ".join(ids), _WIDTH, subsequent_indent="  ")
    return (f"{listing}\n  a reviewer attests each on the pull request: "
            "/archreview attest <ID> <evidence>\n")


def _triage(report: Report, paint: _Paint) -> str:
    triage = report.triage
    if triage is None or not (triage.waivers or triage.attestations or triage.refusals
                              or triage.expired):
        return ""
    lines = [paint("waivers and attestations", "bold")]
    covered = by_waiver(report)
    for w in triage.waivers:
        lines.append(f"  {w.item_id} {_scope(w, covered.get(w, []))} {_by(w)}: "
                     f"{printable(w.reason)}"
                     + _link(w.link))
    for a in triage.attestations:
        when = f" on {day(a.created_at)}" if a.created_at else ""
        lines.append(f"  {a.item_id} attested by @{printable(a.author)}{when}: "
                     f"{printable(a.evidence)}" + _link(a.link))
    for w in triage.expired:
        lines.append(f"  expired: {w.item_id} {_scope(w, [])} waiver (owner "
                     f"@{printable(w.author)}) ended {_expiry(w)}: {printable(w.reason)}")
    for r in triage.refusals:
        lines.append(f"  refused: @{printable(r.author)} \"{printable(r.command)}\": "
                     f"{printable(r.reason)}" + _link(r.link))
    return "\n".join(lines) + "\n"


def _scope(w: Waiver, covered: list[Finding]) -> str:
    if w.fingerprint is not None:
        if not covered:
            return "(finding not in this review)"
        return printable(where(covered[0])) or "(project)"
    paths = f"on {', '.join(printable(p) for p in w.paths)}" if w.paths else "(whole item)"
    return f"{paths}, {plural(len(covered), 'finding')}" if covered else paths


def _by(w: Waiver) -> str:
    who = printable(waived_by(w))
    if w.source == "config":
        return f"{who} until {_expiry(w)}" if w.expires else who
    return f"{who} on {day(w.created_at)}" if w.created_at else who


def _expiry(w: Waiver) -> str:
    return w.expires.isoformat() if w.expires is not None else ""


def _link(url: str) -> str:
    return f" <{printable(url)}>" if url else ""


def _notes(report: Report, paint: _Paint) -> str:
    said = {e for r in report.results if r.status is Status.ERROR for e in r.evidence}
    notes = [n for n in report.notes if n.message not in said]
    if not notes:
        return ""
    lines = [paint("notes", "bold")]
    for n in notes:
        label = _NOTE_KINDS.get(n.kind, n.kind)
        lines.append(f"{printable(n.path)}: {label}: {printable(n.message)}" if n.path
                     else f"{label}: {printable(n.message)}")
    return "\n".join(lines) + "\n"


def _summary(report: Report, paint: _Paint) -> str:
    counts = report.counts()
    parts = []
    for status in Status:
        n = counts[status]
        if n or status in (Status.FAIL, Status.WARN):
            phrase = count_phrase(status, n)
            parts.append(paint(phrase, _STATUS_STYLES[status]) if n and status in
                         _STATUS_STYLES else phrase)
    line = paint(report.conclusion.value, _CONCLUSION_STYLES[report.conclusion], "bold")
    line += ": " + ", ".join(parts)
    blocks = blocking(report)
    if blocks:
        scope = blocking_scope(blocks)
        line += f"; {plural(len(blocks), 'blocking finding')}" + (f" {scope}" if scope else "")
    return line + "\n"


class _Paint:
    """Wraps text in ANSI styles when colour is on, and returns it unchanged otherwise."""

    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, *styles: str) -> str:
        if not self.on or not styles:
            return text
        return "".join(_STYLES[s] for s in styles) + text + _RESET
