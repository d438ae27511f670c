"""What the app posts, built from a report without any I/O: check run annotations in batches,
inline review comments placed only where GitHub accepts them, and the hidden markers that let the
app find and edit its own comments on later pushes (the bedevere model).

GitHub's rules (REST docs, "Check runs" and "Pull request review comments"): at most 50
annotations per request; ``annotation_level`` is notice, warning or failure; a review comment's
``line``/``start_line`` must be lines of one diff hunk on ``side`` RIGHT (added or context lines);
comment bodies are at most 65,536 characters.

A finding's comment is in one of three states, named by its marker: open, ``waived`` (someone
waived the finding; the comment says who and why, and goes back to open when the waiver is
taken back) or ``fixed`` (the finding is gone). The original text is kept, folded, in the other
two.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from checks import catalogue
from checks.diff import Diff
from checks.model import Finding, Placement, Severity, Waiver

CHECK_NAME = "Architecture review"
ANNOTATIONS_PER_REQUEST = 50
MAX_ANNOTATIONS = 1000
COMMENT_LIMIT = 65_536
_MAX_REASON = 300

_MARKER = "<!-- archreview:finding fp={fp} item={item}{state} -->"
_MARKER_RE = re.compile(
    r"<!-- archreview:finding fp=(?P<fp>[0-9a-f]+) item=(?P<item>[A-Z]+-\d+)"
    r"(?: (?P<state>fixed|waived))? -->"
)
_ORIGINAL_RE = re.compile(
    r"<details><summary>Original comment</summary>\n\n(?P<original>.*)\n\n</details>\s*\Z",
    re.DOTALL,
)
REVIEW_MARKER = "<!-- archreview:review sha={sha} -->"
_REVIEW_MARKER_RE = re.compile(r"<!-- archreview:review sha=(?P<sha>[0-9a-f]+) -->")


def annotation_level(finding: Finding) -> str:
    """``failure`` for blocking findings, ``warning`` for medium and above, else ``notice``;
    a waived finding is a ``notice`` whatever its severity."""
    if finding.waiver is not None:
        return "notice"
    if finding.blocking:
        return "failure"
    return "warning" if finding.severity >= Severity.MEDIUM else "notice"


def build_annotations(findings: list[Finding]) -> list[dict[str, Any]]:
    """Check run annotations for findings that have a line, most severe first, capped at
    :data:`MAX_ANNOTATIONS` (the summary lists the rest)."""
    out: list[dict[str, Any]] = []
    ranked = sorted((f for f in findings if f.path and f.start_line > 0), key=_rank)
    for f in ranked[:MAX_ANNOTATIONS]:
        item = catalogue.get(f.item_id)
        waived = f"{waiver_line(f.waiver)}\n\n" if f.waiver is not None else ""
        out.append({
            "path": f.path,
            "start_line": f.start_line,
            "end_line": max(f.end_line, f.start_line),
            "annotation_level": annotation_level(f),
            "title": f"{'Waived: ' if f.waiver else ''}{f.item_id} {item.title}"[:255],
            "message": (waived + f.message)[:64_000],
            "raw_details": f"Fix: {f.hint}"[:64_000],
        })
    return out


def batches(items: list[dict[str, Any]], size: int = ANNOTATIONS_PER_REQUEST
            ) -> Iterator[list[dict[str, Any]]]:
    """``items`` in consecutive chunks of at most ``size`` (GitHub's 50 per request)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _rank(f: Finding) -> tuple[int, int, str, int]:
    return (0 if f.blocking else 1 if f.waiver is None else 2, -int(f.severity), f.path,
            f.start_line)


@dataclass(frozen=True, slots=True)
class InlineComment:
    """One review comment as the create-review API takes it."""

    finding: Finding
    path: str
    line: int
    start_line: int | None
    body: str

    def as_api(self) -> dict[str, Any]:
        """The ``comments[]`` entry of ``POST /repos/{owner}/{repo}/pulls/{n}/reviews``."""
        out: dict[str, Any] = {"path": self.path, "line": self.line, "side": "RIGHT",
                               "body": self.body}
        if self.start_line is not None:
            out["start_line"] = self.start_line
            out["start_side"] = "RIGHT"
        return out


def placeable(finding: Finding, diff: Diff) -> tuple[int, int | None] | None:
    """Where a comment on ``finding`` can go: ``(line, start_line)`` inside one hunk on the RIGHT
    side, clipped to that hunk; None when no line of the finding is in the diff."""
    change = diff.get(finding.path)
    if change is None or finding.start_line <= 0:
        return None
    lines = range(finding.start_line, max(finding.end_line, finding.start_line) + 1)
    in_diff = [n for n in lines if change.commentable(n)]
    if not in_diff:
        return None
    first = in_diff[0]
    hunk = change.hunk_of(first)
    same_hunk = [n for n in in_diff if change.hunk_of(n) is hunk]
    last = same_hunk[-1]
    return (last, first if first != last else None)


def comment_body(finding: Finding) -> str:
    """The inline comment for a finding, ending with its hidden fingerprint marker."""
    item = catalogue.get(finding.item_id)
    blocking = ", blocking" if finding.blocking else ""
    body = (
        f"**{finding.item_id} · {item.title}** ({finding.severity.label}{blocking})\n\n"
        f"{finding.message}\n\n"
        f"**Fix:** {finding.hint}\n\n"
        f"<sub>archreview · detector `{finding.detector}` · reply `/archreview explain "
        f"{finding.item_id}` for the item's documentation</sub>\n"
    )
    marker = _MARKER.format(fp=finding.fingerprint, item=finding.item_id, state="")
    return body[: COMMENT_LIMIT - len(marker) - 1] + "\n" + marker


def fixed_body(old_body: str, fingerprint: str, item_id: str, head_sha: str) -> str:
    """An existing comment's body rewritten to say its finding was fixed in ``head_sha``."""
    return _folded(f"✅ **Fixed** in {head_sha[:7]}: archreview no longer finds this.",
                   original_text(old_body), fingerprint, item_id, "fixed")


def waived_body(old_body: str, fingerprint: str, item_id: str, waiver: Waiver) -> str:
    """An existing comment's body rewritten to say its finding is waived, by whom and why.
    Deterministic, so that the caller edits the comment only when the waiver changed."""
    return _folded(f"🔕 {waiver_line(waiver)}", original_text(old_body), fingerprint, item_id,
                   "waived")


def reopened_body(old_body: str, fingerprint: str, item_id: str) -> str:
    """A waived comment's original body, back in the open state (the waiver was taken back)."""
    marker = _MARKER.format(fp=fingerprint, item=item_id, state="")
    return original_text(old_body)[: COMMENT_LIMIT - len(marker) - 2] + "\n\n" + marker


def updated_body(body: str, finding: Finding | None, head_sha: str) -> str:
    """What one of the app's inline comments says after a review: fixed when its finding
    (``None``: no longer found) is gone, waived while the finding is waived, open again when
    its waiver was taken back; ``body`` itself when nothing changed."""
    marker = parse_marker(body)
    if marker is None:
        return body
    fp, item = marker.fingerprint, marker.item_id
    if finding is None:
        return body if marker.fixed else fixed_body(body, fp, item, head_sha)
    if finding.waiver is not None:
        return waived_body(body, fp, item, finding.waiver)
    return reopened_body(body, fp, item) if marker.waived else body


def waiver_line(waiver: Waiver) -> str:
    """``**Waived** by @alice: <reason> ([comment](url))``, on one line. The reason is clipped
    and its mentions defused, so editing a comment never notifies anyone again."""
    if waiver.source == "config":
        who = f"in config (owner @{waiver.author})"
        if waiver.expires is not None:
            who += f" until {waiver.expires.isoformat()}"
    else:
        who = f"by @{waiver.author}"
    link = f" ([{waiver.source}]({waiver.link}))" if waiver.link.startswith("https://") else ""
    reason = " ".join(waiver.reason.split())
    if len(reason) > _MAX_REASON:
        reason = reason[: _MAX_REASON - 1].rstrip() + "…"
    return f"**Waived** {who}{link}: {reason.replace('@', '@\u200b')}"


def original_text(body: str) -> str:
    """The text of a finding's comment as first posted, whatever state it is in now."""
    text = _MARKER_RE.sub("", body).strip()
    m = _ORIGINAL_RE.search(text)
    return m["original"].strip() if m else text


def _folded(headline: str, original: str, fingerprint: str, item_id: str, state: str) -> str:
    marker = _MARKER.format(fp=fingerprint, item=item_id, state=f" {state}")
    text = (f"{headline}\n\n"
            f"<details><summary>Original comment</summary>\n\n{original}\n\n</details>\n")
    return text[: COMMENT_LIMIT - len(marker) - 1] + "\n" + marker


@dataclass(frozen=True, slots=True)
class Marker:
    """What a comment's hidden marker says."""

    fingerprint: str
    item_id: str
    fixed: bool
    waived: bool = False


def parse_marker(body: str | None) -> Marker | None:
    """The finding marker in a comment body, or None when the comment is not one of ours."""
    m = _MARKER_RE.search(body or "")
    if m is None:
        return None
    return Marker(m["fp"], m["item"], m["state"] == "fixed", m["state"] == "waived")


def review_marker(head_sha: str) -> str:
    """The hidden marker of the review posted for ``head_sha``."""
    return REVIEW_MARKER.format(sha=head_sha)


def reviewed_sha(body: str | None) -> str | None:
    """The head SHA in a review body's marker, or None."""
    m = _REVIEW_MARKER_RE.search(body or "")
    return m["sha"] if m else None


def plan_comments(findings: list[Finding], diff: Diff, already: set[str], cap: int
                  ) -> tuple[list[InlineComment], list[Finding]]:
    """Choose the inline comments of one review.

    Only findings on lines the pull request adds are commented (pre-existing code that merely
    shows as diff context is left to the annotations), and never waived ones. Findings whose
    fingerprint is in
    ``already`` (commented on an earlier push) are left out; the rest are taken most severe
    first up to ``cap``. Returns the comments and the findings that did not fit (for the
    review body).
    """
    chosen: list[InlineComment] = []
    overflow: list[Finding] = []
    seen: set[str] = set()
    for f in sorted(findings, key=_rank):
        if (f.fingerprint in already or f.fingerprint in seen or f.waiver is not None
                or f.placement is not Placement.ADDED_LINE):
            continue
        where = placeable(f, diff)
        if where is None:
            continue
        seen.add(f.fingerprint)
        if len(chosen) >= cap:
            overflow.append(f)
            continue
        line, start = where
        chosen.append(InlineComment(f, f.path, line, start, comment_body(f)))
    return chosen, overflow


def review_body(head_sha: str, comments: list[InlineComment], overflow: list[Finding],
                check_url: str | None) -> str:
    """The body of the one review posted per run."""
    lines = [f"archreview found {len(comments) + len(overflow)} new finding(s) on lines this "
             f"pull request changes ({head_sha[:7]})."]
    if check_url:
        lines.append(f"The full checklist is in the [check run]({check_url}).")
    if overflow:
        lines.append(f"\n{len(overflow)} more not commented inline (cap reached):\n")
        for f in overflow[:100]:
            lines.append(f"- `{f.path}:{f.start_line}` **{f.item_id}** {f.message}")
        if len(overflow) > 100:
            lines.append(f"- … and {len(overflow) - 100} more in the check run")
    lines.append("\n" + review_marker(head_sha))
    return "\n".join(lines)[:COMMENT_LIMIT]
