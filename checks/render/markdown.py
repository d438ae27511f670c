"""The check run's title and summary, in GitHub-flavoured Markdown.

GitHub caps a check run's ``output.summary`` at 65,535 characters; :func:`render` stays under
that many UTF-8 *bytes* however many findings the report holds. What a reviewer needs first is
always there: the headline with the counts, why each domain ran, the table by domain, every
failing and warning item, the items awaiting attestation and the notes. Findings fill the space
left in priority order (blocking first, then those on added lines, in changed files, by
severity); the rest are counted in one line that points to the annotations. Passed and
not-applicable items, with their evidence, come last and only when they fit.

Once the pull request's waivers and attestations are applied (``report.triage`` set), the summary
also has a "Waivers and attestations" section (each waiver with its scope, author, date, reason
and link; each attestation; expired config waivers; refused attempts), waived findings say who
waived them, and the items awaiting attestation each come with the exact command to attest them.

Text that comes from the reviewed repository (messages quote its code, paths are the pull
request's) is escaped, so it cannot open an HTML tag, a comment or a link in the summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from checks import catalogue
from checks.model import (
    Attestation,
    Conclusion,
    Domain,
    Finding,
    ItemResult,
    Refusal,
    Report,
    Status,
    Waiver,
)
from checks.render._common import (
    PLACEMENT_LABELS,
    blocking,
    blocking_scope,
    by_waiver,
    clip,
    count_phrase,
    day,
    item_title,
    one_line,
    plural,
    priority,
    waived_by,
    where,
)

SUMMARY_LIMIT = 65_535
"""GitHub's limit on a check run's ``output.summary`` (counted here in UTF-8 bytes)."""

TITLE_LIMIT = 255
"""The longest title :func:`title` returns."""

LinkFn = Callable[[str, int], str | None]
"""``link(path, line)`` -> the URL of that line (``line`` 0: the whole file), or None."""

_OPEN_FINDINGS = 5  # findings of one item shown before the rest fold into <details>
_FOLD_ITEMS = 10  # longer lists of items fold into <details>
_MAX_NOTES = 30
_MAX_MESSAGE = 600
_MAX_REASON = 300
_MAX_PATH = 300
_MAX_EVIDENCE = 200
_RESERVE = 600  # section headings and the overflow line, counted before the findings
_MAX_TRIAGE = 16_000  # bytes of the waivers and attestations section, at most
_MAX_COMMAND = 200
_MAX_URL = 500

_ICONS = {Conclusion.SUCCESS: "✅", Conclusion.FAILURE: "❌", Conclusion.NEUTRAL: "⚠️"}
_STATUS_ICONS = {Status.FAIL: "❌", Status.WARN: "⚠️", Status.PASS: "✅",
                 Status.NOT_APPLICABLE: "➖", Status.ERROR: "💥"}
_COLUMNS = ((Status.FAIL, "Fail"), (Status.WARN, "Warn"), (Status.WAIVED, "Waived"),
            (Status.PASS, "Pass"), (Status.SKIPPED, "Skipped"), (Status.NOT_APPLICABLE, "N/A"),
            (Status.NEEDS_ATTESTATION, "Attest"), (Status.ATTESTED, "Attested"),
            (Status.ERROR, "Error"))
_COLUMNS_IF_USED = (Status.WAIVED, Status.ATTESTED)
_NOTE_KINDS = {"error": "error", "limit": "limit reached", "parse": "not parsed",
               "skipped": "not read"}
_NOTE_RANK = {kind: rank for rank, kind in enumerate(_NOTE_KINDS)}
_ESCAPE = re.compile(r"([\\*_\[\]<>~&])")
_BACKTICKS = re.compile(r"`+")
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}
_HTTP = re.compile(r"https?://\S+")


def title(report: Report) -> str:
    """The check run title, e.g. ``"3 items fail, 5 warn — 2 blocking findings on added
    lines"``; at most :data:`TITLE_LIMIT` characters."""
    counts = report.counts()
    fail, warn, error = counts[Status.FAIL], counts[Status.WARN], counts[Status.ERROR]
    parts: list[str] = []
    if fail:
        parts.append(f"{plural(fail, 'item')} fail{'s' if fail == 1 else ''}")
    if warn:
        verb = "warns" if warn == 1 else "warn"
        parts.append(f"{warn} {verb}" if parts else f"{plural(warn, 'item')} {verb}")
    if error:
        parts.append(f"{error} in error" if parts else f"{plural(error, 'item')} in error")
    if parts:
        text = ", ".join(parts)
    elif not report.full and not report.domains:
        text = "Nothing to review: the change touches no checklist domain"
    else:
        passed = counts[Status.PASS]
        text = f"No findings: {plural(passed, 'item')} pass{'es' if passed == 1 else ''}"
        if counts[Status.WAIVED]:
            text = f"No open findings: {plural(passed, 'item')} pass" \
                   f"{'es' if passed == 1 else ''}, {counts[Status.WAIVED]} waived"
        if counts[Status.ATTESTED]:
            text += f", {count_phrase(Status.ATTESTED, counts[Status.ATTESTED])}"
        if counts[Status.NEEDS_ATTESTATION]:
            text += f", {count_phrase(Status.NEEDS_ATTESTATION, counts[Status.NEEDS_ATTESTATION])}"
    blocks = blocking(report)
    if blocks:
        scope = blocking_scope(blocks)
        text += f" — {plural(len(blocks), 'blocking finding')}" + (f" {scope}" if scope else "")
    return clip(text, TITLE_LIMIT)


