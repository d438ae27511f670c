"""The report as JSON, in a stable schema for other programs.

Schema version 1 (:data:`SCHEMA_VERSION`; :data:`SCHEMA` is its JSON Schema). Keys appear in this
order and never depend on the run (no timestamps, no durations):

- ``version``: ``1``. A new version is made only by removing or changing the meaning of a key;
  keys may be added within a version.
- ``conclusion``: ``"success"``, ``"failure"`` or ``"neutral"`` (the check run conclusion).
- ``full``: true when every domain was reviewed, false when only those the change touches.
- ``files_reviewed``, ``python_files``: how many files the tree held and how many were parsed.
- ``counts``: the number of items in each status, every status present:
  ``fail``, ``warn``, ``pass``, ``skipped``, ``not-applicable``, ``needs-attestation``, ``error``;
  plus ``waived`` and ``attested`` when the report is triaged (see ``triage``).
- ``blocking``: how many findings block the pull request.
- ``domains``: the domains the change touches, in checklist order, each
  ``{"id": "SEC", "title": "Security", "reasons": ["`app/auth.py` modified", ...]}``.
- ``items``: every checklist item, in catalogue order, each ``{"id", "title", "domain",
  "method" ("detector" | "heuristic" | "attestation"), "severity" (the item's default:
  "low" | "medium" | "high" | "critical"), "status", "evidence" (strings), "findings"}``.
- ``findings`` of an item: ``{"item_id", "detector", "severity", "path" ("" for the whole
  project), "start_line", "end_line" (1-based, inclusive; 0 for the whole file), "message",
  "hint", "fingerprint" (stable across pushes), "placement" ("added-line" | "changed-file" |
  "pre-existing"), "blocking"}``, sorted by path and line; when the report is triaged, also
  ``"waiver"``: the waiver covering the finding (an object as in ``triage.waivers``) or null.
- ``notes``: ``{"kind" ("error" | "limit" | "parse" | "skipped" | ...), "message", "path"}``.
- ``triage``, only when the pull request's waivers and attestations were applied:
  ``{"waivers", "attestations", "refusals", "expired_waivers"}``. A waiver is ``{"item_id",
  "scope" ("item" | "finding"), "fingerprint" (null for an item), "author", "reason", "link",
  "created_at" (ISO 8601 or null), "source" ("comment" | "config"), "paths", "expires"
  ("YYYY-MM-DD" or null)}``; an attestation ``{"item_id", "author", "evidence", "link",
  "created_at"}``; a refusal ``{"author", "command", "reason", "link"}``.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from checks import catalogue
from checks.model import (
    Attestation,
    Conclusion,
    Finding,
    ItemResult,
    Method,
    Note,
    Placement,
    Refusal,
    Report,
    Severity,
    Status,
    Waiver,
)

SCHEMA_VERSION = 1

_STR = {"type": "string"}
_LINE = {"type": "integer", "minimum": 0}
_SEVERITIES = [s.label for s in Severity]
_TRIAGE_ONLY = (Status.WAIVED, Status.ATTESTED)
_OPTIONAL_STR = {"type": ["string", "null"]}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "archreview report",
    "type": "object",
    "required": ["version", "conclusion", "full", "files_reviewed", "python_files", "counts",
                 "blocking", "domains", "items", "notes"],
    "properties": {
        "version": {"const": SCHEMA_VERSION},
        "conclusion": {"enum": [c.value for c in Conclusion]},
        "full": {"type": "boolean"},
        "files_reviewed": _LINE,
        "python_files": _LINE,
        "counts": {
            "type": "object",
            "required": [s.value for s in Status if s not in _TRIAGE_ONLY],
            "additionalProperties": False,
            "properties": {s.value: _LINE for s in Status},
        },
        "blocking": _LINE,
        "domains": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title", "reasons"],
                "properties": {"id": _STR, "title": _STR,
                               "reasons": {"type": "array", "items": _STR}},
            },
        },
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title", "domain", "method", "severity", "status",
                             "evidence", "findings"],
                "properties": {
                    "id": _STR,
                    "title": _STR,
                    "domain": _STR,
                    "method": {"enum": [m.value for m in Method]},
                    "severity": {"enum": _SEVERITIES},
                    "status": {"enum": [s.value for s in Status]},
                    "evidence": {"type": "array", "items": _STR},
                    "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
                },
            },
        },
        "notes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "message", "path"],
                "properties": {"kind": _STR, "message": _STR, "path": _STR},
            },
        },
        "triage": {
            "type": "object",
            "required": ["waivers", "attestations", "refusals", "expired_waivers"],
            "properties": {
                "waivers": {"type": "array", "items": {"$ref": "#/$defs/waiver"}},
                "attestations": {"type": "array", "items": {
                    "type": "object",
                    "required": ["item_id", "author", "evidence", "link", "created_at"],
                    "properties": {"item_id": _STR, "author": _STR, "evidence": _STR,
                                   "link": _STR, "created_at": _OPTIONAL_STR},
                }},
                "refusals": {"type": "array", "items": {
                    "type": "object",
                    "required": ["author", "command", "reason", "link"],
                    "properties": {"author": _STR, "command": _STR, "reason": _STR,
                                   "link": _STR},
                }},
                "expired_waivers": {"type": "array", "items": {"$ref": "#/$defs/waiver"}},
            },
        },
    },
    "$defs": {
        "finding": {
            "type": "object",
            "required": ["item_id", "detector", "severity", "path", "start_line", "end_line",
                         "message", "hint", "fingerprint", "placement", "blocking"],
            "properties": {
                "item_id": _STR,
                "detector": _STR,
                "severity": {"enum": _SEVERITIES},
                "path": _STR,
                "start_line": _LINE,
                "end_line": _LINE,
                "message": _STR,
                "hint": _STR,
                "fingerprint": _STR,
                "placement": {"enum": [p.value for p in Placement]},
                "blocking": {"type": "boolean"},
                "waiver": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/waiver"}]},
            },
        },
        "waiver": {
            "type": "object",
            "required": ["item_id", "scope", "fingerprint", "author", "reason", "link",
                         "created_at", "source", "paths", "expires"],
            "properties": {
                "item_id": _STR,
                "scope": {"enum": ["item", "finding"]},
                "fingerprint": _OPTIONAL_STR,
                "author": _STR,
                "reason": _STR,
                "link": _STR,
                "created_at": _OPTIONAL_STR,
                "source": {"enum": ["comment", "config"]},
                "paths": {"type": "array", "items": _STR},
                "expires": _OPTIONAL_STR,
            },
        },
    },
}


def to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data, in the documented key order."""
    counts = report.counts()
    triaged = report.triage is not None
    out: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "conclusion": report.conclusion.value,
        "full": report.full,
        "files_reviewed": report.files_reviewed,
        "python_files": report.python_files,
        "counts": {s.value: counts[s] for s in Status
                   if triaged or counts[s] or s not in _TRIAGE_ONLY},
        "blocking": sum(f.blocking for r in report.results for f in r.findings),
        "domains": [
            {"id": d.value, "title": d.heading, "reasons": list(reasons)}
            for d, reasons in report.domains.items()
        ],
        "items": [_item(r, triaged=triaged) for r in report.results],
        "notes": [_note(n) for n in report.notes],
    }
    if report.triage is not None:
        out["triage"] = {
            "waivers": [_waiver(w) for w in report.triage.waivers],
            "attestations": [_attestation(a) for a in report.triage.attestations],
            "refusals": [_refusal(r) for r in report.triage.refusals],
            "expired_waivers": [_waiver(w) for w in report.triage.expired],
        }
    return out


