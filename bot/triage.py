"""Triage on a pull request, read again on every review: the waivers and attestations people
gave in its comments, the app's own records of "Waive all warnings" presses, and the config's
waivers; and the authorisation every command goes through.

The comments are the record; the app stores nothing. Each review lists every issue comment and
review comment of the pull request, parses the commands of people (never of bots), checks each
author's permission again (once per review and author), folds the accepted commands in order
(:func:`checks.waivers.from_comments`) and applies them, with the base branch config's waivers,
to the engine's report (:func:`checks.waivers.apply`). Editing or deleting a comment therefore
changes the outcome of the next review.

A reply ``/waive <reason>`` to one of the app's inline comments is bound to the finding named by
that comment's hidden marker, so the waiver follows the finding when the code moves.

A press of the check run's "Waive all warnings" button is recorded as an issue comment by the
app's bot user, whose hidden marker lists the findings it waived
(``<!-- archreview:waive-warnings by=alice findings=DOC-01:1a2b...,API-03:3c4d... -->``). Only
records written by the app's own bot user are trusted, and the presser's permission is checked
again on every review, as for a comment.

Team approvers (``approvers: {SEC: [acme/security]}``) are not resolved: team membership needs
``GET /orgs/{org}/teams/{team}/memberships/{user}`` and the organization ``members: read``
permission, which the app does not ask for. Approvers listed by login work.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

import gidgethub
import structlog

from bot import authz, commands, publish
from bot.commands import Command, Parsed, Verb
from bot.github import GitHubApp, RetryingGitHubAPI
from checks import config as repo_config
from checks import waivers
from checks.config import Config
from checks.model import Refusal, Report
from checks.waivers import Action

if TYPE_CHECKING:
    from bot.flow import ReviewJob

log = structlog.get_logger(__name__)

_SLUGS: weakref.WeakKeyDictionary[GitHubApp, str] = weakref.WeakKeyDictionary()

PRESS_LINE = "Waive all warnings"
"""How a press of the button shows in refusals and records."""
_PRESS = "<!-- archreview:waive-warnings by={by} findings={findings} -->"
_PRESS_RE = re.compile(r"<!-- archreview:waive-warnings by=(?P<by>[A-Za-z0-9-]+) "
                       r"findings=(?P<findings>[A-Za-z]+-\d+:[0-9a-f]+(?:,[A-Za-z]+-\d+:[0-9a-f]+)*)"
                       r" -->")
_PRESS_CHUNK = 500
"""Findings listed per record comment (the marker alone stays far below GitHub's limit)."""
_PRESS_LISTED = 30


async def app_slug(app: GitHubApp) -> str:
    """The GitHub App's slug (``GET /app`` with the app JWT), asked once per process."""
    slug = _SLUGS.get(app)
    if slug is None:
        gh = RetryingGitHubAPI(app.session, base_url=app.settings.api_url)
        data: dict[str, Any] = await gh.getitem("/app", jwt=app.app_jwt())
        slug = _SLUGS[app] = str(data["slug"])
    return slug


def bot_login(slug: str) -> str:
    """The login of the app's bot user (``archreview[bot]``)."""
    return f"{slug}[bot]"


@dataclass(frozen=True, slots=True)
class Comment:
    """An issue comment or a review comment of a pull request, as triage needs it."""

    kind: Literal["issue", "review"]
    id: int
    author: str
    author_type: str
    body: str
    link: str
    created_at: datetime
    in_reply_to: int | None = None

    @classmethod
    def from_api(cls, kind: Literal["issue", "review"], data: Mapping[str, Any]) -> Comment:
        """From a REST answer or a webhook payload's ``comment``."""
        user = data.get("user") or {}
        reply_to = data.get("in_reply_to_id")
        return cls(kind, int(data["id"]), str(user.get("login") or "ghost"),
                   str(user.get("type") or "User"), str(data.get("body") or ""),
                   str(data.get("html_url") or ""), _time(data.get("created_at")),
                   int(reply_to) if reply_to else None)

    def own(self, slug: str) -> bool:
        """Written by this app's bot user."""
        return self.author_type == "Bot" and self.author.lower() == bot_login(slug).lower()

    def by_bot(self, slug: str) -> bool:
        """Written by a bot (this app included): never a command."""
        return authz.is_bot(self.author, self.author_type, slug)


def _time(value: object) -> datetime:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def commands_of(comment: Comment, slug: str, threads: Mapping[int, Comment]) -> list[Parsed]:
    """The commands of ``comment``, in order; in a reply to one of the app's inline comments
    (looked up in ``threads``, review comments by ID), finding-scoped commands are bound to
    that comment's finding."""
    parent = threads.get(comment.in_reply_to) if comment.in_reply_to is not None else None
    marker = (publish.parse_marker(parent.body)
              if parent is not None and parent.own(slug) else None)
    parsed = commands.parse(comment.body, slug, in_reply_to_bot=marker is not None)
    if marker is None:
        return parsed
    return [p.about(marker.item_id, marker.fingerprint)
            if isinstance(p, Command) and p.finding else p for p in parsed]


class Authoriser:
    """:func:`bot.authz.decide` for one pull request, asking GitHub for each actor's
    repository permission once."""

    def __init__(self, gh: RetryingGitHubAPI, repo_path: str, config: Config, pr_author: str,
                 slug: str) -> None:
        self._gh = gh
        self._repo_path = repo_path
        self.config = config
        self.pr_author = pr_author
        self.slug = slug
        self._levels: dict[str, str] = {}

    async def level(self, login: str) -> str:
        """``login``'s permission level on the repository (``none`` when GitHub knows no
        such collaborator)."""
        key = login.lower()
        if key not in self._levels:
            try:
                data = await self._gh.getitem(
                    f"{self._repo_path}/collaborators/{quote(login, safe='')}/permission")
                level = authz.permission_level(data.get("role_name"), data.get("permission"))
            except gidgethub.BadRequest as exc:
                if exc.status_code != 404:
                    raise
                level = "none"
            self._levels[key] = level
        return self._levels[key]

    async def decide(self, command: Command, actor: str, actor_type: str) -> authz.Decision:
        """May ``actor`` run ``command``? Team approvers are not resolved (module docstring):
        a refusal that names one says so."""
        level = "none"
        if command.changes_state and not authz.is_bot(actor, actor_type, self.slug):
            level = await self.level(actor)
        decision = authz.decide(command, actor=actor, actor_type=actor_type,
                                actor_permission=level, pr_author=self.pr_author,
                                actor_teams=(), config=self.config, app_slug=self.slug)
        if not decision.allowed and any("/" in a for a in self._approvers(command.items)):
            return authz.Decision(False, f"{decision.reason} (archreview does not check team "
                                         "membership yet: list approvers by login)")
        return decision

    def _approvers(self, item_ids: Iterable[str]) -> list[str]:
        out: list[str] = []
        for item_id in item_ids:
            domain = item_id.split("-", 1)[0].upper()
            out += [a for d, names in self.config.approvers.items() if d.value == domain
                    for a in names]
        return out


# --- reading the record ---------------------------------------------------------------------


async def read(comments: Sequence[Comment], authoriser: Authoriser
               ) -> tuple[list[Action], list[Refusal]]:
    """The accepted actions and the refusals of every state-changing command in ``comments``
    (issue and review comments of one pull request), in the order they were written."""
    slug = authoriser.slug
    threads = {c.id: c for c in comments if c.kind == "review"}
    actions: list[Action] = []
    refusals: list[Refusal] = []
    for c in sorted(comments, key=lambda c: (c.created_at, c.kind, c.id)):
        if c.own(slug):
            presser = press_author(c.body)
            if presser is None:
                continue
            parsed: list[Parsed] = list(press_commands(c.body))
            actor, actor_type = presser, "User"
        elif c.by_bot(slug):
            continue
        else:
            parsed = commands_of(c, slug, threads)
            actor, actor_type = c.author, c.author_type
        for p in parsed:
            if not isinstance(p, Command) or not p.changes_state:
                continue
            decision = await authoriser.decide(p, actor, actor_type)
            if decision.silent:
                continue
            if decision.allowed:
                act = p.action(author=actor, link=c.link, created_at=c.created_at)
                if act is not None:
                    actions.append(act)
            else:
                refusal = Refusal(actor, p.line, decision.reason, c.link)
                if refusal not in refusals:  # a record's findings share one refusal
                    refusals.append(refusal)
    return actions, refusals


def press_author(body: str) -> str | None:
    """Who pressed "Waive all warnings", from one of the app's record comments."""
    m = _PRESS_RE.search(body)
    return m["by"] if m else None


def press_commands(body: str) -> list[Command]:
    """The finding-scoped waivers an app's record of a "Waive all warnings" press lists."""
    m = _PRESS_RE.search(body)
    if m is None:
        return []
    out = []
    for entry in m["findings"].split(","):
        item_id, _, fingerprint = entry.partition(":")
        out.append(Command(Verb.WAIVE, (item_id.upper(),), waivers.WAIVE_WARNINGS_REASON,
                           PRESS_LINE, finding=True, fingerprint=fingerprint))
    return out


def press_record(by: str, head_sha: str, findings: Sequence[tuple[str, str, str]]) -> str:
    """The body of the app's record of a press by ``by``: ``findings`` are ``(item_id,
    fingerprint, where)``; the hidden marker is what later reviews read."""
    lines = [f"🔕 @{by} pressed **{PRESS_LINE}** on the check run of {head_sha[:7]}: "
             f"{len(findings)} finding(s) that do not block are waived on this pull request.",
             ""]
    lines += [f"- `{item}` {where}" for item, _fp, where in findings[:_PRESS_LISTED]]
    if len(findings) > _PRESS_LISTED:
        lines.append(f"- … and {len(findings) - _PRESS_LISTED} more")
    lines += ["", "To take them back: `/archreview unwaive <ITEM>`, or delete this comment.", "",
              _PRESS.format(by=by, findings=",".join(f"{i}:{fp}" for i, fp, _w in findings))]
    return "\n".join(lines)


# --- one review -------------------------------------------------------------------------------


def config_link(job: ReviewJob) -> str:
    """The config file on the branch it was read from (the base branch)."""
    return (f"https://github.com/{job.owner}/{job.repo}/blob/{quote(job.base_ref, safe='')}/"
            f"{repo_config.CONFIG_PATH}")


def apply(report: Report, actions: Sequence[Action], refusals: Sequence[Refusal],
          config: Config, *, link: str, today: date) -> Report:
    """``report`` with the comments' and the config's waivers and attestations applied."""
    comment_waivers, attestations = waivers.from_comments(actions)
    active, expired = waivers.config_waivers(config, today, link=link)
    return waivers.apply(report, [*comment_waivers, *active, *expired], attestations, refusals,
                         today)


async def triaged(app: GitHubApp, gh: RetryingGitHubAPI, job: ReviewJob, config: Config,
                  report: Report, review_comments: Sequence[Mapping[str, Any]]) -> Report:
    """The engine's ``report`` with the pull request's triage applied; records a press of
    "Waive all warnings" first when ``job`` carries one."""
    slug = await app_slug(app)
    pr: dict[str, Any] = await gh.getitem(f"{job.repo_path}/pulls/{job.number}")
    issue_comments = [c async for c in
                      gh.getiter(f"{job.repo_path}/issues/{job.number}/comments?per_page=100")]
    comments = ([Comment.from_api("issue", c) for c in issue_comments]
                + [Comment.from_api("review", c) for c in review_comments])
    authoriser = Authoriser(gh, job.repo_path, config, (pr.get("user") or {}).get("login", ""),
                            slug)
    actions, refusals = await read(comments, authoriser)
    today = datetime.now(UTC).date()
    link = config_link(job)
    out = apply(report, actions, refusals, config, link=link, today=today)
    if job.waive_warnings_by:
        pressed = await _record_press(gh, job, out, authoriser)
        if pressed:
            out = apply(report, [*actions, *pressed], refusals, config, link=link, today=today)
    log.info("triage applied", waivers=len(out.triage.waivers) if out.triage else 0,
             refusals=len(refusals), comments=len(comments))
    return out


async def _record_press(gh: RetryingGitHubAPI, job: ReviewJob, report: Report,
                        authoriser: Authoriser) -> list[Action]:
    """Record a press of "Waive all warnings" by ``job.waive_warnings_by``: the findings that
    do not block and that the presser may waive, in record comments; a refusal is answered
    with one comment. Returns the actions the records stand for."""
    by = job.waive_warnings_by
    allowed: list[tuple[str, str, str]] = []
    refused: dict[str, int] = {}
    for w in waivers.waive_warnings(report, author=by):
        command = Command(Verb.WAIVE, (w.item_id,), w.reason, PRESS_LINE, finding=True,
                          fingerprint=w.fingerprint)
        decision = await authoriser.decide(command, by, "User")
        if decision.allowed and w.fingerprint is not None:
            finding = next(f for f in report.findings if f.fingerprint == w.fingerprint)
            where = f"`{finding.path}:{finding.start_line}`" if finding.path else "(project)"
            allowed.append((w.item_id, w.fingerprint, where))
        else:
            refused[decision.reason] = refused.get(decision.reason, 0) + 1
    path = f"{job.repo_path}/issues/{job.number}/comments"
    actions: list[Action] = []
    for i in range(0, len(allowed), _PRESS_CHUNK):
        chunk = allowed[i : i + _PRESS_CHUNK]
        posted = await gh.post(path, data={"body": press_record(by, job.head_sha, chunk)})
        record = Comment.from_api("issue", posted)
        for command in press_commands(record.body):
            act = command.action(author=by, link=record.link, created_at=record.created_at)
            if act is not None:
                actions.append(act)
    if refused:
        reasons = "; ".join(f"{why} ({n} finding(s))" for why, n in refused.items())
        await gh.post(path, data={"body": f"@{by} **{PRESS_LINE}** left some findings as they "
                                          f"were: {reasons}.\n\n"
                                          f"<!-- archreview:reply to=press -->"})
    log.info("waive all warnings recorded", by=by, waived=len(allowed),
             refused=sum(refused.values()))
    return actions
