"""Benchmark: the GitHub App's latencies against the fake GitHub, over real HTTP.

    .venv/bin/python bench/webhook_latency.py [--files 500] [--deliveries 200]

1. Review latency: a pull request on a repository of ``--files`` real Python files (taken from
   the Django package installed by ``bench/review_large_tree.py``), from the webhook being
   answered to the check run being completed, median of 5 pushes.
2. Webhook answer latency: ``--deliveries`` signed ``pull_request`` deliveries for different
   pull requests sent at once (all in flight together); the time until each is answered,
   p50/p99/max, while the reviews they queue run in the background.

A run by hand, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.review_large_tree import WORK, ensure_tree
from tests.e2e.harness import completed_runs, running_app, until
from tests.fake_github import FakeGitHub


def repo_files(count: int) -> dict[str, bytes]:
    site = ensure_tree(WORK / "site")
    paths = sorted((site / "django").rglob("*.py"))[:count]
    files = {f"src/{p.relative_to(site).as_posix()}": p.read_bytes() for p in paths}
    files["README.md"] = b"# bench\n"
    return files


async def review_latency(gh: FakeGitHub, app: object, files: dict[str, bytes]) -> list[float]:
    repo = gh.add_repo("bench/big", files)
    python = sorted(p for p in files if p.endswith(".py"))
    target = python[len(python) // 2]
    pull = gh.add_pull(repo, changes={target: files[target] + b"\n\ndef added(x):\n"
                                                           b"    return eval(x)\n"})
    times = []
    for i in range(5):
        if i:
            gh.push(pull, changes={target: files[target] + f"\n\nX{i} = {i}\n".encode()})
        event = "opened" if i == 0 else "synchronize"
        start = time.perf_counter()
        await app.deliver(*gh.webhook("pull_request", event, pull=pull))  # type: ignore[attr-defined]
        await until(lambda: completed_runs(gh, pull.head_sha), timeout=300)
        times.append(time.perf_counter() - start)
    return times


async def answer_latency(gh: FakeGitHub, app: object, deliveries: int) -> list[float]:
    repo = gh.add_repo("bench/small", {"app/main.py": "x = 1\n", "README.md": "# s\n"})
    pulls = [gh.add_pull(repo, changes={"app/main.py": f"x = {i}\n"}) for i in range(deliveries)]
    signed = [gh.webhook("pull_request", "opened", pull=p) for p in pulls]

    async def one(headers: dict[str, str], body: bytes) -> float:
        start = time.perf_counter()
        status, _ = await app.deliver(headers, body)  # type: ignore[attr-defined]
        if status != 202:
            raise SystemExit(f"delivery answered {status}")
        return time.perf_counter() - start

    return list(await asyncio.gather(*(one(h, b) for h, b in signed)))


async def main_async(files: int, deliveries: int, workdir: Path) -> None:
    tree = repo_files(files)
    async with (
        FakeGitHub.start(secondary_per_minute=None, secondary_per_hour=None,
                         rate_limit=1_000_000) as gh,
        running_app(gh, workdir, LOG_LEVEL="warning", WORKERS="2") as app,
    ):
        reviews = await review_latency(gh, app, tree)
        answers = await answer_latency(gh, app, deliveries)
    py = sum(1 for p in tree if p.endswith(".py"))
    print(f"review: {py} Python files, webhook -> check run completed: median "
          f"{statistics.median(reviews):.2f} s (min {min(reviews):.2f}, max {max(reviews):.2f}, "
          f"5 pushes)")
    answers.sort()
    p50 = answers[len(answers) // 2] * 1000
    p99 = answers[min(len(answers) - 1, int(len(answers) * 0.99))] * 1000
    print(f"webhook answers with {deliveries} deliveries in flight: p50 {p50:.1f} ms, "
          f"p99 {p99:.1f} ms, max {answers[-1] * 1000:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--deliveries", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(main_async(args.files, args.deliveries, Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