def render(report: Report, *, link: LinkFn | None = None, limit: int = SUMMARY_LIMIT) -> str:
    """The check run summary for ``report``, at most ``limit`` UTF-8 bytes.

    ``link(path, line)`` turns a finding's location into a URL (the bot passes blob URLs at the
    head SHA); without it, locations are plain code spans.
    """
    if link is not None:
        link = _once(link)
    head = _headline(report) + _domains(report) + _table(report)
    attest = _attestation(report)
    triage = _triage(report, link)
    notes = _notes(report)
    listed = [r for r in report.results if r.status in (Status.FAIL, Status.WARN)]
    budget = limit - _size(head) - _size(attest) - _size(triage) - _size(notes) - _RESERVE
    shown = _select(listed, budget, link)
    out = head + _listed_sections(listed, shown, link) + triage + attest
    passed = _passed(report)
    if passed and _size(out) + _size(passed) + _size(notes) <= limit:
        out += passed
    return _fit((out + notes).rstrip("\n") + "\n", limit)


# --- sections -------------------------------------------------------------------------------


def _headline(report: Report) -> str:
    counts = report.counts()
    parts: list[str] = []
    for status in Status:
        n = counts[status]
        if status in (Status.FAIL, Status.WARN):
            parts.append(f"**{count_phrase(status, n)}**")
        elif n:
            parts.append(count_phrase(status, n))
    lines = [f"## {_ICONS[report.conclusion]} archreview: {report.conclusion.value}", "",
             " · ".join(parts), ""]
    blocks = blocking(report)
    if blocks:
        scope = blocking_scope(blocks)
        lines += [f"**{plural(len(blocks), 'blocking finding')}**"
                  + (f" {scope}" if scope else "")
                  + f" fail{'s' if len(blocks) == 1 else ''} this check.", ""]
    scope_text = "full review of every domain" if report.full else (
        "the domains this change touches")
    lines += [f"Reviewed {plural(report.files_reviewed, 'file')} "
              f"({report.python_files} Python): {scope_text}.", ""]
    return "\n".join(lines) + "\n"


