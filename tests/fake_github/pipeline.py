"""How every request is handled before its endpoint runs, as on GitHub.

Credentials (app JWT or installation token), rate limits (primary, and the secondary limit on
content creation), repository visibility, installation permissions, JSON parsing and the
operation's request schema, in that order. Endpoint classes (``endpoints/``) build on
``Pipeline`` and share its helpers: pagination with ``Link`` headers, GitHub's refusals.
"""

from __future__ import annotations

import json
import math
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlencode

from aiohttp import web

from tests.fake_github import auth
from tests.fake_github.errors import (
    DOCS,
    ApiError,
    RejectionKind,
    bad_credentials,
    invalid_request,
    not_accessible,
    not_found,
    requires_authentication,
)
from tests.fake_github.render import REACTIONS, Renderer
from tests.fake_github.routes import Route
from tests.fake_github.schemas import SchemaIssue
from tests.fake_github.state import (
    PERMISSION_LEVELS,
    App,
    Installation,
    PullRequest,
    Reaction,
    Repo,
    RequestRecord,
    Token,
    User,
)

if TYPE_CHECKING:
    from tests.fake_github.server import FakeGitHub

JSON_TYPE = "application/json; charset=utf-8"
DIFF_TYPE = "application/vnd.github.diff; charset=utf-8"
RAW_TYPE = "application/vnd.github.raw; charset=utf-8"
RATE_DOCS = f"{DOCS}/using-the-rest-api/rate-limits-for-the-rest-api"
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


def parse_time(value: Any, field_name: str) -> float:
    try:
        return datetime.fromisoformat(str(value)).timestamp()
    except ValueError:
        issue = SchemaIssue(field_name, "invalid", f"For '{field_name}', it is not a date-time.")
        raise invalid_request(
            [issue], resource="CheckRun", docs=DOCS, simple=False, kind="schema"
        ) from None


def permission_level(permissions: dict[str, str], category: str) -> int:
    return PERMISSION_LEVELS.get(permissions.get(category, "none"), 0)


class Pipeline:
    """Authentication, limits, access and validation; ``gh`` holds state, clock and records."""

    def __init__(self, gh: FakeGitHub) -> None:
        self.gh = gh
        self.state = gh.state
        self.buckets: dict[str, RateBucket] = {}
        self.writes: dict[int, deque[float]] = {}
        self.archive_links: dict[str, tuple[str, str, float]] = {}

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
            self._check_required(call)
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
            if permission_level(granted, category) >= PERMISSION_LEVELS[level]:
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
        if not isinstance(body, dict):
            issue = SchemaIssue("", "invalid", "For 'body', it is not an object.")
            raise self._invalid(call, [issue], kind="schema")
        return body

    def _check_schema(self, call: Call) -> None:
        schemas = self.gh.schemas
        if schemas is None:
            return
        issues = schemas.check_request(call.route.method, call.route.path, call.body)
        if issues:
            raise self._invalid(call, issues, kind="schema")

    def _check_required(self, call: Call) -> None:
        """The route's required string fields, for when the schemas are not loaded."""
        missing = [
            SchemaIssue(name, "missing_field", f'"{name}" wasn\'t supplied.')
            for name in call.route.required
            if not isinstance(call.body.get(name), str)
        ]
        if missing:
            raise self._invalid(call, missing, kind="schema")

    def _invalid(
        self, call: Call, issues: list[SchemaIssue], kind: RejectionKind = "rule"
    ) -> ApiError:
        route = call.route
        return invalid_request(
            issues, resource=route.resource, docs=route.docs, simple=route.simple_errors, kind=kind
        )

    def _rule(self, call: Call, issues: list[SchemaIssue]) -> None:
        if issues:
            raise self._invalid(call, issues)

    @property
    def render(self) -> Renderer:
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

    @property
    def _bytes(self) -> bool:
        return self.gh.config.limits_in_bytes

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
