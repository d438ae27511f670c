"""The review flow for one pull request head SHA: check run in progress, inputs fetched, engine
run, the pull request's waivers and attestations applied (:mod:`bot.triage`), check run completed
with annotations, one review with inline comments, earlier comments marked waived or fixed.
Whatever fails, the check run ends completed with an explanation a user can act on.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import gidgethub
import structlog

from bot import commands, publish, triage
from bot.github import DownloadError, GitHubApp, RetryingGitHubAPI, TransientError
from checks import config as repo_config
from checks import engine, waivers
from checks.diff import Diff, DiffError
from checks.model import Report
from checks.render import markdown
from checks.source import SourceTree, TarballError

log = structlog.get_logger(__name__)

MAX_TARBALL_BYTES = 200 * 1024 * 1024
DIFF_MEDIA_TYPE = "application/vnd.github.diff"


@dataclass(frozen=True, slots=True)
class ReviewJob:
    """One review to run: the PR and the exact head SHA, and why it runs."""

    installation_id: int
    owner: str
    repo: str
    number: int
    head_sha: str
    base_ref: str
    reason: str
    delivery_id: str = ""
    draft: bool = False
    before_sha: str = ""
    waive_warnings_by: str = ""
    """Login of someone who pressed "Waive all warnings": this review records the press."""

    @property
    def pr_key(self) -> tuple[int, str, str, int]:
        """Identifies the pull request (all head SHAs)."""
        return (self.installation_id, self.owner.lower(), self.repo.lower(), self.number)

    @property
    def repo_path(self) -> str:
        """``/repos/{owner}/{repo}``."""
        return f"/repos/{self.owner}/{self.repo}"

    @property
    def external_id(self) -> str:
        """The check run's ``external_id``: ``owner/repo#number@sha``, so a re-run request
        (whose payload may list no pull request, for forks) finds its pull request."""
        return f"{self.owner}/{self.repo}#{self.number}@{self.head_sha}"


def parse_external_id(value: str | None) -> tuple[int, str] | None:
    """``(number, head_sha)`` from an external ID written by :attr:`ReviewJob.external_id`."""
    if not value or "#" not in value or "@" not in value:
        return None
    number, _, sha = value.rsplit("#", 1)[1].partition("@")
    return (int(number), sha) if number.isdigit() and sha else None


class ReviewFailed(Exception):
    """The review could not be done; ``str(exc)`` is shown to users in the check run."""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def create_check_run(gh: RetryingGitHubAPI, job: ReviewJob) -> int:
    """Create the check run ``in_progress`` on the head SHA; returns its ID."""
    data: dict[str, Any] = await gh.post(
        f"{job.repo_path}/check-runs",
        data={
            "name": publish.CHECK_NAME,
            "head_sha": job.head_sha,
            "status": "in_progress",
            "external_id": job.external_id,
            "started_at": _now(),
            "output": {"title": "Reviewing…",
                       "summary": f"archreview is reviewing {job.head_sha[:7]} ({job.reason})."},
        },
    )
    return int(data["id"])


async def sweep_stale(gh: RetryingGitHubAPI, job: ReviewJob, *, keep: int,
                      live: set[int]) -> None:
    """Complete this app's check runs on the job's head SHA (and the head it replaced, for a
    push) that are still in progress but belong to no review running in this process: what a
    crash or a kill left behind. Each ends ``neutral`` (``cancelled`` for a replaced head)
    saying why, so no check run stays in progress forever."""
    shas = [(job.head_sha, "neutral",
             "This review was interrupted (the app restarted); a newer run on the same commit "
             "replaces it.")]
    if job.before_sha and job.before_sha != job.head_sha:
        shas.append((job.before_sha, "cancelled",
                     f"Superseded by a newer push ({job.head_sha[:7]}); that commit is reviewed "
                     "instead."))
    name = quote(publish.CHECK_NAME)
    for sha, conclusion, why in shas:
        try:
            listed = await gh.getitem(f"{job.repo_path}/commits/{sha}/check-runs"
                                      f"?check_name={name}&filter=all&per_page=100")
        except gidgethub.HTTPException as exc:
            log.info("stale check runs not listed", head_sha=sha[:7], status=exc.status_code)
            continue
        for stale in listed.get("check_runs", []):
            stale_id = int(stale.get("id", 0))
            if (stale.get("status") == "completed" or stale_id in live or stale_id == keep
                    or parse_external_id(stale.get("external_id")) is None):
                continue
            log.info("stale check run completed", check_run_id=stale_id, head_sha=sha[:7])
            await finish_check_run(gh, job, stale_id, conclusion, "Review not finished", why)


async def finish_check_run(gh: RetryingGitHubAPI, job: ReviewJob, check_run_id: int,
                           conclusion: str, title: str, summary: str) -> None:
    """Complete a check run with a conclusion and an explanation (no annotations)."""
    await gh.patch(
        f"{job.repo_path}/check-runs/{check_run_id}",
        data={
            "status": "completed",
            "conclusion": conclusion,
            "completed_at": _now(),
            "output": {"title": title[:255], "summary": _fit(summary)},
            "actions": _actions(None),
        },
    )


def _actions(report: Report | None) -> list[dict[str, str]]:
    """The check run's buttons: "Re-run review", and "Waive all warnings" when the report has
    warnings left to waive."""
    warnings = report is not None and bool(waivers.waive_warnings(report, author=""))
    return [dict(a) for a in commands.REQUESTED_ACTIONS
            if a["identifier"] != commands.WAIVE_WARNINGS_ACTION or warnings]


async def run(app: GitHubApp, job: ReviewJob, check_run_id: int | None = None) -> None:
    """Run the whole flow for ``job``. Never raises for a review-level failure: the check run
    ends ``neutral`` with the reason. ``asyncio.CancelledError`` (superseded or shutting down)
    propagates after the caller completed the check run."""
    gh = app.api(job.installation_id)
    structlog.contextvars.bind_contextvars(repo=f"{job.owner}/{job.repo}", pr=job.number,
                                           head_sha=job.head_sha[:7])
    if check_run_id is None:
        check_run_id = await create_check_run(gh, job)
    log.info("review started", check_run_id=check_run_id, reason=job.reason)
    try:
        await _review(app, gh, job, check_run_id)
    except asyncio.CancelledError:
        raise
    except ReviewFailed as exc:
        log.warning("review failed", error=str(exc))
        await finish_check_run(gh, job, check_run_id, "neutral", "Review could not run",
                               f"archreview could not review {job.head_sha[:7]}: {exc}\n\n"
                               "Use **Re-run review** once the cause is fixed.")
    except Exception as exc:
        log.exception("review crashed")
        await finish_check_run(
            gh, job, check_run_id, "neutral", "Review failed (internal error)",
            f"archreview hit an internal error reviewing {job.head_sha[:7]} "
            f"(`{type(exc).__name__}`). Nothing was posted inline. Use **Re-run review** to "
            "try again; if it persists, report it to the app's operators.")


async def _review(app: GitHubApp, gh: RetryingGitHubAPI, job: ReviewJob,
                  check_run_id: int) -> None:
    diff, diff_notes = await _fetch_diff(gh, job)
    cfg_text = await fetch_config(gh, job.repo_path, job.base_ref)
    cfg, cfg_errors = repo_config.load(cfg_text)
    if job.draft and not cfg.review_drafts:
        await finish_check_run(gh, job, check_run_id, "skipped", "Draft: not reviewed yet",
                               "archreview reviews this pull request when it is marked ready "
                               "for review. To review drafts too, set `review: {drafts: true}` "
                               f"in `{repo_config.CONFIG_PATH}` on the base branch.")
        return
    tarball = await _fetch_tarball(app, job)
    tree = await asyncio.to_thread(_load_tree, tarball)
    report = await asyncio.to_thread(engine.review, tree, diff, cfg)
    try:
        review_comments = [c async for c in gh.getiter(
            f"{job.repo_path}/pulls/{job.number}/comments?per_page=100")]
        report = await triage.triaged(app, gh, job, cfg, report, review_comments)
    except gidgethub.HTTPException as exc:
        raise ReviewFailed("GitHub did not serve the pull request's comments, where its waivers "
                           f"are (HTTP {exc.status_code})") from None
    notes = [*diff_notes, *(f"⚠️ {e} — the defaults apply until it is fixed." for e in cfg_errors)]
    if diff.get(repo_config.CONFIG_PATH) is not None:
        notes.append(f"ℹ️ This pull request edits `{repo_config.CONFIG_PATH}`; the review uses "
                     "the base branch's version. The new settings apply once it is merged.")
    await _complete(gh, job, check_run_id, report, notes)
    await _post_review(gh, job, report, diff, cfg.max_inline_comments, check_run_id,
                       _own_comments(review_comments, await triage.app_slug(app)))
    log.info("review completed", conclusion=report.conclusion.value,
             findings=len(report.findings), seconds=round(report.seconds, 2))


def _load_tree(data: bytes) -> SourceTree:
    try:
        return SourceTree.from_tarball(data)
    except TarballError as exc:
        raise ReviewFailed(f"the repository tarball could not be read ({exc})") from None


async def _fetch_diff(gh: RetryingGitHubAPI, job: ReviewJob) -> tuple[Diff, list[str]]:
    """The PR's diff and notes for the summary. GitHub answers 406 when the diff is too large
    (REST docs, "Get a pull request": diffs over 20,000 lines or 1 MB); then the diff is
    rebuilt from the paginated files API, which lists at most 3,000 files and leaves out
    ``patch`` for large files."""
    try:
        text = await gh.getitem(f"{job.repo_path}/pulls/{job.number}", accept=DIFF_MEDIA_TYPE)
        notes: list[str] = []
    except gidgethub.HTTPException as exc:
        if exc.status_code != 406:
            raise ReviewFailed("GitHub refused the pull request's diff "
                               f"(HTTP {exc.status_code})") from None
        text, notes = await _diff_from_files(gh, job)
    try:
        return Diff.parse(text if isinstance(text, str | bytes) else str(text)), notes
    except DiffError as exc:
        raise ReviewFailed(f"the pull request's diff could not be parsed: {exc}") from None


FILES_API_CAP = 3000


async def _diff_from_files(gh: RetryingGitHubAPI, job: ReviewJob) -> tuple[str, list[str]]:
    parts: list[str] = []
    no_patch: list[str] = []
    count = 0
    async for f in gh.getiter(f"{job.repo_path}/pulls/{job.number}/files?per_page=100"):
        count += 1
        name = f.get("filename", "")
        old = f.get("previous_filename") or name
        status = f.get("status")
        head = f"diff --git a/{old} b/{name}\n"
        if status == "added":
            head += "new file mode 100644\n"
        elif status == "removed":
            head += "deleted file mode 100644\n"
        patch = f.get("patch")
        if patch is None:
            if f.get("changes"):
                no_patch.append(name)
            parts.append(head)
            continue
        src = "/dev/null" if status == "added" else f"a/{old}"
        dst = "/dev/null" if status == "removed" else f"b/{name}"
        parts.append(f"{head}--- {src}\n+++ {dst}\n{patch}\n")
    notes = ["ℹ️ The diff is too large for GitHub's diff endpoint; it was rebuilt from the "
             f"files list ({count} files)."]
    if count >= FILES_API_CAP:
        notes.append(f"⚠️ GitHub lists at most {FILES_API_CAP} files of a pull request: files "
                     "past that were reviewed as part of the tree but get no inline comments.")
    if no_patch:
        shown = ", ".join(f"`{p}`" for p in no_patch[:20])
        more = f" and {len(no_patch) - 20} more" if len(no_patch) > 20 else ""
        notes.append(f"⚠️ GitHub sent no patch for {len(no_patch)} large file(s) ({shown}{more}): "
                     "they were reviewed as part of the tree but get no inline comments.")
    return "".join(parts), notes


async def fetch_config(gh: RetryingGitHubAPI, repo_path: str, ref: str) -> bytes | None:
    """The config file's bytes on ``ref`` (the base branch), None when there is none."""
    try:
        data = await gh.getitem(f"{repo_path}/contents/{repo_config.CONFIG_PATH}"
                                f"?ref={quote(ref, safe='')}")
    except gidgethub.HTTPException as exc:
        if exc.status_code == 404:
            return None
        raise ReviewFailed(f"could not read {repo_config.CONFIG_PATH} from {ref} "
                           f"(HTTP {exc.status_code})") from None
    if not isinstance(data, dict) or data.get("encoding") != "base64":
        return None
    return base64.b64decode(data.get("content", ""))


