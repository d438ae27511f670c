"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run whose ``tool.driver`` is archreview, with one rule per checklist item that has findings
(``id`` is the item ID, so an alert keeps its rule across versions) and one result per finding:
its level from the finding's severity (critical and high: ``error``, medium: ``warning``, low:
``note``), its path relative to the repository root (``uriBaseId`` ``%SRCROOT%``), its lines
(no ``region`` when the finding is about the whole file) and the finding's fingerprint as the
partial fingerprint ``archreview/v1``, which does not change when code moves.

What GitHub code scanning requires beyond the schema (its "SARIF support for code scanning"
page): ``shortDescription``, ``fullDescription`` and ``help.text`` non-empty on every rule,
``name`` at most 255 and descriptions at most 1,024 characters; at most 25,000 results per run;
and every result located in a file, as a single result without a location (or with an empty
URI) makes it reject the whole upload. So a finding about the whole project (empty path) is
attached to ``anchor`` (a file the caller knows exists, such as ``pyproject.toml``) when one is
given, and otherwise reported as a tool execution notification, like the report's notes and the
items in error. Results over ``max_results`` are left out, lowest priority first, and counted in
a notification.

A waived finding stays a result, with a ``suppressions`` entry (``kind`` ``external``: the
decision lives outside the code, ``status`` ``accepted``, the waiver's reason as
``justification``), so code scanning shows it as dismissed rather than losing it.

Security items also carry ``security-severity`` (GitHub's scale: over 9.0 critical, 7.0 to 8.9
high, 4.0 to 6.9 medium, below 4.0 low) and the ``security`` tag, so code scanning files their
results as security alerts.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import re
from typing import Any
from urllib.parse import quote

from checks import catalogue
from checks.model import Domain, Finding, ItemResult, Method, Report, Severity, Status, Waiver
from checks.render._common import clip, one_line, plural, priority

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "archreview"
FINGERPRINT_KEY = "archreview/v1"
SOURCE_ROOT = "%SRCROOT%"
MAX_RESULTS = 25_000
"""GitHub code scanning rejects a run with more results than this."""

_LEVELS = {Severity.LOW: "note", Severity.MEDIUM: "warning", Severity.HIGH: "error",
           Severity.CRITICAL: "error"}
_SECURITY_SEVERITY = {Severity.LOW: "2.0", Severity.MEDIUM: "5.0", Severity.HIGH: "8.0",
                      Severity.CRITICAL: "9.5"}
_PRECISION = {Method.DETECTOR: "high", Method.HEURISTIC: "medium", Method.ATTESTATION: "low"}
_DECIDED_BY = {Method.DETECTOR: "a detector",
               Method.HEURISTIC: "a heuristic detector, from signals that can mislead",
               Method.ATTESTATION: "a reviewer's attestation"}
_NOTE_LEVELS = {"error": "error", "limit": "warning", "parse": "warning", "skipped": "note"}
_MAX_NAME = 255
_MAX_DESCRIPTION = 1024
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def render(
    report: Report,
    *,
    version: str | None = None,
    information_uri: str | None = None,
    anchor: str | None = None,
    max_results: int = MAX_RESULTS,
) -> str:
    """The report as a SARIF 2.1.0 log (indented JSON, final newline); see :func:`to_dict`."""
    log = to_dict(report, version=version, information_uri=information_uri, anchor=anchor,
                  max_results=max_results)
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def to_dict(
    report: Report,
    *,
    version: str | None = None,
    information_uri: str | None = None,
    anchor: str | None = None,
    max_results: int = MAX_RESULTS,
) -> dict[str, Any]:
    """The SARIF log as JSON-ready data.

    ``version`` and ``information_uri`` describe the tool; by default they come from the
    installed ``archreview`` distribution's metadata (``"0"`` and none when it is not
    installed). ``anchor`` is the file project-wide findings are attached to (see the module
    docstring).
    """
    installed_version, installed_uri = _installed()
    rules, index = _rules(report)
    findings = [f for r in report.results for f in r.findings]
    located = [f for f in findings if f.path or anchor]
    notifications = _notifications(report)
    notifications += [_project_notification(f, index) for f in findings if not f.path
                      and not anchor]
    kept = sorted(located, key=priority)[: max(max_results, 0)]
    if len(kept) < len(located):
        dropped = len(located) - len(kept)
        notifications.append({
            "level": "warning",
            "message": {"text": f"{plural(dropped, 'finding')} left out: a run holds at most "
                                f"{plural(max_results, 'result')}."},
        })
    kept.sort(key=lambda f: (f.path, f.start_line, f.item_id, f.fingerprint))
    driver: dict[str, Any] = {"name": TOOL_NAME}
    uri = information_uri or installed_uri
    if uri:
        driver["informationUri"] = uri
    tool_version = version or installed_version
    driver["version"] = tool_version
    if _SEMVER.match(tool_version):
        driver["semanticVersion"] = tool_version
    driver["rules"] = rules
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [invocation],
            "results": [_result(f, index, anchor) for f in kept],
        }],
    }


def _rules(report: Report) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One rule per item with findings, in catalogue order, and each rule's index by item ID."""
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for result in report.results:
        if result.findings and result.item_id not in index:
            index[result.item_id] = len(rules)
            rules.append(_rule(result))
    return rules, index


