"""Who may give which command: a pure decision over what the caller fetched from GitHub.

The rules, in the order they are checked:

1. Comments by bots (``type`` ``Bot`` or a login ending in ``[bot]``), this app included, are
   never commands; the decision is ``silent`` so that no bot ever answers another.
2. ``recheck``, ``explain`` and ``help`` are for anyone who can comment.
3. A finding-scoped command must be bound to its finding first (:meth:`Command.about`).
4. ``waive``, ``unwaive`` and ``attest`` need ``write`` permission or above on the repository
   (none < read < triage < write < maintain < admin, as GitHub's collaborator permission API
   names them; see :func:`permission_level`).
5. The pull request's author may not waive items on their own pull request unless the config
   says ``allow_author_waivers: true``.
6. When the config names approvers for an item's domain (``approvers: {SEC: [acme/security]}``),
   only they may waive or attest its items: listed by login, or members of a listed
   ``org/team`` (the caller passes the actor's teams). Taking a waiver back (``unwaive``) only
   makes the review stricter, so it needs no approver.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.commands import Command, Verb
from checks import catalogue
from checks.config import Config

LEVELS = ("none", "read", "triage", "write", "maintain", "admin")
"""Repository permission levels, lowest first."""

REQUIRED = "write"
"""The level waive, unwaive and attest need."""

_RANK = {name: rank for rank, name in enumerate(LEVELS)}
_OPEN_TO_ALL = (Verb.RECHECK, Verb.EXPLAIN, Verb.HELP)
_GERUNDS = {Verb.WAIVE: "waiving", Verb.UNWAIVE: "unwaiving", Verb.ATTEST: "attesting"}


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether the command may run and, if not, why (a sentence for the reply). ``silent``:
    do not answer at all (the comment is a bot's)."""

    allowed: bool
    reason: str
    silent: bool = False


def permission_level(role_name: str | None, permission: str | None) -> str:
    """The actor's level from the collaborator permission API's answer: ``role_name`` when it
    is one of :data:`LEVELS` (it names maintain and triage, which the legacy ``permission``
    folds into write and read), else ``permission`` (a custom role's base level), else
    ``"none"``."""
    for name in (role_name, permission):
        if name is not None and name.lower() in _RANK:
            return name.lower()
    return "none"


def is_bot(actor: str, actor_type: str, app_slug: str) -> bool:
    """True for a bot account: GitHub's ``Bot`` type, or an App's ``<slug>[bot]`` login (this
    app's own included, whatever type the payload claims)."""
    login = actor.lower()
    return actor_type == "Bot" or login.endswith("[bot]") or login == f"{app_slug.lower()}[bot]"


def decide(
    command: Command,
    *,
    actor: str,
    actor_type: str,
    actor_permission: str,
    pr_author: str,
    actor_teams: Iterable[str],
    config: Config,
    app_slug: str,
) -> Decision:
    """May ``actor`` run ``command`` on this pull request? See the module docstring.

    ``actor_type`` is the comment's ``user.type``; ``actor_permission`` one of :data:`LEVELS`
    (anything else counts as ``none``); ``actor_teams`` the ``org/team`` slugs the actor
    belongs to (only needed when the config names team approvers).
    """
    if is_bot(actor, actor_type, app_slug):
        return Decision(False, "comments by bots are never commands", silent=True)
    if command.verb in _OPEN_TO_ALL:
        return Decision(True, f"anyone who can comment may ask for {command.verb.value}")
    doing = _GERUNDS[command.verb]
    if not command.items:
        return Decision(False, "this reply is not about a finding archreview knows")
    level = actor_permission.lower() if actor_permission.lower() in _RANK else "none"
    if _RANK[level] < _RANK[REQUIRED]:
        return Decision(False, f"{doing} needs {REQUIRED} permission on the repository; "
                               f"@{actor} has {level}")
    own = actor.lower() == pr_author.lower()
    if command.verb is Verb.WAIVE and own and not config.allow_author_waivers:
        return Decision(False, "the author of a pull request may not waive items on it; ask a "
                               "reviewer, or set `allow_author_waivers: true` in "
                               "`.github/archreview.yml`")
    if command.verb is not Verb.UNWAIVE:
        teams = {t.lower().removeprefix("@") for t in actor_teams}
        for item_id in command.items:
            item = catalogue.find(item_id)
            if item is None:
                return Decision(False, f"unknown checklist item {item_id}")
            approvers = config.approvers.get(item.domain, ())
            if approvers and not _approved(actor, teams, approvers):
                names = ", ".join(f"@{a}" for a in approvers)
                return Decision(False, f"{doing} {item.id} needs one of the "
                                       f"{item.domain.value} approvers: {names}")
    return Decision(True, f"@{actor} has {level} permission")


def _approved(actor: str, teams: set[str], approvers: Iterable[str]) -> bool:
    for entry in approvers:
        name = entry.lower().removeprefix("@")
        if name in teams if "/" in name else name == actor.lower():
            return True
    return False
