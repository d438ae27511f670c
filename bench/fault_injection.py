"""Fault-injection run: many pull request events against the fake GitHub while it fails.

    .venv/bin/python bench/fault_injection.py [--prs 200] [--error-rate 0.20] [--limit-rate 0.05]

The fake answers ``--error-rate`` of the app's API requests with a 502 or a connection reset
(half each) and ``--limit-rate`` with a secondary rate limit (``retry-after: 1``). Each pull
request gets an ``opened`` delivery and, for half of them, a ``synchronize`` after a push, half
of those delivered twice (GitHub's "Redeliver"). At the end it checks, and prints:

- every head SHA has exactly one completed check run, and none is left in progress;
- no inline comment was posted twice (same pull request, same finding marker);
- at most one review per pull request and head SHA.

Exit status 0 when all hold. A run by hand, not a test: it takes a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.harness import running_app
from tests.e2e.test_review_flow import BASE, VULNERABLE
from tests.fake_github import FakeGitHub, Fault

_MARKER = re.compile(r"archreview:finding fp=([0-9a-f]+)")


async def run(prs: int, error_rate: float, limit_rate: float, workdir: Path,
              timeout: float = 900) -> int:
    async with FakeGitHub.start(seed=7, secondary_per_minute=None,
                                secondary_per_hour=None) as gh:
        pulls = []
        for i in range(prs):
            repo = gh.add_repo(f"org{i % 20}/svc{i}", BASE)
            pulls.append(gh.add_pull(repo, changes={"app/main.py": VULNERABLE}))
        half = error_rate / 2
        gh.inject(Fault("status", "*", re.compile(r"^/repos/"), None, half, seed=1, status=502))
        gh.inject(Fault("reset", "*", re.compile(r"^/repos/"), None, half / (1 - half), seed=2))
        gh.inject(Fault("secondary_rate_limit", "*", re.compile(r"^/repos/"), None,
                        limit_rate / (1 - error_rate), seed=3, status=429, retry_after=1))
        started = time.perf_counter()
        async with running_app(gh, workdir, WORKERS="4", LOG_LEVEL="warning") as app:
            deliveries = [gh.webhook("pull_request", "opened", pull=p) for p in pulls]
            await asyncio.gather(*(app.deliver(h, b) for h, b in deliveries))
            pushed = []
            for p in pulls[::2]:
                gh.push(p, changes={"README.md": "# svc\n\nChanged.\n"})
                delivery = gh.webhook("pull_request", "synchronize", pull=p)
                await app.deliver(*delivery)
                if len(pushed) % 2 == 0:
                    await app.deliver(*delivery)  # a redelivery, same X-GitHub-Delivery
                pushed.append(p)
            heads = {(p.repo.key, sha) for p in pulls for sha in (p.head_sha,)}
            deadline = time.monotonic() + timeout
            shown = time.monotonic()
            while time.monotonic() < deadline:
                done = {(r.repo.key, r.head_sha) for r in gh.check_runs()
                        if r.status == "completed"}
                if heads <= done and all(r.status == "completed" for r in gh.check_runs()):
                    break
                if time.monotonic() - shown > 15:
                    shown = time.monotonic()
                    print(f"  … {len(heads & done)}/{len(heads)} head SHAs completed", flush=True)
                await asyncio.sleep(0.5)
            await asyncio.sleep(3)
        elapsed = time.perf_counter() - started
        runs = gh.check_runs()
        per_sha = collections.Counter((r.repo.key, r.head_sha) for r in runs
                                      if r.status == "completed")
        superseded = sum(1 for r in runs if r.conclusion == "cancelled")
        latest_ok = sum(1 for key in heads if per_sha.get(key) == 1)
        stuck = [r for r in runs if r.status != "completed"]
        dup_comments = 0
        dup_reviews = 0
        for p in pulls:
            fps = collections.Counter(m.group(1) for c in gh.review_comments(p)
                                      for m in [_MARKER.search(c.body)] if m)
            dup_comments += sum(n - 1 for n in fps.values() if n > 1)
            shas = collections.Counter(r.commit_id for r in gh.reviews(p))
            dup_reviews += sum(n - 1 for n in shas.values() if n > 1)
        faults = collections.Counter(r.fault for r in gh.requests if r.fault)
        twice = sum(1 for n in per_sha.values() if n > 1)
        print(f"{prs} pull requests, {len(pushed)} pushes ({len(pushed[::2])} redelivered), "
              f"{len(gh.requests)} API requests in {elapsed:.1f} s")
        print(f"faults injected: {dict(faults)}")
        print(f"head SHAs with exactly one completed check run: {latest_ok}/{len(heads)} "
              f"(older heads superseded: {superseded})")
        print(f"check runs left in progress: {len(stuck)}; SHAs with two completed runs: {twice}")
        print(f"duplicated inline comments: {dup_comments}; duplicated reviews: {dup_reviews}")
        ok = latest_ok == len(heads) and not stuck and not twice and not dup_comments \
            and not dup_reviews
        for r in stuck[:10]:
            print(f"  stuck: {r.repo.key} {r.head_sha[:7]} {r.status} {r.output_title!r}")
        print("OK" if ok else "FAILED")
        return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prs", type=int, default=200)
    parser.add_argument("--error-rate", type=float, default=0.20)
    parser.add_argument("--limit-rate", type=float, default=0.05)
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds to wait for every check run to complete")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(run(args.prs, args.error_rate, args.limit_rate, Path(tmp),
                               args.timeout))


if __name__ == "__main__":
    sys.exit(main())
