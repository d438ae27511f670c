"""The REST endpoints a pull-request review app calls, answered from the fake's state.

Each request goes through the same steps as on GitHub: credentials, rate limits, repository
access and installation permissions, JSON parsing, the operation's request schema, GitHub's
rules, then the handler. Every refusal caused by what the app sent is recorded as a
``Rejection`` so a test can assert there were none.
"""

from __future__ import annotations

import json
import math
import secrets
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlencode

from aiohttp import web

from tests.fake_github import auth, rules
from tests.fake_github.diffs import ParsedDiff
from tests.fake_github.errors import (
    DOCS,
    ApiError,
    bad_credentials,
    invalid_request,
    not_accessible,
    not_found,
    requires_authentication,
    unprocessable,
    validation_failed,
)
from tests.fake_github.render import REACTIONS, iso
from tests.fake_github.schemas import SchemaIssue
from tests.fake_github.state import (
    PERMISSION_LEVELS,
    Annotation,
    App,
    CheckRun,
    Installation,
    IssueComment,
    PullRequest,
    Reaction,
    Repo,
    RequestRecord,
    Review,
    ReviewComment,
    Token,
    User,
)

if TYPE_CHECKING:
    from tests.fake_github.server import FakeGitHub

Auth = Literal["none", "jwt", "token"]
Needs = tuple[tuple[str, str], ...]

READ_PULLS: Needs = (("pull_requests", "read"),)
WRITE_PULLS: Needs = (("pull_requests", "write"),)
READ_CONTENTS: Needs = (("contents", "read"),)
READ_CHECKS: Needs = (("checks", "read"),)
WRITE_CHECKS: Needs = (("checks", "write"),)
READ_ISSUES: Needs = (("issues", "read"), ("pull_requests", "read"))
WRITE_ISSUES: Needs = (("issues", "write"), ("pull_requests", "write"))
READ_METADATA: Needs = (("metadata", "read"),)

_D = "https://docs.github.com/rest"


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    """The OpenAPI path, the key of the operation in ``rest-api-subset.json``."""
    pattern: str
    operation: str
    auth: Auth
    needs: Needs = ()
    resource: str = ""
    docs: str = _D
    simple_errors: bool = False
    """The operation documents its 422 errors as strings (``Validation Error Simple``)."""
    handler: str = ""
    """The ``Api`` method answering it, ``_<name>`` unless given."""