def render(report: Report) -> str:
    """The report as indented JSON (UTF-8 text, keys in the documented order, final newline)."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


def _item(result: ItemResult, *, triaged: bool) -> dict[str, Any]:
    item = catalogue.find(result.item_id)
    findings = sorted(result.findings, key=lambda f: (f.path, f.start_line, f.end_line,
                                                      f.fingerprint))
    return {
        "id": result.item_id,
        "title": item.title if item else result.item_id,
        "domain": item.domain.value if item else result.item_id.split("-", 1)[0],
        "method": item.method.value if item else Method.ATTESTATION.value,
        "severity": item.severity.label if item else Severity.MEDIUM.label,
        "status": result.status.value,
        "evidence": list(result.evidence),
        "findings": [_finding(f, triaged=triaged) for f in findings],
    }


def _finding(f: Finding, *, triaged: bool) -> dict[str, Any]:
    out = {
        "item_id": f.item_id,
        "detector": f.detector,
        "severity": f.severity.label,
        "path": f.path,
        "start_line": f.start_line,
        "end_line": f.end_line,
        "message": f.message,
        "hint": f.hint,
        "fingerprint": f.fingerprint,
        "placement": f.placement.value,
        "blocking": f.blocking,
    }
    if triaged:
        out["waiver"] = _waiver(f.waiver) if f.waiver is not None else None
    return out


def _waiver(w: Waiver) -> dict[str, Any]:
    return {
        "item_id": w.item_id,
        "scope": "finding" if w.fingerprint is not None else "item",
        "fingerprint": w.fingerprint,
        "author": w.author,
        "reason": w.reason,
        "link": w.link,
        "created_at": _iso(w.created_at),
        "source": w.source,
        "paths": list(w.paths),
        "expires": _iso(w.expires),
    }


def _attestation(a: Attestation) -> dict[str, Any]:
    return {"item_id": a.item_id, "author": a.author, "evidence": a.evidence, "link": a.link,
            "created_at": _iso(a.created_at)}


def _refusal(r: Refusal) -> dict[str, Any]:
    return {"author": r.author, "command": r.command, "reason": r.reason, "link": r.link}


def _iso(moment: date | datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _note(note: Note) -> dict[str, Any]:
    return {"kind": note.kind, "message": note.message, "path": note.path}