def _domains(report: Report) -> str:
    lines = ["### Why these domains ran", ""]
    if report.full:
        lines.append("Full review: every domain ran."
                     + (" The change touches these:" if report.domains else ""))
        lines.append("")
    elif not report.domains:
        lines += ["The change touches no checklist domain, so no item ran.", ""]
    for domain, reasons in report.domains.items():
        why = "; ".join(_md(clip(one_line(r), _MAX_REASON)) for r in reasons)
        lines.append(f"- **{domain.heading}** ({domain.value}): {why}")
    if report.domains:
        lines.append("")
    return "\n".join(lines) + "\n"


def _table(report: Report) -> str:
    per: dict[Domain, dict[Status, int]] = {d: dict.fromkeys(Status, 0) for d in Domain}
    for r in report.results:
        domain = _domain_of(r.item_id)
        if domain is not None:
            per[domain][r.status] += 1
    ran = [d for d in Domain if any(n for s, n in per[d].items() if s is not Status.SKIPPED)]
    idle = [d for d in Domain if d not in ran and per[d][Status.SKIPPED]]
    used = {r.status for r in report.results}
    columns = [(s, name) for s, name in _COLUMNS if s not in _COLUMNS_IF_USED or s in used]
    lines = ["### By domain", ""]
    if ran:
        lines.append("| Domain | " + " | ".join(name for _, name in columns) + " |")
        lines.append("| --- |" + " --: |" * len(columns))
        for d in ran:
            cells = " | ".join(str(per[d][s]) if per[d][s] else "·" for s, _ in columns)
            lines.append(f"| {d.heading} | {cells} |")
        lines.append("")
    else:
        lines += ["No item ran.", ""]
    if idle:
        lines += ["Not reviewed: " + ", ".join(d.heading for d in idle) + ".", ""]
    return "\n".join(lines) + "\n"


def _attestation(report: Report) -> str:
    items = [r for r in report.results if r.status is Status.NEEDS_ATTESTATION]
    if not items:
        return ""
    if report.triage is not None:
        lines = [f"### 📝 Awaiting attestation ({plural(len(items), 'item')})", "",
                 "No tool decides these; a reviewer attests each one with a comment giving a "
                 "link or a sentence as evidence:", ""]
        entries = [f"- `{r.item_id}` {_md(item_title(r.item_id))}: "
                   f"`/archreview attest {r.item_id} <evidence>`" for r in items]
        return "\n".join(lines) + "\n" + _fold(entries, f"Show the {plural(len(items), 'item')}")
    lines = [f"### 📝 Needs attestation ({plural(len(items), 'item')})", "",
             "No tool decides these; a reviewer attests each one with a comment: "
             "`/archreview attest <ID> <evidence>`.", ""]
    entries = [f"- `{r.item_id}` {_md(item_title(r.item_id))}" for r in items]
    return "\n".join(lines) + "\n" + _fold(entries, f"Show the {plural(len(items), 'item')}")


def _triage(report: Report, link: LinkFn | None) -> str:
    """The "Waivers and attestations" section, at most :data:`_MAX_TRIAGE` bytes."""
    triage = report.triage
    if triage is None:
        return ""
    head = "### 🔕 Waivers and attestations\n\n"
    if not (triage.waivers or triage.attestations or triage.refusals or triage.expired):
        if not any(r.status in (Status.FAIL, Status.WARN) for r in report.results):
            return ""
        return (head + "None on this pull request. To waive items, comment "
                "`/archreview waive <ITEM>[,<ITEM>...] <reason>`; to waive one finding, reply "
                "`/waive <reason>` to its inline comment.\n\n")
    covered = by_waiver(report)
    groups: list[tuple[str, list[str]]] = [
        ("", [_waiver_entry(w, covered.get(w, []), link) for w in triage.waivers]
             + [_attested_entry(a) for a in triage.attestations]),
        ("**Expired config waivers**, no longer applied:", [_expired_entry(w)
                                                              for w in triage.expired]),
        ("**Refused**, nothing changed:", [_refused_entry(r) for r in triage.refusals]),
    ]
    out = head
    room = _MAX_TRIAGE - _size(head)
    for title, entries in groups:
        if not entries:
            continue
        block = (f"{title}\n\n" if title else "") + _capped(entries, room - len(title) - 4)
        out += block
        room -= _size(block)
    return out