R = "/repos/{owner}/{repo}"
PN = "{pull_number:\\d+}"
CID = "{comment_id:\\d+}"
ROUTES: tuple[Route, ...] = (
    Route("get_app", "GET", "/app", "/app", "apps/get-authenticated", "jwt",
          docs=f"{_D}/apps/apps#get-the-authenticated-app"),
    Route("create_token", "POST", "/app/installations/{installation_id}/access_tokens",
          "/app/installations/{installation_id:\\d+}/access_tokens",
          "apps/create-installation-access-token", "jwt", resource="Installation",
          docs=f"{_D}/apps/apps#create-an-installation-access-token-for-an-app"),
    Route("get_repo_installation", "GET", f"{R}/installation", f"{R}/installation",
          "apps/get-repo-installation", "jwt",
          docs=f"{_D}/apps/apps#get-a-repository-installation-for-the-authenticated-app"),
    Route("convert_manifest", "POST", "/app-manifests/{code}/conversions",
          "/app-manifests/{code}/conversions", "apps/create-from-manifest", "none",
          simple_errors=True, docs=f"{_D}/apps/apps#create-a-github-app-from-a-manifest"),
    Route("get_repo", "GET", R, R, "repos/get", "token", READ_METADATA,
          docs=f"{_D}/repos/repos#get-a-repository"),
    Route("get_pull", "GET", f"{R}/pulls/{{pull_number}}", f"{R}/pulls/{PN}", "pulls/get",
          "token", READ_PULLS, docs=f"{_D}/pulls/pulls#get-a-pull-request"),
    Route("list_files", "GET", f"{R}/pulls/{{pull_number}}/files", f"{R}/pulls/{PN}/files",
          "pulls/list-files", "token", READ_PULLS,
          docs=f"{_D}/pulls/pulls#list-pull-requests-files"),
    Route("tarball", "GET", f"{R}/tarball/{{ref}}", f"{R}/tarball/{{ref:.+}}",
          "repos/download-tarball-archive", "token", READ_CONTENTS,
          docs=f"{_D}/repos/contents#download-a-repository-archive-tar"),
    Route("tarball_default", "GET", f"{R}/tarball/{{ref}}", f"{R}/tarball",
          "repos/download-tarball-archive", "token", READ_CONTENTS, handler="tarball",
          docs=f"{_D}/repos/contents#download-a-repository-archive-tar"),
    Route("contents", "GET", f"{R}/contents/{{path}}", f"{R}/contents/{{path:.*}}",
          "repos/get-content", "token", READ_CONTENTS,
          docs=f"{_D}/repos/contents#get-repository-content"),
    Route("contents_root", "GET", f"{R}/contents/{{path}}", f"{R}/contents",
          "repos/get-content", "token", READ_CONTENTS, handler="contents",
          docs=f"{_D}/repos/contents#get-repository-content"),
    Route("create_check_run", "POST", f"{R}/check-runs", f"{R}/check-runs", "checks/create",
          "token", WRITE_CHECKS, resource="CheckRun",
          docs=f"{_D}/checks/runs#create-a-check-run"),
    Route("get_check_run", "GET", f"{R}/check-runs/{{check_run_id}}",
          f"{R}/check-runs/{{check_run_id:\\d+}}", "checks/get", "token", READ_CHECKS,
          docs=f"{_D}/checks/runs#get-a-check-run"),
    Route("update_check_run", "PATCH", f"{R}/check-runs/{{check_run_id}}",
          f"{R}/check-runs/{{check_run_id:\\d+}}", "checks/update", "token", WRITE_CHECKS,
          resource="CheckRun", docs=f"{_D}/checks/runs#update-a-check-run"),
    Route("list_annotations", "GET", f"{R}/check-runs/{{check_run_id}}/annotations",
          f"{R}/check-runs/{{check_run_id:\\d+}}/annotations", "checks/list-annotations",
          "token", READ_CHECKS, docs=f"{_D}/checks/runs#list-check-run-annotations"),
    Route("list_check_runs", "GET", f"{R}/commits/{{ref}}/check-runs",
          f"{R}/commits/{{ref:.+}}/check-runs", "checks/list-for-ref", "token", READ_CHECKS,
          docs=f"{_D}/checks/runs#list-check-runs-for-a-git-reference"),
    Route("list_reviews", "GET", f"{R}/pulls/{{pull_number}}/reviews",
          f"{R}/pulls/{PN}/reviews", "pulls/list-reviews", "token", READ_PULLS,
          docs=f"{_D}/pulls/reviews#list-reviews-for-a-pull-request"),
    Route("create_review", "POST", f"{R}/pulls/{{pull_number}}/reviews",
          f"{R}/pulls/{PN}/reviews", "pulls/create-review", "token", WRITE_PULLS,
          resource="PullRequestReview", simple_errors=True,
          docs=f"{_D}/pulls/reviews#create-a-review-for-a-pull-request"),
    Route("list_review_comments", "GET", f"{R}/pulls/{{pull_number}}/comments",
          f"{R}/pulls/{PN}/comments", "pulls/list-review-comments", "token", READ_PULLS,
          docs=f"{_D}/pulls/comments#list-review-comments-on-a-pull-request"),
    Route("create_review_comment", "POST", f"{R}/pulls/{{pull_number}}/comments",
          f"{R}/pulls/{PN}/comments", "pulls/create-review-comment", "token", WRITE_PULLS,
          resource="PullRequestReviewComment",
          docs=f"{_D}/pulls/comments#create-a-review-comment-for-a-pull-request"),
    Route("reply_review_comment", "POST",
          f"{R}/pulls/{{pull_number}}/comments/{{comment_id}}/replies",
          f"{R}/pulls/{PN}/comments/{CID}/replies", "pulls/create-reply-for-review-comment",
          "token", WRITE_PULLS, resource="PullRequestReviewComment",
          docs=f"{_D}/pulls/comments#create-a-reply-for-a-review-comment"),
    Route("get_review_comment", "GET", f"{R}/pulls/comments/{{comment_id}}",
          f"{R}/pulls/comments/{CID}", "pulls/get-review-comment", "token", READ_PULLS,
          docs=f"{_D}/pulls/comments#get-a-review-comment-for-a-pull-request"),
    Route("update_review_comment", "PATCH", f"{R}/pulls/comments/{{comment_id}}",
          f"{R}/pulls/comments/{CID}", "pulls/update-review-comment", "token", WRITE_PULLS,
          resource="PullRequestReviewComment",
          docs=f"{_D}/pulls/comments#update-a-review-comment-for-a-pull-request"),
    Route("delete_review_comment", "DELETE", f"{R}/pulls/comments/{{comment_id}}",
          f"{R}/pulls/comments/{CID}", "pulls/delete-review-comment", "token", WRITE_PULLS,
          docs=f"{_D}/pulls/comments#delete-a-review-comment-for-a-pull-request"),
    Route("react_review_comment", "POST", f"{R}/pulls/comments/{{comment_id}}/reactions",
          f"{R}/pulls/comments/{CID}/reactions",
          "reactions/create-for-pull-request-review-comment", "token", WRITE_PULLS,
          resource="Reaction",
          docs=f"{_D}/reactions/reactions#create-reaction-for-a-pull-request-review-comment"),
    Route("list_issue_comments", "GET", f"{R}/issues/{{issue_number}}/comments",
          f"{R}/issues/{{issue_number:\\d+}}/comments", "issues/list-comments", "token",
          READ_ISSUES, docs=f"{_D}/issues/comments#list-issue-comments"),
    Route("create_issue_comment", "POST", f"{R}/issues/{{issue_number}}/comments",
          f"{R}/issues/{{issue_number:\\d+}}/comments", "issues/create-comment", "token",
          WRITE_ISSUES, resource="IssueComment",
          docs=f"{_D}/issues/comments#create-an-issue-comment"),
    Route("get_issue_comment", "GET", f"{R}/issues/comments/{{comment_id}}",
          f"{R}/issues/comments/{CID}", "issues/get-comment", "token", READ_ISSUES,
          docs=f"{_D}/issues/comments#get-an-issue-comment"),
    Route("update_issue_comment", "PATCH", f"{R}/issues/comments/{{comment_id}}",
          f"{R}/issues/comments/{CID}", "issues/update-comment", "token", WRITE_ISSUES,
          resource="IssueComment", docs=f"{_D}/issues/comments#update-an-issue-comment"),
    Route("delete_issue_comment", "DELETE", f"{R}/issues/comments/{{comment_id}}",
          f"{R}/issues/comments/{CID}", "issues/delete-comment", "token", WRITE_ISSUES,
          docs=f"{_D}/issues/comments#delete-an-issue-comment"),
    Route("react_issue_comment", "POST", f"{R}/issues/comments/{{comment_id}}/reactions",
          f"{R}/issues/comments/{CID}/reactions", "reactions/create-for-issue-comment",
          "token", WRITE_ISSUES, resource="Reaction",
          docs=f"{_D}/reactions/reactions#create-reaction-for-an-issue-comment"),
    Route("collaborator_permission", "GET", f"{R}/collaborators/{{username}}/permission",
          f"{R}/collaborators/{{username}}/permission",
          "repos/get-collaborator-permission-level", "token", READ_METADATA,
          docs=f"{_D}/collaborators/collaborators"
          "#get-repository-permissions-for-a-user"),
    Route("rate_limit", "GET", "/rate_limit", "/rate_limit", "rate-limit/get", "none",
          docs=f"{_D}/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user"),
)  # fmt: skip
ROUTES_BY_NAME = {route.name: route for route in ROUTES}

