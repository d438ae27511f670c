"""End to end: waivers and attestations given by replying to the bot, through the real
``archreview serve`` process and the fake GitHub. The installation has exactly the permissions
``app.yml`` asks for, so every reply and reaction also proves the manifest is enough."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml

from checks import catalogue
from checks.model import Method
from tests.e2e.harness import AppProcess, completed_runs, running_app, settle, until
from tests.e2e.test_review_flow import BASE, SQL_LINE, VULNERABLE
from tests.fake_github import FakeGitHub
from tests.fake_github.state import CheckRun, IssueComment, PullRequest, Repo, ReviewComment

MANIFEST = Path(__file__).resolve().parents[2] / "app.yml"
PERMISSIONS: dict[str, str] = yaml.safe_load(MANIFEST.read_text())["default_permissions"]

SECOND_SQL = VULNERABLE + (  # noqa: S608 - a fixture the SQL injection detector flags
    "\n"
    "\n"
    "@app.get('/orders')\n"
    "def orders(user: str, db=None):\n"
    "    return db.execute(f\"SELECT * FROM orders WHERE owner = '{user}'\")\n"
)
SECOND_SQL_LINE = 18
MOVED = 30
LEGACY = (
    "def report(db, name):\n"
    "    return db.execute(f\"SELECT * FROM sales WHERE region = '{name}'\")\n"
)
WAIVE = "/archreview waive SEC-08 the query reads a fixed reporting table"


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def _repo(gh: FakeGitHub, files: dict[str, str] | None = None) -> Repo:
    installation = gh.add_installation("octo", permissions=PERMISSIONS)
    repo = gh.add_repo("octo/svc", files or BASE, installation=installation)
    gh.set_permission(repo, "maria", "maintain")
    return repo


async def _nth_run(gh: FakeGitHub, sha: str, n: int) -> CheckRun:
    runs = await until(lambda: completed_runs(gh, sha)[n - 1:], what=f"completed run {n}")
    await settle(gh)
    return runs[0]


async def _open(gh: FakeGitHub, app: AppProcess, pull: PullRequest) -> CheckRun:
    status, _ = await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
    assert status == 202
    return await _nth_run(gh, pull.head_sha, 1)


async def _say(gh: FakeGitHub, app: AppProcess, comment: IssueComment | ReviewComment,
               action: str = "created", **overrides: Any) -> None:
    event = "issue_comment" if isinstance(comment, IssueComment) else "pull_request_review_comment"
    status, _ = await app.deliver(*gh.webhook(event, action, comment=comment, **overrides))
    assert status == 202


def _assert_clean(gh: FakeGitHub, app: AppProcess) -> None:
    """Nothing GitHub would refuse, no handler or review that failed."""
    gh.assert_no_rejections()
    for phrase in ("handler failed", "review crashed", "review failed", "could not start"):
        assert phrase not in app.logs, phrase


def _sql(run_: CheckRun) -> list[tuple[int, str]]:
    return sorted((a.start_line, a.annotation_level) for a in run_.annotations
                  if "SEC-08" in (a.title or ""))


def _bot_comments(gh: FakeGitHub, pull: PullRequest) -> list[IssueComment]:
    return [c for c in gh.issue_comments(pull) if c.user.login == "archreview[bot]"]


def _inline(gh: FakeGitHub, pull: PullRequest, line: int) -> ReviewComment:
    return next(c for c in gh.review_comments(pull)
                if c.user.login == "archreview[bot]" and c.line == line and "SEC-08" in c.body)


def test_a_maintainer_waives_the_only_blocker(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = _repo(gh)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE}, author="alice")
            async with running_app(gh, tmp_path) as app:
                first = await _open(gh, app, pull)
                assert first.conclusion == "failure"
                assert _sql(first) == [(SQL_LINE, "failure")]
                comment = gh.add_issue_comment(pull, f"Looks deliberate.\n{WAIVE}", user="maria")
                await _say(gh, app, comment)
                second = await _nth_run(gh, pull.head_sha, 2)
                assert [r.content for r in gh.reactions(comment)] == ["+1"]
                assert second.conclusion == "success"
                assert _sql(second) == [(SQL_LINE, "notice")]
                summary = second.output_summary or ""
                assert "Waivers and attestations" in summary
                assert "waived by @maria" in summary and "fixed reporting table" in summary
                inline = _inline(gh, pull, SQL_LINE)
                assert inline.body.startswith("🔕 **Waived** by @maria")
                assert "fixed reporting table" in inline.body
                assert inline.body.rstrip().endswith("waived -->")
                assert _bot_comments(gh, pull) == []  # accepted: a reaction, no reply
                assert len(gh.reviews(pull)) == 1
                _assert_clean(gh, app)

    run(scenario())


def test_the_author_without_permission_is_refused_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = _repo(gh)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE}, author="alice")
            async with running_app(gh, tmp_path) as app:
                await _open(gh, app, pull)
                comment = gh.add_issue_comment(pull, WAIVE, user="alice")
                await _say(gh, app, comment)
                (reply,) = await until(lambda: _bot_comments(gh, pull), what="refusal reply")
                await settle(gh)
                assert reply.body.startswith("@alice ")
                assert "needs write permission" in reply.body and "@alice has none" in reply.body
                assert "Nothing changed" in reply.body
                assert gh.reactions(comment) == []
                assert len(gh.check_runs(head_sha=pull.head_sha)) == 1
                # An edit (or a redelivery) is not answered twice.
                comment.body = WAIVE + " and the tests cover it"
                await _say(gh, app, comment, "edited", changes={"body": {"from": WAIVE}})
                await _nth_run(gh, pull.head_sha, 2)  # an edit re-reads the record...
                assert len(_bot_comments(gh, pull)) == 1
                runs = completed_runs(gh, pull.head_sha)
                assert [r.conclusion for r in runs] == ["failure", "failure"]  # ...still refused
                assert "Refused" in (runs[1].output_summary or "")
                # With write permission, the author still may not waive their own PR.
                gh.set_permission(repo, "alice", "write")
                own = gh.add_issue_comment(pull, WAIVE, user="alice")
                await _say(gh, app, own)
                await until(lambda: len(_bot_comments(gh, pull)) == 2, what="second refusal")
                await settle(gh)
                assert "author of a pull request may not waive" in _bot_comments(gh, pull)[1].body
                assert len(gh.check_runs(head_sha=pull.head_sha)) == 2
                _assert_clean(gh, app)

    run(scenario())


def test_a_reply_waives_one_finding_which_stays_waived_when_the_code_moves(
        tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = _repo(gh)
            pull = gh.add_pull(repo, changes={"app/main.py": SECOND_SQL}, author="alice")
            async with running_app(gh, tmp_path) as app:
                first = await _open(gh, app, pull)
                assert _sql(first) == [(SQL_LINE, "failure"), (SECOND_SQL_LINE, "failure")]
                target = _inline(gh, pull, SQL_LINE)
                reply = gh.add_review_comment(pull, "/waive the users table is a fixture here",
                                              user="maria", in_reply_to=target)
                await _say(gh, app, reply)
                second = await _nth_run(gh, pull.head_sha, 2)
                assert [r.content for r in gh.reactions(reply)] == ["+1"]
                assert _sql(second) == [(SQL_LINE, "notice"), (SECOND_SQL_LINE, "failure")]
                assert second.conclusion == "failure"
                assert "**Waived** by @maria" in _inline(gh, pull, SQL_LINE).body
                assert "Waived" not in _inline(gh, pull, SECOND_SQL_LINE).body
                moved = SECOND_SQL.replace("app = FastAPI()\n", "app = FastAPI()\n" + "\n" * MOVED)
                sha = gh.push(pull, changes={"app/main.py": moved})
                await app.deliver(*gh.webhook("pull_request", "synchronize", pull=pull))
                third = await _nth_run(gh, sha, 1)
                assert _sql(third) == [(SQL_LINE + MOVED, "notice"),
                                       (SECOND_SQL_LINE + MOVED, "failure")]
                assert "one finding" in (third.output_summary or "")
                assert len([r for r in gh.reviews(pull) if r.user.login == "archreview[bot]"]) == 1
                _assert_clean(gh, app)

    run(scenario())


def test_an_edited_or_deleted_waiver_no_longer_applies(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = _repo(gh)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE}, author="alice")
            sha = pull.head_sha
            async with running_app(gh, tmp_path) as app:
                await _open(gh, app, pull)
                comment = gh.add_issue_comment(pull, WAIVE, user="maria")
                await _say(gh, app, comment)
                assert (await _nth_run(gh, sha, 2)).conclusion == "success"
                comment.body = "On second thought, let's fix it."
                await _say(gh, app, comment, "edited", changes={"body": {"from": WAIVE}})
                third = await _nth_run(gh, sha, 3)
                assert third.conclusion == "failure"
                assert _sql(third) == [(SQL_LINE, "failure")]
                inline = _inline(gh, pull, SQL_LINE)
                assert "Waived" not in inline.body and inline.body.startswith("**SEC-08")
                again = gh.add_issue_comment(pull, WAIVE, user="maria")
                await _say(gh, app, again)
                assert (await _nth_run(gh, sha, 4)).conclusion == "success"
                headers, body = gh.webhook("issue_comment", "deleted", comment=again)
                del gh.state.issue_comments[again.id]
                await app.deliver(headers, body)
                fifth = await _nth_run(gh, sha, 5)
                assert fifth.conclusion == "failure"
                assert len(gh.reactions(comment)) == 1  # edits never react
                assert _bot_comments(gh, pull) == []
                _assert_clean(gh, app)

    run(scenario())


def test_the_apps_own_comment_is_never_a_command(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = _repo(gh)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE}, author="alice")
            async with running_app(gh, tmp_path) as app:
                first = await _open(gh, app, pull)
                own = gh.add_issue_comment(pull, WAIVE, user="archreview[bot]")
                await _say(gh, app, own)
                await asyncio.sleep(1)
                await settle(gh)
                assert gh.reactions(own) == []
                assert len(gh.check_runs(head_sha=pull.head_sha)) == 1
                assert len(gh.issue_comments(pull)) == 1
                # A later review does not read it either.
                await app.deliver(*gh.webhook("check_run", "rerequested", check_run=first,
                                              pull=pull))
                second = await _nth_run(gh, pull.head_sha, 2)
                assert second.conclusion == "failure"
                assert "waived by" not in (second.output_summary or "")
                _assert_clean(gh, app)

    run(scenario())


def test_config_waivers_apply_until_they_expire(tmp_path: Path) -> None:
    config = (
        "waivers:\n"
        "  - item: SEC-08\n"
        "    paths: [\"legacy/**\"]\n"
        "    reason: reporting queries, parameters checked by the ORM layer\n"
        "    owner: acme/security\n"
        "    expires: 2999-12-31\n"
        "  - item: SEC-08\n"
        "    paths: [\"app/**\"]\n"
        "    reason: the old endpoints, until the rewrite\n"
        "    owner: maria\n"
        "    expires: 2020-01-31\n"
    )
    files = {**BASE, ".github/archreview.yml": config}

    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = _repo(gh, files)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE,
                                              "legacy/__init__.py": "",
                                              "legacy/report.py": LEGACY}, author="alice")
            async with running_app(gh, tmp_path) as app:
                first = await _open(gh, app, pull)
                levels = {(a.path, a.annotation_level) for a in first.annotations
                          if "SEC-08" in (a.title or "")}
                assert levels == {("app/main.py", "failure"), ("legacy/report.py", "notice")}
                assert first.conclusion == "failure"
                summary = first.output_summary or ""
                assert "Expired config waivers" in summary
                assert "expired on 2020-01-31" in summary
                assert "waived in config (owner @acme/security) until 2999-12-31" in summary
                assert "blob/main/.github/archreview.yml#L2" in summary
                _assert_clean(gh, app)

    run(scenario())


@pytest.mark.skipif(catalogue.get("SEC-08").method is Method.ATTESTATION,
                    reason="the catalogue still lists SEC-08 as an attestation item")
def test_attesting_an_item_a_detector_decides_is_refused(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = _repo(gh)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE}, author="alice")
            async with running_app(gh, tmp_path) as app:
                await _open(gh, app, pull)
                comment = gh.add_issue_comment(
                    pull, "/archreview attest SEC-08 https://wiki.example.com/adr/7", user="maria")
                await _say(gh, app, comment)
                (reply,) = await until(lambda: _bot_comments(gh, pull), what="reply")
                await settle(gh)
                assert "SEC-08 is decided by a detector; waive it instead" in reply.body
                assert "/archreview waive" in reply.body
                assert gh.reactions(comment) == []
                assert len(gh.check_runs(head_sha=pull.head_sha)) == 1
                _assert_clean(gh, app)

    run(scenario())


def test_wrong_commands_explain_and_recheck(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = _repo(gh)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE}, author="alice")
            sha = pull.head_sha
            async with running_app(gh, tmp_path) as app:
                await _open(gh, app, pull)
                typo = gh.add_issue_comment(pull, "/archreview wave SEC-08 fine", user="maria")
                await _say(gh, app, typo)
                (reply,) = await until(lambda: _bot_comments(gh, pull), what="error reply")
                await settle(gh)
                assert "unknown command `wave`" in reply.body
                assert "`/archreview waive <ITEM>[,<ITEM>...] <reason>`" in reply.body
                assert gh.reactions(typo) == []
                assert len(gh.check_runs(head_sha=sha)) == 1
                # Fixing the typo by editing: a new review reads it; no reaction, no new reply.
                typo.body = WAIVE
                await _say(gh, app, typo, "edited",
                           changes={"body": {"from": "/archreview wave SEC-08 fine"}})
                assert (await _nth_run(gh, sha, 2)).conclusion == "success"
                assert gh.reactions(typo) == [] and len(_bot_comments(gh, pull)) == 1
                ask = gh.add_issue_comment(pull, "/archreview explain sec-8", user="alice")
                await _say(gh, app, ask)
                await until(lambda: len(_bot_comments(gh, pull)) == 2, what="explanation")
                explanation = _bot_comments(gh, pull)[1].body
                assert "SQL injection" in explanation and "SEC-08" in explanation
                recheck = gh.add_issue_comment(pull, "@archreview recheck", user="alice")
                await _say(gh, app, recheck)
                third = await _nth_run(gh, sha, 3)
                assert [r.content for r in gh.reactions(recheck)] == ["+1"]
                assert third.conclusion == "success"
                assert len(_bot_comments(gh, pull)) == 2
                _assert_clean(gh, app)

    run(scenario())


def test_the_waive_all_warnings_button(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = _repo(gh)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE}, author="alice")
            sha = pull.head_sha
            async with running_app(gh, tmp_path) as app:
                first = await _open(gh, app, pull)
                assert [a["identifier"] for a in first.actions] == ["rerun-review",
                                                                    "waive-warnings"]
                assert any(a.annotation_level == "warning" for a in first.annotations)
                # Someone without write permission presses it: refused, nothing recorded.
                await app.deliver(*gh.webhook(
                    "check_run", "requested_action", check_run=first, pull=pull, sender="bob",
                    requested_action={"identifier": "waive-warnings"}))
                second = await _nth_run(gh, sha, 2)
                (refusal,) = _bot_comments(gh, pull)
                assert refusal.body.startswith("@bob **Waive all warnings**")
                assert "needs write permission" in refusal.body
                assert "waive-warnings by=" not in refusal.body
                assert any(a.annotation_level == "warning" for a in second.annotations)
                # A maintainer presses it: the warnings are waived, the blocker is not.
                await app.deliver(*gh.webhook(
                    "check_run", "requested_action", check_run=second, pull=pull,
                    sender="maria", requested_action={"identifier": "waive-warnings"}))
                third = await _nth_run(gh, sha, 3)
                record = _bot_comments(gh, pull)[1]
                assert "@maria pressed **Waive all warnings**" in record.body
                assert "<!-- archreview:waive-warnings by=maria findings=" in record.body
                assert {a.annotation_level for a in third.annotations} == {"failure", "notice"}
                assert _sql(third) == [(SQL_LINE, "failure")]
                assert third.conclusion == "failure"
                assert [a["identifier"] for a in third.actions] == ["rerun-review"]
                assert "Waivers and attestations" in (third.output_summary or "")
                # The record is re-read by later reviews.
                await app.deliver(*gh.webhook("check_run", "requested_action", check_run=third,
                                              pull=pull, sender="maria",
                                              requested_action={"identifier": "rerun-review"}))
                fourth = await _nth_run(gh, sha, 4)
                assert {a.annotation_level for a in fourth.annotations} == {"failure", "notice"}
                assert len(_bot_comments(gh, pull)) == 2
                _assert_clean(gh, app)

    run(scenario())
