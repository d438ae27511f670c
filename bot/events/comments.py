"""``issue_comment`` and ``pull_request_review_comment`` events: the commands people give in
pull request comments (:mod:`bot.commands`).

- ``created``: an accepted ``waive``, ``unwaive``, ``attest`` or ``recheck`` gets a +1 reaction
  and a new review of the pull request's current head, which re-reads every comment
  (:mod:`bot.triage`); a refused command, a wrong one, ``explain`` and ``help`` get one reply
  (in the conversation, or in the review thread for a review comment) and change nothing.
- ``edited`` and ``deleted``: a comment that holds (or held) a command that changes state
  triggers a new review, without a reaction; an edit is answered like a new comment, unless
  the app already answered it.

Comments by bots, this app included, are never commands, and comments on plain issues are not
looked at. The app never answers one comment twice: each reply carries a hidden marker naming
the comment (``<!-- archreview:reply to=issue:123 -->``), checked before posting, and the
comments of one pull request are handled one at a time.
"""

from __future__ import annotations

import asyncio
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import gidgethub
import structlog
from gidgethub import routing, sansio

from bot import authz, commands, flow, triage
from bot.commands import Command, CommandError, Parsed, Verb
from bot.github import GitHubApp, RetryingGitHubAPI
from bot.scheduler import Scheduler
from checks import catalogue
from checks import config as repo_config
from checks.model import Method
from checks.registry import detectors_for

log = structlog.get_logger(__name__)
router = routing.Router()

ACTIONS = ("created", "edited", "deleted")
ROUTED = {"issue_comment": ACTIONS, "pull_request_review_comment": ACTIONS}

_REPLY_MARKER = "<!-- archreview:reply to={kind}:{id} -->"
_LOCKS: weakref.WeakValueDictionary[tuple[Any, ...], asyncio.Lock] = (
    weakref.WeakValueDictionary())


@dataclass(frozen=True, slots=True)
class _Pull:
    """Where a comment was written."""

    installation_id: int
    owner: str
    repo: str
    number: int

    @property
    def repo_path(self) -> str:
        return f"/repos/{self.owner}/{self.repo}"


@router.register("issue_comment")
async def on_issue_comment(event: sansio.Event, app: GitHubApp, scheduler: Scheduler,
                           **_: Any) -> None:
    """A comment in a pull request's conversation (plain issues are ignored)."""
    issue = event.data.get("issue") or {}
    if not issue.get("pull_request"):
        return
    await _handle(event, app, scheduler, "issue", issue.get("number"))


@router.register("pull_request_review_comment")
async def on_review_comment(event: sansio.Event, app: GitHubApp, scheduler: Scheduler,
                            **_: Any) -> None:
    """A review comment, or a reply in a review thread."""
    await _handle(event, app, scheduler, "review",
                  (event.data.get("pull_request") or {}).get("number"))


async def _handle(event: sansio.Event, app: GitHubApp, scheduler: Scheduler,
                  kind: Literal["issue", "review"], number: object) -> None:
    data = event.data
    action = str(data.get("action"))
    try:
        where = _Pull(int(data["installation"]["id"]), data["repository"]["owner"]["login"],
                      data["repository"]["name"], int(str(number)))
        comment = triage.Comment.from_api(kind, data["comment"])
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("payload skipped", reason=f"missing or invalid field: {exc}")
        return
    structlog.contextvars.bind_contextvars(repo=f"{where.owner}/{where.repo}", pr=where.number,
                                           comment=f"{kind}:{comment.id}")
    slug = await triage.app_slug(app)
    gh = app.api(where.installation_id)
    if action == "deleted":
        if _changes_state(comment, slug):
            await _review(gh, scheduler, where, f"comment deleted by @{_sender(data)}",
                          event.delivery_id)
        return
    sender = data.get("sender") or {}
    if comment.by_bot(slug) or authz.is_bot(str(sender.get("login") or ""),
                                            str(sender.get("type") or ""), slug):
        return
    old: list[Parsed] = []
    if action == "edited":
        before = ((data.get("changes") or {}).get("body") or {}).get("from")
        if isinstance(before, str):
            old = _loose(before, comment, slug)
    if not _loose(comment.body, comment, slug) and not old:
        return
    async with _LOCKS.setdefault((where, kind, comment.id), asyncio.Lock()):
        await _answer(gh, scheduler, where, comment, action, old, slug, event.delivery_id)


