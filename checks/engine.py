"""The review engine: source tree + diff + config in, :class:`~checks.model.Report` out.

Steps: decide which domains the diff touches (all of them in a full review); pick the items to
run and the detectors that decide them; parse each Python file once and make one traversal of
its syntax tree, dispatching every node to the detectors that asked for its type; let each
detector finish project-wide; then fingerprint, place and grade the findings and give every
catalogue item its status. A detector that raises on a file is left out of that file only (a
note names it; its findings elsewhere stand); one that raises in ``finish`` becomes an
``error`` on its items. The others go on (the flake8 model).
"""

from __future__ import annotations

import ast
import contextlib
import gc
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from checks import catalogue, fingerprint, pyfile, traversal
from checks.config import Config
from checks.detector import Detector, FileContext, Project, RawFinding
from checks.diff import Diff
from checks.domains import touched_domains
from checks.model import (
    Conclusion,
    Domain,
    Finding,
    ItemResult,
    Method,
    Note,
    Placement,
    Report,
    Severity,
    Status,
)
from checks.registry import DETECTORS
from checks.source import SourceTree

ProgressFn = Callable[[int, int], None]
_FAILURE_NOTES = 5  # notes listed per detector that failed on files; the rest are counted

def review(
    tree: SourceTree,
    diff: Diff | None = None,
    config: Config | None = None,
    *,
    full: bool = False,
    detectors: Iterable[type[Detector]] | None = None,
    progress: ProgressFn | None = None,
) -> Report:
    """Review ``tree`` (the repository at the PR head) for the change ``diff``.

    ``full`` (or ``config.full``) runs every domain whatever the diff touches; with no diff the
    review is always full. ``detectors`` replaces the registry (tests run one detector alone).
    ``progress(done, total)`` is called after each Python file is reviewed.

    The cyclic garbage collector is paused for the review: syntax trees hold no reference
    cycles (reference counting frees them), and a collector re-scanning hundreds of thousands
    of live nodes cost a third of a large review's time.
    """
    with _gc_paused():
        return _review(tree, diff, config, full=full, detectors=detectors, progress=progress)


