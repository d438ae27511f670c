"""Values shared by the whole engine: domains, severities, findings, statuses, the report.

Everything here is a small frozen value or an enum, so that detectors, renderers and the
GitHub side can pass them around without copying or defensive checks.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal


class Domain(enum.StrEnum):
    """The twelve checklist domains, by the ID prefix of their items."""

    ARCH = "ARCH"
    DB = "DB"
    API = "API"
    SEC = "SEC"
    SCALE = "SCALE"
    OBS = "OBS"
    DEPLOY = "DEPLOY"
    CODE = "CODE"
    RES = "RES"
    TEST = "TEST"
    DOC = "DOC"
    COMP = "COMP"

    @property
    def heading(self) -> str:
        """The checklist's section heading for this domain."""
        return _DOMAIN_TITLES[self]


_DOMAIN_TITLES = {
    Domain.ARCH: "System Architecture",
    Domain.DB: "Database Architecture",
    Domain.API: "API Design",
    Domain.SEC: "Security",
    Domain.SCALE: "Scalability & Performance",
    Domain.OBS: "Observability",
    Domain.DEPLOY: "Deployment & Infrastructure",
    Domain.CODE: "Code Organization",
    Domain.RES: "Resilience",
    Domain.TEST: "Testing",
    Domain.DOC: "Documentation",
    Domain.COMP: "Compliance & Standards",
}


class Method(enum.StrEnum):
    """How an item is decided.

    ``detector``: a detector decides it from the code with few false positives.
    ``heuristic``: a detector decides it from signals that can mislead (file names, imports).
    ``attestation``: no tool can decide it; a reviewer attests it.
    """

    DETECTOR = "detector"
    HEURISTIC = "heuristic"
    ATTESTATION = "attestation"


@enum.unique
class Severity(enum.IntEnum):
    """How bad a finding is, ordered so thresholds compare with ``>=``."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        """Lower-case name, as written in config files and reports."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """``"high"`` -> ``Severity.HIGH``; raises ``ValueError`` for an unknown name."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of {names})") from None


class Placement(enum.StrEnum):
    """Where a finding sits relative to the pull request's diff."""

    ADDED_LINE = "added-line"
    CHANGED_FILE = "changed-file"
    PRE_EXISTING = "pre-existing"


class Status(enum.StrEnum):
    """The outcome of one checklist item in one review."""

    FAIL = "fail"
    WARN = "warn"
    WAIVED = "waived"  # every finding of the item is waived, or the item itself is
    PASS = "pass"  # noqa: S105 - a status, not a password
    SKIPPED = "skipped"
    NOT_APPLICABLE = "not-applicable"
    NEEDS_ATTESTATION = "needs-attestation"
    ATTESTED = "attested"  # a reviewer attested an attestation item
    ERROR = "error"


class Conclusion(enum.StrEnum):
    """A check run conclusion, as GitHub's Checks API names it."""

    SUCCESS = "success"
    FAILURE = "failure"
    NEUTRAL = "neutral"


WaiverSource = Literal["comment", "config"]


@dataclass(frozen=True, slots=True)
class Waiver:
    """A decision to accept an item's findings on a pull request: "we know, and here is why".

    ``fingerprint`` set: just that finding (a reply to its inline comment); None: the whole
    item, restricted to ``paths`` (gitignore patterns) when there are any. ``source`` says
    where it was written: a pull request comment (``link`` is the comment's URL) or the
    repository's config file (``author`` is the owner it names; ``created_at`` is None).
    ``expires`` is the last day it applies.
    """

    item_id: str
    fingerprint: str | None
    author: str
    reason: str
    link: str = ""
    created_at: datetime | None = None
    source: WaiverSource = "comment"
    paths: tuple[str, ...] = ()
    expires: date | None = None


@dataclass(frozen=True, slots=True)
class Attestation:
    """A reviewer's confirmation of an item no tool decides, with the evidence they gave (a
    link or a sentence)."""

    item_id: str
    author: str
    evidence: str
    link: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Refusal:
    """A command that was not carried out: who wrote it, the command as written, why it was
    refused, and the comment's URL."""

    author: str
    command: str
    reason: str
    link: str = ""


@dataclass(frozen=True, slots=True)
class Triage:
    """What people decided on the pull request, as applied to a report: the waivers in force,
    the attestations, the refused attempts, and the config waivers that have expired."""

    waivers: tuple[Waiver, ...] = ()
    attestations: tuple[Attestation, ...] = ()
    refusals: tuple[Refusal, ...] = ()
    expired: tuple[Waiver, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One place where the code falls short of one item.

    ``start_line``/``end_line`` are 1-based and inclusive, in the file at the PR head; 0 means the
    finding concerns the file (or, with an empty ``path``, the project) as a whole.
    ``fingerprint`` is a hex digest that never contains line numbers, so it survives code moving
    between pushes (see :func:`checks.fingerprint.fingerprint`).
    ``waiver`` is the waiver that covers it (see :func:`checks.waivers.apply`); a waived
    finding never blocks.
    """

    item_id: str
    detector: str
    severity: Severity
    path: str
    start_line: int
    end_line: int
    message: str
    hint: str
    fingerprint: str
    placement: Placement = Placement.PRE_EXISTING
    blocking: bool = False
    waiver: Waiver | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """Something the user should know that is not a finding: a file that did not parse, a
    detector that crashed, a cap that ended reading the tree. ``path`` may be empty."""

    kind: str
    message: str
    path: str = ""


@dataclass(slots=True)
class ItemResult:
    """The outcome of one item: its status, its findings, and evidence lines for the reader
    (why it passed, why it was not applicable)."""

    item_id: str
    status: Status
    findings: list[Finding] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Report:
    """Everything one review decided.

    ``results`` has exactly one entry per catalogue item, in catalogue order.
    ``domains`` maps each touched domain to the reasons it was touched (empty in a full review
    when the diff touched nothing). ``triage`` is set once the pull request's waivers and
    attestations have been applied (:func:`checks.waivers.apply`); None for a plain review.
    """

    results: list[ItemResult]
    domains: dict[Domain, list[str]]
    conclusion: Conclusion
    full: bool
    notes: list[Note] = field(default_factory=list)
    files_reviewed: int = 0
    python_files: int = 0
    seconds: float = 0.0
    triage: Triage | None = None

    @property
    def findings(self) -> list[Finding]:
        """All findings of all items, sorted by path and line."""
        out = [f for r in self.results for f in r.findings]
        out.sort(key=lambda f: (f.path, f.start_line, f.item_id, f.fingerprint))
        return out

    def result(self, item_id: str) -> ItemResult:
        """The result for ``item_id`` (case-insensitive); raises ``KeyError`` if unknown."""
        wanted = item_id.upper()
        for r in self.results:
            if r.item_id == wanted:
                return r
        raise KeyError(item_id)

    def counts(self) -> dict[Status, int]:
        """How many items ended in each status (every status present, zero included)."""
        out = dict.fromkeys(Status, 0)
        for r in self.results:
            out[r.status] += 1
        return out
