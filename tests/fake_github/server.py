"""``FakeGitHub``: GitHub's REST API and codeload on two local aiohttp servers, driven by tests.

    async with FakeGitHub.start(strict=True) as gh:
        repo = gh.add_repo("octo/svc", {"app.py": "print('hi')\\n"})
        pull = gh.add_pull(repo, changes={"app.py": "import logging\\n"}, author="alice")
        ...  # run the app with GITHUB_API_URL=gh.url, its private key gh.app.private_key_pem
        assert gh.rejections == []
        assert gh.check_runs(head_sha=pull.head_sha)[0].conclusion == "failure"

The API server listens on 127.0.0.1, the codeload server on another host (127.0.0.2, or
``localhost`` where 127.0.0.2 cannot be bound), so a tarball redirect crosses origins as it does
from api.github.com to codeload.github.com. Both use ephemeral ports.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from typing import Any

import structlog
from aiohttp import web

from tests.fake_github.config import FakeConfig
from tests.fake_github.deliveries import DeliveryMixin
from tests.fake_github.endpoints import Api
from tests.fake_github.errors import ApiError, not_found
from tests.fake_github.faults import Fault, FaultPlan, Target
from tests.fake_github.pipeline import (
    CALL_KEY,
    RECORD_KEY,
    Call,
    Reply,
    primary_limit,
    secondary_limit,
)
from tests.fake_github.render import Renderer
from tests.fake_github.routes import ROUTES, ROUTES_BY_NAME
from tests.fake_github.scenario import ScenarioMixin
from tests.fake_github.schemas import ApiSchemas
from tests.fake_github.state import (
    CheckRun,
    CodeloadRecord,
    IssueComment,
    PullRequest,
    Reaction,
    Rejection,
    Repo,
    RequestRecord,
    Review,
    ReviewComment,
    State,
)

log = structlog.get_logger(__name__)


class FakeGitHubError(AssertionError):
    """The fake itself built a response that breaks GitHub's schema (strict mode)."""


class _Dropped(Exception):
    """The connection was reset on purpose; nothing must be answered."""


def _mask(headers: Mapping[str, str]) -> dict[str, str]:
    masked = {}
    for name, value in headers.items():
        if name.lower() in ("authorization", "proxy-authorization"):
            value = f"{value.partition(' ')[0]} ***"
        elif name.lower() == "cookie":
            value = "***"
        masked[name] = value
    return masked


def _bind(host: str) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    return sock