async def _answer(gh: RetryingGitHubAPI, scheduler: Scheduler, where: _Pull,
                  comment: triage.Comment, action: str, old: list[Parsed], slug: str,
                  delivery_id: str) -> None:
    threads: dict[int, triage.Comment] = {}
    if comment.kind == "review" and comment.in_reply_to is not None:
        try:
            parent = await gh.getitem(f"{where.repo_path}/pulls/comments/{comment.in_reply_to}")
            threads[comment.in_reply_to] = triage.Comment.from_api("review", parent)
        except gidgethub.BadRequest as exc:
            if exc.status_code != 404:  # 404: the thread's first comment is gone
                raise
    parsed = triage.commands_of(comment, slug, threads)
    if not parsed and not old:
        return  # "/waive" in a reply to someone else's comment is no command
    pr: dict[str, Any] = await gh.getitem(f"{where.repo_path}/pulls/{where.number}")
    config, _errors = repo_config.load(
        await flow.fetch_config(gh, where.repo_path, pr["base"]["ref"]))
    authoriser = triage.Authoriser(gh, where.repo_path, config,
                                   (pr.get("user") or {}).get("login", ""), slug)
    errors = [p for p in parsed if isinstance(p, CommandError)]
    answers = [commands.error_reply(errors)] if errors else []
    accepted: list[Command] = []
    for p in parsed:
        if not isinstance(p, Command):
            continue
        decision = await authoriser.decide(p, comment.author, comment.author_type)
        if decision.silent:
            continue
        if not decision.allowed:
            answers.append(f"{_code(p.line)} was refused: {decision.reason}. Nothing changed.\n")
        elif p.verb is Verb.EXPLAIN:
            answers += [explain(item_id) for item_id in p.items]
        elif p.verb is Verb.HELP:
            answers.append(commands.help_text())
        else:
            accepted.append(p)
    if accepted and action == "created":
        await _react(gh, where, comment)
    replied = bool(answers) and await _reply_once(gh, where, comment, "\n".join(answers))
    log.info("comment handled", action=action, accepted=len(accepted), replied=replied,
             errors=len(errors))
    if action == "created":
        changed = bool(accepted)
    else:
        changed = any(isinstance(p, Command) and p.changes_state for p in [*parsed, *old])
    if changed:
        await _review(gh, scheduler, where, f"comment by @{comment.author}", delivery_id, pr)


def explain(item_id: str) -> str:
    """The answer to ``explain``: what the item asks and how it is decided, in Markdown."""
    item = catalogue.get(item_id)
    lines = [f"**{item.id} · {item.title}**", "",
             f"{item.domain.heading} · decided by {item.method.value} · default severity "
             f"{item.severity.label}", "", item.doc, ""]
    slugs = ", ".join(f"`{d.slug}`" for d in detectors_for(item.id))
    if slugs:
        lines += [f"Detectors: {slugs}.", ""]
    if item.method is Method.ATTESTATION:
        lines += [f"No tool decides it: attest it with `/archreview attest {item.id} "
                  "<evidence>`.", ""]
    return "\n".join(lines)


def _changes_state(comment: triage.Comment, slug: str) -> bool:
    """Did this (deleted) comment hold anything a review reads: a person's command that
    changes state, or the app's record of a "Waive all warnings" press?"""
    if comment.own(slug):
        return triage.press_author(comment.body) is not None
    if comment.by_bot(slug):
        return False
    return any(isinstance(p, Command) and p.changes_state
               for p in _loose(comment.body, comment, slug))


def _loose(body: str, comment: triage.Comment, slug: str) -> list[Parsed]:
    """The commands in ``body``, reading ``/waive`` in any reply as one: enough to tell
    whether a comment matters before looking up the thread it replies to."""
    return commands.parse(body, slug, in_reply_to_bot=comment.in_reply_to is not None)


def _sender(data: Mapping[str, Any]) -> str:
    return str((data.get("sender") or {}).get("login") or "someone")


def _code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"`{text}`"


async def _react(gh: RetryingGitHubAPI, where: _Pull, comment: triage.Comment) -> None:
    path = ("issues/comments" if comment.kind == "issue" else "pulls/comments")
    await gh.post(f"{where.repo_path}/{path}/{comment.id}/reactions", data={"content": "+1"})


async def _reply_once(gh: RetryingGitHubAPI, where: _Pull, comment: triage.Comment,
                      text: str) -> bool:
    """Answer ``comment`` unless the app already did (its hidden marker is found); True when
    it answered now."""
    marker = _REPLY_MARKER.format(kind=comment.kind, id=comment.id)
    listing = (f"{where.repo_path}/issues/{where.number}/comments" if comment.kind == "issue"
               else f"{where.repo_path}/pulls/{where.number}/comments")
    async for existing in gh.getiter(f"{listing}?per_page=100"):
        if marker in str(existing.get("body") or ""):
            log.info("reply skipped", reason="already answered")
            return False
    body = f"@{comment.author} {text.rstrip()}\n\n{marker}"[: 65_000]
    if comment.kind == "issue":
        await gh.post(listing, data={"body": body})
    else:
        root = comment.in_reply_to or comment.id
        await gh.post(f"{listing}/{root}/replies", data={"body": body})
    return True


async def _review(gh: RetryingGitHubAPI, scheduler: Scheduler, where: _Pull, reason: str,
                  delivery_id: str, pr: dict[str, Any] | None = None) -> None:
    """Queue a review of the pull request's current head SHA."""
    if pr is None:
        pr = await gh.getitem(f"{where.repo_path}/pulls/{where.number}")
    job = flow.ReviewJob(where.installation_id, where.owner, where.repo, where.number,
                         pr["head"]["sha"], pr["base"]["ref"], reason, delivery_id,
                         draft=bool(pr.get("draft")))
    outcome = scheduler.submit(job, rerun=True)
    log.info("review requested", head_sha=job.head_sha[:7], reason=reason, outcome=outcome)