def _waiver_entry(w: Waiver, covered: list[Finding], link: LinkFn | None) -> str:
    if w.fingerprint is not None:
        scope = "**one finding**"
        if covered:
            f = covered[0]
            loc = where(f)
            label = _code(clip(loc, _MAX_PATH)) if loc else "_project_"
            url = link(f.path, f.start_line) if link is not None and f.path else None
            scope += f", [{label}]({_url(url)})" if url else f", {label}"
        else:
            scope += ", not in this review"
    else:
        if w.paths:
            scope = "**paths** " + ", ".join(_code(clip(p, _MAX_PATH)) for p in w.paths[:5])
            if len(w.paths) > 5:
                scope += f" and {len(w.paths) - 5} more"
        else:
            scope = "**whole item**"
        scope += f" ({plural(len(covered), 'finding')})"
    if w.source == "config":
        who = _md(waived_by(w)) + (f" until {w.expires.isoformat()}" if w.expires else "")
    else:
        who = _md(waived_by(w)) + (f" on {day(w.created_at)}" if w.created_at else "")
    source = "config" if w.source == "config" else "comment"
    return (f"- `{w.item_id}` {_md(item_title(w.item_id))}: {scope} — {who}"
            f"{_link_suffix(w.link, source)}: {_md(clip(one_line(w.reason), _MAX_REASON))}")


def _attested_entry(a: Attestation) -> str:
    when = f" on {day(a.created_at)}" if a.created_at else ""
    text = one_line(a.evidence)
    shown = (f"[{_md(text)}]({_url(text)})" if _HTTP.fullmatch(text) and len(text) <= _MAX_URL
             else _md(clip(text, _MAX_REASON)))
    return (f"- `{a.item_id}` {_md(item_title(a.item_id))}: **attested** by "
            f"{_md('@' + a.author)}{when}{_link_suffix(a.link, 'comment')}: {shown}")


def _expired_entry(w: Waiver) -> str:
    scope = ("paths " + ", ".join(_code(clip(p, _MAX_PATH)) for p in w.paths[:5])
             if w.paths else "whole item")
    ended = f" expired on {w.expires.isoformat()}" if w.expires else " expired"
    return (f"- `{w.item_id}` {_md(item_title(w.item_id))}: {scope}, owner "
            f"{_md('@' + w.author)},{ended}{_link_suffix(w.link, 'config')}: "
            f"{_md(clip(one_line(w.reason), _MAX_REASON))}")


def _refused_entry(r: Refusal) -> str:
    return (f"- {_md('@' + r.author)}{_link_suffix(r.link, 'comment')}: "
            f"{_code(clip(one_line(r.command), _MAX_COMMAND))} — "
            f"{_md(clip(one_line(r.reason), _MAX_REASON))}")


def _link_suffix(url: str, label: str) -> str:
    if not url or len(url) > _MAX_URL or not _HTTP.fullmatch(url):
        return ""
    return f" ([{label}]({_url(url)}))"


def _capped(entries: list[str], room: int) -> str:
    """``entries`` as a list, as many as fit in ``room`` bytes, the rest counted."""
    out: list[str] = []
    used = 0
    for i, entry in enumerate(entries):
        more = f"- … and {len(entries) - i} more\n"
        cost = _size(entry) + 1
        if used + cost + (_size(more) if i + 1 < len(entries) else 0) > room:
            out.append(more.rstrip("\n"))
            break
        out.append(entry)
        used += cost
    return "\n".join(out) + "\n\n"


