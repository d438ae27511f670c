"""``check_run`` and ``check_suite`` events: re-run a review on the same head SHA when someone
presses "Re-run" (``rerequested``) or the check run's "Re-run review" button
(``requested_action``); review the pull request's head again, recording the press, when someone
presses "Waive all warnings" (the review checks the presser's permission, as for a comment).

Re-run payloads carry no ``pull_request``, and ``pull_requests`` is empty for PRs from forks:
the PR number is read from the check run's ``external_id`` (written by the app), else from
``pull_requests``.
"""

from __future__ import annotations

from typing import Any

import structlog
from gidgethub import routing, sansio

from bot import authz, commands, flow, publish, triage
from bot.github import GitHubApp
from bot.scheduler import Scheduler

log = structlog.get_logger(__name__)
router = routing.Router()

ROUTED = {
    "check_run": ("rerequested", "requested_action"),
    "check_suite": ("rerequested",),
}


async def _rerun(app: GitHubApp, scheduler: Scheduler, data: dict[str, Any], head_sha: str,
                 number: int | None, why: str, delivery_id: str, waive_by: str = "") -> None:
    """Queue a review of ``head_sha`` (of the pull request's current head when ``waive_by``
    pressed "Waive all warnings": the press waives what the code has now)."""
    try:
        installation_id = int(data["installation"]["id"])
        owner = data["repository"]["owner"]["login"]
        repo = data["repository"]["name"]
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("payload skipped", reason=f"missing or invalid field: {exc}")
        return
    if number is None:
        log.warning("re-run skipped", reason="no pull request found for the check run",
                    head_sha=head_sha[:7])
        return
    gh = app.api(installation_id)
    pr = await gh.getitem(f"/repos/{owner}/{repo}/pulls/{number}")
    if waive_by:
        head_sha = pr["head"]["sha"]
    job = flow.ReviewJob(installation_id, owner, repo, number, head_sha, pr["base"]["ref"],
                         why, delivery_id, draft=False, waive_warnings_by=waive_by)
    outcome = scheduler.submit(job, rerun=True)
    log.info("re-run requested", pr=number, head_sha=head_sha[:7], outcome=outcome)


def _number(check_run: dict[str, Any]) -> int | None:
    parsed = flow.parse_external_id(check_run.get("external_id"))
    if parsed is not None:
        return parsed[0]
    prs = check_run.get("pull_requests") or []
    return int(prs[0]["number"]) if prs else None


@router.register("check_run", action="rerequested")
async def on_check_run_rerequested(event: sansio.Event, app: GitHubApp, scheduler: Scheduler,
                                   **_: Any) -> None:
    """Re-run the review of the check run's head SHA."""
    run = event.data.get("check_run") or {}
    if run.get("name") != publish.CHECK_NAME:
        return
    await _rerun(app, scheduler, event.data, run.get("head_sha", ""), _number(run),
                 "re-run requested", event.delivery_id)


@router.register("check_run", action="requested_action")
async def on_requested_action(event: sansio.Event, app: GitHubApp, scheduler: Scheduler,
                              **_: Any) -> None:
    """The "Re-run review" and "Waive all warnings" buttons."""
    run = event.data.get("check_run") or {}
    identifier = (event.data.get("requested_action") or {}).get("identifier")
    if identifier == commands.RERUN_ACTION:
        await _rerun(app, scheduler, event.data, run.get("head_sha", ""), _number(run),
                     "re-run button", event.delivery_id)
    elif identifier == commands.WAIVE_WARNINGS_ACTION:
        sender = event.data.get("sender") or {}
        login, kind = str(sender.get("login") or ""), str(sender.get("type") or "")
        if not login or authz.is_bot(login, kind, await triage.app_slug(app)):
            log.info("button ignored", reason="pressed by a bot", sender=login)
            return
        await _rerun(app, scheduler, event.data, run.get("head_sha", ""), _number(run),
                     f"{triage.PRESS_LINE} by @{login}", event.delivery_id, waive_by=login)


@router.register("check_suite", action="rerequested")
async def on_check_suite_rerequested(event: sansio.Event, app: GitHubApp, scheduler: Scheduler,
                                     **_: Any) -> None:
    """Re-run the review of the suite's head SHA; the PR comes from our earlier check run."""
    data = event.data
    suite = data.get("check_suite") or {}
    head_sha = suite.get("head_sha", "")
    number: int | None = None
    prs = suite.get("pull_requests") or []
    if prs:
        number = int(prs[0]["number"])
    else:
        try:
            gh = app.api(int(data["installation"]["id"]))
            owner, repo = data["repository"]["owner"]["login"], data["repository"]["name"]
        except (KeyError, TypeError, ValueError):
            return
        listed = await gh.getitem(f"/repos/{owner}/{repo}/commits/{head_sha}/check-runs"
                                  f"?check_name={publish.CHECK_NAME.replace(' ', '%20')}")
        for run in listed.get("check_runs", []):
            parsed = flow.parse_external_id(run.get("external_id"))
            if parsed is not None:
                number = parsed[0]
                break
    await _rerun(app, scheduler, data, head_sha, number, "re-run requested",
                 event.delivery_id)