JSON_TYPE = "application/json; charset=utf-8"
DIFF_TYPE = "application/vnd.github.diff; charset=utf-8"
RAW_TYPE = "application/vnd.github.raw; charset=utf-8"
RATE_DOCS = f"{_D}/using-the-rest-api/rate-limits-for-the-rest-api"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID {request_id}."
)
TOO_LARGE = (
    "Sorry, the diff exceeded the maximum number of {what}. Consider using 'List pull requests "
    "files' API or locally cloning the repository instead."
)


@dataclass
class Reply:
    """A response before the server adds its common headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = JSON_TYPE
    validate: bool = True
    """Whether ``body`` is JSON to check against the documented response schema."""


@dataclass
class RateBucket:
    limit: int
    reset_at: float
    used: int = 0

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(int(self.reset_at)),
            "x-ratelimit-used": str(self.used),
            "x-ratelimit-resource": "core",
        }


@dataclass
class Call:
    """One request on its way through the pipeline."""

    request: web.Request
    route: Route
    params: dict[str, str]
    request_id: str
    body: Any = None
    app: App | None = None
    token: Token | None = None
    installation: Installation | None = None
    repo: Repo | None = None
    bucket: RateBucket | None = None

    def query(self, name: str, default: str | None = None) -> str | None:
        return self.request.query.get(name, default)

    def int_param(self, name: str) -> int:
        return int(self.params[name])


CALL_KEY = web.RequestKey("call", Call)
RECORD_KEY = web.RequestKey("record", RequestRecord)


def _parse_time(value: Any, field_name: str) -> float:
    try:
        return datetime.fromisoformat(str(value)).timestamp()
    except ValueError:
        issue = SchemaIssue(field_name, "invalid", f"For '{field_name}', it is not a date-time.")
        raise invalid_request(
            [issue], resource="CheckRun", docs=DOCS, simple=False, kind="schema"
        ) from None


def _level(permissions: dict[str, str], category: str) -> int:
    return PERMISSION_LEVELS.get(permissions.get(category, "none"), 0)


class Api:
    """The handlers; ``gh`` holds the state, the clock, the configuration and the records."""

    def __init__(self, gh: FakeGitHub) -> None:
        self.gh = gh
        self.state = gh.state
        self.buckets: dict[str, RateBucket] = {}
        self.writes: dict[int, deque[float]] = {}
        self.archive_links: dict[str, tuple[str, str, float]] = {}

    # -- pipeline ------------------------------------------------------------------------

    async def dispatch(self, request: web.Request, route: Route, request_id: str) -> Call:
        """Authenticate and authorise ``request``; raises ``ApiError`` to refuse it."""
        call = Call(request, route, dict(request.match_info), request_id)
        request[CALL_KEY] = call
        self._authenticate(call)
        if route.name != "rate_limit":
            self._count(call)
        if "owner" in call.params and route.auth == "token":
            self._resolve_repo(call)
            self._authorize(call)
        if request.method in ("POST", "PATCH", "PUT"):
            call.body = await self._read_body(call)
            self._check_schema(call)
        return call

    def handle(self, call: Call) -> Reply:
        handler = getattr(self, f"_{call.route.handler or call.route.name}")
        reply: Reply = handler(call)
        return reply

    def _credentials(self, request: web.Request) -> tuple[str, str] | None:
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() in ("token", "bearer") and value.strip():
            return scheme.lower(), value.strip()
        return None

    def _token(self, value: str) -> Token:
        token = self.state.tokens.get(value)
        if token is None or token.revoked or token.expires_at <= self.gh.now():
            raise bad_credentials()
        return token

    def _authenticate(self, call: Call) -> None:
        credentials = self._credentials(call.request)
        record = self.gh.current_record(call.request)
        if call.route.auth == "jwt":
            if credentials is None or credentials[0] != "bearer":
                record.auth = "invalid"
                raise ApiError(401, auth.MSG_UNDECODABLE)
            try:
                call.app = auth.verify_app_jwt(credentials[1], self.state.apps, self.gh.now())
            except auth.AuthError as error:
                record.auth = "invalid"
                raise ApiError(401, error.message) from error
            record.auth = "jwt"
            return
        if credentials is None:
            if call.route.auth == "token":
                raise requires_authentication()
            return
        if call.route.auth == "none" and credentials[1].count(".") == 2:
            record.auth = "jwt"  # an app JWT on an open endpoint such as /rate_limit
            return
        try:
            call.token = self._token(credentials[1])
        except ApiError:
            record.auth = "invalid"
            raise
        call.installation = self.state.installations[call.token.installation_id]
        record.auth = "token"
        record.installation_id = call.installation.id

    def _bucket_key(self, call: Call) -> str:
        if call.installation is not None:
            return f"installation:{call.installation.id}"
        if call.app is not None:
            return f"app:{call.app.id}"
        return f"anonymous:{call.request.remote}"

    def bucket(self, call: Call) -> RateBucket:
        key = self._bucket_key(call)
        now = self.gh.now()
        bucket = self.buckets.get(key)
        if bucket is None or bucket.reset_at <= now:
            limit = self.gh.config.rate_limit if call.token or call.app else 60
            bucket = self.buckets[key] = RateBucket(limit=limit, reset_at=now + 3600)
        return bucket

    def _count(self, call: Call) -> None:
        bucket = call.bucket = self.bucket(call)
        if bucket.remaining == 0:
            who = f"installation ID {call.installation.id}" if call.installation else "this app"
            raise primary_limit(bucket.limit, bucket.reset_at, who)
        bucket.used += 1
        self._secondary(call)

    def _secondary(self, call: Call) -> None:
        config = self.gh.config
        if call.installation is None or call.request.method not in (
            "POST",
            "PATCH",
            "PUT",
            "DELETE",
        ):
            return
        now = self.gh.now()
        recent = self.writes.setdefault(call.installation.id, deque())
        while recent and recent[0] <= now - 3600:
            recent.popleft()
        last_minute = sum(1 for t in recent if t > now - 60)
        per_minute, per_hour = config.secondary_per_minute, config.secondary_per_hour
        if (per_minute is not None and last_minute >= per_minute) or (
            per_hour is not None and len(recent) >= per_hour
        ):
            self.gh.current_record(call.request).fault = "secondary_rate_limit (natural)"
            raise secondary_limit(403, 60, call.request_id)
        recent.append(now)

    def _resolve_repo(self, call: Call) -> None:
        key = f"{call.params['owner']}/{call.params['repo']}".lower()
        repo = self.state.repos.get(key)
        token, installation = call.token, call.installation
        if repo is None or token is None or installation is None:
            raise not_found(call.route.docs)
        if repo.key not in installation.repositories:
            raise not_found(call.route.docs)
        if token.repositories is not None and repo.key not in token.repositories:
            raise not_found(call.route.docs)
        call.repo = repo

    def _authorize(self, call: Call) -> None:
        if not call.route.needs or call.token is None:
            return
        granted = call.token.permissions
        for category, level in call.route.needs:
            if _level(granted, category) >= PERMISSION_LEVELS[level]:
                return
        wanted = " or ".join(f"{category}:{level}" for category, level in call.route.needs)
        raise not_accessible(call.route.docs, wanted)

    async def _read_body(self, call: Call) -> Any:
        raw = await call.request.read()
        self.gh.current_record(call.request).body = None
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except ValueError:
            raise ApiError(
                400, "Problems parsing JSON", docs=call.route.docs, rejection="parse"
            ) from None
        self.gh.current_record(call.request).body = body
        return body

    def _check_schema(self, call: Call) -> None:
        schemas = self.gh.schemas
        if schemas is None:
            return
        issues = schemas.check_request(call.route.method, call.route.path, call.body)
        if issues:
            raise self._invalid(call, issues, kind="schema")

    def _invalid(self, call: Call, issues: list[SchemaIssue], kind: Any = "rule") -> ApiError:
        route = call.route
        return invalid_request(
            issues, resource=route.resource, docs=route.docs, simple=route.simple_errors, kind=kind
        )

    def _rule(self, call: Call, issues: list[SchemaIssue]) -> None:
        if issues:
            raise self._invalid(call, issues)

    # -- helpers -------------------------------------------------------------------------

    @property
    def render(self) -> Any:
        return self.gh.render

    def _repo(self, call: Call) -> Repo:
        assert call.repo is not None
        return call.repo

    def _pull(self, call: Call, name: str = "pull_number") -> PullRequest:
        pull = self.state.pulls.get((self._repo(call).key, call.int_param(name)))
        if pull is None:
            raise not_found(call.route.docs)
        return pull

    def _bot(self, call: Call) -> User:
        assert call.installation is not None
        return self.state.apps[call.installation.app_id].bot

    def _page(self, call: Call, items: list[Any]) -> tuple[list[Any], dict[str, str]]:
        def number(name: str, default: int) -> int:
            try:
                return int(call.query(name) or default)
            except ValueError:
                return default

        per_page = min(max(number("per_page", 30), 1), 100)
        page = max(number("page", 1), 1)
        pages = max(1, math.ceil(len(items) / per_page))
        chunk = items[(page - 1) * per_page : page * per_page]

        def link(target: int) -> str:
            query = dict(call.request.query)
            query.update({"per_page": str(per_page), "page": str(target)})
            return f"<{self.gh.url}{call.request.path}?{urlencode(query)}>"

        rels = []
        if page < pages:
            rels += [f'{link(page + 1)}; rel="next"', f'{link(pages)}; rel="last"']
        if page > 1:
            rels += [f'{link(1)}; rel="first"', f'{link(min(page - 1, pages))}; rel="prev"']
        return chunk, ({"Link": ", ".join(rels)} if rels else {})

    def _own(self, call: Call, author: User) -> None:
        if author is not self._bot(call):
            raise ApiError(
                403,
                "Resource not accessible by integration",
                docs=call.route.docs,
                rejection="permission",
                detail=f"the comment belongs to {author.login}, not to the app",
            )

    # -- apps and tokens -----------------------------------------------------------------

    def _get_app(self, call: Call) -> Reply:
        assert call.app is not None
        return Reply(200, self.render.app(call.app))

    def _create_token(self, call: Call) -> Reply:
        assert call.app is not None
        installation = self.state.installations.get(call.int_param("installation_id"))
        if installation is None or installation.app_id != call.app.id:
            raise not_found(call.route.docs)
        if installation.suspended:
            raise ApiError(403, "This installation has been suspended", docs=call.route.docs)
        body = call.body or {}
        repos = self._token_repos(call, installation, body)
        permissions = dict(installation.permissions)
        wanted = body.get("permissions")
        if isinstance(wanted, dict):
            for category, level in wanted.items():
                if _level(installation.permissions, category) < PERMISSION_LEVELS.get(level, 9):
                    raise ApiError(
                        422,
                        "The permissions requested are not granted to this installation.",
                        docs=call.route.docs,
                        rejection="rule",
                    )
            permissions = dict(wanted)
        token = Token(
            token=auth.new_installation_token(),
            installation_id=installation.id,
            expires_at=self.gh.now() + self.gh.config.token_lifetime,
            permissions=permissions,
            repositories=repos,
        )
        self.state.tokens[token.token] = token
        reply: dict[str, Any] = {
            "token": token.token,
            "expires_at": iso(token.expires_at),
            "permissions": permissions,
            "repository_selection": "selected" if repos is not None else installation.selection,
        }
        if repos is not None:
            reply["repositories"] = [
                self.render.repo(self.state.repos[key]) for key in sorted(repos)
            ]
        return Reply(201, reply)

    def _token_repos(
        self, call: Call, installation: Installation, body: dict[str, Any]
    ) -> frozenset[str] | None:
        names, ids = body.get("repositories"), body.get("repository_ids")
        if not names and not ids:
            return None
        chosen = set()
        owner = installation.account.login.lower()
        for name in names or []:
            chosen.add(f"{owner}/{str(name).lower()}")
        by_id = {repo.id: repo.key for repo in self.state.repos.values()}
        for repo_id in ids or []:
            chosen.add(by_id.get(repo_id, f"#{repo_id}"))
        if not chosen <= installation.repositories:
            raise ApiError(
                422,
                "There is at least one repository that does not exist or is not accessible to "
                "the parent installation.",
                docs=call.route.docs,
                rejection="rule",
            )
        return frozenset(chosen)

    def _get_repo_installation(self, call: Call) -> Reply:
        assert call.app is not None
        key = f"{call.params['owner']}/{call.params['repo']}".lower()
        repo = self.state.repos.get(key)
        installation = self.state.installation_for(repo) if repo else None
        if installation is None or installation.app_id != call.app.id:
            raise not_found(call.route.docs)
        return Reply(200, self.render.installation(installation))

    def _convert_manifest(self, call: Call) -> Reply:
        manifest = self.state.manifest_codes.pop(call.params["code"], None)
        if manifest is None:
            raise not_found(call.route.docs)
        app = self.gh.add_app(
            slug=str(manifest.get("name", "archreview")).lower().replace(" ", "-"),
            name=str(manifest.get("name", "archreview")),
            permissions=dict(manifest.get("default_permissions") or {}),
            events=list(manifest.get("default_events") or []),
            webhook_secret=secrets.token_hex(20),
        )
        body = self.render.app(app)
        body.update(
            {
                "client_secret": secrets.token_hex(20),
                "webhook_secret": app.webhook_secret,
                "pem": app.private_key_pem,
            }
        )
        return Reply(201, body)

    def _rate_limit(self, call: Call) -> Reply:
        bucket = self.bucket(call)
        core = {
            "limit": bucket.limit,
            "remaining": bucket.remaining,
            "reset": int(bucket.reset_at),
            "used": bucket.used,
            "resource": "core",
        }
        search = {"limit": 30, "remaining": 30, "reset": int(self.gh.now()) + 60, "used": 0}
        return Reply(200, {"resources": {"core": core, "search": search}, "rate": core})

    # -- repository, pulls, files, tarball, contents -------------------------------------

    def _get_repo(self, call: Call) -> Reply:
        return Reply(200, self.render.full_repo(self._repo(call)))

    def _get_pull(self, call: Call) -> Reply:
        pull = self._pull(call)
        accept = call.request.headers.get("Accept", "")
        if any(kind in accept for kind in ("vnd.github.diff", "vnd.github.v3.diff",
                                          "vnd.github.patch", "vnd.github.v3.patch")):  # fmt: skip
            self._check_diff_size(call, pull.diff)
            return Reply(200, raw=pull.diff.text.encode(), content_type=DIFF_TYPE, validate=False)
        return Reply(200, self.render.pull(pull))

    def _check_diff_size(self, call: Call, diff: ParsedDiff) -> None:
        config = self.gh.config
        what = None
        if len(diff.files) > config.max_diff_files:
            what = f"files ({config.max_diff_files})"
        elif diff.line_count > config.max_diff_lines:
            what = f"lines ({config.max_diff_lines})"
        elif diff.byte_count > config.max_diff_bytes:
            what = f"bytes ({config.max_diff_bytes})"
        if what is not None:
            raise ApiError(
                406,
                TOO_LARGE.format(what=what),
                errors=[{"resource": "PullRequest", "field": "diff", "code": "too_large"}],
                docs=f"{_D}/pulls/pulls#list-pull-requests-files",
            )

    def _list_files(self, call: Call) -> Reply:
        pull = self._pull(call)
        config = self.gh.config
        entries = list(pull.diff.files.values())[: config.max_listed_files]
        chunk, headers = self._page(call, entries)
        body = []
        for entry in chunk:
            small = (
                entry.patch.count("\n") + 1 <= config.file_patch_max_lines
                and len(entry.patch.encode()) <= config.file_patch_max_bytes
            )
            body.append(self.render.diff_entry(pull, entry, with_patch=small and not entry.binary))
        return Reply(200, body, headers=headers)

    def _tarball(self, call: Call) -> Reply:
        repo = self._repo(call)
        ref = call.params.get("ref") or repo.default_branch
        sha = repo.resolve(ref)
        if sha is None:
            raise not_found(call.route.docs)
        link = secrets.token_urlsafe(24)
        lifetime = self.gh.config.archive_link_lifetime
        self.archive_links[link] = (repo.key, sha, self.gh.now() + lifetime)
        location = (
            f"{self.gh.codeload_url}/{repo.owner.login}/{repo.name}/legacy.tar.gz/{ref}"
            f"?{urlencode({'token': link})}"
        )
        return Reply(302, headers={"Location": location}, validate=False)

    def archive(self, link: str | None, owner: str, name: str) -> tuple[Repo, str] | None:
        """The repository and commit an unexpired codeload ``token`` link grants."""
        granted = self.archive_links.get(link or "")
        if granted is None:
            return None
        key, sha, expires = granted
        if expires <= self.gh.now() or key != f"{owner}/{name}".lower():
            return None
        return self.state.repos[key], sha

    def _contents(self, call: Call) -> Reply:
        repo = self._repo(call)
        ref = call.query("ref") or repo.default_branch
        sha = repo.resolve(ref)
        if sha is None:
            raise ApiError(404, f"No commit found for the ref {ref}", docs=call.route.docs)
        files = repo.commits[sha].files
        path = call.params.get("path", "").strip("/")
        accept = call.request.headers.get("Accept", "")
        if path in files:
            data = files[path]
            if "vnd.github.raw" in accept or "vnd.github.v3.raw" in accept:
                return Reply(200, raw=data, content_type=RAW_TYPE, validate=False)
            max_size = self.gh.config.contents_max_size
            return Reply(200, self.render.content_file(repo, path, ref, data, max_size))
        prefix = f"{path}/" if path else ""
        children: dict[str, bytes | None] = {}
        for name, data in files.items():
            if name.startswith(prefix):
                first, _, rest = name[len(prefix) :].partition("/")
                children[prefix + first] = None if rest else data
        if not children:
            raise not_found(call.route.docs)
        listing = [
            self.render.content_entry(repo, child, ref, children[child])
            for child in sorted(children)
        ]
        return Reply(200, listing)

    # -- check runs ----------------------------------------------------------------------

    def _check_run(self, call: Call) -> CheckRun:
        run = self.state.check_runs.get(call.int_param("check_run_id"))
        if run is None or run.repo is not self._repo(call):
            raise not_found(call.route.docs)
        return run

    def _apply_check_run(self, call: Call, run: CheckRun, body: dict[str, Any]) -> None:
        now = self.gh.now()
        for name in ("name", "details_url", "external_id"):
            if name in body:
                setattr(run, name, body[name])
        if "started_at" in body:
            run.started_at = _parse_time(body["started_at"], "started_at")
        if "status" in body:
            run.status = body["status"]
        if body.get("conclusion") is not None:
            run.conclusion = body["conclusion"]
            run.status = "completed"
        if "completed_at" in body:
            run.completed_at = _parse_time(body["completed_at"], "completed_at")
        if run.status == "in_progress" and run.started_at is None:
            run.started_at = now
        if run.status == "completed" and run.completed_at is None:
            run.completed_at = now
        if run.started_at is None:
            run.started_at = now
        output = body.get("output")
        if isinstance(output, dict):
            run.output_title = output.get("title", run.output_title)
            run.output_summary = output.get("summary", run.output_summary)
            run.output_text = output.get("text", run.output_text)
            for note in output.get("annotations", []):
                run.annotations.append(
                    Annotation(
                        **{k: v for k, v in note.items() if k in Annotation.__dataclass_fields__}
                    )
                )
            if "images" in output:
                run.images = list(output["images"])
        if "actions" in body:
            run.actions = list(body["actions"])

    def _create_check_run(self, call: Call) -> Reply:
        repo, body = self._repo(call), call.body
        self._rule(call, rules.check_run_issues(body, creating=True, in_bytes=self._bytes))
        head_sha = body["head_sha"]
        if head_sha not in repo.commits:
            raise validation_failed(
                "CheckRun",
                "head_sha",
                "invalid",
                call.route.docs,
                f"No commit found for SHA: {head_sha}",
            )
        assert call.installation is not None
        app_id = call.installation.app_id
        run = CheckRun(
            id=self.state.next_id("check_run"),
            repo=repo,
            app_id=app_id,
            name=body["name"],
            head_sha=head_sha,
            check_suite_id=self.state.check_suite_id(repo, app_id, head_sha),
        )
        self._apply_check_run(call, run, {k: v for k, v in body.items() if k != "name"})
        self.state.check_runs[run.id] = run
        return Reply(201, self.render.check_run(run))

    @property
    def _bytes(self) -> bool:
        return self.gh.config.limits_in_bytes

    def _update_check_run(self, call: Call) -> Reply:
        run = self._check_run(call)
        assert call.installation is not None
        if run.app_id != call.installation.app_id:
            raise ApiError(
                403,
                f"Invalid app_id `{call.installation.app_id}` - check run can only be modified "
                "by the GitHub App that created it.",
                docs=call.route.docs,
                rejection="permission",
            )
        self._rule(call, rules.check_run_issues(call.body, creating=False, in_bytes=self._bytes))
        self._apply_check_run(call, run, call.body)
        run.updates += 1
        return Reply(200, self.render.check_run(run))

    def _get_check_run(self, call: Call) -> Reply:
        return Reply(200, self.render.check_run(self._check_run(call)))

    def _list_annotations(self, call: Call) -> Reply:
        run = self._check_run(call)
        chunk, headers = self._page(call, run.annotations)
        return Reply(200, [self.render.annotation(run, a) for a in chunk], headers=headers)

    def _list_check_runs(self, call: Call) -> Reply:
        repo = self._repo(call)
        sha = repo.resolve(call.params["ref"])
        if sha is None:
            raise validation_failed(
                "Commit",
                "ref",
                "invalid",
                call.route.docs,
                f"No commit found for SHA: {call.params['ref']}",
            )
        runs = sorted(
            (r for r in self.state.check_runs.values() if r.repo is repo and r.head_sha == sha),
            key=lambda r: r.id,
            reverse=True,
        )
        if name := call.query("check_name"):
            runs = [r for r in runs if r.name == name]
        if status := call.query("status"):
            runs = [r for r in runs if r.status == status]
        if app_id := call.query("app_id"):
            runs = [r for r in runs if str(r.app_id) == app_id]
        if (call.query("filter") or "latest") == "latest":
            seen: set[tuple[int, str]] = set()
            latest = []
            for run in runs:
                if (run.app_id, run.name) not in seen:
                    seen.add((run.app_id, run.name))
                    latest.append(run)
            runs = latest
        chunk, headers = self._page(call, runs)
        body = {"total_count": len(runs), "check_runs": [self.render.check_run(r) for r in chunk]}
        return Reply(200, body, headers=headers)

    # -- reviews and review comments -----------------------------------------------------

    def _diff_for(
        self, call: Call, pull: PullRequest, commit_id: str | None
    ) -> tuple[str, ParsedDiff]:
        sha = commit_id or pull.head_sha
        if sha not in pull.diffs:
            raise unprocessable(
                [f"No commit found for SHA: {sha}"], docs=call.route.docs,
                detail=f"commit_id {sha} is not a head of the pull request",
            )  # fmt: skip
        return sha, pull.diffs[sha]

    def _new_comment(
        self, call: Call, pull: PullRequest, review_id: int, sha: str, body: str,
        placement: rules.Placement, subject: str = "line",
    ) -> ReviewComment:  # fmt: skip
        now = self.gh.now()
        anchor = placement.anchor
        return ReviewComment(
            id=self.state.next_id("review_comment"),
            repo=pull.repo,
            pull_number=pull.number,
            review_id=review_id,
            user=self._bot(call),
            body=body,
            path=placement.file.path,
            commit_id=sha,
            diff_hunk=placement.file.diff_hunk(anchor) if anchor else "",
            line=placement.line,
            side=placement.side,
            start_line=placement.start_line,
            start_side=placement.start_side,
            position=anchor.position if anchor else None,
            subject_type="file" if subject == "file" else "line",
            created_at=now,
            updated_at=now,
        )

    def _create_review(self, call: Call) -> Reply:
        pull, body = self._pull(call), call.body
        issues = rules.body_issues(body.get("body"), "body", self._bytes)
        comments = body.get("comments") or []
        for index, comment in enumerate(comments):
            issues += rules.body_issues(comment.get("body"), f"comments.{index}.body", self._bytes)
        self._rule(call, issues)
        sha, diff = self._diff_for(call, pull, body.get("commit_id"))
        placements = []
        for index, comment in enumerate(comments):
            try:
                placements.append(rules.place_comment(diff, comment))
            except rules.PlacementError as error:
                raise unprocessable(
                    error.errors, docs=call.route.docs, detail=f"comments[{index}]: {error.detail}"
                ) from None
        event = body.get("event")
        bot = self._bot(call)
        if event in ("REQUEST_CHANGES", "COMMENT") and not body.get("body") and not comments:
            raise unprocessable(
                ["Review body can't be blank"], docs=call.route.docs,
                detail=f"{event} needs a body or comments",
            )  # fmt: skip
        if event is None and any(
            r.state == "PENDING"
            and r.user is bot
            and r.pull_number == pull.number
            and r.repo is pull.repo
            for r in self.state.reviews.values()
        ):
            raise unprocessable(
                ["User can only have one pending review per pull request"], docs=call.route.docs
            )
        states = {
            "APPROVE": "APPROVED",
            "REQUEST_CHANGES": "CHANGES_REQUESTED",
            "COMMENT": "COMMENTED",
        }
        now = self.gh.now()
        review = Review(
            id=self.state.next_id("review"),
            repo=pull.repo,
            pull_number=pull.number,
            user=bot,
            body=body.get("body") or "",
            state=states.get(event or "", "PENDING"),
            commit_id=sha,
            submitted_at=now if event else None,
        )
        self.state.reviews[review.id] = review
        for comment, placement in zip(comments, placements, strict=True):
            stored = self._new_comment(call, pull, review.id, sha, comment["body"], placement)
            self.state.review_comments[stored.id] = stored
        return Reply(200, self.render.review(review))

    def _list_reviews(self, call: Call) -> Reply:
        pull = self._pull(call)
        reviews = [
            r for r in self.state.reviews.values()
            if r.repo is pull.repo and r.pull_number == pull.number
        ]  # fmt: skip
        chunk, headers = self._page(call, reviews)
        return Reply(200, [self.render.review(r) for r in chunk], headers=headers)

    def _visible(self, call: Call, comment: ReviewComment) -> bool:
        review = self.state.reviews.get(comment.review_id or 0)
        return review is None or review.state != "PENDING" or review.user is self._bot(call)

    def _list_review_comments(self, call: Call) -> Reply:
        pull = self._pull(call)
        comments = [
            c for c in self.state.review_comments.values()
            if c.repo is pull.repo and c.pull_number == pull.number and self._visible(call, c)
        ]  # fmt: skip
        if call.query("sort") == "updated":
            comments.sort(key=lambda c: (c.updated_at, c.id))
        if call.query("direction") == "desc":
            comments.reverse()
        chunk, headers = self._page(call, comments)
        return Reply(200, [self.render.review_comment(c) for c in chunk], headers=headers)

    def _review_comment(self, call: Call) -> ReviewComment:
        comment = self.state.review_comments.get(call.int_param("comment_id"))
        if comment is None or comment.repo is not self._repo(call):
            raise not_found(call.route.docs)
        return comment

    def _single_review(self, call: Call, pull: PullRequest, sha: str) -> int:
        review = Review(
            id=self.state.next_id("review"),
            repo=pull.repo,
            pull_number=pull.number,
            user=self._bot(call),
            body="",
            state="COMMENTED",
            commit_id=sha,
            submitted_at=self.gh.now(),
        )
        self.state.reviews[review.id] = review
        return review.id

    def _reply_to(self, call: Call, pull: PullRequest, parent: ReviewComment, body: str) -> Reply:
        self._rule(call, rules.body_issues(body, "body", self._bytes))
        now = self.gh.now()
        reply = ReviewComment(
            id=self.state.next_id("review_comment"),
            repo=pull.repo,
            pull_number=pull.number,
            review_id=self._single_review(call, pull, parent.commit_id),
            user=self._bot(call),
            body=body,
            path=parent.path,
            commit_id=parent.commit_id,
            diff_hunk=parent.diff_hunk,
            line=parent.line,
            side=parent.side,
            start_line=parent.start_line,
            start_side=parent.start_side,
            position=parent.position,
            in_reply_to_id=parent.in_reply_to_id or parent.id,
            subject_type=parent.subject_type,
            created_at=now,
            updated_at=now,
        )
        self.state.review_comments[reply.id] = reply
        return Reply(201, self.render.review_comment(reply))

    def _create_review_comment(self, call: Call) -> Reply:
        pull, body = self._pull(call), call.body
        if body.get("in_reply_to") is not None:
            parent = self.state.review_comments.get(int(body["in_reply_to"]))
            if parent is None or parent.repo is not pull.repo or parent.pull_number != pull.number:
                raise not_found(call.route.docs)
            return self._reply_to(call, pull, parent, body["body"])
        self._rule(call, rules.body_issues(body.get("body"), "body", self._bytes))
        sha, diff = self._diff_for(call, pull, body.get("commit_id"))
        try:
            placement = rules.place_comment(diff, body)
        except rules.PlacementError as error:
            raise ApiError(
                422,
                "Validation Failed",
                errors=error.thread_errors,
                docs=call.route.docs,
                rejection="diff",
                detail=error.detail,
            ) from None
        review_id = self._single_review(call, pull, sha)
        subject = str(body.get("subject_type") or "line")
        comment = self._new_comment(call, pull, review_id, sha, body["body"], placement, subject)
        self.state.review_comments[comment.id] = comment
        return Reply(201, self.render.review_comment(comment))

    def _reply_review_comment(self, call: Call) -> Reply:
        pull = self._pull(call)
        parent = self.state.review_comments.get(call.int_param("comment_id"))
        if parent is None or parent.repo is not pull.repo or parent.pull_number != pull.number:
            raise not_found(call.route.docs)
        return self._reply_to(call, pull, parent, call.body["body"])

    def _get_review_comment(self, call: Call) -> Reply:
        return Reply(200, self.render.review_comment(self._review_comment(call)))

    def _update_review_comment(self, call: Call) -> Reply:
        comment = self._review_comment(call)
        self._own(call, comment.user)
        self._rule(call, rules.body_issues(call.body.get("body"), "body", self._bytes))
        comment.body = call.body["body"]
        comment.updated_at = self.gh.now()
        return Reply(200, self.render.review_comment(comment))

    def _delete_review_comment(self, call: Call) -> Reply:
        comment = self._review_comment(call)
        self._own(call, comment.user)
        del self.state.review_comments[comment.id]
        self._drop_reactions("review_comment", comment.id)
        return Reply(204, validate=False)

    def _drop_reactions(self, subject: str, subject_id: int) -> None:
        for reaction in list(self.state.reactions.values()):
            if reaction.subject == subject and reaction.subject_id == subject_id:
                del self.state.reactions[reaction.id]

    def _react(
        self, call: Call, subject: Literal["issue_comment", "review_comment"], subject_id: int
    ) -> Reply:
        content = call.body.get("content")
        if content not in REACTIONS:
            issue = SchemaIssue(
                "content", "invalid", f"For 'content', {content!r} is not one of {REACTIONS}."
            )
            raise self._invalid(call, [issue])
        bot = self._bot(call)
        for reaction in self.state.reactions.values():
            if (reaction.subject, reaction.subject_id, reaction.user, reaction.content) == (
                subject, subject_id, bot, content,
            ):  # fmt: skip
                return Reply(200, self.render.reaction(reaction))
        reaction = Reaction(
            id=self.state.next_id("reaction"),
            subject=subject,
            subject_id=subject_id,
            user=bot,
            content=content,
            created_at=self.gh.now(),
        )
        self.state.reactions[reaction.id] = reaction
        return Reply(201, self.render.reaction(reaction))

    def _react_review_comment(self, call: Call) -> Reply:
        return self._react(call, "review_comment", self._review_comment(call).id)

    # -- issue comments ------------------------------------------------------------------

    def _issue_comment(self, call: Call) -> IssueComment:
        comment = self.state.issue_comments.get(call.int_param("comment_id"))
        if comment is None or comment.repo is not self._repo(call):
            raise not_found(call.route.docs)
        return comment

    def _list_issue_comments(self, call: Call) -> Reply:
        pull = self._pull(call, "issue_number")
        comments = [
            c for c in self.state.issue_comments.values()
            if c.repo is pull.repo and c.issue_number == pull.number
        ]  # fmt: skip
        chunk, headers = self._page(call, comments)
        return Reply(200, [self.render.issue_comment(c) for c in chunk], headers=headers)

    def _create_issue_comment(self, call: Call) -> Reply:
        pull = self._pull(call, "issue_number")
        self._rule(call, rules.body_issues(call.body.get("body"), "body", self._bytes))
        now = self.gh.now()
        assert call.installation is not None
        comment = IssueComment(
            id=self.state.next_id("issue_comment"),
            repo=pull.repo,
            issue_number=pull.number,
            user=self._bot(call),
            body=call.body["body"],
            created_at=now,
            updated_at=now,
            via_app_id=call.installation.app_id,
        )
        self.state.issue_comments[comment.id] = comment
        body = self.render.issue_comment(comment)
        return Reply(201, body, headers={"Location": body["url"]})

    def _get_issue_comment(self, call: Call) -> Reply:
        return Reply(200, self.render.issue_comment(self._issue_comment(call)))

    def _update_issue_comment(self, call: Call) -> Reply:
        comment = self._issue_comment(call)
        self._own(call, comment.user)
        self._rule(call, rules.body_issues(call.body.get("body"), "body", self._bytes))
        comment.body = call.body["body"]
        comment.updated_at = self.gh.now()
        return Reply(200, self.render.issue_comment(comment))

    def _delete_issue_comment(self, call: Call) -> Reply:
        comment = self._issue_comment(call)
        self._own(call, comment.user)
        del self.state.issue_comments[comment.id]
        self._drop_reactions("issue_comment", comment.id)
        return Reply(204, validate=False)

    def _react_issue_comment(self, call: Call) -> Reply:
        return self._react(call, "issue_comment", self._issue_comment(call).id)

    # -- people --------------------------------------------------------------------------

    def _collaborator_permission(self, call: Call) -> Reply:
        repo = self._repo(call)
        login = call.params["username"]
        user = self.state.user(login)
        if login.lower() == repo.owner.login.lower():
            role = "admin"
        else:
            role = repo.collaborators.get(login.lower()) or ("none" if repo.private else "read")
        return Reply(200, self.render.permission(repo, user, role))


def secondary_limit(status: int, retry_after: int | None, request_id: str) -> ApiError:
    """GitHub's secondary rate limit answer (403 or 429, usually with ``retry-after``)."""
    headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
    return ApiError(
        status,
        SECONDARY_MESSAGE.format(request_id=request_id),
        docs=f"{RATE_DOCS}#about-secondary-rate-limits",
        headers=headers,
    )


def primary_limit(limit: int, reset_at: float, who: str) -> ApiError:
    """GitHub's primary rate limit answer: 403 with ``x-ratelimit-remaining: 0``."""
    headers = RateBucket(limit=limit, reset_at=reset_at, used=limit).headers()
    return ApiError(403, f"API rate limit exceeded for {who}.", docs=RATE_DOCS, headers=headers)
