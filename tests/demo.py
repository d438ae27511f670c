"""Demo: the GitHub App reviewing a pull request, with no GitHub account.

    .venv/bin/python -m tests.demo

Starts the fake GitHub used by the tests with the bundled example repository
(``examples/shop``) and a pull request carrying ``examples/shop.diff``, runs the real
``archreview serve`` against it, delivers a signed ``pull_request`` ``opened`` webhook, and
prints the check run it completed (conclusion, annotations, summary) and the inline review
comments it posted.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

from tests.e2e.harness import completed_runs, running_app, settle, until
from tests.fake_github import FakeGitHub, sign

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "shop"
CHANGE = ROOT / "examples" / "shop.diff"


def _read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _base_tree(workdir: Path) -> dict[str, bytes]:
    """The example before the change: the head with the diff reversed (``git apply -R``)."""
    base = workdir / "base"
    shutil.copytree(EXAMPLE, base)
    subprocess.run(["git", "apply", "-R", str(CHANGE)], cwd=base, check=True)  # noqa: S607
    return _read_tree(base)


def _delivery(gh: FakeGitHub, pull: Any) -> tuple[dict[str, str], bytes]:
    """A signed ``pull_request`` ``opened`` delivery with the fields the app reads."""
    repo = pull.repo
    payload = {
        "action": "opened",
        "number": pull.number,
        "pull_request": {
            "number": pull.number,
            "draft": False,
            "user": {"login": pull.author.login, "type": "User"},
            "head": {"sha": pull.head_sha, "ref": pull.head_ref},
            "base": {"sha": pull.base_sha, "ref": pull.base_ref},
        },
        "repository": {"name": repo.name, "full_name": f"{repo.owner.login}/{repo.name}",
                       "owner": {"login": repo.owner.login}},
        "installation": {"id": gh.installation(repo).id},
        "sender": {"login": pull.author.login, "type": "User"},
    }
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "pull_request",
        "X-GitHub-Delivery": str(uuid.uuid4()),
        "X-Hub-Signature-256": sign(body, gh.app.webhook_secret or ""),
    }
    return headers, body


async def demo(workdir: Path) -> int:
    async with FakeGitHub.start() as gh:
        repo = gh.add_repo("acme/shop", _base_tree(workdir))
        pull = gh.add_pull(repo, head_files=_read_tree(EXAMPLE), author="dev",
                           title="Search orders and refund them")
        print(f"fake GitHub at {gh.url}; pull request acme/shop#{pull.number} "
              f"at {pull.head_sha[:7]}")
        async with running_app(gh, workdir) as app:
            status, _ = await app.deliver(*_delivery(gh, pull))
            print(f"webhook delivered: HTTP {status}; waiting for the check run…\n")
            (run,) = await until(lambda: completed_runs(gh, pull.head_sha), timeout=120)
            await settle(gh)
        print(f"== check run “{run.name}”: {run.conclusion} — {run.output_title}")
        print(f"   {len(run.annotations)} annotations, e.g.:")
        for a in run.annotations[:8]:
            print(f"   {a.annotation_level:8s} {a.path}:{a.start_line}  {a.title}")
        print("\n== summary (Markdown, as GitHub shows it) ==\n")
        print(run.output_summary)
        comments = gh.review_comments(pull)
        print(f"\n== {len(gh.reviews(pull))} review, {len(comments)} inline comments ==")
        for c in comments:
            first = c.body.splitlines()[0]
            print(f"\n{c.path}:{c.line}  {first}")
            for line in c.body.splitlines()[1:]:
                if line.strip() and not line.startswith("<!--"):
                    print(f"    {line}")
    return 0


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="archreview-demo-") as tmp:
        return asyncio.run(demo(Path(tmp)))


if __name__ == "__main__":
    sys.exit(main())
