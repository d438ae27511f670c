"""``pull_request`` events: review the head SHA when a PR is opened, reopened, pushed to or
marked ready for review."""

from __future__ import annotations

from typing import Any

import structlog
from gidgethub import routing, sansio

from bot.flow import ReviewJob
from bot.scheduler import Scheduler

log = structlog.get_logger(__name__)
router = routing.Router()

ACTIONS = ("opened", "reopened", "synchronize", "ready_for_review")
ROUTED = {"pull_request": ACTIONS}


def job_from_payload(data: dict[str, Any], reason: str, delivery_id: str) -> ReviewJob | None:
    """The review job for a ``pull_request`` payload, or None when the payload lacks what a
    review needs (logged). Works for fork PRs whose ``head.repo`` is null: everything is read
    from the base repository by head SHA."""
    try:
        pr = data["pull_request"]
        repo = data["repository"]
        return ReviewJob(
            installation_id=int(data["installation"]["id"]),
            owner=repo["owner"]["login"],
            repo=repo["name"],
            number=int(pr["number"]),
            head_sha=pr["head"]["sha"],
            base_ref=pr["base"]["ref"],
            reason=reason,
            delivery_id=delivery_id,
            draft=bool(pr.get("draft")),
            before_sha=str(data.get("before") or ""),
        )
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("payload skipped", reason=f"missing or invalid field: {exc}")
        return None


async def on_pull_request(event: sansio.Event, scheduler: Scheduler, **_: Any) -> None:
    """Queue a review of the PR's head SHA."""
    job = job_from_payload(event.data, f"pull request {event.data.get('action')}",
                           event.delivery_id)
    if job is not None:
        outcome = scheduler.submit(job)
        log.info("review requested", pr=job.number, head_sha=job.head_sha[:7], outcome=outcome)


for _action in ACTIONS:
    router.add(on_pull_request, "pull_request", action=_action)
