"""Whatever reaches the webhook URL gets a clear 4xx or a logged skip, never a 500 or a crash;
GitHub rejecting a review still ends with exactly one review."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.e2e.harness import completed_runs, running_app, settle, until
from tests.e2e.test_review_flow import BASE, VULNERABLE
from tests.fake_github import FakeGitHub, sign


def test_malformed_deliveries_get_clear_4xx_and_the_app_keeps_serving(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            secret = gh.app.webhook_secret or ""
            async with running_app(gh, tmp_path, WEBHOOK_MAX_BYTES="1048576") as app:
                headers, body = gh.webhook("pull_request", "opened", pull=pull)

                def signed(b: bytes, **extra: str) -> dict[str, str]:
                    h = {k: v for k, v in headers.items()
                         if k.lower() not in ("x-hub-signature-256", "x-github-delivery")}
                    h["X-Hub-Signature-256"] = sign(b, secret)
                    h["X-GitHub-Delivery"] = f"d-{len(b)}-{len(extra)}-{hash(b) & 0xffff}"
                    h.update(extra)
                    return h

                no_sig = {k: v for k, v in headers.items() if k.lower() != "x-hub-signature-256"}
                assert (await app.deliver(no_sig, body))[0] == 401
                no_event = {k: v for k, v in signed(body).items() if k != "X-GitHub-Event"}
                assert (await app.deliver(no_event, body))[0] == 400
                form = signed(body, **{"Content-Type": "application/x-www-form-urlencoded"})
                assert (await app.deliver(form, body))[0] == 415
                assert (await app.deliver(signed(b"{not json"), b"{not json"))[0] == 400
                assert (await app.deliver(signed(b"[1, 2]"), b"[1, 2]"))[0] == 400
                deep = b"[" * 100_000 + b"]" * 100_000
                assert (await app.deliver(signed(deep), deep))[0] == 400
                huge = b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
                assert (await app.deliver(signed(huge), huge))[0] == 413
                # Unexpected shapes: accepted, logged, skipped.
                odd = json.dumps({"action": "opened", "pull_request": None}).encode()
                assert (await app.deliver(signed(odd), odd))[0] == 202
                await asyncio.sleep(0.5)
                status, _ = await app.get("/readyz")
                assert status == 200
                assert "payload skipped" in app.logs
                assert '"level": "error"' not in app.logs, app.logs[-2000:]
                assert gh.check_runs() == []

    asyncio.run(scenario())


def test_fork_pr_with_deleted_head_repo_and_unicode_title(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE}, fork_owner="mallory",
                               title="naïve café 🚀 fix")
            async with running_app(gh, tmp_path) as app:
                headers, body = gh.webhook("pull_request", "opened", pull=pull)
                data = json.loads(body)
                data["pull_request"]["head"]["repo"] = None  # the fork was deleted
                raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
                assert "🚀".encode() in raw
                headers = dict(headers, **{"X-Hub-Signature-256": sign(
                    raw, gh.app.webhook_secret or "")})
                assert (await app.deliver(headers, raw))[0] == 202
                (run_,) = await until(lambda: completed_runs(gh, pull.head_sha))
                assert run_.conclusion == "failure"

    asyncio.run(scenario())


def test_check_run_rerequest_without_pull_requests_uses_external_id(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE}, fork_owner="mallory")
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                (first,) = await until(lambda: completed_runs(gh, pull.head_sha))
                await settle(gh)
                headers, body = gh.webhook("check_run", "rerequested", check_run=first)
                data = json.loads(body)
                data["check_run"]["pull_requests"] = []
                raw = json.dumps(data).encode()
                headers = dict(headers, **{"X-Hub-Signature-256": sign(
                    raw, gh.app.webhook_secret or "")})
                assert (await app.deliver(headers, raw))[0] == 202
                await until(lambda: completed_runs(gh, pull.head_sha)[1:], what="re-run")

    asyncio.run(scenario())


def test_a_rejected_review_still_ends_with_exactly_one_review(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh:
            repo = gh.add_repo("octo/svc", BASE)
            pull = gh.add_pull(repo, changes={"app/main.py": VULNERABLE})
            gh.fail("POST", "/repos/*/pulls/*/reviews", status=422, times=1)
            async with running_app(gh, tmp_path) as app:
                await app.deliver(*gh.webhook("pull_request", "opened", pull=pull))
                await until(lambda: completed_runs(gh, pull.head_sha))
                await settle(gh)
                (review,) = gh.reviews(pull)
                assert "SEC-08" in review.body  # the findings moved into the review body
                assert gh.review_comments(pull) == []

    asyncio.run(scenario())


async def _raw_post(url: str, head_lines: list[str], body: bytes) -> bytes:
    """Send a request by hand over a socket (headers that do not match the body included) and
    return what the server answers before it closes, or b"" after 10 s of silence."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(("\r\n".join(head_lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(4096), timeout=10)
    except TimeoutError:
        return b""
    finally:
        writer.close()


def test_a_slow_or_oversized_body_is_refused_without_waiting_for_it(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with (FakeGitHub.start(strict=True) as gh,
                    running_app(gh, tmp_path, WEBHOOK_MAX_BYTES="1048576",
                                WEBHOOK_READ_SECONDS="1") as app):
            head = ["POST /webhook HTTP/1.1", "Host: x", "Content-Type: application/json",
                    "X-GitHub-Event: ping", "X-GitHub-Delivery: slow-1"]
            slow = await _raw_post(app.url, [*head, "Content-Length: 1000"], b'{"zen"')
            assert slow.startswith(b"HTTP/1.1 408"), slow
            huge = await _raw_post(app.url, [*head, "Content-Length: 999999999999"], b"{")
            assert huge.startswith(b"HTTP/1.1 413"), huge
            status, _ = await app.get("/readyz")
            assert status == 200

    asyncio.run(scenario())