async def _fetch_tarball(app: GitHubApp, job: ReviewJob) -> bytes:
    try:
        return await app.download(job.installation_id,
                                  f"{job.repo_path}/tarball/{job.head_sha}", MAX_TARBALL_BYTES)
    except DownloadError as exc:
        raise ReviewFailed(str(exc)) from None
    except TransientError as exc:
        raise ReviewFailed(f"GitHub did not serve the repository tarball ({exc})") from None


async def _complete(gh: RetryingGitHubAPI, job: ReviewJob, check_run_id: int, report: Report,
                    notes: list[str]) -> None:
    summary = _fit("\n\n".join([*notes, markdown.render(report, link=_blob_link(job))]))
    title = markdown.title(report)
    path = f"{job.repo_path}/check-runs/{check_run_id}"
    notes_all = publish.build_annotations(report.findings)
    chunks = list(publish.batches(notes_all))
    for chunk in chunks[:-1]:
        await gh.patch(path, data={"output": {"title": title, "summary": summary,
                                              "annotations": chunk}})
    output: dict[str, Any] = {"title": title, "summary": summary}
    if chunks:
        output["annotations"] = chunks[-1]
    await gh.patch(path, data={
        "status": "completed",
        "conclusion": report.conclusion.value,
        "completed_at": _now(),
        "output": output,
        "actions": _actions(report),
    })


