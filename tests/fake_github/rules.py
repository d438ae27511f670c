"""GitHub's rules on what an app posts, checked in code so they hold without the shared schemas.

- Checks API: at most 50 annotations per request, ``output.title`` and ``output.summary``
  required with an output, summary and text at most 65,535 characters, at most 3 actions (label
  20, identifier 20, description 40 characters), a conclusion whenever the run completes.
- Comment and review bodies: at most 65,536 characters.
- Review comments: on a line the pull request's diff shows (RIGHT: added or context lines of the
  new file, LEFT: removed lines of the old file), ``start_line`` before ``line`` in the same hunk.

``in_bytes`` measures text limits in UTF-8 bytes instead of characters: stricter than GitHub's
documented character counts, the safe side for an app that must not be refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.fake_github.diffs import DiffLine, FileDiff, ParsedDiff
from tests.fake_github.schemas import SchemaIssue

OUTPUT_TEXT_LIMIT = 65_535
COMMENT_BODY_LIMIT = 65_536
ANNOTATIONS_PER_REQUEST = 50
ANNOTATION_MESSAGE_LIMIT = 64 * 1024
ANNOTATION_TITLE_LIMIT = 255
MAX_ACTIONS = 3
ACTION_LIMITS = {"label": 20, "identifier": 20, "description": 40}
ANNOTATION_LEVELS = ("notice", "warning", "failure")
STATUSES = ("queued", "in_progress", "completed")
CONCLUSIONS = (
    "action_required",
    "cancelled",
    "failure",
    "neutral",
    "success",
    "skipped",
    "timed_out",
)


def text_size(text: str, in_bytes: bool) -> int:
    return len(text.encode()) if in_bytes else len(text)


def _too_long(field: str, limit: int, in_bytes: bool) -> SchemaIssue:
    unit = "bytes" if in_bytes else "characters"
    return SchemaIssue(
        field, "invalid", f"For '{field}', it is too long (maximum is {limit} {unit})."
    )


def _missing(field: str) -> SchemaIssue:
    return SchemaIssue(field, "missing_field", f'"{field}" wasn\'t supplied.')


def _invalid(field: str, why: str) -> SchemaIssue:
    return SchemaIssue(field, "invalid", f"For '{field}', {why}.")


def body_issues(body: Any, field: str, in_bytes: bool) -> list[SchemaIssue]:
    """A comment or review body over GitHub's 65,536 limit."""
    if isinstance(body, str) and text_size(body, in_bytes) > COMMENT_BODY_LIMIT:
        return [_too_long(field, COMMENT_BODY_LIMIT, in_bytes)]
    return []


def review_comment_issues(index: int, comment: Any, in_bytes: bool) -> list[SchemaIssue]:
    """One entry of a review's ``comments``: an object with a ``path`` and a ``body``."""
    where = f"comments.{index}"
    if not isinstance(comment, dict):
        return [_invalid(where, "it is not an object")]
    issues = [
        _missing(f"{where}.{name}")
        for name in ("path", "body")
        if not isinstance(comment.get(name), str)
    ]
    return issues + body_issues(comment.get("body"), f"{where}.body", in_bytes)


