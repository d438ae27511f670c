"""Reading the triage record from a pull request's comments, and the states of the app's inline
comments, without GitHub: the permission look-up is a recorded answer."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from http import HTTPStatus
from typing import Any

import gidgethub

from bot import publish, triage
from bot.commands import Command, Verb
from checks.config import Config
from checks.model import Domain, Finding, Placement, Severity, Waiver

SLUG = "archreview"
PR_AUTHOR = "alice"
FP = "0123456789abcdef0123"


class _Permissions:
    """Answers the collaborator permission API from a table; counts the calls."""

    def __init__(self, roles: dict[str, str]) -> None:
        self.roles = roles
        self.calls: list[str] = []

    async def getitem(self, url: str) -> dict[str, Any]:
        login = url.split("/collaborators/")[1].split("/")[0]
        self.calls.append(login)
        if login not in self.roles:
            raise gidgethub.BadRequest(HTTPStatus.NOT_FOUND)
        return {"permission": "write", "role_name": self.roles[login]}


def _authoriser(roles: dict[str, str], config: Config | None = None
                ) -> tuple[triage.Authoriser, _Permissions]:
    gh = _Permissions(roles)
    return triage.Authoriser(gh, "/repos/octo/svc", config or Config(),  # type: ignore[arg-type]
                             PR_AUTHOR, SLUG), gh


def _comment(cid: int, body: str, *, user: str = "maria", kind: str = "issue",
             user_type: str = "User", minute: int = 0, reply_to: int | None = None
             ) -> triage.Comment:
    return triage.Comment.from_api(kind, {  # type: ignore[arg-type]
        "id": cid, "body": body, "user": {"login": user, "type": user_type},
        "html_url": f"https://github.com/octo/svc/pull/1#c{cid}",
        "created_at": f"2025-03-01T10:{minute:02d}:00Z", "in_reply_to_id": reply_to})


def _read(comments: list[triage.Comment], roles: dict[str, str], config: Config | None = None
          ) -> tuple[list[Any], list[Any], list[str]]:
    authoriser, gh = _authoriser(roles, config)
    actions, refusals = asyncio.run(triage.read(comments, authoriser))
    return actions, refusals, gh.calls


def test_comments_in_order_each_author_asked_once() -> None:
    comments = [
        _comment(3, "/archreview unwaive SEC-08", minute=2),
        _comment(1, "/archreview waive SEC-08,SEC-09 the reporting DSL binds them", minute=0),
        _comment(2, "/archreview waive DB-03 read replica only", minute=1),
        _comment(4, "/archreview waive API-03 mine", user="alice", minute=3),
        _comment(5, "/archreview waive API-03 trust me", user="someone[bot]", user_type="Bot"),
        _comment(6, "/archreview waive API-03 me too", user=f"{SLUG}[bot]", user_type="Bot"),
    ]
    actions, refusals, calls = _read(comments, {"maria": "maintain", "alice": "write"})
    assert [(a.verb, a.item_ids, a.author) for a in actions] == [
        ("waive", ("SEC-08", "SEC-09"), "maria"), ("waive", ("DB-03",), "maria"),
        ("unwaive", ("SEC-08",), "maria")]
    assert [(r.author, r.reason) for r in refusals] == [
        ("alice", "the author of a pull request may not waive items on it; ask a reviewer, or "
                  "set `allow_author_waivers: true` in `.github/archreview.yml`")]
    assert refusals[0].link == "https://github.com/octo/svc/pull/1#c4"
    assert calls == ["maria", "alice"]


def test_unknown_collaborators_have_no_permission() -> None:
    actions, refusals, _ = _read([_comment(1, "/archreview waive SEC-08 ok", user="bob")], {})
    assert actions == []
    assert [r.reason for r in refusals] == [
        "waiving needs write permission on the repository; @bob has none"]


def test_a_reply_to_the_apps_inline_comment_is_bound_to_its_finding() -> None:
    finding = Finding("SEC-08", "sql-injection", Severity.HIGH, "app/x.py", 3, 3, "m", "h", FP,
                      Placement.ADDED_LINE, True)
    ours = _comment(10, publish.comment_body(finding), kind="review", user=f"{SLUG}[bot]",
                    user_type="Bot")
    fake = _comment(11, publish.comment_body(finding), kind="review", user="mallory")
    replies = [
        _comment(12, "/waive fixture data", kind="review", reply_to=10, minute=1),
        _comment(13, "/waive also this", kind="review", reply_to=11, minute=2),
    ]
    actions, refusals, _ = _read([ours, fake, *replies], {"maria": "admin"})
    assert [(a.item_ids, a.fingerprint, a.text) for a in actions] == [
        (("SEC-08",), FP, "fixture data")]
    assert refusals == []  # a reply to a person's comment is no command at all


def test_press_records_are_trusted_only_from_the_app() -> None:
    body = triage.press_record("maria", "cafe123", [("DOC-01", FP, "`a.py:1`"),
                                                    ("API-03", "ff" * 10, "(project)")])
    assert triage.press_author(body) == "maria"
    assert [(c.items, c.fingerprint) for c in triage.press_commands(body)] == [
        (("DOC-01",), FP), (("API-03",), "ff" * 10)]
    comments = [_comment(1, body, user=f"{SLUG}[bot]", user_type="Bot"),
                _comment(2, body, user="mallory")]
    actions, refusals, _ = _read(comments, {"maria": "write"})
    assert [(a.author, a.fingerprint) for a in actions] == [("maria", FP), ("maria", "ff" * 10)]
    assert refusals == []
    # The presser lost write permission: one refusal for the whole record.
    actions, refusals, _ = _read(comments[:1], {"maria": "read"})
    assert actions == [] and len(refusals) == 1 and refusals[0].command == triage.PRESS_LINE


def test_team_approvers_are_explained() -> None:
    config = Config(approvers={Domain.SEC: ("acme/security",)})
    _, refusals, _ = _read([_comment(1, "/archreview waive SEC-08 fine")], {"maria": "admin"},
                           config)
    assert refusals[0].reason == (
        "waiving SEC-08 needs one of the SEC approvers: @acme/security (archreview does not "
        "check team membership yet: list approvers by login)")
    decision = asyncio.run(_authoriser({}, config)[0].decide(
        Command(Verb.RECHECK, line="/archreview recheck"), "bob", "User"))
    assert decision.allowed


def test_config_link_and_apply_keep_expired_waivers_aside() -> None:
    from checks.config import WaiverRule
    from checks.model import Conclusion, ItemResult, Report, Status

    finding = Finding("SEC-08", "sql-injection", Severity.HIGH, "app/x.py", 3, 3, "m", "h", FP,
                      Placement.ADDED_LINE, True)
    report = Report([ItemResult("SEC-08", Status.FAIL, [finding])], {}, Conclusion.FAILURE,
                    False)
    config = Config(waivers=(WaiverRule("SEC-08", "old", "maria", date(2020, 1, 31), line=3),))
    out = triage.apply(report, [], [], config, link="https://x/cfg", today=date(2025, 1, 1))
    assert out.conclusion is Conclusion.FAILURE
    assert out.triage is not None and [w.link for w in out.triage.expired] == ["https://x/cfg#L3"]


def test_inline_comment_states_round_trip() -> None:
    finding = Finding("SEC-08", "sql-injection", Severity.HIGH, "app/x.py", 3, 3, "msg", "h", FP,
                      Placement.ADDED_LINE, True)
    body = publish.comment_body(finding)
    waiver = Waiver("SEC-08", FP, "maria", "fixture @bob data", "https://github.com/c/1",
                    datetime(2025, 3, 1, tzinfo=UTC))
    waived_finding = Finding(**{**_fields(finding), "waiver": waiver, "blocking": False})
    waived = publish.updated_body(body, waived_finding, "abc1234")
    assert waived.startswith("🔕 **Waived** by @maria ([comment](https://github.com/c/1)): "
                             "fixture @\u200bbob data")
    assert publish.parse_marker(waived) == publish.Marker(FP, "SEC-08", False, True)
    assert publish.updated_body(waived, waived_finding, "abc1234") == waived  # no churn
    reopened = publish.updated_body(waived, finding, "abc1234")
    assert reopened == body
    fixed = publish.updated_body(waived, None, "abc1234")
    assert "Fixed** in abc1234" in fixed and fixed.count("Original comment") == 1
    assert publish.original_text(fixed) == publish.original_text(body)
    assert publish.updated_body(fixed, None, "ffff") == fixed
    assert publish.updated_body(body, finding, "abc1234") == body


def _fields(finding: Finding) -> dict[str, Any]:
    return {name: getattr(finding, name) for name in finding.__dataclass_fields__}
