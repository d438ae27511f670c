"""SIGTERM drains the work in hand; what cannot finish ends as a completed check run saying it
was interrupted, with a Re-run button."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from tests.e2e.harness import completed_runs, running_app, until
from tests.e2e.test_review_flow import BASE, VULNERABLE
from tests.fake_github import FakeGitHub


def test_sigterm_ends_an_unfinished_review_as_interrupted(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            gh.delay("GET", "*", seconds=30, times=1, target="codeload")
            async with running_app(gh, tmp_path, DRAIN_SECONDS="1") as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                await until(lambda: gh.check_runs(head_sha=pull.head_sha), what="run created")
                await asyncio.sleep(0.5)
                code = await app.stop()
                assert code == 0, app.logs
            (run_,) = completed_runs(gh, pull.head_sha)
            assert run_.conclusion == "neutral"
            assert "restarting" in (run_.output_summary or "")
            assert [a["identifier"] for a in run_.actions] == ["rerun-review"]

    asyncio.run(scenario())


def test_sigterm_lets_a_short_review_finish(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            gh.delay("GET", "*", seconds=1, times=1, target="codeload")
            async with running_app(gh, tmp_path, DRAIN_SECONDS="20") as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                await until(lambda: gh.check_runs(head_sha=pull.head_sha), what="run created")
                assert await app.stop() == 0
            (run_,) = completed_runs(gh, pull.head_sha)
            assert run_.conclusion == "failure"  # finished normally during the drain

    asyncio.run(scenario())


def test_a_crash_mid_review_leaves_nothing_in_progress(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            old_sha = pull.head_sha
            gh.delay("GET", "*", seconds=30, times=1, target="codeload")
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                await until(lambda: gh.check_runs(head_sha=old_sha), what="run created")
                await app.stop(signal.SIGKILL)
            (orphan,) = gh.check_runs(head_sha=old_sha)
            assert orphan.status == "in_progress"
            gh.clear_faults()
            new_sha = gh.push(pull, changes={"README.md": "# svc\n\nAfter the crash.\n"})
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "synchronize", pull=pull,
                                              before=old_sha, after=new_sha))
                await until(lambda: completed_runs(gh, new_sha), what="new run")
                (orphan,) = await until(lambda: completed_runs(gh, old_sha), what="swept")
            assert orphan.conclusion == "cancelled"
            assert f"newer push ({new_sha[:7]})" in (orphan.output_summary or "")

    asyncio.run(scenario())


def test_a_rerun_after_a_crash_completes_the_orphaned_run(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            gh.delay("GET", "*", seconds=30, times=1, target="codeload")
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                await until(lambda: gh.check_runs(head_sha=pull.head_sha), what="run created")
                await app.stop(signal.SIGKILL)
            gh.clear_faults()
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "reopened", pull=pull))
                runs = await until(lambda: completed_runs(gh, pull.head_sha)[1:], what="both")
            assert all(r.status == "completed" for r in gh.check_runs(head_sha=pull.head_sha))
            assert sorted(r.conclusion for r in gh.check_runs(head_sha=pull.head_sha)) == [
                "failure", "neutral"]
            assert runs

    asyncio.run(scenario())


def test_a_port_already_taken_is_a_clear_error_not_a_started_app(tmp_path: Path) -> None:
    import os
    import socket
    import subprocess

    from tests.e2e.harness import APP_BIN
    from tests.fake_github.auth import default_key_pair

    private_key, _public = default_key_pair()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [str(APP_BIN), "serve"], capture_output=True, text=True, timeout=30,
            env={"PATH": os.environ.get("PATH", ""), "GITHUB_APP_ID": "1",
                 "GITHUB_PRIVATE_KEY": private_key, "GITHUB_WEBHOOK_SECRET": "s",
                 "HOST": "127.0.0.1", "PORT": str(port), "LOG_FORMAT": "json"})
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert '"listening"' not in done.stdout + done.stderr
