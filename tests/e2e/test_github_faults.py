"""GitHub's bad days, through the real server: retries, rate limits, expired tokens, a head
SHA not yet visible, an HTML body instead of a tarball. Every PR still ends with exactly one
completed check run per head SHA and no duplicated comment."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.e2e.harness import completed_runs, running_app, settle, until
from tests.e2e.test_review_flow import BASE, VULNERABLE
from tests.fake_github import FakeGitHub


def _one_review(gh: FakeGitHub, pull: object) -> None:
    assert len(gh.reviews(pull)) == 1  # type: ignore[arg-type]
    bodies = [c.body for c in gh.review_comments(pull)]  # type: ignore[arg-type]
    assert len(bodies) == len(set(bodies)), "a comment was posted twice"


def test_5xx_resets_and_secondary_rate_limits_are_retried(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            gh.fail("POST", "/repos/*/check-runs", status=502, times=2)
            gh.drop_connection("GET", "/repos/*/pulls/*", times=2)
            gh.fail("PATCH", "/repos/*/check-runs/*", status=503, times=1)
            gh.secondary_rate_limit("POST", "/repos/*/pulls/*/reviews", status=429,
                                    retry_after=1, times=1)
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                (run_,) = await until(lambda: completed_runs(gh, pull.head_sha), timeout=90)
                await settle(gh, quiet=2)
                assert run_.conclusion == "failure"
                assert len(gh.check_runs(head_sha=pull.head_sha)) == 1
                _one_review(gh, pull)
                faults = [r for r in gh.requests if r.fault]
                assert len(faults) >= 6, [(r.method, r.path, r.fault) for r in faults]

    asyncio.run(scenario())


def test_primary_rate_limit_waits_for_the_reset(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            gh.primary_rate_limit("GET", "/repos/*/contents/*", reset_in=2, times=1)
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                (run_,) = await until(lambda: completed_runs(gh, pull.head_sha), timeout=90)
                assert run_.conclusion == "failure"

    asyncio.run(scenario())


def test_expired_token_is_refreshed_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                await until(lambda: completed_runs(gh, pull.head_sha))
                await settle(gh)
                gh.expire_tokens()
                sha2 = gh.push(pull, changes={"README.md": "# svc\n\nMore.\n"})
                await app.deliver(*gh.webhook("pull_request", "synchronize", pull=pull))
                (run2,) = await until(lambda: completed_runs(gh, sha2))
                await settle(gh)
                assert run2.conclusion in ("success", "failure", "neutral")
                token_requests = [r for r in gh.requests if r.path.endswith("/access_tokens")]
                assert len(token_requests) == 2  # one per token lifetime, not per delivery
                _one_review(gh, pull)

    asyncio.run(scenario())


def test_head_sha_not_yet_visible_is_retried_briefly(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            gh.not_found_first("GET", "/repos/*/tarball/*", times=2)
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                (run_,) = await until(lambda: completed_runs(gh, pull.head_sha))
                assert run_.conclusion == "failure"

    asyncio.run(scenario())


def test_html_instead_of_a_tarball_ends_the_run_with_an_explanation(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            gh.set_tarball(repo, pull.head_sha, b"<html><body>Whoa there!</body></html>")
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                (run_,) = await until(lambda: completed_runs(gh, pull.head_sha))
                assert run_.conclusion == "neutral"
                assert "tarball could not be read" in (run_.output_summary or "")
                assert [a["identifier"] for a in run_.actions][:1] == ["rerun-review"]
                await settle(gh)
                assert gh.reviews(pull) == []

    asyncio.run(scenario())


def test_a_github_outage_ends_the_run_completed_not_in_progress(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            gh.fail("GET", "/repos/*/pulls/*", status=502, times=None)
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                (run_,) = await until(lambda: completed_runs(gh, pull.head_sha), timeout=150)
                assert run_.conclusion == "neutral"
                assert "HTTP 502" in (run_.output_summary or "")
                status, _ = await app.get("/readyz")
                assert status == 200  # the app keeps serving

    asyncio.run(scenario())


def test_a_diff_too_large_falls_back_to_the_files_api(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True, max_diff_lines=40,
                                    file_patch_max_lines=30) as gh:
            big = "".join(f"VALUE_{i} = {i}\n" for i in range(60))
            files = dict(BASE, **{"app/data.py": "X = 0\n"})
            repo = gh.add_repo("octo/svc", files)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE, "app/data.py": big})
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                (run_,) = await until(lambda: completed_runs(gh, pull.head_sha))
                await settle(gh)
                summary = run_.output_summary or ""
                assert "too large for GitHub's diff endpoint" in summary
                assert "no patch for 1 large file(s) (`app/data.py`)" in summary
                assert run_.conclusion == "failure"  # the SQL injection is still found
                assert any(c.line == 13 and "SEC-08" in c.body for c in gh.review_comments(pull))
                gh.assert_no_rejections()

    asyncio.run(scenario())