def _rule(result: ItemResult) -> dict[str, Any]:
    item = catalogue.find(result.item_id)
    title = item.title if item else result.item_id
    domain = item.domain if item else None
    method = item.method if item else Method.DETECTOR
    severity = item.severity if item else Severity.MEDIUM
    doc = item.doc.strip() if item else ""
    where = f"{domain.heading}, " if domain else ""
    about = f"Checklist item {result.item_id} ({where}decided by {_DECIDED_BY[method]})."
    tags = [domain.value, _slug(domain.heading)] if domain else []
    properties: dict[str, Any] = {"tags": tags, "precision": _PRECISION[method]}
    if domain is Domain.SEC:
        properties["security-severity"] = _SECURITY_SEVERITY[severity]
        if "security" not in tags:
            tags.append("security")
    return {
        "id": result.item_id,
        "name": clip(_slug(title) or result.item_id.lower(), _MAX_NAME),
        "shortDescription": {"text": clip(title, _MAX_DESCRIPTION)},
        "fullDescription": {"text": clip(_lead(doc) or f"{title}. {about}", _MAX_DESCRIPTION)},
        "help": {
            "text": f"{doc}\n\n{about}" if doc else f"{title}.\n\n{about}",
            "markdown": f"{doc}\n\n{about}" if doc else f"**{title}**\n\n{about}",
        },
        "defaultConfiguration": {"level": _LEVELS[severity]},
        "properties": properties,
    }


def _result(f: Finding, index: dict[str, int], anchor: str | None) -> dict[str, Any]:
    text = one_line(f.message) or f.item_id
    if f.hint:
        text += f"\nFix: {one_line(f.hint)}"
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": _uri(f.path or anchor or ""), "uriBaseId": SOURCE_ROOT},
    }
    if f.path and f.start_line > 0:
        physical["region"] = {"startLine": f.start_line,
                              "endLine": max(f.end_line, f.start_line)}
    result: dict[str, Any] = {
        "ruleId": f.item_id,
        "ruleIndex": index[f.item_id],
        "level": _LEVELS[f.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"detector": f.detector, "placement": f.placement.value,
                       "blocking": f.blocking},
    }
    if f.waiver is not None:
        result["suppressions"] = [_suppression(f.waiver)]
    return result


def _suppression(w: Waiver) -> dict[str, Any]:
    properties: dict[str, Any] = {"author": w.author, "source": w.source,
                                  "scope": "finding" if w.fingerprint is not None else "item"}
    if w.link:
        properties["link"] = w.link
    if w.expires is not None:
        properties["expires"] = w.expires.isoformat()
    return {"kind": "external", "status": "accepted",
            "justification": one_line(w.reason) or "waived", "properties": properties}


def _notifications(report: Report) -> list[dict[str, Any]]:
    """The items in error and the report's notes (the engine's "detector failed" notes are said
    once, by the items they concern)."""
    out: list[dict[str, Any]] = []
    said: set[str] = set()
    for r in report.results:
        if r.status is Status.ERROR:
            said.update(r.evidence)
            why = one_line("; ".join(r.evidence)) or "no detector decided it"
            out.append({"level": "error", "message": {"text": f"{r.item_id}: {why}"},
                        "associatedRule": {"id": r.item_id}})
    for note in report.notes:
        if note.message in said:
            continue
        entry: dict[str, Any] = {"level": _NOTE_LEVELS.get(note.kind, "warning"),
                                 "message": {"text": one_line(note.message) or note.kind}}
        if note.path:
            entry["locations"] = [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(note.path), "uriBaseId": SOURCE_ROOT}}}]
        entry["properties"] = {"kind": note.kind}
        out.append(entry)
    return out


def _project_notification(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    text = f"{f.item_id}: {one_line(f.message)}"
    if f.hint:
        text += f"\nFix: {one_line(f.hint)}"
    properties: dict[str, Any] = {"fingerprint": f.fingerprint, "blocking": f.blocking}
    if f.waiver is not None:
        properties["waived"] = one_line(f.waiver.reason)
    return {"level": _LEVELS[f.severity], "message": {"text": text},
            "associatedRule": {"id": f.item_id, "index": index[f.item_id]},
            "properties": properties}


def _lead(doc: str) -> str:
    """The first paragraph of a Markdown doc that is not a heading, on one line."""
    for para in doc.split("\n\n"):
        if para.strip() and not para.lstrip().startswith("#"):
            return one_line(para)
    return ""


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def _uri(path: str) -> str:
    """A repository-relative path as a relative URI reference (``%`` escapes, ``/`` kept)."""
    return quote(path, safe="/")


@functools.cache
def _installed() -> tuple[str, str | None]:
    """The installed archreview's version and home page, read once from its metadata."""
    try:
        meta = importlib.metadata.metadata(TOOL_NAME)
    except importlib.metadata.PackageNotFoundError:
        return "0", None
    uri = meta.get("Home-page")
    if not uri:
        urls = meta.get_all("Project-URL") or []
        uri = urls[0].split(",", 1)[1].strip() if urls and "," in urls[0] else None
    return meta.get("Version") or "0", uri or None
