"""GitHub REST access for the app: app JWTs, cached installation tokens, and a gidgethub client
that retries what GitHub asks to be retried.

Rules followed (GitHub REST docs, "Authenticating as a GitHub App installation", "Rate limits",
"Best practices for using the REST API"):

- the app JWT is RS256, issued 60 s in the past for clock drift and valid at most 10 minutes
  (``gidgethub.apps.get_jwt``);
- installation tokens last an hour: they are cached per installation (cachetools) until five
  minutes before ``expires_at``, and refreshed once on a 401;
- 5xx answers and dropped connections are retried with exponential backoff and jitter, bounded in
  attempts and time (tenacity); secondary rate limits (403/429 with ``retry-after`` or the
  "secondary rate limit" message) wait as told; the primary limit (``x-ratelimit-remaining: 0``)
  waits until ``x-ratelimit-reset`` when that is near.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import cachetools
import structlog
import tenacity
from gidgethub import aiohttp as gh_aiohttp
from gidgethub import apps
from yarl import URL

from bot.settings import Settings

log = structlog.get_logger(__name__)

USER_AGENT = "archreview"
_REFRESH_MARGIN_S = 300
_MAX_ATTEMPTS = 6
_MAX_RETRY_SECONDS = 90.0
_MAX_WAIT_S = 60.0
_TRANSIENT_STATUS = frozenset({500, 502, 503, 504})
_NOT_FOUND_RETRIES = 3


class TransientError(Exception):
    """A response or connection failure worth retrying; ``wait`` is GitHub's advice (s)."""

    def __init__(self, reason: str, wait: float | None = None,
                 response: tuple[int, Mapping[str, str], bytes] | None = None) -> None:
        super().__init__(reason)
        self.wait = wait
        self.response = response