def _annotation_issues(index: int, note: Any, in_bytes: bool) -> list[SchemaIssue]:
    where = f"output.annotations.{index}"
    if not isinstance(note, dict):
        return [_invalid(where, "it is not an object")]
    issues = [
        _missing(f"{where}.{name}")
        for name in ("path", "start_line", "end_line", "annotation_level", "message")
        if name not in note
    ]
    start, end = note.get("start_line"), note.get("end_line")
    if isinstance(start, int) and start < 1:
        issues.append(_invalid(f"{where}.start_line", "lines start at 1"))
    if isinstance(start, int) and isinstance(end, int) and end < start:
        issues.append(_invalid(f"{where}.end_line", "end_line is before start_line"))
    columns = ("start_column", "end_column")
    if any(note.get(c) is not None for c in columns) and start != end:
        issues.append(
            _invalid(
                f"{where}.start_column", "columns are only allowed when start_line == end_line"
            )
        )
    level = note.get("annotation_level")
    if level is not None and level not in ANNOTATION_LEVELS:
        issues.append(
            _invalid(f"{where}.annotation_level", f"it is not one of {ANNOTATION_LEVELS}")
        )
    limits = {
        "message": ANNOTATION_MESSAGE_LIMIT,
        "raw_details": ANNOTATION_MESSAGE_LIMIT,
        "title": ANNOTATION_TITLE_LIMIT,
    }
    for name, limit in limits.items():
        value = note.get(name)
        if isinstance(value, str) and text_size(value, in_bytes) > limit:
            issues.append(_too_long(f"{where}.{name}", limit, in_bytes))
    return issues


def _output_issues(output: Any, in_bytes: bool) -> list[SchemaIssue]:
    if not isinstance(output, dict):
        return [_invalid("output", "it is not an object")]
    issues = [_missing(f"output.{name}") for name in ("title", "summary") if name not in output]
    for name in ("summary", "text"):
        value = output.get(name)
        if isinstance(value, str) and text_size(value, in_bytes) > OUTPUT_TEXT_LIMIT:
            issues.append(_too_long(f"output.{name}", OUTPUT_TEXT_LIMIT, in_bytes))
    annotations = output.get("annotations", [])
    if not isinstance(annotations, list):
        return [*issues, _invalid("output.annotations", "it is not an array")]
    if len(annotations) > ANNOTATIONS_PER_REQUEST:
        issues.append(
            _invalid(
                "output.annotations",
                f"{len(annotations)} items is more than the maximum of {ANNOTATIONS_PER_REQUEST}",
            )
        )
    for index, note in enumerate(annotations):
        issues += _annotation_issues(index, note, in_bytes)
    return issues


def _action_issues(actions: Any) -> list[SchemaIssue]:
    if not isinstance(actions, list):
        return [_invalid("actions", "it is not an array")]
    issues = []
    if len(actions) > MAX_ACTIONS:
        issues.append(_invalid("actions", f"{len(actions)} actions is more than {MAX_ACTIONS}"))
    for index, action in enumerate(actions):
        if not isinstance(action, dict):
            issues.append(_invalid(f"actions.{index}", "it is not an object"))
            continue
        for name, limit in ACTION_LIMITS.items():
            value = action.get(name)
            if value is None:
                issues.append(_missing(f"actions.{index}.{name}"))
            elif isinstance(value, str) and len(value) > limit:
                issues.append(_too_long(f"actions.{index}.{name}", limit, False))
    return issues


def check_run_issues(body: dict[str, Any], *, creating: bool, in_bytes: bool) -> list[SchemaIssue]:
    """Why GitHub would refuse ``body`` to create (or update) a check run."""
    issues: list[SchemaIssue] = []
    if creating:
        issues += [_missing(name) for name in ("name", "head_sha") if name not in body]
    status, conclusion = body.get("status"), body.get("conclusion")
    if status is not None and status not in STATUSES:
        issues.append(_invalid("status", f"it is not one of {STATUSES}"))
    if conclusion == "stale":
        issues.append(_invalid("conclusion", "only GitHub can set a conclusion of stale"))
    elif conclusion is not None and conclusion not in CONCLUSIONS:
        issues.append(_invalid("conclusion", f"it is not one of {CONCLUSIONS}"))
    if conclusion is None and (status == "completed" or "completed_at" in body):
        issues.append(_missing("conclusion"))
    if "output" in body:
        issues += _output_issues(body["output"], in_bytes)
    if "actions" in body:
        issues += _action_issues(body["actions"])
    return issues


# -- review comments against the diff -----------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where a review comment lands in the diff."""

    file: FileDiff
    anchor: DiffLine | None
    """``None`` for a comment on the whole file (``subject_type: file``)."""
    line: int | None
    side: str
    start_line: int | None
    start_side: str | None


