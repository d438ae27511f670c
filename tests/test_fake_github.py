"""The fake GitHub, driven over real HTTP as the app will drive it: every rule it enforces.

Each test runs its own fake (strict mode: every response the fake builds is checked against
GitHub's documented schema) and talks to it with one ``aiohttp.ClientSession``, as the app does.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import hmac
import io
import json
import tarfile
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import gidgethub
import gidgethub.apps
import jwt
import pytest
import structlog
from gidgethub.aiohttp import GitHubAPI

from tests.fake_github import (
    REMOVE,
    FakeGitHub,
    FakeGitHubError,
    ParsedDiff,
    make_tarball,
    tarball_prefix,
    unified_diff,
    webhook,
)
from tests.fake_github import webhooks as webhooks_module
from tests.fake_github.auth import generate_key_pair
from tests.fake_github.schemas import REST_API_FILE, ApiSchemas
from tests.fake_github.state import PullRequest, Repo

needs_schemas = pytest.mark.skipif(
    not REST_API_FILE.is_file(), reason=f"GitHub's REST schemas are missing: {REST_API_FILE}"
)

SERVICE = "".join(f"line {n}\n" for n in range(1, 21))
# Two hunks: line 2 replaced (hunk 0: new lines 1-5) and a line added after 18 (hunk 1).
CHANGED = SERVICE.replace("line 2\n", "line two\n").replace("line 18\n", "line 18\nadded\n")


def run(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(test())


@dataclass
class Env:
    """A fake with one repository, one pull request and a live installation token."""

    gh: FakeGitHub
    http: aiohttp.ClientSession
    repo: Repo
    pull: PullRequest
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def url(self, path: str) -> str:
        return f"{self.gh.url}/repos/{self.repo.full_name}{path}"

    async def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any, aiohttp.ClientResponse]:
        url = path if path.startswith("http") else self.url(path)
        async with self.http.request(
            method, url, json=body, headers={**self.auth, **(headers or {})}
        ) as response:
            text = await response.text()
            try:
                data = json.loads(text) if text else None
            except ValueError:
                data = text
            return response.status, data, response


async def get_token(http: aiohttp.ClientSession, gh: FakeGitHub, installation_id: int) -> str:
    async with http.post(
        f"{gh.url}/app/installations/{installation_id}/access_tokens",
        headers={"Authorization": f"Bearer {gh.app_jwt()}"},
    ) as response:
        assert response.status == 201, await response.text()
        token: str = (await response.json())["token"]
        return token


@asynccontextmanager
async def environment(**settings: Any) -> AsyncIterator[Env]:
    settings.setdefault("strict", True)
    async with FakeGitHub.start(**settings) as gh, aiohttp.ClientSession() as http:
        repo = gh.add_repo("octo/svc", {"app/service.py": SERVICE, "README.md": "# svc\n"})
        pull = gh.add_pull(repo, changes={"app/service.py": CHANGED}, author="alice")
        token = await get_token(http, gh, gh.installation(repo).id)
        yield Env(gh, http, repo, pull, token)


def make_annotations(count: int, path: str = "app/service.py") -> list[dict[str, Any]]:
    return [
        {
            "path": path,
            "start_line": n + 1,
            "end_line": n + 1,
            "annotation_level": "warning",
            "message": f"finding {n}",
        }
        for n in range(count)
    ]


# -- app authentication ----------------------------------------------------------------------


def test_access_token_requires_a_jwt_signed_by_the_app_key() -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh, aiohttp.ClientSession() as http:
            repo = gh.add_repo("octo/svc")
            installation = gh.installation(repo)
            url = f"{gh.url}/app/installations/{installation.id}/access_tokens"
            now = int(gh.now())
            app = gh.app
            other_key, _ = generate_key_pair()

            async def ask(
                claims: dict[str, Any], key: str = app.private_key_pem
            ) -> tuple[int, Any]:
                token = jwt.encode(claims, key, algorithm="RS256")
                async with http.post(url, headers={"Authorization": f"Bearer {token}"}) as r:
                    return r.status, await r.json()

            iss = str(app.id)
            status, body = await ask({"iat": now - 60, "exp": now + 600, "iss": iss})
            assert status == 201
            assert body["token"].startswith("ghs_") and body["expires_at"].endswith("Z")
            assert (await ask({"iat": now + 30, "exp": now + 300, "iss": iss}))[0] == 201
            assert (await ask({"iat": now, "exp": now + 300, "iss": app.client_id}))[0] == 201
            refused = {
                "signed by another key": ({"iat": now, "exp": now + 60, "iss": iss}, other_key),
                "iat in the future": ({"iat": now + 120, "exp": now + 300, "iss": iss}, None),
                "exp too far": ({"iat": now, "exp": now + 660, "iss": iss}, None),
                "expired": ({"iat": now - 700, "exp": now - 100, "iss": iss}, None),
                "unknown issuer": ({"iat": now, "exp": now + 60, "iss": "999"}, None),
                "no iat": ({"exp": now + 60, "iss": iss}, None),
            }
            messages = {}
            for case, (claims, key) in refused.items():
                status, body = await ask(claims, key or app.private_key_pem)
                assert status == 401, case
                messages[case] = body["message"]
            assert messages == {
                "signed by another key": "A JSON web token could not be decoded",
                "iat in the future": "'Issued at' claim ('iat') must be an Integer representing "
                "a time in the past",
                "exp too far": "'Expiration time' claim ('exp') is too far in the future",
                "expired": "'Expiration time' claim ('exp') must be a numeric value representing "
                "the future time at which the assertion expires",
                "unknown issuer": "Integration not found",
                "no iat": "'Issued at' claim ('iat') must be an Integer representing a time in "
                "the past",
            }
            installation_token = gh.issue_token(installation)
            async with http.post(
                url, headers={"Authorization": f"token {installation_token}"}
            ) as r:
                assert r.status == 401
            other = gh.add_app(slug="other-app")
            async with http.post(
                url, headers={"Authorization": f"Bearer {gh.app_jwt(other)}"}
            ) as response:
                assert response.status == 404  # an installation of another app

    run(scenario)


def test_repo_endpoints_need_a_live_installation_token() -> None:
    async def scenario() -> None:
        async with environment() as env:
            assert (await env.call("GET", "/pulls/1"))[0] == 200
            status, body, _ = await env.call("GET", "/pulls/1", headers={"Authorization": ""})
            assert (status, body["message"]) == (401, "Requires authentication")
            status, body, _ = await env.call(
                "GET", "/pulls/1", headers={"Authorization": "token ghs_forged"}
            )
            assert (status, body["message"]) == (401, "Bad credentials")
            jwt_header = {"Authorization": f"Bearer {env.gh.app_jwt()}"}
            assert (await env.call("GET", "/pulls/1", headers=jwt_header))[0] == 401

            assert env.gh.expire_tokens() == 1
            status, body, _ = await env.call("GET", "/pulls/1")
            assert (status, body["message"]) == (401, "Bad credentials")

            env.token = await get_token(env.http, env.gh, env.gh.installation(env.repo).id)
            assert (await env.call("GET", "/pulls/1"))[0] == 200
            env.gh.advance(3601)  # installation tokens live one hour
            assert (await env.call("GET", "/pulls/1"))[0] == 401
            assert [r.auth for r in env.gh.auth_failures] == ["none", "invalid", "invalid"] + [
                "invalid"
            ] * 2

            env.gh.add_repo("elsewhere/lib", install=False)
            env.gh.advance(-3601)
            env.token = await get_token(env.http, env.gh, env.gh.installation(env.repo).id)
            status, _, _ = await env.call("GET", f"{env.gh.url}/repos/elsewhere/lib/pulls/1")
            assert status == 404  # GitHub hides repositories the installation cannot see

    run(scenario)


def test_token_lifetime_is_configurable() -> None:
    async def scenario() -> None:
        async with environment(token_lifetime=5) as env:
            assert (await env.call("GET", "/pulls/1"))[0] == 200
            env.gh.advance(6)
            assert (await env.call("GET", "/pulls/1"))[0] == 401

    run(scenario)


def test_installation_permissions_are_enforced() -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh, aiohttp.ClientSession() as http:
            installation = gh.add_installation("octo", permissions={"checks": "read"})
            repo = gh.add_repo("octo/svc", {"a.py": "x\n"}, installation=installation)
            token = await get_token(http, gh, installation.id)
            async with http.post(
                f"{gh.url}/repos/octo/svc/check-runs",
                json={"name": "archreview", "head_sha": repo.branches["main"]},
                headers={"Authorization": f"token {token}"},
            ) as response:
                body = await response.json()
                assert (response.status, body["message"]) == (
                    403,
                    "Resource not accessible by integration",
                )
            assert [(r.kind, r.status) for r in gh.rejections] == [("permission", 403)]

    run(scenario)


# -- check runs --------------------------------------------------------------------------------


@pytest.mark.parametrize("schemas", [True, False], ids=["with-schemas", "rules-only"])
def test_annotations_are_capped_at_50_per_request_and_appended(schemas: bool) -> None:
    async def scenario() -> None:
        async with environment(schemas=schemas) as env:
            create = {
                "name": "archreview",
                "head_sha": env.pull.head_sha,
                "status": "in_progress",
                "output": {"title": "t", "summary": "s", "annotations": make_annotations(50)},
            }
            status, run_body, _ = await env.call("POST", "/check-runs", create)
            assert status == 201
            assert run_body["output"]["annotations_count"] == 50
            check_run = f"/check-runs/{run_body['id']}"

            too_many = {
                "output": {"title": "t", "summary": "s", "annotations": make_annotations(51)}
            }
            status, body, _ = await env.call("PATCH", check_run, too_many)
            assert status == 422
            assert body["message"].startswith("Invalid request.")
            assert [r.kind for r in env.gh.rejections] == ["schema" if env.gh.schemas else "rule"]

            more = {"output": {"title": "t2", "summary": "s2", "annotations": make_annotations(50)}}
            status, body, _ = await env.call("PATCH", check_run, more)
            assert (status, body["output"]["annotations_count"]) == (200, 100)
            status, listed, _ = await env.call("GET", f"{check_run}/annotations?per_page=100")
            assert (status, len(listed)) == (200, 100)
            (stored,) = env.gh.check_runs(head_sha=env.pull.head_sha)
            assert len(stored.annotations) == 100
            assert (stored.output_title, stored.updates) == ("t2", 1)

    run(scenario)


def test_output_text_limits_count_bytes_unless_told_otherwise() -> None:
    async def post(env: Env, summary: str) -> int:
        body = {
            "name": "archreview",
            "head_sha": env.pull.head_sha,
            "output": {"title": "t", "summary": summary},
        }
        return (await env.call("POST", "/check-runs", body))[0]

    async def scenario() -> None:
        async with environment() as env:
            assert await post(env, "x" * 65_535) == 201
            assert await post(env, "x" * 65_536) == 422
            assert await post(env, "é" * 40_000) == 422  # 40,000 characters, 80,000 bytes
            assert [r.status for r in env.gh.rejections] == [422, 422]
        async with environment(limits_in_bytes=False) as env:
            assert await post(env, "é" * 40_000) == 201

    run(scenario)


def test_check_run_outputs_actions_and_conclusions_follow_github_rules() -> None:
    async def scenario() -> None:
        async with environment() as env:
            base = {"name": "archreview", "head_sha": env.pull.head_sha}
            status, created, _ = await env.call("POST", "/check-runs", base)
            assert (status, created["status"], created["conclusion"]) == (201, "queued", None)
            check_run = f"/check-runs/{created['id']}"
            action = {"label": "Re-run", "identifier": "rerun", "description": "Review again"}
            refused = {
                "output without title": {"output": {"summary": "s"}},
                "4 actions": {"actions": [action] * 4},
                "label over 20": {"actions": [{**action, "label": "x" * 21}]},
                "description over 40": {"actions": [{**action, "description": "x" * 41}]},
                "completed without conclusion": {"status": "completed"},
                "stale": {"conclusion": "stale"},
                "columns across lines": {
                    "output": {
                        "title": "t",
                        "summary": "s",
                        "annotations": [
                            {**make_annotations(1)[0], "end_line": 3, "start_column": 2}
                        ],
                    }
                },
            }
            for case, body in refused.items():
                assert (await env.call("PATCH", check_run, body))[0] == 422, case
            assert len(env.gh.rejections) == len(refused)
            done = {"conclusion": "failure", "actions": [action] * 3, "external_id": "r-1"}
            status, body, _ = await env.call("PATCH", check_run, done)
            assert (status, body["status"], body["conclusion"]) == (200, "completed", "failure")
            assert body["completed_at"] is not None and body["external_id"] == "r-1"
            assert body["pull_requests"][0]["number"] == env.pull.number
            unknown = {**base, "head_sha": "0" * 40}
            status, body, _ = await env.call("POST", "/check-runs", unknown)
            assert status == 422 and "No commit found for SHA" in json.dumps(body)

    run(scenario)


def test_check_runs_list_for_a_ref_keeps_the_latest_per_name() -> None:
    async def scenario() -> None:
        async with environment() as env:
            for name in ("archreview", "archreview", "lint"):
                body = {"name": name, "head_sha": env.pull.head_sha}
                assert (await env.call("POST", "/check-runs", body))[0] == 201
            ids = [r.id for r in env.gh.check_runs()]
            status, body, _ = await env.call("GET", f"/commits/{env.pull.head_sha}/check-runs")
            assert status == 200
            assert [r["id"] for r in body["check_runs"]] == [ids[2], ids[1]]
            assert body["total_count"] == 2
            _, body, _ = await env.call("GET", "/commits/feature/check-runs?filter=all")
            assert body["total_count"] == 3
            _, body, _ = await env.call(
                "GET", f"/commits/{env.pull.head_sha}/check-runs?check_name=lint"
            )
            assert [r["name"] for r in body["check_runs"]] == ["lint"]

    run(scenario)


# -- reviews and comments ----------------------------------------------------------------------

GOOD_COMMENTS = [
    {"path": "app/service.py", "line": 2, "side": "RIGHT", "body": "added line"},
    {"path": "app/service.py", "line": 4, "side": "RIGHT", "body": "context line"},
    {"path": "app/service.py", "line": 2, "side": "LEFT", "body": "removed line"},
    {"path": "app/service.py", "start_line": 1, "line": 3, "body": "multi-line"},
    {"path": "app/service.py", "line": 19, "body": "second hunk"},
]


@pytest.mark.parametrize(
    ("comment", "error"),
    [
        ({"line": 10}, "Line could not be resolved"),  # between the two hunks
        ({"line": 2, "side": "LEFT", "path": "README.md"}, "Path could not be resolved"),
        ({"line": 19, "side": "LEFT"}, "Line could not be resolved"),  # added, not removed
        ({"line": 3, "side": "LEFT"}, "Line could not be resolved"),  # context is RIGHT only
        ({"line": 2, "start_line": 2}, "start line must precede the end line"),
        ({"line": 19, "start_line": 3}, "start line must be part of the same hunk"),
    ],
    ids=["outside-hunks", "file-not-in-pr", "left-on-added", "left-on-context", "start-eq-line",
         "start-other-hunk"],
)  # fmt: skip
def test_review_with_one_bad_comment_is_rejected_whole(comment: dict[str, Any], error: str) -> None:
    async def scenario() -> None:
        async with environment() as env:
            bad = {"path": "app/service.py", "body": "bad", **comment}
            review = {"event": "COMMENT", "body": "r", "comments": [*GOOD_COMMENTS, bad]}
            status, body, _ = await env.call("POST", f"/pulls/{env.pull.number}/reviews", review)
            assert (status, body["message"]) == (422, "Unprocessable Entity")
            assert error in " ".join(body["errors"])
            assert env.gh.reviews(env.pull) == []
            assert env.gh.review_comments(env.pull) == []
            (rejection,) = env.gh.rejections
            assert (rejection.kind, rejection.status) == ("diff", 422)
            assert rejection.message.startswith("comments[5]")

    run(scenario)


def test_valid_review_is_stored_with_its_comments() -> None:
    async def scenario() -> None:
        async with environment() as env:
            review = {"event": "COMMENT", "body": "summary", "comments": GOOD_COMMENTS}
            status, body, _ = await env.call("POST", f"/pulls/{env.pull.number}/reviews", review)
            assert (status, body["state"], body["commit_id"]) == (
                200,
                "COMMENTED",
                env.pull.head_sha,
            )
            (stored,) = env.gh.reviews(env.pull)
            assert (stored.user.login, stored.body) == ("archreview[bot]", "summary")
            comments = env.gh.review_comments(env.pull)
            assert [(c.path, c.line, c.side, c.start_line) for c in comments] == [
                ("app/service.py", 2, "RIGHT", None),
                ("app/service.py", 4, "RIGHT", None),
                ("app/service.py", 2, "LEFT", None),
                ("app/service.py", 3, "RIGHT", 1),
                ("app/service.py", 19, "RIGHT", None),
            ]
            status, listed, _ = await env.call("GET", f"/pulls/{env.pull.number}/comments")
            assert status == 200
            assert listed[0]["diff_hunk"] == "@@ -1,5 +1,5 @@\n line 1\n-line 2\n+line two"
            assert listed[0]["pull_request_review_id"] == stored.id
            status, reviews, _ = await env.call("GET", f"/pulls/{env.pull.number}/reviews")
            assert [r["id"] for r in reviews] == [stored.id]
            env.gh.assert_no_rejections()

    run(scenario)


def test_reviews_follow_commit_ids_pending_state_and_single_comments() -> None:
    async def scenario() -> None:
        async with environment() as env:
            number = env.pull.number
            old_head = env.pull.head_sha
            env.gh.push(env.pull, changes={"app/service.py": SERVICE})  # the change is undone
            on_old = {"commit_id": old_head, "event": "COMMENT", "comments": GOOD_COMMENTS[:1]}
            assert (await env.call("POST", f"/pulls/{number}/reviews", on_old))[0] == 200
            on_new = {**on_old, "commit_id": env.pull.head_sha}
            assert (await env.call("POST", f"/pulls/{number}/reviews", on_new))[0] == 422
            unknown = {**on_old, "commit_id": "f" * 40}
            assert (await env.call("POST", f"/pulls/{number}/reviews", unknown))[0] == 422

            pending = {"commit_id": old_head, "body": "draft"}
            status, body, _ = await env.call("POST", f"/pulls/{number}/reviews", pending)
            assert (status, body["state"]) == (200, "PENDING")
            assert (await env.call("POST", f"/pulls/{number}/reviews", pending))[0] == 422

            single = {"commit_id": old_head, "path": "app/service.py", "line": 10, "body": "x"}
            status, body, _ = await env.call("POST", f"/pulls/{number}/comments", single)
            assert (status, body["message"]) == (422, "Validation Failed")
            assert body["errors"][0]["message"] == (
                "pull_request_review_thread.line must be part of the diff"
            )
            single["line"] = 2
            assert (await env.call("POST", f"/pulls/{number}/comments", single))[0] == 201

    run(scenario)


def test_review_comment_replies_edits_deletes_and_reactions() -> None:
    async def scenario() -> None:
        async with environment() as env:
            number = env.pull.number
            human = env.gh.add_review_comment(env.pull, "why?", path="app/service.py", line=2)
            status, reply, _ = await env.call(
                "POST", f"/pulls/{number}/comments/{human.id}/replies", {"body": "because"}
            )
            assert (status, reply["in_reply_to_id"], reply["line"]) == (201, human.id, 2)
            nested = f"/pulls/{number}/comments/{reply['id']}/replies"
            status, second, _ = await env.call("POST", nested, {"body": "and more"})
            assert (status, second["in_reply_to_id"]) == (201, human.id)
            mine = f"/pulls/comments/{reply['id']}"
            status, edited, _ = await env.call("PATCH", mine, {"body": "edited"})
            assert (status, edited["body"]) == (200, "edited")
            theirs = f"/pulls/comments/{human.id}"
            assert (await env.call("PATCH", theirs, {"body": "hijack"}))[0] == 403
            assert (await env.call("DELETE", theirs))[0] == 403
            reaction = f"{theirs}/reactions"
            assert (await env.call("POST", reaction, {"content": "eyes"}))[0] == 201
            assert (await env.call("POST", reaction, {"content": "eyes"}))[0] == 200
            assert [r.content for r in env.gh.reactions(human)] == ["eyes"]
            assert (await env.call("DELETE", mine))[0] == 204
            assert (await env.call("GET", mine))[0] == 404
            assert [r.kind for r in env.gh.rejections] == ["permission", "permission"]

    run(scenario)


def test_issue_comments_and_their_limits() -> None:
    async def scenario() -> None:
        async with environment() as env:
            number = env.pull.number
            status, comment, response = await env.call(
                "POST", f"/issues/{number}/comments", {"body": "<!-- archreview -->"}
            )
            assert (status, response.headers["Location"]) == (201, comment["url"])
            assert comment["performed_via_github_app"]["slug"] == "archreview"
            path = f"/issues/comments/{comment['id']}"
            assert (await env.call("PATCH", path, {"body": "y" * 65_536}))[0] == 200
            assert (await env.call("PATCH", path, {"body": "y" * 65_537}))[0] == 422
            reactions = f"{path}/reactions"
            assert (await env.call("POST", reactions, {"content": "+1"}))[0] == 201
            assert (await env.call("POST", reactions, {"content": "+1"}))[0] == 200
            human = env.gh.add_issue_comment(env.pull, "/archreview fp", user="bob")
            assert (await env.call("DELETE", f"/issues/comments/{human.id}"))[0] == 403
            status, listed, _ = await env.call("GET", f"/issues/{number}/comments")
            assert [c["body"][:5] for c in listed] == ["yyyyy", "/arch"]
            assert listed[0]["reactions"]["+1"] == 1
            assert (await env.call("DELETE", path))[0] == 204
            assert [c.id for c in env.gh.issue_comments(env.pull)] == [human.id]
            assert (await env.call("GET", "/issues/999/comments"))[0] == 404

    run(scenario)


def test_collaborator_permission_reports_role_and_legacy_permission() -> None:
    async def scenario() -> None:
        async with environment() as env:
            env.gh.set_permission(env.repo, "bob", "maintain")
            env.gh.set_permission(env.repo, "carol", "write")
            found = {}
            for login in ("bob", "carol", "octo", "mallory"):
                status, body, _ = await env.call("GET", f"/collaborators/{login}/permission")
                assert status == 200
                found[login] = (body["permission"], body["role_name"])
            assert found == {
                "bob": ("write", "maintain"),
                "carol": ("write", "write"),
                "octo": ("admin", "admin"),
                "mallory": ("none", "none"),
            }

    run(scenario)


# -- pull request data -------------------------------------------------------------------------


def test_pull_request_json_and_diff_reflect_the_state() -> None:
    async def scenario() -> None:
        async with environment() as env:
            status, body, _ = await env.call("GET", f"/pulls/{env.pull.number}")
            assert status == 200
            assert (body["head"]["sha"], body["head"]["ref"]) == (env.pull.head_sha, "feature")
            assert (body["base"]["sha"], body["base"]["ref"]) == (env.pull.base_sha, "main")
            assert (body["user"]["login"], body["draft"]) == ("alice", False)
            assert (body["additions"], body["deletions"], body["changed_files"]) == (2, 1, 1)
            for accept in ("application/vnd.github.diff", "application/vnd.github.v3.diff"):
                status, text, response = await env.call(
                    "GET", f"/pulls/{env.pull.number}", headers={"Accept": accept}
                )
                assert status == 200 and text == env.pull.diff.text
                assert response.content_type == "application/vnd.github.diff"
            fork = env.gh.add_pull(env.repo, changes={"x.py": "x\n"}, fork_owner="mallory")
            _, body, _ = await env.call("GET", f"/pulls/{fork.number}")
            assert (body["head"]["repo"]["full_name"], body["head"]["repo"]["fork"]) == (
                "mallory/svc",
                True,
            )
            assert body["head"]["label"] == "mallory:feature"

    run(scenario)


def test_big_diffs_answer_406_too_large() -> None:
    async def scenario() -> None:
        async with environment(max_diff_lines=10) as env:
            diff = {"Accept": "application/vnd.github.diff"}
            status, body, _ = await env.call("GET", f"/pulls/{env.pull.number}", headers=diff)
            assert status == 406
            assert body["message"].startswith(
                "Sorry, the diff exceeded the maximum number of lines"
            )
            assert body["errors"] == [
                {"resource": "PullRequest", "field": "diff", "code": "too_large"}
            ]
            assert (await env.call("GET", f"/pulls/{env.pull.number}"))[0] == 200
            assert (await env.call("GET", f"/pulls/{env.pull.number}/files"))[0] == 200
        async with environment(max_diff_files=2) as env:
            many = env.gh.add_pull(env.repo, changes={f"f{n}.py": "x\n" for n in range(3)})
            status, body, _ = await env.call(
                "GET", f"/pulls/{many.number}", headers={"Accept": "application/vnd.github.diff"}
            )
            assert (status, "number of files (2)" in body["message"]) == (406, True)

    run(scenario)


def test_pull_files_are_paginated_capped_and_big_patches_left_out() -> None:
    async def scenario() -> None:
        async with environment(max_listed_files=6, file_patch_max_lines=5) as env:
            changes: dict[str, str | bytes | None] = {
                f"pkg/m{n}.py": f"v = {n}\n" for n in range(6)
            }
            changes["pkg/big.py"] = "".join(f"x{n} = {n}\n" for n in range(10))
            pull = env.gh.add_pull(env.repo, changes=changes)
            url: str | None = env.url(f"/pulls/{pull.number}/files?per_page=3")
            pages = []
            while url:
                status, body, response = await env.call("GET", url)
                assert status == 200
                pages.append(body)
                next_page = response.links.get("next")
                url = str(next_page["url"]) if next_page else None
            assert [len(page) for page in pages] == [3, 3]
            files = [entry for page in pages for entry in page]
            assert [f["filename"] for f in files] == ["pkg/big.py"] + [
                f"pkg/m{n}.py" for n in range(5)
            ]
            assert "patch" not in files[0]
            assert files[1]["patch"] == "@@ -0,0 +1 @@\n+v = 0"
            assert (files[1]["status"], files[1]["additions"]) == ("added", 1)
            _, _, response = await env.call("GET", f"/pulls/{pull.number}/files?per_page=4&page=2")
            assert set(response.links) == {"first", "prev"}

    run(scenario)


def test_contents_api_answers_base64_raw_listings_and_404() -> None:
    async def scenario() -> None:
        async with environment(contents_max_size=200) as env:
            head = env.pull.head_sha
            status, body, _ = await env.call("GET", f"/contents/app/service.py?ref={head}")
            assert (status, body["encoding"], body["type"]) == (200, "base64", "file")
            assert "\n" in body["content"]  # GitHub wraps base64 every 60 characters
            assert base64.b64decode(body["content"]).decode() == CHANGED
            raw = {"Accept": "application/vnd.github.raw+json"}
            status, text, _ = await env.call("GET", "/contents/app/service.py", headers=raw)
            assert (status, text) == (200, SERVICE)
            big = env.gh.add_commit(env.repo, changes={"big.txt": "z" * 201}, branch="big")
            status, body, _ = await env.call("GET", f"/contents/big.txt?ref={big}")
            assert (status, body["content"], body["encoding"]) == (200, "", "none")
            status, listing, _ = await env.call("GET", "/contents")
            assert [(e["name"], e["type"]) for e in listing] == [
                ("README.md", "file"),
                ("app", "dir"),
            ]
            assert (await env.call("GET", "/contents/.github/archreview.yml"))[0] == 404
            assert (await env.call("GET", "/contents/README.md?ref=nope"))[0] == 404

    run(scenario)


# -- tarballs ----------------------------------------------------------------------------------


def test_tarball_redirects_to_codeload_and_aiohttp_drops_the_token_there() -> None:
    """aiohttp removes ``Authorization`` (and cookies) when a redirect changes the origin
    (scheme, host or port): ``ClientSession._request`` pops it when ``url.origin()`` differs.
    The app can follow GitHub's redirect with its token-bearing session safely; a client that
    copies the header onto the ``Location`` request by hand leaks it, and the fake records that.
    """

    async def scenario() -> None:
        async with environment() as env:
            head = env.pull.head_sha
            async with env.http.get(env.url(f"/tarball/{head}"), headers=env.auth) as response:
                data = await response.read()
                assert response.status == 200
                assert response.history[0].status == 302
                assert response.url.host in ("127.0.0.2", "localhost")  # another origin
                assert str(response.url).startswith(env.gh.codeload_url)
            assert not env.gh.codeload_saw_authorization
            prefix = tarball_prefix("octo", "svc", head)
            with tarfile.open(fileobj=io.BytesIO(gzip.decompress(data))) as tar:
                names = tar.getnames()
                assert tar.pax_headers["comment"] == head
            assert f"{prefix}/app/service.py" in names and f"{prefix}/README.md" in names

            async with env.http.get(
                env.url("/tarball/main"), headers=env.auth, allow_redirects=False
            ) as response:
                location = response.headers["Location"]
            async with env.http.get(location, headers=env.auth) as response:  # the leak
                assert response.status == 200
            assert env.gh.codeload_saw_authorization
            assert [r.had_authorization for r in env.gh.codeload_requests] == [False, True]

            env.gh.advance(301)  # GitHub's archive links expire after five minutes
            async with env.http.get(location) as response:
                assert response.status == 404

    run(scenario)


def test_a_test_can_serve_its_own_tarball_bytes() -> None:
    async def scenario() -> None:
        async with environment() as env:
            hostile = make_tarball({"../escape.py": "x"}, "octo-svc-0000000")
            env.gh.set_tarball(env.repo, env.pull.head_sha, hostile)
            async with env.http.get(
                env.url(f"/tarball/{env.pull.head_sha}"), headers=env.auth
            ) as r:
                assert await r.read() == hostile

    run(scenario)


# -- faults and rate limits --------------------------------------------------------------------


def test_injected_502_then_success() -> None:
    async def scenario() -> None:
        async with environment() as env:
            fault = env.gh.fail("GET", "/repos/*/pulls/*", status=502, times=1)
            status, body, _ = await env.call("GET", f"/pulls/{env.pull.number}")
            assert (status, body["message"]) == (502, "Server Error")
            assert (await env.call("GET", f"/pulls/{env.pull.number}"))[0] == 200
            assert fault.fired == 1
            assert [r.fault for r in env.gh.requests[-2:]] == ["status", None]

    run(scenario)


def test_injected_connection_reset() -> None:
    """aiohttp resends an idempotent request once when a reused keep-alive connection is
    reset (RFC 9112 section 9.3.1.1), so one reset on a GET goes unnoticed by the app; a second
    one, or one on a POST, reaches it as ``ClientConnectionError``."""

    async def scenario() -> None:
        async with environment() as env:
            pull = f"/repos/octo/svc/pulls/{env.pull.number}"
            env.gh.drop_connection("GET", pull)
            assert (await env.call("GET", f"/pulls/{env.pull.number}"))[0] == 200
            assert [r.status for r in env.gh.requests[-2:]] == [None, 200]

            env.gh.drop_connection("GET", pull, times=2)
            with pytest.raises(aiohttp.ClientConnectionError):
                await env.call("GET", f"/pulls/{env.pull.number}")
            env.gh.drop_connection("POST", "*/issues/*/comments")
            with pytest.raises(aiohttp.ClientConnectionError):
                await env.call("POST", "/issues/1/comments", {"body": "x"})
            assert env.gh.issue_comments(env.pull) == []
            assert (await env.call("GET", f"/pulls/{env.pull.number}"))[0] == 200

    run(scenario)


@pytest.mark.parametrize("status", [403, 429])
def test_injected_secondary_rate_limit_carries_retry_after(status: int) -> None:
    async def scenario() -> None:
        async with environment() as env:
            env.gh.secondary_rate_limit("POST", "*/reviews", status=status, retry_after=30)
            review = {"event": "COMMENT", "body": "x"}
            code, body, response = await env.call("POST", "/pulls/1/reviews", review)
            assert (code, response.headers["retry-after"]) == (status, "30")
            assert body["message"].startswith("You have exceeded a secondary rate limit")
            assert (await env.call("POST", "/pulls/1/reviews", review))[0] == 200

    run(scenario)


def test_rate_limit_headers_and_primary_limits() -> None:
    async def scenario() -> None:
        async with environment(rate_limit=3) as env:
            remaining = []
            for _ in range(3):
                status, _, response = await env.call("GET", "/pulls/1")
                assert status == 200
                remaining.append(response.headers["x-ratelimit-remaining"])
                assert {"x-ratelimit-limit", "x-ratelimit-reset", "x-ratelimit-used"} <= set(
                    k.lower() for k in response.headers
                )
            assert remaining == ["2", "1", "0"]
            status, body, response = await env.call("GET", "/pulls/1")
            assert (status, response.headers["x-ratelimit-remaining"]) == (403, "0")
            assert body["message"].startswith("API rate limit exceeded for installation ID")
            status, body, _ = await env.call("GET", f"{env.gh.url}/rate_limit")
            assert (status, body["resources"]["core"]["remaining"]) == (200, 0)
        async with environment() as env:
            env.gh.primary_rate_limit("GET", "*", reset_in=120)
            status, _, response = await env.call("GET", "/pulls/1")
            assert (status, response.headers["x-ratelimit-remaining"]) == (403, "0")
            assert int(response.headers["x-ratelimit-reset"]) >= int(env.gh.now()) + 119

    run(scenario)


def test_natural_secondary_limit_on_content_creation() -> None:
    async def scenario() -> None:
        async with environment(secondary_per_minute=3) as env:
            post = {"body": "hello"}
            codes = [(await env.call("POST", "/issues/1/comments", post))[0] for _ in range(4)]
            assert codes == [201, 201, 201, 403]
            assert env.gh.requests[-1].fault == "secondary_rate_limit (natural)"
            env.gh.advance(61)
            assert (await env.call("POST", "/issues/1/comments", post))[0] == 201

    run(scenario)


def test_not_found_for_the_first_requests_of_a_resource() -> None:
    async def scenario() -> None:
        async with environment() as env:
            path = f"/repos/octo/svc/commits/{env.pull.head_sha}/check-runs"
            env.gh.not_found_first("GET", path, times=2)
            codes = [
                (await env.call("GET", f"/commits/{env.pull.head_sha}/check-runs"))[0]
                for _ in range(3)
            ]
            assert codes == [404, 404, 200]

    run(scenario)


def test_probabilistic_faults_replay_with_the_same_seed() -> None:
    async def pattern(seed: int) -> list[int]:
        async with environment(seed=seed) as env:
            env.gh.fail("GET", "*", status=503, times=None, probability=0.5)
            return [(await env.call("GET", "/pulls/1"))[0] for _ in range(16)]

    async def scenario() -> None:
        first, again, other = await pattern(7), await pattern(7), await pattern(8)
        assert first == again
        assert {200, 503} == set(first)
        assert first != other

    run(scenario)


# -- request validation and strictness ---------------------------------------------------------


@needs_schemas
def test_bodies_are_validated_against_githubs_request_schemas() -> None:
    async def scenario() -> None:
        async with environment() as env:
            bad_status = {"name": "x", "head_sha": env.pull.head_sha, "status": "bogus"}
            status, body, _ = await env.call("POST", "/check-runs", bad_status)
            assert (status, body["message"].startswith("Invalid request.")) == (422, True)
            assert body["errors"][0]["field"] == "status"
            status, body, _ = await env.call("POST", "/issues/1/comments", {"text": "no body"})
            assert status == 422 and body["errors"][0]["code"] == "missing_field"
            status, body, _ = await env.call("POST", "/pulls/1/reviews", {"event": "LGTM"})
            assert status == 422 and isinstance(body["errors"][0], str)
            assert [r.kind for r in env.gh.rejections] == ["schema"] * 3
            with pytest.raises(AssertionError, match="would have refused 3"):
                env.gh.assert_no_rejections()

    run(scenario)


def test_invalid_json_and_unknown_routes() -> None:
    async def scenario() -> None:
        async with environment() as env:
            async with env.http.post(
                env.url("/check-runs"), data=b"{nope", headers=env.auth
            ) as response:
                body = await response.json()
                assert (response.status, body["message"]) == (400, "Problems parsing JSON")
            for method, path in (("GET", "/nothing/here"), ("PUT", "/pulls/1")):
                status, body, _ = await env.call(method, path)
                assert (status, body["message"]) == (404, "Not Found")
                assert body["documentation_url"].startswith("https://docs.github.com")

    run(scenario)


def test_strict_mode_catches_a_response_the_fake_got_wrong() -> None:
    async def scenario() -> None:
        async with environment() as env:
            env.gh.render.check_run = lambda run: {"id": run.id}  # type: ignore[method-assign]
            body = {"name": "x", "head_sha": env.pull.head_sha}
            status, answer, _ = await env.call("POST", "/check-runs", body)
            assert status == 500 and "fake GitHub" in answer["message"]

    if not REST_API_FILE.is_file():
        pytest.skip(f"GitHub's REST schemas are missing: {REST_API_FILE}")
    with pytest.raises(FakeGitHubError, match="POST /repos/octo/svc/check-runs -> 201"):
        run(scenario)


def test_runs_without_the_shared_folder() -> None:
    with structlog.testing.capture_logs() as logs:
        assert ApiSchemas.load(Path("/nonexistent/rest-api-subset.json")) is None
    assert logs[0]["event"] == "github schemas missing, validation off"
    assert logs[0]["log_level"] == "warning"

    async def scenario() -> None:
        async with environment(schemas=False) as env:
            assert env.gh.schemas is None
            body = {"name": "x", "head_sha": env.pull.head_sha, "output": {"summary": "s"}}
            assert (await env.call("POST", "/check-runs", body))[0] == 422
            assert (await env.call("POST", "/issues/1/comments", {"text": "x"}))[0] == 422
            assert (await env.call("POST", "/issues/1/comments", ["x"]))[0] == 422
            review = {"event": "COMMENT", "comments": [{"line": 2, "body": "no path"}]}
            assert (await env.call("POST", "/pulls/1/reviews", review))[0] == 422
            assert [r.kind for r in env.gh.rejections] == ["rule", "schema", "schema", "rule"]
            assert env.gh.reviews(env.pull) == [] and env.gh.issue_comments(env.pull) == []

    run(scenario)


def test_app_manifest_flow_creates_an_app_that_can_authenticate() -> None:
    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh, aiohttp.ClientSession() as http:
            gh.add_manifest_code("code-1", {"name": "ArchReview Dev"})
            url = f"{gh.url}/app-manifests/code-1/conversions"
            async with http.post(url) as response:
                assert response.status == 201
                created = await response.json()
            assert created["slug"] == "archreview-dev" and created["webhook_secret"]
            async with http.post(url) as response:
                assert response.status == 404  # codes are single use
            claims = {"iat": int(gh.now()), "exp": int(gh.now()) + 60, "iss": str(created["id"])}
            token = jwt.encode(claims, created["pem"], algorithm="RS256")
            async with http.get(f"{gh.url}/app", headers={"Authorization": f"Bearer {token}"}) as r:
                assert (r.status, (await r.json())["id"]) == (200, created["id"])

    run(scenario)


def test_gidgethub_works_against_the_fake() -> None:
    """The client the app is built on: token exchange, pagination, and its error mapping."""

    async def scenario() -> None:
        async with FakeGitHub.start(strict=True) as gh, aiohttp.ClientSession() as http:
            repo = gh.add_repo("octo/svc", {"a.py": "x\n"})
            pull = gh.add_pull(repo, changes={f"f{n:02}.py": "y\n" for n in range(45)})
            client = GitHubAPI(http, "archreview-tests", base_url=gh.url)
            token = await gidgethub.apps.get_installation_access_token(
                client,
                installation_id=str(gh.installation(repo).id),
                app_id=str(gh.app.id),
                private_key=gh.app.private_key_pem,
            )
            api = GitHubAPI(http, "archreview-tests", oauth_token=token["token"], base_url=gh.url)
            files = [f async for f in api.getiter(f"/repos/octo/svc/pulls/{pull.number}/files")]
            assert [f["filename"] for f in files] == [f"f{n:02}.py" for n in range(45)]
            assert api.rate_limit is not None and api.rate_limit.remaining == 4998  # two pages
            off_diff = {"event": "COMMENT", "comments": [{"path": "a.py", "line": 1, "body": "x"}]}
            with pytest.raises(gidgethub.ValidationError, match="Path could not be resolved"):
                await api.post(f"/repos/octo/svc/pulls/{pull.number}/reviews", data=off_diff)
            with pytest.raises(gidgethub.InvalidField, match="head_sha"):
                await api.post("/repos/octo/svc/check-runs", data={"name": "archreview"})
            gh.fail(status=502)
            with pytest.raises(gidgethub.GitHubBroken):
                await api.getitem("/repos/octo/svc")
            gh.primary_rate_limit()
            with pytest.raises(gidgethub.RateLimitExceeded):
                await api.getitem("/repos/octo/svc")

    run(scenario)


# -- webhooks ----------------------------------------------------------------------------------


def test_webhooks_are_real_payloads_moved_to_the_scenario_and_signed() -> None:
    async def scenario() -> None:
        async with environment() as env:
            headers, body = env.gh.webhook("pull_request", "opened", pull=env.pull)
            payload = json.loads(body)
            secret = env.gh.app.webhook_secret
            assert secret is not None
            expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            assert headers["X-Hub-Signature-256"] == expected
            assert headers["X-GitHub-Event"] == "pull_request"
            assert headers["Content-Type"] == "application/json"
            assert headers["User-Agent"].startswith("GitHub-Hookshot/")
            uuid.UUID(headers["X-GitHub-Delivery"])
            assert payload["repository"]["full_name"] == "octo/svc"
            assert payload["installation"]["id"] == env.gh.installation(env.repo).id
            assert (payload["number"], payload["pull_request"]["number"]) == (1, 1)
            assert payload["pull_request"]["head"]["sha"] == env.pull.head_sha
            assert payload["pull_request"]["base"]["sha"] == env.pull.base_sha
            assert payload["pull_request"]["user"]["login"] == "alice"
            assert payload["pull_request"]["url"].endswith("/repos/octo/svc/pulls/1")

            note = env.gh.add_issue_comment(env.pull, "/archreview fp tests only", user="bob")
            _, body = env.gh.webhook("issue_comment", "created", comment=note)
            payload = json.loads(body)
            assert (payload["comment"]["id"], payload["comment"]["body"]) == (note.id, note.body)
            assert payload["issue"]["number"] == 1 and "pull_request" in payload["issue"]
            assert payload["sender"]["login"] == "bob"

            thread = env.gh.add_review_comment(env.pull, "hm", path="app/service.py", line=2)
            answer = env.gh.add_review_comment(env.pull, "ok", in_reply_to=thread, user="bob")
            _, body = env.gh.webhook("pull_request_review_comment", "created", comment=answer)
            assert json.loads(body)["comment"]["in_reply_to_id"] == thread.id

            first, _ = env.gh.webhook("ping", delivery="fixed-id")
            assert first["X-GitHub-Delivery"] == "fixed-id"  # a manual redelivery reuses it

            with pytest.raises(ValueError, match=r"pull_request\.opened payload does not match"):
                env.gh.webhook("pull_request", "opened", pull=env.pull, number="seven")
            _, body = env.gh.webhook(
                "pull_request", "opened", pull=env.pull, validate=False, installation=REMOVE
            )
            assert "installation" not in json.loads(body)

    run(scenario)


def test_check_run_webhooks_come_from_the_state() -> None:
    async def scenario() -> None:
        async with environment() as env:
            body = {"name": "archreview", "head_sha": env.pull.head_sha, "conclusion": "failure"}
            assert (await env.call("POST", "/check-runs", body))[0] == 201
            (check_run,) = env.gh.check_runs()
            _, raw = env.gh.webhook(
                "check_run", "requested_action", check_run=check_run,
                requested_action={"identifier": "rerun"},
            )  # fmt: skip
            payload = json.loads(raw)
            assert (payload["check_run"]["id"], payload["check_run"]["head_sha"]) == (
                check_run.id,
                env.pull.head_sha,
            )
            assert payload["check_run"]["pull_requests"][0]["number"] == env.pull.number
            assert payload["check_run"]["app"]["id"] == env.gh.app.id
            assert payload["requested_action"] == {"identifier": "rerun"}

            _, raw = env.gh.webhook("check_suite", "rerequested", pull=env.pull)
            suite = json.loads(raw)["check_suite"]
            assert (suite["head_sha"], suite["app"]["id"]) == (env.pull.head_sha, env.gh.app.id)
            assert [p["number"] for p in suite["pull_requests"]] == [env.pull.number]

            fork = env.gh.add_pull(env.repo, changes={"x.py": "x\n"}, fork_owner="mallory")
            _, raw = env.gh.webhook("pull_request", "opened", pull=fork)
            head = json.loads(raw)["pull_request"]["head"]
            assert (head["repo"]["full_name"], head["repo"]["fork"]) == ("mallory/svc", True)
            _, raw = env.gh.webhook("check_suite", "rerequested", pull=fork)
            assert json.loads(raw)["check_suite"]["pull_requests"] == []  # as for forks on GitHub

            _, raw = env.gh.webhook("installation", "created", repo=env.repo)
            installed = json.loads(raw)
            assert installed["installation"]["id"] == env.gh.installation(env.repo).id
            assert installed["installation"]["app_id"] == env.gh.app.id
            assert [r["full_name"] for r in installed["repositories"]] == ["octo/svc"]

    run(scenario)


def test_module_level_webhook_needs_no_fake() -> None:
    headers, body = webhook(
        "pull_request", "synchronize", secret="s3cret", repo="acme/api", number=42,
        head_sha="a" * 40, installation_id=77, sender="dev",
    )  # fmt: skip
    payload = json.loads(body)
    assert payload["repository"]["full_name"] == "acme/api"
    assert payload["pull_request"]["head"]["repo"]["name"] == "api"
    assert payload["pull_request"]["url"].endswith("/repos/acme/api/pulls/42")
    assert (payload["installation"]["id"], payload["sender"]["login"]) == (77, "dev")
    digest = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Hub-Signature-256"] == f"sha256={digest}"


def test_webhook_skips_with_a_clear_message_without_the_shared_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(webhooks_module, "WEBHOOK_EXAMPLES_DIR", tmp_path / "missing")
    with pytest.raises(pytest.skip.Exception, match="example payloads are missing"):
        webhook("pull_request", "opened", secret="s")


# -- helpers -----------------------------------------------------------------------------------


def test_unified_diff_round_trips_through_the_diff_index() -> None:
    diff = unified_diff(
        {"a.py": "one\ntwo\n", "gone.py": "bye\n", "img.png": b"\x89PNG\x00"},
        {"a.py": "one\n2\nthree", "new.py": "hi\n", "img.png": b"\x89PNG\x01"},
    )
    parsed = ParsedDiff.parse(diff)
    assert {path: f.status for path, f in parsed.files.items()} == {
        "a.py": "modified",
        "gone.py": "removed",
        "img.png": "modified",
        "new.py": "added",
    }
    assert parsed.files["img.png"].binary
    assert "\\ No newline at end of file" in parsed.files["a.py"].patch
    a = parsed.files["a.py"]
    assert [(e.kind, e.old, e.new) for e in a.lines] == [
        (" ", 1, 1),
        ("-", 2, None),
        ("+", None, 2),
        ("+", None, 3),
    ]


def test_make_tarball_nests_files_under_the_prefix() -> None:
    data = make_tarball({"src/app.py": "x = 1\n", "README.md": b"hi"}, "o-r-abcdef0")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        assert tar.getnames() == [
            "o-r-abcdef0",
            "o-r-abcdef0/src",
            "o-r-abcdef0/README.md",
            "o-r-abcdef0/src/app.py",
        ]
        member = tar.extractfile("o-r-abcdef0/src/app.py")
        assert member is not None and member.read() == b"x = 1\n"
    assert data == make_tarball({"src/app.py": "x = 1\n", "README.md": b"hi"}, "o-r-abcdef0")
