"""Waivers and attestations: what people decided on a pull request, applied to a report.

A waiver says "we know, and here is why" for a whole item (optionally restricted to paths) or
for one finding, identified by its fingerprint so that it stays waived when the code moves.
An attestation confirms an item that no tool decides. Both come from two places:

- the pull request's comments, re-read on every run (the comments are the record, so editing or
  deleting one changes the outcome of the next run): :func:`from_comments` folds the accepted
  commands, in order, into the waivers and attestations in force;
- ``waivers`` in the repository's config, each with an expiry date: :func:`config_waivers`.

:func:`apply` then marks the findings each waiver covers (they stay in the report, never block),
gives items their ``waived`` or ``attested`` status, recomputes the conclusion and keeps the
records on the report for the renderers. Nothing here performs I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Literal

import pathspec

from checks import catalogue
from checks.config import Config
from checks.model import (
    Attestation,
    Conclusion,
    Finding,
    ItemResult,
    Method,
    Refusal,
    Report,
    Status,
    Triage,
    Waiver,
)

__all__ = [
    "WAIVE_WARNINGS_REASON",
    "Action",
    "ActionVerb",
    "Attestation",
    "Refusal",
    "Triage",
    "Waiver",
    "apply",
    "attestable",
    "config_waivers",
    "from_comments",
    "waive_warnings",
]

WAIVE_WARNINGS_REASON = "waived with the check run's \u201cWaive all warnings\u201d button"
"""The reason :func:`waive_warnings` gives its waivers unless told otherwise."""

ActionVerb = Literal["waive", "unwaive", "attest"]

_UNATTESTABLE = "{item} is decided by a detector; waive it instead"


@dataclasses.dataclass(frozen=True, slots=True)
class Action:
    """One accepted ``waive``, ``unwaive`` or ``attest`` command, with where it came from.

    ``item_ids`` are upper-case catalogue IDs; ``text`` is the reason (waive, unwaive) or the
    evidence (attest); ``fingerprint`` names the finding a reply to an inline comment is about
    (then ``item_ids`` holds that finding's item). ``link`` is the comment's URL.
    """

    verb: ActionVerb
    item_ids: tuple[str, ...]
    text: str
    author: str
    link: str
    created_at: datetime
    fingerprint: str | None = None


def from_comments(actions: Iterable[Action]) -> tuple[list[Waiver], list[Attestation]]:
    """The waivers and attestations in force after ``actions``, taken in order of
    ``created_at`` (actions of one comment keep their order).

    A later ``waive`` of the same item (or finding) replaces the earlier one; ``unwaive ITEM``
    removes every waiver of the item, item-wide and per finding; ``unwaive`` of one finding
    removes that finding's waiver. A later ``attest`` replaces an earlier one of the item.
    Both lists are in the order their entries were last written.
    """
    waivers: dict[tuple[str, str | None], Waiver] = {}
    attestations: dict[str, Attestation] = {}
    for act in sorted(actions, key=lambda a: _utc(a.created_at)):
        for item_id in act.item_ids:
            item_id = item_id.upper()
            key = (item_id, act.fingerprint)
            if act.verb == "waive":
                waivers.pop(key, None)
                waivers[key] = Waiver(item_id, act.fingerprint, act.author, act.text.strip(),
                                      act.link, act.created_at)
            elif act.verb == "unwaive":
                for k in [k for k in waivers if k[0] == item_id
                          and (act.fingerprint is None or k[1] == act.fingerprint)]:
                    del waivers[k]
            else:
                attestations.pop(item_id, None)
                attestations[item_id] = Attestation(item_id, act.author, act.text.strip(),
                                                    act.link, act.created_at)
    return list(waivers.values()), list(attestations.values())


def config_waivers(config: Config, today: date, *, link: str = "") -> tuple[list[Waiver],
                                                                              list[Waiver]]:
    """The config file's waivers as :class:`Waiver` values: those that still apply on
    ``today`` and those that have expired (the last day a waiver applies is its ``expires``).

    ``link`` is the config file's URL on the default branch; each waiver links to its line.
    Passing both lists to :func:`apply` is fine: it sets the expired ones aside itself.
    """
    active: list[Waiver] = []
    expired: list[Waiver] = []
    for rule in config.waivers:
        waiver = Waiver(
            item_id=rule.item_id,
            fingerprint=None,
            author=rule.owner,
            reason=rule.reason,
            link=f"{link}#L{rule.line}" if link and rule.line else link,
            source="config",
            paths=rule.paths,
            expires=rule.expires,
        )
        (expired if rule.expires < today else active).append(waiver)
    return active, expired


def attestable(item_id: str) -> str | None:
    """None when ``item_id`` may be attested; otherwise why not (unknown item, or an item a
    detector decides)."""
    item = catalogue.find(item_id)
    if item is None:
        return f"unknown checklist item {item_id!r}"
    if item.method is not Method.ATTESTATION:
        return _UNATTESTABLE.format(item=item.id)
    return None


def apply(
    report: Report,
    waivers: Iterable[Waiver],
    attestations: Iterable[Attestation],
    refusals: Iterable[Refusal],
    today: date,
) -> Report:
    """A copy of ``report`` with the waivers and attestations applied (``report`` itself is
    left as it is; apply them to the engine's report, once).

    - Waivers whose ``expires`` is before ``today`` do not apply; they are kept as expired.
    - Each finding takes the first waiver that covers it: one naming its fingerprint, then a
      comment waiver of its item, then a config waiver of its item whose paths match (latest
      first within each kind). A waived finding stays in the report, marked, and never blocks.
    - An item whose findings are all waived is ``waived``; one with findings left is ``fail``
      (a blocking finding left) or ``warn``. An item awaiting attestation with an item-wide
      waiver is ``waived``. An attestation item with a valid attestation that has no finding
      left is ``attested``.
    - Attestations of items that cannot be attested become refusals.
    - The conclusion: failure when a blocking finding is left, else neutral when an item is in
      error, else success.
    """
    active: list[Waiver] = []
    expired: list[Waiver] = []
    for w in waivers:
        (expired if w.expires is not None and w.expires < today else active).append(w)
    refused = list(refusals)
    valid: dict[str, Attestation] = {}
    for a in attestations:
        why = attestable(a.item_id) or ("no evidence given" if not a.evidence.strip() else None)
        if why is None:
            valid[a.item_id.upper()] = a
        else:
            refused.append(Refusal(a.author, f"attest {a.item_id} {a.evidence}".strip(), why,
                                   a.link))

    matcher = _Matcher(active)
    results = [_apply_item(r, matcher, valid.get(r.item_id)) for r in report.results]
    blocking = any(f.blocking for r in results for f in r.findings)
    errored = any(r.status is Status.ERROR for r in results)
    conclusion = (
        Conclusion.FAILURE if blocking else Conclusion.NEUTRAL if errored else Conclusion.SUCCESS
    )
    triage = Triage(tuple(active), tuple(valid.values()), tuple(refused), tuple(expired))
    return dataclasses.replace(report, results=results, conclusion=conclusion,
                               notes=list(report.notes), triage=triage)


def waive_warnings(report: Report, *, author: str, link: str = "",
                   created_at: datetime | None = None,
                   reason: str = WAIVE_WARNINGS_REASON) -> list[Waiver]:
    """Waivers for the report's warnings, as the "Waive all warnings" button asks: one per
    non-blocking finding not already waived, by fingerprint.

    Per finding rather than per item on purpose: an item-wide waiver would also hide a blocking
    finding of the same item pushed later, and a warning waived in passing must not do that.
    """
    return [
        Waiver(f.item_id, f.fingerprint, author, reason, link, created_at)
        for f in report.findings
        if not f.blocking and f.waiver is None
    ]


# --- internals ------------------------------------------------------------------------------


class _Matcher:
    """Finds the waiver covering a finding, in the precedence :func:`apply` documents."""

    def __init__(self, waivers: Sequence[Waiver]) -> None:
        latest_first = sorted(waivers, key=lambda w: _utc(w.created_at), reverse=True)
        self.by_fingerprint: dict[tuple[str, str], Waiver] = {}
        self.by_item: dict[str, list[Waiver]] = {}
        for w in latest_first:
            if w.fingerprint is not None:
                self.by_fingerprint.setdefault((w.item_id.upper(), w.fingerprint), w)
            else:
                self.by_item.setdefault(w.item_id.upper(), []).append(w)
        for ws in self.by_item.values():
            ws.sort(key=lambda w: w.source != "comment")  # stable: latest first within a kind
        self.specs: dict[tuple[str, ...], pathspec.GitIgnoreSpec] = {}

    def waiver_for(self, f: Finding) -> Waiver | None:
        w = self.by_fingerprint.get((f.item_id.upper(), f.fingerprint))
        if w is not None:
            return w
        return next((w for w in self.by_item.get(f.item_id.upper(), ()) if self._covers(w, f.path)),
                    None)

    def item_wide(self, item_id: str) -> Waiver | None:
        return next((w for w in self.by_item.get(item_id.upper(), ()) if not w.paths), None)

    def _covers(self, w: Waiver, path: str) -> bool:
        if not w.paths:
            return True
        if not path:
            return False
        spec = self.specs.get(w.paths)
        if spec is None:
            spec = self.specs[w.paths] = pathspec.GitIgnoreSpec.from_lines(w.paths)
        return spec.match_file(path)


def _apply_item(result: ItemResult, matcher: _Matcher, attestation: Attestation | None
                ) -> ItemResult:
    findings: list[Finding] = []
    for f in result.findings:
        w = matcher.waiver_for(f) if f.waiver is None else f.waiver
        findings.append(f if w is f.waiver else dataclasses.replace(f, waiver=w, blocking=False))
    status = result.status
    if findings:
        left = [f for f in findings if f.waiver is None]
        if not left:
            status = Status.WAIVED
        elif status in (Status.FAIL, Status.WARN):
            status = Status.FAIL if any(f.blocking for f in left) else Status.WARN
    elif status is Status.NEEDS_ATTESTATION and matcher.item_wide(result.item_id) is not None:
        status = Status.WAIVED
    if attestation is not None and status in (Status.NEEDS_ATTESTATION, Status.PASS,
                                              Status.WAIVED):
        status = Status.ATTESTED
    return ItemResult(result.item_id, status, findings, list(result.evidence))


def _utc(moment: datetime | None) -> datetime:
    """``moment`` comparable with any other: naive times are taken as UTC, None as the
    earliest time."""
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