def _fit(text: str, limit: int = markdown.SUMMARY_LIMIT) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes (GitHub's cap on ``output.summary``)."""
    data = text.encode()
    if len(data) <= limit:
        return text
    tail = "\n\n… (cut to fit GitHub's 65,535-byte limit)"
    return data[: limit - len(tail.encode())].decode(errors="ignore") + tail


def _blob_link(job: ReviewJob) -> Any:
    def link(path: str, line: int) -> str:
        anchor = f"#L{line}" if line > 0 else ""
        return f"https://github.com/{job.owner}/{job.repo}/blob/{job.head_sha}/{path}{anchor}"

    return link


def _own_comments(review_comments: list[dict[str, Any]], slug: str
                  ) -> dict[str, dict[str, Any]]:
    """The app's inline comments by the fingerprint in their marker (the first of each)."""
    ours: dict[str, dict[str, Any]] = {}
    for c in review_comments:
        marker = publish.parse_marker(c.get("body"))
        if marker is not None and triage.Comment.from_api("review", c).own(slug):
            ours.setdefault(marker.fingerprint, c)
    return ours


async def _post_review(gh: RetryingGitHubAPI, job: ReviewJob, report: Report, diff: Diff,
                       cap: int, check_run_id: int, ours: dict[str, dict[str, Any]]) -> None:
    current = {f.fingerprint: f for f in report.findings}
    for fp, c in ours.items():
        body = str(c.get("body") or "")
        new = publish.updated_body(body, current.get(fp), job.head_sha)
        if new != body:
            await gh.patch(f"{job.repo_path}/pulls/comments/{c['id']}", data={"body": new})
    comments, overflow = publish.plan_comments(report.findings, diff, set(ours), cap)
    if not comments:
        return
    if await _already_reviewed(gh, job):
        log.info("review already posted for this head SHA")
        return
    check_url = f"https://github.com/{job.owner}/{job.repo}/runs/{check_run_id}"
    body = publish.review_body(job.head_sha, comments, overflow, check_url)
    try:
        await gh.post(f"{job.repo_path}/pulls/{job.number}/reviews", data={
            "commit_id": job.head_sha,
            "event": "COMMENT",
            "body": body,
            "comments": [c.as_api() for c in comments],
        })
    except gidgethub.HTTPException as exc:
        if exc.status_code != 422:
            raise
        # GitHub rejected the whole review; never post twice: check, then fall back to a
        # review without inline comments.
        log.warning("review rejected", status=exc.status_code)
        if await _already_reviewed(gh, job):
            return
        fallback = publish.review_body(job.head_sha, [], [c.finding for c in comments] + overflow,
                                       check_url)
        await gh.post(f"{job.repo_path}/pulls/{job.number}/reviews", data={
            "commit_id": job.head_sha, "event": "COMMENT", "body": fallback})


async def _already_reviewed(gh: RetryingGitHubAPI, job: ReviewJob) -> bool:
    async for review in gh.getiter(f"{job.repo_path}/pulls/{job.number}/reviews"):
        if publish.reviewed_sha(review.get("body")) == job.head_sha:
            return True
    return False