def _passed(report: Report) -> str:
    items = [r for r in report.results if r.status in (Status.PASS, Status.NOT_APPLICABLE)]
    if not items:
        return ""
    entries = []
    for r in items:
        entry = f"- {_STATUS_ICONS[r.status]} `{r.item_id}` {_md(item_title(r.item_id))}"
        if r.evidence:
            text = clip(one_line("; ".join(r.evidence)), _MAX_EVIDENCE)
            prefix = "not applicable: " if r.status is Status.NOT_APPLICABLE else ""
            entry += f" — {prefix}{_md(text)}"
        entries.append(entry)
    head = f"### ✅ Passed and not applicable ({plural(len(items), 'item')})\n\n"
    return head + _fold(entries, f"Show the {plural(len(items), 'item')}")


def _notes(report: Report) -> str:
    errors = [r for r in report.results if r.status is Status.ERROR]
    said = {e for r in errors for e in r.evidence}
    entries = []
    for r in errors:
        why = clip(one_line("; ".join(r.evidence)), _MAX_MESSAGE) or "no detector decided it"
        entries.append(f"- {_STATUS_ICONS[Status.ERROR]} `{r.item_id}` "
                       f"{_md(item_title(r.item_id))}: {_md(why)}")
    notes = [n for n in report.notes if n.message not in said]
    notes.sort(key=lambda n: _NOTE_RANK.get(n.kind, len(_NOTE_RANK)))
    for note in notes:
        label = _NOTE_KINDS.get(note.kind, note.kind)
        path = f" {_code(clip(one_line(note.path), _MAX_PATH))}" if note.path else ""
        message = _md(clip(one_line(note.message), _MAX_MESSAGE))
        entries.append(f"- **{_md(label)}**{path}: {message}")
    if not entries:
        return ""
    if len(entries) > _MAX_NOTES:
        more = plural(len(entries) - _MAX_NOTES, "more note")
        entries = [*entries[:_MAX_NOTES], f"- … and {more}"]
    return "### Notes\n\n" + "\n".join(entries) + "\n\n"


# --- failing and warning items, within the budget -------------------------------------------


def _select(listed: list[ItemResult], budget: int, link: LinkFn | None) -> dict[str, list[Finding]]:
    """The findings to show per item: every item's heading is paid for first, then findings in
    priority order until the next one does not fit."""
    budget -= sum(_overhead(r) for r in listed)
    shown: dict[str, list[Finding]] = {r.item_id: [] for r in listed}
    for f in sorted((f for r in listed for f in r.findings), key=priority):
        cost = _size(_finding(f, link, hint=True))
        if cost > budget:
            break
        budget -= cost
        shown[f.item_id].append(f)
    return shown


def _overhead(result: ItemResult) -> int:
    """Bytes of an item's section other than its findings, at most (see :func:`_item`)."""
    n = len(result.findings)
    return (_size(_item_heading(result)) + len("\n<details><summary></summary>\n\n</details>\n\n")
            + 2 * len(f"{n} more findings") + len("- … more not shown\n") + 2 * len(str(n)) + 8)


def _listed_sections(listed: list[ItemResult], shown: dict[str, list[Finding]],
                     link: LinkFn | None) -> str:
    out = ""
    for status, icon, name in ((Status.FAIL, "❌", "Failing"), (Status.WARN, "⚠️", "Warnings")):
        results = [r for r in listed if r.status is status]
        if results:
            out += f"### {icon} {name} ({plural(len(results), 'item')})\n\n"
            out += "".join(_item(r, shown[r.item_id], link) for r in results)
    hidden = sum(len(r.findings) for r in listed) - sum(len(v) for v in shown.values())
    if hidden:
        out += (f"_… and {plural(hidden, 'more finding')} not shown; "
                "see the annotations._\n\n")
    return out


def _item_heading(result: ItemResult) -> str:
    count = f" — {plural(len(result.findings), 'finding')}" if result.findings else ""
    return f"#### `{result.item_id}` {_md(item_title(result.item_id))}{count}\n\n"


