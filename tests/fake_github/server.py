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
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

import structlog
from aiohttp import web

from tests.fake_github import rules
from tests.fake_github.api import (
    CALL_KEY,
    RECORD_KEY,
    ROUTES,
    ROUTES_BY_NAME,
    Api,
    Call,
    Reply,
    primary_limit,
    secondary_limit,
)
from tests.fake_github.auth import default_key_pair, public_key_of, sign_app_jwt
from tests.fake_github.diffs import ParsedDiff, as_bytes
from tests.fake_github.errors import ApiError, not_found
from tests.fake_github.faults import Fault, FaultPlan, Target
from tests.fake_github.render import Renderer
from tests.fake_github.schemas import ApiSchemas
from tests.fake_github.state import (
    DEFAULT_PERMISSIONS,
    App,
    CheckRun,
    CodeloadRecord,
    Installation,
    IssueComment,
    PullRequest,
    Reaction,
    Rejection,
    Repo,
    RequestRecord,
    Review,
    ReviewComment,
    State,
    Token,
)
from tests.fake_github.webhooks import (
    build_payload,
    deep_merge,
    delivery_headers,
    validate_payload,
)

log = structlog.get_logger(__name__)

# ``build_payload`` keywords a test may pass to ``gh.webhook`` to override what the state says.
SCENARIO_KEYS = {
    "repo",
    "repo_id",
    "installation_id",
    "number",
    "head_sha",
    "base_sha",
    "head_ref",
    "base_ref",
}

DEFAULT_EVENTS = [
    "check_run",
    "check_suite",
    "issue_comment",
    "pull_request",
    "pull_request_review",
    "pull_request_review_comment",
]


@dataclass(frozen=True)
class FakeConfig:
    """What a test may tune; defaults are GitHub's documented limits."""

    token_lifetime: float = 3600.0
    """Seconds an installation token lives (GitHub: one hour)."""
    max_diff_lines: int = 20_000
    max_diff_bytes: int = 1_000_000
    max_diff_files: int = 300
    """Beyond any of these the diff media type answers 406 ``too_large``."""
    max_listed_files: int = 3000
    """The PR files endpoint lists at most this many files."""
    file_patch_max_lines: int = 3000
    file_patch_max_bytes: int = 100_000
    """A file whose patch exceeds either comes without ``patch`` in the files list."""
    contents_max_size: int = 1_000_000
    """Larger files come with ``content: ""`` and ``encoding: none`` from the contents API."""
    rate_limit: int = 5000
    """Requests per hour per installation (primary limit)."""
    secondary_per_minute: int | None = 80
    secondary_per_hour: int | None = 500
    """Content-creating requests (POST/PATCH/PUT/DELETE) per installation before a 403."""
    limits_in_bytes: bool = True
    """Measure the 65,535/65,536 text limits in UTF-8 bytes (stricter than GitHub)."""
    strict: bool = False
    """Validate every response the fake builds against GitHub's documented schema."""
    seed: int = 0
    """Seed of the RNG that draws probabilistic faults."""
    codeload_host: str = "127.0.0.2"
    archive_link_lifetime: float = 300.0
    require_user_agent: bool = True


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