def retry_advice(status: int, headers: Mapping[str, str], body: bytes) -> float | None:
    """Seconds to wait before retrying this response, or None if it must not be retried.

    ``0.0`` means "retry with the usual backoff"; a positive number is what GitHub asked for.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    if status in _TRANSIENT_STATUS:
        return 0.0
    if status in (403, 429):
        retry_after = lowered.get("retry-after")
        if retry_after and retry_after.strip().isdigit():
            return float(retry_after)
        if lowered.get("x-ratelimit-remaining") == "0":
            reset = lowered.get("x-ratelimit-reset", "")
            if reset.isdigit():
                return max(1.0, float(reset) - time.time())
            return 60.0
        if b"secondary rate limit" in body.lower():
            return 60.0
    return None


def _wait(state: tenacity.RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    advised = exc.wait if isinstance(exc, TransientError) else None
    if advised:
        return min(advised, _MAX_WAIT_S)
    backoff = tenacity.wait_random_exponential(multiplier=0.5, max=10)
    return float(backoff(state))


class TokenCache:
    """Installation tokens by installation ID, held until shortly before they expire.

    ``fetch(installation_id)`` returns ``(token, expires_at_epoch_seconds)``.
    """

    def __init__(self, fetch: Callable[[int], Awaitable[tuple[str, float]]],
                 maxsize: int = 10_000) -> None:
        self._fetch = fetch
        self._cache: cachetools.TLRUCache[int, tuple[str, float]] = cachetools.TLRUCache(
            maxsize=maxsize, ttu=lambda _k, v, now: v[1] - _REFRESH_MARGIN_S, timer=time.time
        )
        self._locks: dict[int, asyncio.Lock] = {}

    async def get(self, installation_id: int) -> str:
        """A live token for the installation (fetched at most once concurrently)."""
        hit = self._cache.get(installation_id)
        if hit is not None:
            return hit[0]
        lock = self._locks.setdefault(installation_id, asyncio.Lock())
        async with lock:
            hit = self._cache.get(installation_id)
            if hit is None:
                hit = await self._fetch(installation_id)
                self._cache[installation_id] = hit
            return hit[0]

    def invalidate(self, installation_id: int) -> None:
        """Forget the cached token (after GitHub answered 401 with it)."""
        self._cache.pop(installation_id, None)


class RetryingGitHubAPI(gh_aiohttp.GitHubAPI):
    """gidgethub's aiohttp client with bounded retries and installation-token authentication.

    With ``installation_id`` set, each request carries a cached installation token, and a 401 is
    retried once with a fresh token.
    """

    def __init__(self, session: aiohttp.ClientSession, *, base_url: str,
                 tokens: TokenCache | None = None, installation_id: int | None = None) -> None:
        super().__init__(session, USER_AGENT, base_url=base_url)
        self._tokens = tokens
        self._installation_id = installation_id

    async def _request(self, method: str, url: str, headers: Mapping[str, str],
                       body: bytes = b"") -> tuple[int, Mapping[str, str], bytes]:
        headers = dict(headers)
        refreshed = False
        retrying = tenacity.AsyncRetrying(
            stop=tenacity.stop_after_attempt(_MAX_ATTEMPTS)
            | tenacity.stop_after_delay(_MAX_RETRY_SECONDS),
            wait=_wait,
            retry=tenacity.retry_if_exception_type(TransientError),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    if self._tokens is not None and self._installation_id is not None:
                        token = await self._tokens.get(self._installation_id)
                        headers["authorization"] = f"token {token}"
                    try:
                        status, resp_headers, data = await super()._request(
                            method, url, headers, body)
                    except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError,
                            TimeoutError) as exc:
                        log.warning("github request failed", method=method,
                                    path=urlsplit(url).path, error=type(exc).__name__)
                        raise TransientError(type(exc).__name__) from exc
                    if (status == 401 and not refreshed and self._tokens is not None
                            and self._installation_id is not None):
                        refreshed = True
                        self._tokens.invalidate(self._installation_id)
                        raise TransientError("token rejected", wait=0.01)
                    advice = retry_advice(status, resp_headers, data)
                    if advice is not None:
                        log.warning("github asked to retry", method=method, status=status,
                                    path=urlsplit(url).path, wait=advice)
                        raise TransientError(f"HTTP {status}", wait=advice,
                                             response=(status, resp_headers, data))
                    return status, resp_headers, data
        except TransientError as exc:
            if exc.response is not None:
                return exc.response  # let gidgethub raise the matching exception
            raise
        raise AssertionError("unreachable")  # pragma: no cover


class GitHubApp:
    """The app's view of GitHub: one per process, sharing one ``aiohttp.ClientSession``."""

    def __init__(self, session: aiohttp.ClientSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.tokens = TokenCache(self._fetch_token)

    def app_jwt(self) -> str:
        """A fresh app JWT (RS256, ``iat`` 60 s in the past, ``exp`` within 10 minutes)."""
        return apps.get_jwt(app_id=self.settings.app_id, private_key=self.settings.private_key)

    def api(self, installation_id: int) -> RetryingGitHubAPI:
        """A client authenticated as the installation."""
        return RetryingGitHubAPI(self.session, base_url=self.settings.api_url,
                                 tokens=self.tokens, installation_id=installation_id)

    async def _fetch_token(self, installation_id: int) -> tuple[str, float]:
        gh = RetryingGitHubAPI(self.session, base_url=self.settings.api_url)
        data: dict[str, Any] = await gh.post(
            f"/app/installations/{installation_id}/access_tokens", data=b"",
            jwt=self.app_jwt(),
        )
        expires = datetime.fromisoformat(data["expires_at"].replace("Z", "+00:00"))
        log.info("installation token issued", installation_id=installation_id,
                 expires_at=data["expires_at"])
        return data["token"], expires.astimezone(UTC).timestamp()

    async def download(self, installation_id: int, path: str, max_bytes: int) -> bytes:
        """GET an API path that answers with a redirect (tarballs), following it by hand so the
        installation token is sent to the API host only, never to the redirect's host.

        Raises ``DownloadError`` with a user-facing reason on failure or when the body exceeds
        ``max_bytes``.
        """
        token = await self.tokens.get(installation_id)
        url = self.settings.api_url + path
        headers = {"authorization": f"token {token}", "user-agent": USER_AGENT,
                   "accept": "application/vnd.github+json"}
        api_origin = _origin(url)
        not_found = 0
        for _hop in range(5):
            send = headers if _origin(url) == api_origin else {"user-agent": USER_AGENT}
            async for attempt in tenacity.AsyncRetrying(
                stop=tenacity.stop_after_attempt(4), wait=_wait, reraise=True,
                retry=tenacity.retry_if_exception_type(TransientError),
            ):
                with attempt:
                    try:
                        async with self.session.get(url, headers=send,
                                                    allow_redirects=False) as resp:
                            if resp.status in (301, 302, 303, 307, 308):
                                location = resp.headers.get("location", "")
                                body = b""
                            else:
                                location = ""
                                body = await _read_capped(resp, max_bytes)
                                advice = retry_advice(resp.status, resp.headers, body[:2000])
                                if resp.status == 404 and not_found < _NOT_FOUND_RETRIES:
                                    # Right after a push the head SHA can be briefly unknown.
                                    not_found += 1
                                    advice = 1.0
                                if advice is not None:
                                    raise TransientError(f"HTTP {resp.status}", wait=advice)
                                if resp.status != 200:
                                    raise DownloadError(
                                        f"GitHub answered HTTP {resp.status} for the tarball")
                    except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError,
                            TimeoutError) as exc:
                        raise TransientError(type(exc).__name__) from exc
            if not location:
                return body
            url = str(URL(url).join(URL(location)))
        raise DownloadError("too many redirects while downloading the tarball")


class DownloadError(RuntimeError):
    """A download failed; the message is fit to show the user."""


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


async def _read_capped(resp: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > max_bytes:
            raise DownloadError(f"the repository tarball is larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