def _item(result: ItemResult, shown: list[Finding], link: LinkFn | None) -> str:
    out = _item_heading(result)
    hints = {f.hint for f in shown}
    shared = len(shown) > 1 and len(hints) == 1 and bool(shown[0].hint)
    if shared:
        out += f"**Fix:** {_md(clip(one_line(shown[0].hint), _MAX_MESSAGE))}\n\n"
    lines = [_finding(f, link, hint=not shared) for f in shown]
    out += "".join(lines[:_OPEN_FINDINGS])
    rest = lines[_OPEN_FINDINGS:]
    if rest:
        out += (f"\n<details><summary>{plural(len(rest), 'more finding')}</summary>\n\n"
                + "".join(rest) + "\n</details>\n")
    hidden = len(result.findings) - len(shown)
    if hidden:
        out += ("\n" if rest else "") + f"- … {hidden} more not shown\n"
    return out + "\n" if shown or hidden else out


def _finding(f: Finding, link: LinkFn | None, *, hint: bool) -> str:
    loc = where(f)
    label = _code(clip(loc, _MAX_PATH)) if loc else "_project_"
    url = link(f.path, f.start_line) if link is not None and f.path else None
    if url:
        label = f"[{label}]({_url(url)})"
    meta = [f.severity.label, PLACEMENT_LABELS[f.placement]]
    if f.blocking:
        meta.append("**blocking**")
    if f.waiver is not None:
        meta.append(_md(waived_by(f.waiver)))
    line = f"- {label}: {_md(clip(one_line(f.message), _MAX_MESSAGE))} ({', '.join(meta)})\n"
    if hint and f.hint:
        line += f"  - Fix: {_md(clip(one_line(f.hint), _MAX_MESSAGE))}\n"
    return line


# --- Markdown helpers -----------------------------------------------------------------------


def _md(text: str) -> str:
    """Escape Markdown and HTML outside code spans, so that repository text stays text.

    Code spans are found as CommonMark finds them: a run of backticks opens a span closed by
    the next run of the same length; a run with no such partner is literal (and escaped).
    """
    runs = list(_BACKTICKS.finditer(text))
    out: list[str] = []
    pos = i = 0
    while i < len(runs):
        opener = runs[i]
        width = len(opener.group())
        closer = next((k for k in range(i + 1, len(runs)) if len(runs[k].group()) == width), None)
        out.append(_ESCAPE.sub(r"\\\1", text[pos : opener.start()]))
        if closer is None:
            out.append("\\`" * width)
            pos, i = opener.end(), i + 1
        else:
            out.append(text[opener.start() : runs[closer].end()])
            pos, i = runs[closer].end(), closer + 1
    out.append(_ESCAPE.sub(r"\\\1", text[pos:]))
    return "".join(out)


def _code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _once(link: LinkFn) -> LinkFn:
    """``link`` asked at most once per location (findings are sized before they are shown)."""
    seen: dict[tuple[str, int], str | None] = {}

    def cached(path: str, line: int) -> str | None:
        if (path, line) not in seen:
            seen[path, line] = link(path, line)
        return seen[path, line]

    return cached


def _url(url: str) -> str:
    return "".join(_URL_UNSAFE.get(c, c) for c in url)


def _fold(entries: list[str], summary: str) -> str:
    body = "\n".join(entries) + "\n"
    if len(entries) <= _FOLD_ITEMS:
        return body + "\n"
    return f"<details><summary>{summary}</summary>\n\n{body}\n</details>\n\n"


def _domain_of(item_id: str) -> Domain | None:
    item = catalogue.find(item_id)
    return item.domain if item is not None else None


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _fit(text: str, limit: int) -> str:
    """``text`` itself when it fits in ``limit`` bytes; otherwise cut, with a closing line."""
    if _size(text) <= limit:
        return text
    tail = "\n\n_… summary cut to fit GitHub's size limit._\n"
    head = text.encode("utf-8")[: max(limit - _size(tail), 0)].decode("utf-8", errors="ignore")
    return head + tail