_GC_LOCK = threading.Lock()
_gc_pauses = [0, False]  # reviews running, whether gc was enabled before the first


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Disable ``gc`` while any review runs (reviews may run in several threads); the last
    review to end restores what the first found."""
    with _GC_LOCK:
        if _gc_pauses[0] == 0:
            _gc_pauses[1] = gc.isenabled()
            gc.disable()
        _gc_pauses[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pauses[0] -= 1
            if _gc_pauses[0] == 0 and _gc_pauses[1]:
                gc.enable()


def _review(
    tree: SourceTree,
    diff: Diff | None,
    config: Config | None,
    *,
    full: bool,
    detectors: Iterable[type[Detector]] | None,
    progress: ProgressFn | None,
) -> Report:
    started = time.perf_counter()
    config = config or Config()
    full = full or config.full or diff is None
    diff = diff or Diff.empty()
    domains = touched_domains(diff)
    active = _active_items(domains, config, full)
    classes = list(DETECTORS if detectors is None else detectors)
    running = [cls() for cls in classes if any(i in active for i in cls.items)]

    notes = list(tree.notes)
    python: dict[str, pyfile.PyFile] = {}
    py_paths = [p for p in tree.files if p.endswith(".py") and not config.excluded(p)]
    py_paths.sort()
    for path in py_paths:
        parsed = pyfile.parse(path, tree.files[path])
        if isinstance(parsed, Note):
            notes.append(parsed)
        else:
            python[path] = parsed

    failures: dict[str, list[Note]] = {}
    _traverse(python, running, failures, progress)
    for slug in sorted(failures):
        failed = failures[slug]
        notes.extend(failed[:_FAILURE_NOTES])
        if len(failed) > _FAILURE_NOTES:
            notes.append(Note("error", f"detector {slug} failed on {len(failed) - _FAILURE_NOTES} "
                                       "more files"))
    project = Project(tree, python, diff, config, full)
    crashed: dict[str, str] = {}
    for det in running:
        try:
            det.finish(project)
        except Exception as exc:  # noqa: BLE001 - one detector's bug must not stop the review
            crashed[det.slug] = f"{type(exc).__name__}: {exc}"
    for slug, why in sorted(crashed.items()):
        notes.append(Note("error", f"detector {slug} failed: {why}"))

    results = _grade(tree, python, diff, config, active, running, crashed, failures,
                     detectors is not None)
    blocking = any(f.blocking for r in results for f in r.findings)
    errored = any(r.status is Status.ERROR for r in results)
    # A changed Python file that could not be parsed, or that a detector failed on, was not
    # fully reviewed: never call that success.
    unreviewed = any(n.kind in ("parse", "error") and n.path and diff.get(n.path) is not None
                     for n in notes)
    conclusion = (
        Conclusion.FAILURE if blocking
        else Conclusion.NEUTRAL if errored or unreviewed
        else Conclusion.SUCCESS
    )
    return Report(
        results=results,
        domains=domains,
        conclusion=conclusion,
        full=full,
        notes=notes,
        files_reviewed=len(tree.paths),
        python_files=len(python),
        seconds=time.perf_counter() - started,
    )


def _active_items(domains: dict[Domain, list[str]], config: Config, full: bool) -> set[str]:
    return {
        item.id
        for item in catalogue.ITEMS
        if item.id not in config.disabled and (full or item.domain in domains)
    }


def _traverse(
    python: dict[str, pyfile.PyFile],
    running: list[Detector],
    failures: dict[str, list[Note]],
    progress: ProgressFn | None,
) -> None:
    """One :func:`checks.traversal.walk` per file, in path order, dispatching each node to the
    ``visit_<Type>`` handlers of the running detectors (``visit_Call`` by the called name and
    ``visit_Attribute`` by the attribute's name for detectors that declare
    :attr:`~checks.detector.Detector.calls` or ``attributes``), between their
    ``start_file`` and ``end_file``. The walk's node index is kept for ``PyFile.nodes``.

    A detector that raises on a file (in a hook or a handler) is left out for the rest of that
    file only, and ``failures[slug]`` gets a note naming the file: its findings in other files
    stand (flake8 isolates a plugin per file the same way)."""
    dispatch = traversal.Dispatch()
    for det in running:
        for node_type, name in det.node_handlers().items():
            entry = (det, getattr(det, name))
            by_name = (det.calls if node_type is ast.Call
                       else det.attributes if node_type is ast.Attribute else None)
            if by_name is None:
                dispatch.by_type.setdefault(node_type, []).append(entry)
                continue
            table = dispatch.calls if node_type is ast.Call else dispatch.attributes
            for wanted in by_name:
                table.setdefault(wanted, []).append(entry)
    wants_files = [d for d in running if _overrides(d, "start_file") or _overrides(d, "end_file")]
    narrowed: dict[frozenset[Detector], traversal.Dispatch] = {}
    total = len(python)
    for done, f in enumerate(python.values(), start=1):
        ctx = FileContext(f)
        skipped: set[Detector] = set()

        def fail(det: Detector, exc: Exception, path: str = f.path,
                 skipped: set[Detector] = skipped) -> None:
            skipped.add(det)
            failures.setdefault(det.slug, []).append(Note(
                "error", f"detector {det.slug} failed: {type(exc).__name__}: {exc} on {path}",
                path))

        for det in wants_files:
            try:
                if det.start_file(ctx) is False:
                    skipped.add(det)
            except Exception as exc:  # noqa: BLE001 - one detector's bug, one file
                fail(det, exc)
        # Files of one kind (tests, migrations, service code) skip the same detectors.
        key = frozenset(skipped)
        here = narrowed.get(key)
        if here is None:
            here = narrowed[key] = dispatch.without(skipped) if skipped else dispatch
        f.keep_index(traversal.walk(f.tree, ctx, here, fail, f.imports))
        for det in wants_files:
            if det not in skipped:
                try:
                    det.end_file(ctx)
                except Exception as exc:  # noqa: BLE001 - one detector's bug, one file
                    fail(det, exc)
        if progress is not None:
            progress(done, total)


def _overrides(det: Detector, name: str) -> bool:
    return getattr(type(det), name) is not getattr(Detector, name)


def _grade(
    tree: SourceTree,
    python: dict[str, pyfile.PyFile],
    diff: Diff,
    config: Config,
    active: set[str],
    running: list[Detector],
    crashed: dict[str, str],
    failures: dict[str, list[Note]],
    subset: bool,
) -> list[ItemResult]:
    raw: dict[str, list[RawFinding]] = {}
    na: dict[str, str] = {}
    evidence: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    deciders: dict[str, list[str]] = {}
    partial: dict[str, list[str]] = {}
    for det in running:
        for item_id in det.items:
            deciders.setdefault(item_id, []).append(det.slug)
            if det.slug in crashed:
                errors[item_id] = f"detector {det.slug} failed: {crashed[det.slug]}"
            for note in failures.get(det.slug, ()):
                partial.setdefault(item_id, []).append(note.message)
        if det.slug in crashed:
            continue
        for rf in det.findings:
            if rf.item_id in active and not config.excluded(rf.path or "."):
                raw.setdefault(rf.item_id, []).append(rf)
        for item_id, reason in det.not_applicable_items.items():
            na.setdefault(item_id, reason)
        for item_id, lines in det.evidence_lines.items():
            evidence.setdefault(item_id, []).extend(lines)

    results: list[ItemResult] = []
    for item in catalogue.ITEMS:
        iid = item.id
        if iid in config.disabled:
            results.append(ItemResult(iid, Status.SKIPPED, evidence=["disabled in config"]))
            continue
        if iid not in active:
            results.append(ItemResult(iid, Status.SKIPPED,
                                      evidence=[f"{item.domain.value} not touched by the diff"]))
            continue
        if iid not in deciders:
            if item.method is Method.ATTESTATION:
                results.append(ItemResult(iid, Status.NEEDS_ATTESTATION))
            elif subset:
                results.append(ItemResult(iid, Status.SKIPPED,
                                          evidence=["its detectors were not selected"]))
            else:
                results.append(ItemResult(iid, Status.ERROR,
                                          evidence=["no detector is registered"]))
            continue
        if iid in errors:
            results.append(ItemResult(iid, Status.ERROR, evidence=[errors[iid]]))
            continue
        findings = _finalise(raw.get(iid, []), tree, python, diff, config, item.severity)
        if iid in partial and not findings:
            # Not checked everywhere: a pass cannot be claimed.
            results.append(ItemResult(iid, Status.ERROR, evidence=partial[iid]))
            continue
        if findings:
            status = Status.FAIL if any(f.blocking for f in findings) else Status.WARN
        elif iid in na:
            results.append(ItemResult(iid, Status.NOT_APPLICABLE, evidence=[na[iid]]))
            continue
        else:
            status = Status.PASS
        results.append(ItemResult(iid, status, findings,
                                  [*partial.get(iid, []), *evidence.get(iid, [])]))
    return results


def _finalise(
    raws: list[RawFinding],
    tree: SourceTree,
    python: dict[str, pyfile.PyFile],
    diff: Diff,
    config: Config,
    default: Severity,
) -> list[Finding]:
    raws = sorted(set(raws), key=lambda r: (r.path, r.start_line, r.end_line, r.detector,
                                             r.message))
    occurrences: Counter[tuple[str, str, str, str]] = Counter()
    out: list[Finding] = []
    for rf in raws:
        if rf.key:
            content = rf.key
        else:
            content = fingerprint.flagged_text(_lines(rf.path, tree, python), rf.start_line,
                                               rf.end_line)
        ident = (rf.item_id, rf.detector, rf.path, fingerprint.normalise(content))
        occurrence = occurrences[ident]
        occurrences[ident] += 1
        severity = config.severity.get(rf.item_id) or rf.severity or default
        placement = _placement(diff, rf)
        out.append(
            Finding(
                item_id=rf.item_id,
                detector=rf.detector,
                severity=severity,
                path=rf.path,
                start_line=rf.start_line,
                end_line=rf.end_line,
                message=rf.message,
                hint=rf.hint,
                fingerprint=fingerprint.fingerprint(rf.item_id, rf.detector, rf.path, content,
                                                    occurrence),
                placement=placement,
                blocking=_blocks(placement, severity, config),
            )
        )
    return out


def _lines(path: str, tree: SourceTree, python: dict[str, pyfile.PyFile]) -> list[str]:
    f = python.get(path)
    if f is not None:
        return f.lines
    text = tree.text(path)
    return text.splitlines() if text is not None else []


def _placement(diff: Diff, rf: RawFinding) -> Placement:
    change = diff.get(rf.path) if rf.path else None
    if change is None:
        return Placement.PRE_EXISTING
    if rf.start_line and any(
        line in change.added_lines for line in range(rf.start_line, rf.end_line + 1)
    ):
        return Placement.ADDED_LINE
    return Placement.CHANGED_FILE


_SCOPES = {
    "added-lines": (Placement.ADDED_LINE,),
    "changed-files": (Placement.ADDED_LINE, Placement.CHANGED_FILE),
    "all": tuple(Placement),
}


def _blocks(placement: Placement, severity: Severity, config: Config) -> bool:
    return placement in _SCOPES[config.block_scope] and severity >= config.block_severity
