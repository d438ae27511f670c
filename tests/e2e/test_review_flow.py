"""End to end: signed webhooks into the real ``archreview serve`` process, check runs and
reviews out, against the fake GitHub over real HTTP."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from tests.e2e.harness import completed_runs, running_app, settle, until
from tests.fake_github import REMOVE, FakeGitHub

BASE = {
    "README.md": "# svc\n",
    "requirements.txt": "fastapi==0.115.6\n",
    "app/__init__.py": "",
    "app/main.py": (
        "from fastapi import FastAPI\n"
        "\n"
        "app = FastAPI()\n"
        "\n"
        "\n"
        "@app.get('/healthz')\n"
        "def healthz() -> dict[str, str]:\n"
        "    return {'status': 'ok'}\n"
    ),
}
VULNERABLE = BASE["app/main.py"] + (  # noqa: S608 - the code under review is vulnerable on purpose
    "\n"
    "\n"
    "@app.get('/users')\n"
    "def users(name: str, db=None):\n"
    "    return db.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n"
)
SQL_LINE = 13  # the db.execute line in VULNERABLE


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_opened_pull_request_gets_one_check_run_annotations_and_one_review(
        tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE}, author="alice")
            async with running_app(gh, tmp_path) as app:
                status, body = await app.deliver(*gh.webhook("pull_request", "opened",
                                                             pull=pull))
                assert status == 202, body
                (run_,) = await until(lambda: completed_runs(gh, pull.head_sha),
                                      what="completed check run")
                await settle(gh)
                assert run_.name == "Architecture review"
                assert run_.conclusion == "failure"
                assert run_.external_id == f"octo/svc#{pull.number}@{pull.head_sha}"
                sql = [a for a in run_.annotations if (a.title or "").startswith("SEC-08")]
                assert [(a.path, a.start_line, a.annotation_level) for a in sql] == [
                    ("app/main.py", SQL_LINE, "failure")]
                assert "SEC-08" in (run_.output_summary or "")
                reviews = gh.reviews(pull)
                assert len(reviews) == 1
                comments = gh.review_comments(pull)
                assert comments, "expected inline comments"
                assert all("archreview:finding fp=" in c.body for c in comments)
                assert any(c.line == SQL_LINE and "SEC-08" in c.body for c in comments)
                gh.assert_no_rejections()
                assert not gh.codeload_saw_authorization
                assert len(gh.check_runs(head_sha=pull.head_sha)) == 1
                assert (gh.app.webhook_secret or "x") not in app.logs
                assert "PRIVATE KEY" not in app.logs

    run(scenario())


def test_push_comments_once_and_marks_fixed_findings(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                await until(lambda: completed_runs(gh, pull.head_sha))
                await settle(gh)
                first = {c.id: c.body for c in gh.review_comments(pull)}
                # Push 1: code moves down 30 lines, the finding stays: nothing new is posted.
                moved = VULNERABLE.replace("app = FastAPI()\n",
                                           "app = FastAPI()\n" + "\n" * 30)
                sha2 = gh.push(pull, changes={"app/main.py": moved})
                await app.deliver(*gh.webhook("pull_request", "synchronize", pull=pull))
                await until(lambda: completed_runs(gh, sha2))
                await settle(gh)
                assert {c.id for c in gh.review_comments(pull)} == set(first)
                assert len(gh.reviews(pull)) == 1
                # Push 2: the SQL is parameterised: its comment says fixed, in which commit.
                fixed = moved.replace(
                    "db.execute(f\"SELECT * FROM users WHERE name = '{name}'\")",
                    "db.execute('SELECT * FROM users WHERE name = ?', (name,))")
                sha3 = gh.push(pull, changes={"app/main.py": fixed})
                await app.deliver(*gh.webhook("pull_request", "synchronize", pull=pull))
                (run3,) = await until(lambda: completed_runs(gh, sha3))
                await settle(gh)
                after = {c.id: c.body for c in gh.review_comments(pull)}
                sql_ids = [i for i, b in first.items() if "SEC-08" in b]
                assert sql_ids and all(f"Fixed** in {sha3[:7]}" in after[i] for i in sql_ids)
                assert set(after) == set(first)
                assert run3.conclusion != "failure"
                gh.assert_no_rejections()

    run(scenario())


def test_rerun_creates_a_new_check_run_on_the_same_sha(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                (first,) = await until(lambda: completed_runs(gh, pull.head_sha))
                await settle(gh)
                # A fork PR's re-run payload lists no pull request: external_id finds it.
                status, _ = await app.deliver(*gh.webhook(
                    "check_run", "rerequested", check_run=first, pull=pull))
                assert status == 202
                runs = await until(lambda: completed_runs(gh, pull.head_sha)[1:],
                                   what="second run")
                await settle(gh)
                assert runs[0].id != first.id and runs[0].conclusion == "failure"
                assert len(gh.reviews(pull)) == 1  # nothing new to comment
                gh.assert_no_rejections()

    run(scenario())


def test_a_newer_push_supersedes_the_running_review(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            old_sha = pull.head_sha
            gh.delay("GET", "*", seconds=5, times=1, target="codeload")
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                await until(lambda: gh.check_runs(head_sha=old_sha), what="first run")
                new_sha = gh.push(pull, changes={"README.md": "# svc\n\nDocs.\n"})
                await app.deliver(*gh.webhook("pull_request", "synchronize", pull=pull))
                (new,) = await until(lambda: completed_runs(gh, new_sha), what="new run")
                (old,) = await until(lambda: completed_runs(gh, old_sha), what="old run")
                await settle(gh)
                assert old.conclusion == "cancelled"
                assert f"newer push ({new_sha[:7]})" in (old.output_summary or "")
                assert new.conclusion in ("failure", "success", "neutral")
                gh.assert_no_rejections()

    run(scenario())


def test_bad_signature_is_refused_and_nothing_is_posted(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            async with running_app(gh, tmp_path) as app:
                headers, body = gh.webhook("pull_request", "opened", pull=pull)
                forged = dict(headers, **{"X-Hub-Signature-256": "sha256=" + "0" * 64})
                assert (await app.deliver(forged, body))[0] == 401
                sha1_only = {k: v for k, v in headers.items()
                             if k.lower() != "x-hub-signature-256"}
                sha1_only["X-Hub-Signature"] = "sha1=" + "0" * 40
                assert (await app.deliver(sha1_only, body))[0] == 401
                tampered = body.replace(b'"opened"', b'"reopened"')
                assert (await app.deliver(headers, tampered))[0] == 401
                await asyncio.sleep(1)
                assert gh.requests == []

    run(scenario())


def test_invalid_config_on_the_base_branch_is_explained(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            files = dict(BASE)
            files[".github/archreview.yml"] = "blocking:\n  scope: everywhere\n"
            repo = gh.add_repo("octo/svc", files)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE,
                                              ".github/archreview.yml": "disable: [SEC-08]\n"})
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                (run_,) = await until(lambda: completed_runs(gh, pull.head_sha))
                summary = run_.output_summary or ""
                assert re.search(r"blocking\.scope \(line 2\)", summary), summary[:500]
                assert "edits `.github/archreview.yml`" in summary
                # The PR's own edit (disabling SEC-08) does not apply: it still blocks.
                assert run_.conclusion == "failure"

    run(scenario())


def test_ping_redelivery_and_malformed_deliveries(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            async with running_app(gh, tmp_path) as app:
                ping = gh.webhook("ping", repo=repo, installation=REMOVE)
                status, body = await app.deliver(*ping)
                assert status == 200 and body["msg"] == "pong"
                headers, payload = gh.webhook("pull_request", "opened", pull=pull)
                assert (await app.deliver(headers, payload))[0] == 202
                status, body = await app.deliver(headers, payload)  # "Redeliver"
                assert status == 200 and body["status"] == "duplicate delivery"
                # A second delivery for the same head SHA (different ID) is a duplicate job.
                assert (await app.deliver(*gh.webhook("pull_request", "reopened",
                                                      pull=pull)))[0] == 202
                await until(lambda: completed_runs(gh, pull.head_sha))
                await settle(gh)
                assert len(gh.check_runs(head_sha=pull.head_sha)) == 1
                assert len(gh.reviews(pull)) == 1
                status, _ = await app.get("/healthz")
                assert status == 200

    run(scenario())