class FakeGitHub:
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

    # -- lifecycle -----------------------------------------------------------------------

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

    # -- the clock -----------------------------------------------------------------------

    def now(self) -> float:
        """GitHub's clock: real time shifted by ``advance``."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move GitHub's clock (tokens expire, JWTs look early or late to it)."""
        self._offset += seconds

    # -- request pipeline ----------------------------------------------------------------

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

    # -- setup: apps, installations, repositories ----------------------------------------

    @property
    def app(self) -> App:
        """The only app (created on first use when none was added)."""
        if not self.state.apps:
            return self.add_app()
        if len(self.state.apps) > 1:
            raise ValueError("several apps in the fake: pass the one you mean")
        return next(iter(self.state.apps.values()))

    def _app(self, app: App | int | None) -> App:
        if app is None:
            return self.app
        return self.state.apps[app] if isinstance(app, int) else app

    def add_app(
        self,
        *,
        app_id: int | None = None,
        slug: str = "archreview",
        name: str | None = None,
        owner: str = "archreview-dev",
        private_key_pem: str | None = None,
        permissions: Mapping[str, str] | None = None,
        events: Iterable[str] | None = None,
        webhook_secret: str | None = "test-webhook-secret",  # noqa: S107  (a test secret)
    ) -> App:
        """Register a GitHub App; its key pair is shared by the test process unless given."""
        if private_key_pem is None:
            private_key_pem, public = default_key_pair()
        else:
            public = public_key_of(private_key_pem)
        app_id = app_id if app_id is not None else self.state.next_id("app")
        app = App(
            id=app_id,
            slug=slug,
            name=name or slug,
            owner=self.state.user(owner, "Organization"),
            bot=self.state.user(f"{slug}[bot]", "Bot"),
            client_id=f"Iv1.{app_id:016x}",
            private_key_pem=private_key_pem,
            public_key_pem=public,
            permissions=dict(permissions or DEFAULT_PERMISSIONS),
            events=list(events if events is not None else DEFAULT_EVENTS),
            webhook_secret=webhook_secret,
            created_at=self.now(),
        )
        self.state.apps[app.id] = app
        return app

    def add_installation(
        self,
        account: str,
        *,
        app: App | int | None = None,
        installation_id: int | None = None,
        repos: Iterable[str | Repo] = (),
        permissions: Mapping[str, str] | None = None,
        selection: Literal["all", "selected"] = "selected",
    ) -> Installation:
        """Install ``app`` on ``account`` for ``repos`` (full names or ``Repo`` objects)."""
        owner = self.state.user(account, "Organization")
        installation = Installation(
            id=installation_id
            if installation_id is not None
            else self.state.next_id("installation"),
            app_id=self._app(app).id,
            account=owner,
            repositories={r.key if isinstance(r, Repo) else r.lower() for r in repos},
            permissions=dict(permissions or DEFAULT_PERMISSIONS),
            selection=selection,
            created_at=self.now(),
        )
        self.state.installations[installation.id] = installation
        return installation

    def installation(self, repo: str | Repo) -> Installation:
        found = self.state.installation_for(self.state.repo(repo))
        if found is None:
            raise KeyError(f"{repo!r} has no installation")
        return found

    def add_repo(
        self,
        full_name: str,
        files: Mapping[str, bytes | str] | None = None,
        *,
        default_branch: str = "main",
        private: bool = True,
        installation: Installation | int | None = None,
        install: bool = True,
        collaborators: Mapping[str, str] | None = None,
    ) -> Repo:
        """A repository whose default branch holds ``files``; the app is installed on it
        (through ``installation``, the owner's existing one, or a new one) unless ``install``
        is false."""
        owner_login, name = full_name.split("/", 1)
        owner = self.state.user(owner_login, "Organization")
        repo = Repo(
            id=self.state.next_id("repo"),
            owner=owner,
            name=name,
            default_branch=default_branch,
            private=private,
            created_at=self.now(),
        )
        self.state.repos[repo.key] = repo
        self.state.commit(repo, files or {}, branch=default_branch, message="initial commit")
        for login, role in (collaborators or {}).items():
            self.set_permission(repo, login, role)
        if install:
            self._install(repo, installation)
        return repo

    def _install(self, repo: Repo, installation: Installation | int | None) -> None:
        if isinstance(installation, int):
            installation = self.state.installations[installation]
        if installation is None:
            app = self.app
            for candidate in self.state.installations.values():
                if candidate.app_id == app.id and candidate.account is repo.owner:
                    installation = candidate
                    break
            else:
                installation = self.add_installation(repo.owner.login, app=app)
        installation.repositories.add(repo.key)

    def set_permission(self, repo: str | Repo, login: str, role: str) -> None:
        """``role``: ``admin``, ``maintain``, ``write``, ``triage``, ``read`` or ``none``."""
        if role not in ("admin", "maintain", "write", "triage", "read", "none"):
            raise ValueError(f"unknown role {role!r}")
        self.state.user(login)
        self.state.repo(repo).collaborators[login.lower()] = role

    def add_commit(
        self,
        repo: str | Repo,
        files: Mapping[str, bytes | str] | None = None,
        *,
        changes: Mapping[str, bytes | str | None] | None = None,
        branch: str | None = None,
        parent: str | None = None,
        message: str = "commit",
    ) -> str:
        """A commit holding ``files``, or its parent's files with ``changes`` (``None``
        deletes a path); moves ``branch`` to it. Returns its SHA."""
        repo = self.state.repo(repo)
        if parent is None:
            parent = repo.branches.get(branch or repo.default_branch)
        tree = self._tree(repo, parent, files, changes)
        return self.state.commit(repo, tree, parent=parent, branch=branch, message=message)

    def _tree(
        self,
        repo: Repo,
        parent: str | None,
        files: Mapping[str, bytes | str] | None,
        changes: Mapping[str, bytes | str | None] | None,
    ) -> dict[str, bytes]:
        if files is not None:
            return {path: as_bytes(data) for path, data in files.items()}
        tree = dict(repo.commits[parent].files) if parent else {}
        for path, data in (changes or {}).items():
            if data is None:
                tree.pop(path, None)
            else:
                tree[path] = as_bytes(data)
        return tree

    def set_tarball(self, repo: str | Repo, ref: str, data: bytes) -> None:
        """Serve ``data`` as the tarball of ``ref`` (e.g. a hostile archive)."""
        repo = self.state.repo(repo)
        sha = repo.resolve(ref)
        if sha is None:
            raise KeyError(f"{ref!r} names no commit of {repo.full_name}")
        repo.tarballs[sha] = data

    # -- setup: pull requests ------------------------------------------------------------

    def add_pull(
        self,
        repo: str | Repo,
        *,
        changes: Mapping[str, bytes | str | None] | None = None,
        head_files: Mapping[str, bytes | str] | None = None,
        base_files: Mapping[str, bytes | str] | None = None,
        diff: str | None = None,
        number: int | None = None,
        author: str = "octocat",
        title: str = "Change the service",
        body: str | None = "",
        draft: bool = False,
        head_ref: str = "feature",
        base_ref: str | None = None,
        fork_owner: str | None = None,
        head_sha: str | None = None,
    ) -> PullRequest:
        """Open a pull request. The base is ``base_files`` (committed on ``base_ref``) or the
        branch as it is; the head holds ``head_files``, or the base with ``changes``. Its diff is
        ``diff`` or computed from the two trees. ``fork_owner`` makes the head a fork's branch."""
        repo = self.state.repo(repo)
        base_ref = base_ref or repo.default_branch
        if base_files is not None:
            base_sha = self.add_commit(repo, base_files, branch=base_ref, message="base")
        else:
            base_sha = repo.branches[base_ref]
        tree = self._tree(repo, base_sha, head_files, changes)
        head_sha = self.state.commit(repo, tree, parent=base_sha, message=title, sha=head_sha)
        head_repo = repo
        if fork_owner is not None:
            head_repo = self._fork(repo, fork_owner)
        numbers = [n for (key, n) in self.state.pulls if key == repo.key]
        number = number if number is not None else max(numbers, default=0) + 1
        now = self.now()
        pull = PullRequest(
            id=self.state.next_id("pull"),
            number=number,
            repo=repo,
            title=title,
            body=body,
            author=self.state.user(author),
            head_ref=head_ref,
            head_sha=head_sha,
            base_ref=base_ref,
            base_sha=base_sha,
            diff=ParsedDiff.parse(""),
            head_repo=head_repo,
            draft=draft,
            created_at=now,
            updated_at=now,
        )
        self.state.set_pull_head(pull, head_sha, diff)
        self.state.pulls[(repo.key, number)] = pull
        return pull

    def _fork(self, repo: Repo, owner: str) -> Repo:
        key = f"{owner}/{repo.name}".lower()
        if key not in self.state.repos:
            fork = Repo(
                id=self.state.next_id("repo"),
                owner=self.state.user(owner),
                name=repo.name,
                default_branch=repo.default_branch,
                private=repo.private,
                fork=True,
                commits=repo.commits,  # a fork's commits are reachable from its parent
                created_at=self.now(),
            )
            self.state.repos[key] = fork
        return self.state.repos[key]

    def push(
        self,
        pull: PullRequest,
        *,
        changes: Mapping[str, bytes | str | None] | None = None,
        files: Mapping[str, bytes | str] | None = None,
        diff: str | None = None,
        sha: str | None = None,
    ) -> str:
        """Push a commit on the pull request's head (``synchronize``); returns the new SHA."""
        tree = self._tree(pull.repo, pull.head_sha, files, changes)
        new_sha = self.state.commit(
            pull.repo, tree, parent=pull.head_sha, message=f"push {len(pull.commit_shas)}", sha=sha
        )
        self.state.set_pull_head(pull, new_sha, diff)
        pull.updated_at = self.now()
        return new_sha

    def pull(self, repo: str | Repo, number: int) -> PullRequest:
        return self.state.pull(repo, number)

    # -- setup: what people wrote --------------------------------------------------------

    def add_issue_comment(
        self, pull: PullRequest, body: str, *, user: str = "octocat"
    ) -> IssueComment:
        """A comment a person wrote on the pull request's conversation."""
        now = self.now()
        comment = IssueComment(
            id=self.state.next_id("issue_comment"),
            repo=pull.repo,
            issue_number=pull.number,
            user=self.state.user(user),
            body=body,
            created_at=now,
            updated_at=now,
        )
        self.state.issue_comments[comment.id] = comment
        return comment

    def add_review_comment(
        self,
        pull: PullRequest,
        body: str,
        *,
        path: str | None = None,
        line: int | None = None,
        side: str = "RIGHT",
        user: str = "octocat",
        in_reply_to: ReviewComment | int | None = None,
    ) -> ReviewComment:
        """A review comment a person wrote: on ``path``/``line`` (which must be in the diff) or
        as a reply to a thread."""
        author = self.state.user(user)
        now = self.now()
        review = Review(
            id=self.state.next_id("review"),
            repo=pull.repo,
            pull_number=pull.number,
            user=author,
            body="",
            state="COMMENTED",
            commit_id=pull.head_sha,
            submitted_at=now,
        )
        if in_reply_to is not None:
            parent_id = in_reply_to.id if isinstance(in_reply_to, ReviewComment) else in_reply_to
            parent = self.state.review_comments[parent_id]
            comment = replace(
                parent,
                id=self.state.next_id("review_comment"),
                review_id=review.id,
                user=author,
                body=body,
                in_reply_to_id=parent.in_reply_to_id or parent.id,
                created_at=now,
                updated_at=now,
            )
        else:
            wanted = {"path": path, "line": line, "side": side}
            try:
                placement = rules.place_comment(pull.diff, wanted)
            except rules.PlacementError as error:
                raise ValueError(f"GitHub would refuse this comment: {error.detail}") from None
            assert placement.anchor is not None
            comment = ReviewComment(
                id=self.state.next_id("review_comment"),
                repo=pull.repo,
                pull_number=pull.number,
                review_id=review.id,
                user=author,
                body=body,
                path=placement.file.path,
                commit_id=pull.head_sha,
                diff_hunk=placement.file.diff_hunk(placement.anchor),
                line=placement.line,
                side=placement.side,
                position=placement.anchor.position,
                created_at=now,
                updated_at=now,
            )
        self.state.reviews[review.id] = review
        self.state.review_comments[comment.id] = comment
        return comment

    def add_manifest_code(self, code: str, manifest: Mapping[str, Any] | None = None) -> None:
        """A one-time code the app-manifest flow hands out, redeemable at
        ``POST /app-manifests/{code}/conversions``."""
        self.state.manifest_codes[code] = dict(manifest or {"name": "archreview"})

    # -- credentials ---------------------------------------------------------------------

    def app_jwt(
        self, app: App | int | None = None, *, issued_ago: int = 60, lifetime: int = 600
    ) -> str:
        """A JWT for ``app`` as GitHub recommends building it, on GitHub's clock."""
        return sign_app_jwt(self._app(app), self.now(), issued_ago=issued_ago, lifetime=lifetime)

    def issue_token(self, installation: Installation | int | None = None) -> str:
        """An installation token, as if the app had asked for one."""
        if installation is None:
            installation = next(iter(self.state.installations.values()))
        elif isinstance(installation, int):
            installation = self.state.installations[installation]
        token = Token(
            token=f"ghs_test{len(self.state.tokens):032d}",
            installation_id=installation.id,
            expires_at=self.now() + self.config.token_lifetime,
            permissions=dict(installation.permissions),
        )
        self.state.tokens[token.token] = token
        return token.token

    def expire_tokens(self, installation: Installation | int | None = None) -> int:
        """Expire the live tokens (of ``installation``) now; returns how many."""
        wanted = installation.id if isinstance(installation, Installation) else installation
        expired = 0
        for token in self.state.tokens.values():
            if wanted is None or token.installation_id == wanted:
                if token.expires_at > self.now():
                    expired += 1
                token.expires_at = min(token.expires_at, self.now() - 1)
        return expired

    # -- faults --------------------------------------------------------------------------

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

    # -- reading what the app did --------------------------------------------------------

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

    # -- webhooks ------------------------------------------------------------------------

    def webhook(
        self,
        event: str,
        action: str | None = None,
        *,
        pull: PullRequest | None = None,
        repo: str | Repo | None = None,
        sender: str | None = None,
        comment: IssueComment | ReviewComment | None = None,
        check_run: CheckRun | None = None,
        secret: str | None = None,
        delivery: str | None = None,
        validate: bool = True,
        variant: str | None = None,
        **overrides: Any,
    ) -> tuple[dict[str, str], bytes]:
        """A signed delivery of ``event``/``action`` about objects of this fake's state.

        The repository, installation, pull request (number, SHAs, refs, author, draft), the
        comment or check run are filled in from the state; ``overrides`` are merged last.
        """
        target = pull.repo if pull else (self.state.repo(repo) if repo is not None else None)
        if target is None and comment is not None:
            target = comment.repo
        if target is None and check_run is not None:
            target = check_run.repo
        scenario: dict[str, Any] = {"variant": variant}
        installation = self.state.installation_for(target) if target else None
        app = self.state.apps[installation.app_id] if installation else self.app
        if target is not None:
            scenario.update(repo=target.full_name, repo_id=target.id)
        if installation is not None:
            scenario["installation_id"] = installation.id
        if pull is None and comment is not None:
            number = (
                comment.issue_number if isinstance(comment, IssueComment) else comment.pull_number
            )
            pull = self.state.pulls.get((comment.repo.key, number))
        if pull is not None:
            scenario.update(
                number=pull.number,
                head_sha=pull.head_sha,
                base_sha=pull.base_sha,
                head_ref=pull.head_ref,
                base_ref=pull.base_ref,
            )
        sender = (
            sender
            or (comment.user.login if comment else None)
            or (pull.author.login if pull else None)
        )
        if sender is not None:
            scenario["sender"] = sender
        for name in SCENARIO_KEYS & overrides.keys():
            scenario[name] = overrides.pop(name)
        payload = build_payload(event, action, **scenario)
        deep_merge(
            payload, self._state_overrides(payload, pull, comment, check_run), existing_only=True
        )
        if pull is not None and isinstance(payload.get("issue"), dict):
            payload["issue"]["pull_request"] = self._issue_pull_links(pull)
        if isinstance(comment, ReviewComment) and comment.in_reply_to_id is not None:
            payload["comment"]["in_reply_to_id"] = comment.in_reply_to_id
        if target is not None and event in ("installation", "installation_repositories"):
            self._installation_payload(payload, target)
        deep_merge(payload, overrides)
        if validate:
            validate_payload(event, action, payload)
        body = json.dumps(payload, separators=(",", ":")).encode()
        key = secret if secret is not None else app.webhook_secret
        if key is None:
            raise ValueError("no webhook secret: pass secret= or give the app one")
        return delivery_headers(event, body, key, delivery=delivery, app_id=app.id), body

    def _installation_payload(self, payload: dict[str, Any], repo: Repo) -> None:
        payload["installation"]["account"]["login"] = repo.owner.login
        listed = [
            {
                "id": repo.id,
                "node_id": self.render.repo(repo)["node_id"],
                "name": repo.name,
                "full_name": repo.full_name,
                "private": repo.private,
            }
        ]
        for key in ("repositories", "repositories_added", "repositories_removed"):
            if payload.get(key):
                payload[key] = listed

    def _issue_pull_links(self, pull: PullRequest) -> dict[str, Any]:
        html = f"https://github.com/{pull.repo.full_name}/pull/{pull.number}"
        return {
            "url": f"{self.url}/repos/{pull.repo.full_name}/pulls/{pull.number}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "merged_at": None,
        }

    def _state_overrides(
        self,
        payload: dict[str, Any],
        pull: PullRequest | None,
        comment: IssueComment | ReviewComment | None,
        check_run: CheckRun | None,
    ) -> dict[str, Any]:
        overrides: dict[str, Any] = {}
        if pull is not None:
            rendered = self.render.pull(pull)
            overrides["pull_request"] = {
                key: rendered[key]
                for key in ("id", "title", "body", "draft", "state", "user", "node_id")
            }
            overrides["issue"] = {
                "title": pull.title,
                "body": pull.body,
                "user": rendered["user"],
                "state": pull.state,
            }
        if isinstance(comment, IssueComment):
            overrides["comment"] = self.render.issue_comment(comment)
        elif isinstance(comment, ReviewComment):
            overrides["comment"] = self.render.review_comment(comment)
        if check_run is not None:
            rendered_run = {  # GitHub's payloads carry strings where the REST API has nulls
                key: value
                for key, value in self.render.check_run(check_run).items()
                if value is not None and key != "app"
            }
            rendered_run["external_id"] = check_run.external_id or ""
            overrides["check_run"] = rendered_run
            overrides["check_run"]["check_suite"] = {
                "id": check_run.check_suite_id,
                "head_sha": check_run.head_sha,
            }
        return overrides