def _reset(request: web.Request) -> None:
    """Close the client connection with a TCP RST instead of an answer."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


class FakeGitHub(ScenarioMixin, DeliveryMixin):
    """A GitHub that keeps state, enforces GitHub's rules and records what an app did."""

    def __init__(
        self,
        config: FakeConfig | None = None,
        *,
        schemas: ApiSchemas | bool | None = True,
        **settings: Any,
    ) -> None:
        self.config = replace(config or FakeConfig(), **settings)
        self.schemas: ApiSchemas | None = (
            ApiSchemas.load() if schemas is True else (schemas or None)
        )
        self.state = State()
        self.requests: list[RequestRecord] = []
        self.rejections: list[Rejection] = []
        self.codeload_requests: list[CodeloadRecord] = []
        self.fake_errors: list[str] = []
        self.faults = FaultPlan(self.config.seed)
        self.api = Api(self)
        self.url = ""
        self.codeload_url = ""
        self.render = Renderer("http://127.0.0.1", self.state)
        self._offset = 0.0
        self._runners: list[web.AppRunner] = []

    # -- lifecycle -----------------------------------------------------------------------------

    @classmethod
    @contextlib.asynccontextmanager
    async def start(
        cls, config: FakeConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[FakeGitHub]:
        """Run both servers for the ``async with`` block; raises ``FakeGitHubError`` after it
        if the fake built any response that breaks GitHub's schema."""
        gh = cls(config, **kwargs)
        await gh.open()
        try:
            yield gh
        finally:
            await gh.close()
        gh.raise_fake_errors()

    async def __aenter__(self) -> FakeGitHub:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
        if exc[0] is None:
            self.raise_fake_errors()

    async def open(self) -> None:
        if self.config.strict and self.schemas is None:
            log.warning("strict mode without github schemas, responses not checked")
        api = web.Application(middlewares=[self._middleware], client_max_size=50 * 1024 * 1024)
        for route in ROUTES:
            api.router.add_route(route.method, route.pattern, self._unused, name=route.name)
        api_sock = _bind("127.0.0.1")
        self.url = f"http://127.0.0.1:{api_sock.getsockname()[1]}"
        self.render = Renderer(self.url, self.state)

        codeload = web.Application()
        codeload.router.add_get("/{owner}/{repo}/legacy.tar.gz/{ref:.+}", self._codeload)
        host = self.config.codeload_host
        try:
            codeload_sock = _bind(host)
            name = host
        except OSError:  # 127.0.0.2 is not a loopback address everywhere (macOS)
            codeload_sock, name = _bind("127.0.0.1"), "localhost"
        self.codeload_url = f"http://{name}:{codeload_sock.getsockname()[1]}"

        for app, sock in ((api, api_sock), (codeload, codeload_sock)):
            runner = web.AppRunner(app, access_log=None, handle_signals=False)
            await runner.setup()
            await web.SockSite(runner, sock).start()
            self._runners.append(runner)
        log.info("fake github started", url=self.url, codeload_url=self.codeload_url)

    async def close(self) -> None:
        for runner in reversed(self._runners):
            await runner.cleanup()
        self._runners.clear()

    def raise_fake_errors(self) -> None:
        if self.fake_errors:
            listed = "\n".join(self.fake_errors[:10])
            raise FakeGitHubError(f"the fake built responses GitHub would not send:\n{listed}")

    # -- request pipeline ----------------------------------------------------------------------

    async def _unused(self, request: web.Request) -> web.StreamResponse:
        raise AssertionError("every API request is answered by the middleware")

    def current_record(self, request: web.Request) -> RequestRecord:
        return request[RECORD_KEY]

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        request_id = f"{uuid.uuid4().hex[:4].upper()}:{uuid.uuid4().hex[:6].upper()}"
        record = RequestRecord(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers=_mask(request.headers),
            body=None,
            status=None,
            operation=None,
            auth="none",
            installation_id=None,
        )
        request[RECORD_KEY] = record
        self.requests.append(record)
        try:
            reply = await self._answer(request, record, request_id)
        except _Dropped:
            raise asyncio.CancelledError from None
        response = self._response(request, reply, request_id)
        record.status = response.status
        return response

    async def _answer(self, request: web.Request, record: RequestRecord, request_id: str) -> Reply:
        match = request.match_info
        if match.http_exception is not None:
            return self._error_reply(not_found())
        route = ROUTES_BY_NAME[str(match.route.name)]
        record.operation = route.operation
        fault = self.faults.pick("api", request.method, request.path)
        if fault is not None:
            record.fault = fault.kind
            reply = await self._fault_reply(request, fault, request_id)
            if reply is not None:
                return reply
        if self.config.require_user_agent and not request.headers.get("User-Agent"):
            return self._error_reply(
                ApiError(
                    403,
                    "Request forbidden by administrative rules. Please make sure your request "
                    "has a User-Agent header.",
                )
            )
        try:
            call = await self.api.dispatch(request, route, request_id)
            reply = self.api.handle(call)
        except ApiError as error:
            if error.rejection is not None:
                self._reject(request, route.operation, error, record)
            reply = self._error_reply(error)
        return self._checked(request, route.method, route.path, reply)

    def _reject(
        self, request: web.Request, operation: str, error: ApiError, record: RequestRecord
    ) -> None:
        assert error.rejection is not None
        rejection = Rejection(
            kind=error.rejection,
            method=request.method,
            path=request.path,
            operation=operation,
            status=error.status,
            message=error.detail,
            errors=list(error.body.get("errors", [])),
            body=record.body,
        )
        self.rejections.append(rejection)
        log.warning(
            "fake github rejected a request",
            kind=rejection.kind,
            method=rejection.method,
            path=rejection.path,
            status=rejection.status,
            detail=rejection.message,
        )

    def _error_reply(self, error: ApiError) -> Reply:
        return Reply(error.status, error.body, headers=dict(error.headers))

    async def _fault_reply(
        self, request: web.Request, fault: Fault, request_id: str
    ) -> Reply | None:
        if fault.kind == "delay":
            await asyncio.sleep(fault.delay)
            return None
        if fault.kind == "reset":
            _reset(request)
            raise _Dropped
        if fault.kind == "not_found":
            return self._error_reply(not_found())
        if fault.kind == "secondary_rate_limit":
            return self._error_reply(
                secondary_limit(fault.status or 403, fault.retry_after, request_id)
            )
        if fault.kind == "primary_rate_limit":
            reset_at = self.now() + (fault.retry_after or 60)
            who = self._installation_label(request)
            return self._error_reply(primary_limit(self.config.rate_limit, reset_at, who))
        status = fault.status or 502
        message = {502: "Server Error", 503: "Service Unavailable", 504: "Gateway Timeout"}
        return self._error_reply(ApiError(status, message.get(status, "Server Error")))

    def _installation_label(self, request: web.Request) -> str:
        _, _, value = request.headers.get("Authorization", "").partition(" ")
        token = self.state.tokens.get(value.strip())
        return f"installation ID {token.installation_id}" if token else str(request.remote)

    def _checked(self, request: web.Request, method: str, path: str, reply: Reply) -> Reply:
        """In strict mode, the reply if its body matches GitHub's schema, else a 500."""
        if not self.config.strict or self.schemas is None or not reply.validate:
            return reply
        if reply.body is None:
            return reply
        if self.schemas.documents_status(method, path, reply.status):
            problems = self.schemas.check_response(method, path, reply.status, reply.body)
        elif reply.status >= 400:
            body = reply.body
            problems = (
                []
                if isinstance(body, dict) and isinstance(body.get("message"), str)
                else ["error body without a message"]
            )
        else:
            problems = [f"status {reply.status} is not documented for {method} {path}"]
        if not problems:
            return reply
        summary = f"{method} {request.path} -> {reply.status}: " + "; ".join(problems[:5])
        self.fake_errors.append(summary)
        log.error("fake github built an invalid response", detail=summary)
        return Reply(500, {"message": "fake GitHub built an invalid response", "errors": problems})

    def _response(self, request: web.Request, reply: Reply, request_id: str) -> web.Response:
        call: Call | None = request.get(CALL_KEY)
        bucket = call.bucket if call is not None and call.bucket is not None else None
        headers = {
            "x-github-request-id": request_id,
            "x-github-media-type": "github.v3; format=json",
            "x-github-api-version-selected": "2022-11-28",
        }
        if bucket is None:
            limit = self.config.rate_limit if request.headers.get("Authorization") else 60
            headers.update(
                {
                    "x-ratelimit-limit": str(limit),
                    "x-ratelimit-remaining": str(limit),
                    "x-ratelimit-reset": str(int(self.now()) + 3600),
                    "x-ratelimit-used": "0",
                    "x-ratelimit-resource": "core",
                }
            )
        else:
            headers.update(bucket.headers())
        headers.update(reply.headers)
        if reply.raw is not None:
            headers["Content-Type"] = reply.content_type
            return web.Response(status=reply.status, body=reply.raw, headers=headers)
        if reply.body is None:
            return web.Response(status=reply.status, headers=headers)
        headers["Content-Type"] = reply.content_type
        return web.Response(
            status=reply.status, body=json.dumps(reply.body).encode(), headers=headers
        )

    # -- codeload ------------------------------------------------------------------------------

    async def _codeload(self, request: web.Request) -> web.Response:
        record = CodeloadRecord(
            path=request.path,
            query=dict(request.query),
            headers=_mask(request.headers),
            had_authorization="Authorization" in request.headers,
            status=0,
        )
        self.codeload_requests.append(record)
        response = await self._codeload_answer(request)
        record.status = response.status
        return response

    async def _codeload_answer(self, request: web.Request) -> web.Response:
        fault = self.faults.pick("codeload", request.method, request.path)
        if fault is not None and fault.kind == "delay":
            await asyncio.sleep(fault.delay)
        elif fault is not None and fault.kind == "reset":
            _reset(request)
            raise asyncio.CancelledError
        elif fault is not None and fault.kind == "not_found":
            return web.Response(status=404, text="404: Not Found")
        elif fault is not None:
            return web.Response(status=fault.status or 502, text="Server Error")
        match = request.match_info
        granted = self.api.archive(request.query.get("token"), match["owner"], match["repo"])
        if granted is None:
            return web.Response(status=404, text="404: Not Found")
        repo, sha = granted
        filename = f"{repo.owner.login}-{repo.name}-{sha[:7]}.tar.gz"
        return web.Response(
            body=repo.tarball(sha),
            headers={
                "Content-Type": "application/x-gzip",
                "Content-Disposition": f"attachment; filename={filename}",
            },
        )

    # -- faults --------------------------------------------------------------------------------

    def inject(self, fault: Fault) -> Fault:
        """Add ``fault``; the first matching fault answers a request."""
        return self.faults.add(fault)

    def fail(
        self,
        method: str = "*",
        path: str = "*",
        *,
        status: int = 502,
        times: int | None = 1,
        probability: float = 1.0,
        seed: int | None = None,
        target: Target = "api",
    ) -> Fault:
        return self.inject(
            Fault("status", method, path, times, probability, seed, status=status, target=target)
        )

    def drop_connection(
        self, method: str = "*", path: str = "*", *, times: int | None = 1,
        probability: float = 1.0, seed: int | None = None, target: Target = "api",
    ) -> Fault:  # fmt: skip
        return self.inject(Fault("reset", method, path, times, probability, seed, target=target))

    def primary_rate_limit(
        self, method: str = "*", path: str = "*", *, times: int | None = 1, reset_in: int = 60
    ) -> Fault:
        return self.inject(Fault("primary_rate_limit", method, path, times, retry_after=reset_in))

    def secondary_rate_limit(
        self, method: str = "*", path: str = "*", *, times: int | None = 1,
        status: int = 403, retry_after: int | None = 60,
    ) -> Fault:  # fmt: skip
        return self.inject(
            Fault(
                "secondary_rate_limit", method, path, times, status=status, retry_after=retry_after
            )
        )

    def not_found_first(self, method: str = "*", path: str = "*", *, times: int = 1) -> Fault:
        """404 for the first ``times`` matching requests (a head SHA not visible yet)."""
        return self.inject(Fault("not_found", method, path, times))

    def delay(
        self, method: str = "*", path: str = "*", *, seconds: float, times: int | None = 1,
        target: Target = "api",
    ) -> Fault:  # fmt: skip
        return self.inject(Fault("delay", method, path, times, delay=seconds, target=target))

    def clear_faults(self) -> None:
        self.faults.clear()

    # -- reading what the app did --------------------------------------------------------------

    def check_runs(
        self,
        repo: str | Repo | None = None,
        *,
        head_sha: str | None = None,
        name: str | None = None,
    ) -> list[CheckRun]:
        wanted = self.state.repo(repo) if repo is not None else None
        return [
            run
            for run in sorted(self.state.check_runs.values(), key=lambda r: r.id)
            if (wanted is None or run.repo is wanted)
            and (head_sha is None or run.head_sha == head_sha)
            and (name is None or run.name == name)
        ]

    def reviews(self, pull: PullRequest) -> list[Review]:
        return [
            r for r in self.state.reviews.values()
            if r.repo is pull.repo and r.pull_number == pull.number
        ]  # fmt: skip

    def review_comments(self, pull: PullRequest) -> list[ReviewComment]:
        return [
            c for c in self.state.review_comments.values()
            if c.repo is pull.repo and c.pull_number == pull.number
        ]  # fmt: skip

    def issue_comments(self, pull: PullRequest) -> list[IssueComment]:
        return [
            c for c in self.state.issue_comments.values()
            if c.repo is pull.repo and c.issue_number == pull.number
        ]  # fmt: skip

    def reactions(self, comment: IssueComment | ReviewComment) -> list[Reaction]:
        subject = "issue_comment" if isinstance(comment, IssueComment) else "review_comment"
        return [
            r for r in self.state.reactions.values()
            if r.subject == subject and r.subject_id == comment.id
        ]  # fmt: skip

    @property
    def auth_failures(self) -> list[RequestRecord]:
        return [r for r in self.requests if r.status == 401]

    @property
    def codeload_saw_authorization(self) -> bool:
        """Whether any request to codeload carried an ``Authorization`` header (a token leak)."""
        return any(r.had_authorization for r in self.codeload_requests)

    def assert_no_rejections(self) -> None:
        """Fail listing every request GitHub would have refused because of its content."""
        if self.rejections:
            listed = "\n".join(
                f"  {r.method} {r.path} -> {r.status} ({r.kind}): {r.message}"
                for r in self.rejections
            )
            raise AssertionError(
                f"GitHub would have refused {len(self.rejections)} request(s):\n{listed}"
            )
