import itertools

import pytest

from bot.authz import LEVELS, Decision, decide, is_bot, permission_level
from bot.commands import Command, Verb
from checks.config import Config, load
from checks.model import Domain

SLUG = "archreview"
WAIVE = Command(Verb.WAIVE, ("SEC-08",), "reporting DSL", "/archreview waive SEC-08 reporting DSL")
UNWAIVE = Command(Verb.UNWAIVE, ("SEC-08",), "", "/archreview unwaive SEC-08")
ATTEST = Command(Verb.ATTEST, ("SEC-01",), "https://wiki/adr", "/archreview attest SEC-01 x")
RECHECK = Command(Verb.RECHECK, line="/archreview recheck")
EXPLAIN = Command(Verb.EXPLAIN, ("SEC-08",), line="/archreview explain SEC-08")
HELP = Command(Verb.HELP, line="/archreview help")
STATE = (WAIVE, UNWAIVE, ATTEST)
OPEN = (RECHECK, EXPLAIN, HELP)


def ask(command: Command, *, actor: str = "alice", actor_type: str = "User",
        permission: str = "write", author: str = "zoe", teams: frozenset[str] = frozenset(),
        config: Config | None = None) -> Decision:
    return decide(command, actor=actor, actor_type=actor_type, actor_permission=permission,
                  pr_author=author, actor_teams=teams, config=config or Config(), app_slug=SLUG)


@pytest.mark.parametrize(("command", "level", "own", "allow"),
                         list(itertools.product(STATE, LEVELS, (False, True), (False, True))))
def test_every_state_command_level_and_authorship(command: Command, level: str, own: bool,
                                                  allow: bool) -> None:
    cfg = Config(allow_author_waivers=allow)
    decision = ask(command, permission=level, author="alice" if own else "zoe", config=cfg)
    enough = LEVELS.index(level) >= LEVELS.index("write")
    author_blocked = command.verb is Verb.WAIVE and own and not allow
    assert decision.allowed is (enough and not author_blocked)
    assert decision.silent is False
    if not enough:
        gerund = {Verb.WAIVE: "waiving", Verb.UNWAIVE: "unwaiving", Verb.ATTEST: "attesting"}
        assert decision.reason == (f"{gerund[command.verb]} needs write permission on the "
                                   f"repository; @alice has {level}")
    elif author_blocked:
        assert decision.reason == ("the author of a pull request may not waive items on it; ask "
                                   "a reviewer, or set `allow_author_waivers: true` in "
                                   "`.github/archreview.yml`")
    else:
        assert decision.reason == f"@alice has {level} permission"


@pytest.mark.parametrize(("command", "level"), list(itertools.product(OPEN, LEVELS)))
def test_recheck_explain_help_are_for_anyone(command: Command, level: str) -> None:
    decision = ask(command, permission=level, author="alice")
    assert decision == Decision(True, f"anyone who can comment may ask for {command.verb.value}")


@pytest.mark.parametrize("command", STATE + OPEN)
@pytest.mark.parametrize(("actor", "actor_type"), [
    ("dependabot[bot]", "Bot"),
    ("archreview[bot]", "Bot"),
    ("archreview[bot]", "User"),
    ("Renovate[BOT]", "User"),
    ("ci-helper", "Bot"),
])
def test_bots_never_command(command: Command, actor: str, actor_type: str) -> None:
    decision = ask(command, actor=actor, actor_type=actor_type, permission="admin")
    assert decision == Decision(False, "comments by bots are never commands", silent=True)


def test_is_bot() -> None:
    assert is_bot("archreview[bot]", "User", SLUG)
    assert not is_bot("archreview", "User", SLUG)  # a person may pick the app's name
    assert not is_bot("robot", "User", SLUG)
    assert is_bot("x", "Bot", SLUG)


def test_unknown_permission_counts_as_none() -> None:
    assert ask(WAIVE, permission="security-reviewer").reason == (
        "waiving needs write permission on the repository; @alice has none")
    assert ask(WAIVE, permission="ADMIN").allowed


def test_author_match_ignores_case_and_unwaive_or_attest_by_author_is_fine() -> None:
    assert not ask(WAIVE, actor="Alice", author="alice").allowed
    assert ask(UNWAIVE, author="alice").allowed
    assert ask(ATTEST, author="alice").allowed


def test_unbound_finding_command_is_refused() -> None:
    reply = Command(Verb.WAIVE, (), "test double", "/waive test double", finding=True)
    assert ask(reply) == Decision(False, "this reply is not about a finding archreview knows")
    assert ask(reply.about("SEC-08", "abc")).allowed


APPROVERS = load("approvers:\n  SEC: [Acme/Security, \"@bob\"]\n  DB: [carol]\n")[0]


@pytest.mark.parametrize(("actor", "teams", "allowed"), [
    ("alice", frozenset(), False),
    ("alice", frozenset({"acme/platform"}), False),
    ("alice", frozenset({"acme/security"}), True),
    ("alice", frozenset({"ACME/SECURITY"}), True),
    ("alice", frozenset({"@acme/security"}), True),
    ("Bob", frozenset(), True),
    ("carol", frozenset(), False),
])
def test_domain_approvers(actor: str, teams: frozenset[str], allowed: bool) -> None:
    for command in (WAIVE, ATTEST):
        decision = ask(command, actor=actor, teams=teams, config=APPROVERS)
        assert decision.allowed is allowed
        if not allowed:
            gerund = "waiving" if command is WAIVE else "attesting"
            assert decision.reason == (f"{gerund} {command.items[0]} needs one of the SEC "
                                       "approvers: @Acme/Security, @bob")


def test_approvers_apply_per_item_and_not_to_unwaive() -> None:
    both = Command(Verb.WAIVE, ("OBS-01", "DB-03"), "why", "/archreview waive OBS-01,DB-03 why")
    assert ask(both, actor="carol", config=APPROVERS).allowed
    assert ask(both, actor="alice", config=APPROVERS).reason == (
        "waiving DB-03 needs one of the DB approvers: @carol")
    assert ask(UNWAIVE, actor="alice", config=APPROVERS).allowed
    assert APPROVERS.approvers[Domain.SEC] == ("Acme/Security", "bob")


def test_approvers_still_need_write() -> None:
    decision = ask(WAIVE, actor="bob", permission="triage", config=APPROVERS)
    assert decision.reason == "waiving needs write permission on the repository; @bob has triage"


def test_unknown_item_is_refused() -> None:
    odd = Command(Verb.WAIVE, ("SEC-99",), "why", "")
    assert ask(odd) == Decision(False, "unknown checklist item SEC-99")


@pytest.mark.parametrize(("role_name", "permission", "level"), [
    ("maintain", "write", "maintain"),
    ("triage", "read", "triage"),
    ("admin", "admin", "admin"),
    ("security-reviewer", "write", "write"),
    ("Custom", "none", "none"),
    (None, "read", "read"),
    (None, None, "none"),
    ("WRITE", None, "write"),
])
def test_permission_level(role_name: str | None, permission: str | None, level: str) -> None:
    assert permission_level(role_name, permission) == level
