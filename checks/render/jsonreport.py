"""The report as JSON, in a stable schema for other programs.

Schema version 1 (:data:`SCHEMA_VERSION`; :data:`SCHEMA` is its JSON Schema). Keys appear in this
order and never depend on the run (no timestamps, no durations):

- ``version``: ``1``. A new version is made only by removing or changing the meaning of a key;
  keys may be added within a version.
- ``conclusion``: ``"success"``, ``"failure"`` or ``"neutral"`` (the check run conclusion).
- ``full``: true when every domain was reviewed, false when only those the change touches.
- ``files_reviewed``, ``python_files``: how many files the tree held and how many were parsed.
- ``counts``: the number of items in each status, every status present:
  ``fail``, ``warn``, ``pass``, ``skipped``, ``not-applicable``, ``needs-attestation``, ``error``.
- ``blocking``: how many findings block the pull request.
- ``domains``: the domains the change touches, in checklist order, each
  ``{"id": "SEC", "title": "Security", "reasons": ["`app/auth.py` modified", ...]}``.
- ``items``: every checklist item, in catalogue order, each ``{"id", "title", "domain",
  "method" ("detector" | "heuristic" | "attestation"), "severity" (the item's default:
  "low" | "medium" | "high" | "critical"), "status", "evidence" (strings), "findings"}``.
- ``findings`` of an item: ``{"item_id", "detector", "severity", "path" ("" for the whole
  project), "start_line", "end_line" (1-based, inclusive; 0 for the whole file), "message",
  "hint", "fingerprint" (stable across pushes), "placement" ("added-line" | "changed-file" |
  "pre-existing"), "blocking"}``, sorted by path and line.
- ``notes``: ``{"kind" ("error" | "limit" | "parse" | "skipped" | ...), "message", "path"}``.
"""

from __future__ import annotations

import json
from typing import Any

from checks import catalogue
from checks.model import (
    Conclusion,
    Finding,
    ItemResult,
    Method,
    Note,
    Placement,
    Report,
    Severity,
    Status,
)

SCHEMA_VERSION = 1

_STR = {"type": "string"}
_LINE = {"type": "integer", "minimum": 0}
_SEVERITIES = [s.label for s in Severity]

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
            "required": [s.value for s in Status],
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
            },
        },
    },
}


def to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data, in the documented key order."""
    counts = report.counts()
    return {
        "version": SCHEMA_VERSION,
        "conclusion": report.conclusion.value,
        "full": report.full,
        "files_reviewed": report.files_reviewed,
        "python_files": report.python_files,
        "counts": {s.value: counts[s] for s in Status},
        "blocking": sum(f.blocking for r in report.results for f in r.findings),
        "domains": [
            {"id": d.value, "title": d.heading, "reasons": list(reasons)}
            for d, reasons in report.domains.items()
        ],
        "items": [_item(r) for r in report.results],
        "notes": [_note(n) for n in report.notes],
    }


def render(report: Report) -> str:
    """The report as indented JSON (UTF-8 text, keys in the documented order, final newline)."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


def _item(result: ItemResult) -> dict[str, Any]:
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
        "findings": [_finding(f) for f in findings],
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
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


def _note(note: Note) -> dict[str, Any]:
    return {"kind": note.kind, "message": note.message, "path": note.path}
