"""Helpers shared by the detector tests: run one detector alone on in-memory files."""

from __future__ import annotations

from checks import engine
from checks.config import Config
from checks.detector import Detector
from checks.diff import Diff
from checks.model import Finding, Report, Status
from checks.source import SourceTree


def run(
    detector: type[Detector],
    files: dict[str, str | bytes],
    diff: str | None = None,
    config: Config | None = None,
) -> Report:
    """Review ``files`` with ``detector`` alone, fully (every domain), or for ``diff``."""
    tree = SourceTree.from_files(files)
    parsed = Diff.parse(diff) if diff is not None else None
    return engine.review(tree, parsed, config, full=diff is None, detectors=[detector])


def found(report: Report, item_id: str | None = None) -> list[tuple[str, str, int]]:
    """``[(item_id, path, start_line), ...]`` of the report's findings, sorted."""
    return sorted(
        (f.item_id, f.path, f.start_line)
        for f in report.findings
        if item_id is None or f.item_id == item_id
    )


def status(report: Report, item_id: str) -> Status:
    """The status of one item."""
    return report.result(item_id).status


def findings(report: Report, item_id: str) -> list[Finding]:
    """The findings of one item."""
    return report.result(item_id).findings