class PlacementError(Exception):
    """GitHub cannot place the comment.

    ``errors`` are the texts ``POST .../reviews`` answers (``Validation Error Simple``);
    ``thread_errors`` the error objects of a single ``POST .../comments`` (``Validation
    Failed``); ``detail`` says which comment and why, for the test's eyes.
    """

    def __init__(self, errors: list[str], thread_errors: list[dict[str, str]], detail: str) -> None:
        super().__init__(detail)
        self.errors = errors
        self.thread_errors = thread_errors
        self.detail = detail


def _thread_error(field: str, message: str, code: str = "custom") -> dict[str, str]:
    return {
        "resource": "PullRequestReviewComment",
        "code": code,
        "field": f"pull_request_review_thread.{field}",
        "message": f"pull_request_review_thread.{field} {message}",
    }


OFF_DIFF = "Line could not be resolved"
BAD_PATH = "Path could not be resolved"
START_HUNK = "Pull request review thread start line must be part of the same hunk as the line."
START_ORDER = "Pull request review thread start line must precede the end line."
OFF_DIFF_THREAD = [
    _thread_error("line", "must be part of the diff"),
    _thread_error("diff_hunk", "can't be blank", "missing_field"),
]
BAD_PATH_THREAD = [_thread_error("path", "could not be resolved", "invalid")]
START_HUNK_THREAD = [_thread_error("start_line", "must be part of the same hunk as the line.")]
START_ORDER_THREAD = [_thread_error("start_line", "must precede the end line.")]


def _off_diff(detail: str) -> PlacementError:
    return PlacementError([OFF_DIFF], list(OFF_DIFF_THREAD), detail)


def place_comment(diff: ParsedDiff, comment: dict[str, Any]) -> Placement:
    """Resolve ``comment`` (``path``, ``line``/``side`` or ``position``, ``start_line``...)."""
    path = comment.get("path")
    where = f"{path}:{comment.get('line', comment.get('position'))}"
    file = diff.files.get(path) if isinstance(path, str) else None
    if file is None:
        detail = f"{path!r} is not a file of the pull request's diff"
        raise PlacementError([BAD_PATH], list(BAD_PATH_THREAD), detail)
    if comment.get("subject_type") == "file":
        return Placement(file, None, None, "RIGHT", None, None)
    side = comment.get("side") or "RIGHT"
    line, position = comment.get("line"), comment.get("position")
    anchor: DiffLine | None
    if line is None and position is not None:
        anchor = file.at_position(position)
        if anchor is None:
            raise _off_diff(f"{where}: position {position} is outside the diff")
        side = "LEFT" if anchor.kind == "-" else "RIGHT"
        line = anchor.old if side == "LEFT" else anchor.new
    elif line is None:
        raise _off_diff(f"{path}: neither line nor position given")
    else:
        if side not in ("LEFT", "RIGHT"):
            raise _off_diff(f"{where}: side {side!r} is not LEFT or RIGHT")
        anchor = file.line_on(side, line)
        if anchor is None:
            shown = "added or context" if side == "RIGHT" else "removed"
            raise _off_diff(f"{where} ({side}) is not an {shown} line of a hunk of the diff")
    start_line = comment.get("start_line")
    start_side = comment.get("start_side") or (side if start_line is not None else None)
    if start_line is not None:
        start = file.line_on(start_side or side, start_line)
        if start_side == side and start_line >= line:
            detail = f"{where}: start_line {start_line} >= line {line}"
            raise PlacementError([START_ORDER], list(START_ORDER_THREAD), detail)
        if start is None or start.hunk != anchor.hunk or start.position >= anchor.position:
            detail = f"{where}: start_line {start_line} is not earlier in the same hunk"
            raise PlacementError([START_HUNK], list(START_HUNK_THREAD), detail)
    return Placement(file, anchor, line, side, start_line, start_side)
