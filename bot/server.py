"""The GitHub App's web server (aiohttp): webhooks in, reviews handed to background workers.

- ``POST {WEBHOOK_PATH}``: verifies ``X-Hub-Signature-256`` (HMAC-SHA256 of the exact body
  bytes, compared in constant time; a missing or SHA-1-only signature is refused with 401, as
  GitHub's "Validating webhook deliveries" recommends), answers ``ping``, ignores redelivered
  delivery IDs, dispatches to the routers and answers at once (GitHub gives up after 10 s and
  does not redeliver by itself). A body larger than ``WEBHOOK_MAX_BYTES`` is refused with 413
  from its ``Content-Length`` alone, and one that does not arrive within
  ``WEBHOOK_READ_SECONDS`` with 408, so a slow client cannot hold a connection.
- ``GET /healthz``: the process is alive. ``GET /readyz``: settings valid and workers running.

One ``aiohttp.ClientSession`` per process, opened and closed with the app (``cleanup_ctx``).
SIGTERM stops accepting deliveries and drains the reviews in hand within ``drain_seconds``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import sys
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import structlog
from aiohttp import web
from gidgethub import sansio

from bot import events, logs
from bot.github import USER_AGENT, GitHubApp
from bot.scheduler import Scheduler
from bot.settings import Settings, SettingsError

log = structlog.get_logger(__name__)

SETTINGS = web.AppKey("settings", Settings)
SCHEDULER = web.AppKey("scheduler", Scheduler)
GITHUB = web.AppKey("github", GitHubApp)


def verify_signature(body: bytes, header: str | None, secret: str) -> bool:
    """True when ``header`` is ``sha256=<hex HMAC-SHA256 of body under secret>``."""
    if not header or not header.startswith("sha256="):
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, "sha256").hexdigest()
    return hmac.compare_digest(header.encode(), expected.encode())


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def webhook(request: web.Request) -> web.Response:
    """Verify, parse and dispatch one delivery; never lets a bad payload become a 500."""
    settings = request.app[SETTINGS]
    delivery = request.headers.get("X-GitHub-Delivery", "")
    event_name = request.headers.get("X-GitHub-Event", "")
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(delivery=delivery, event=event_name)
    declared = request.content_length
    if declared is not None and declared > settings.max_body_bytes:
        log.warning("delivery refused", reason="declared body too large")
        return _error(413, "payload too large")
    try:
        async with asyncio.timeout(settings.body_read_seconds):
            body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        log.warning("delivery refused", reason="body too large")
        return _error(413, "payload too large")
    except TimeoutError:
        log.warning("delivery refused", reason="body not received in time")
        return _error(408, f"the body did not arrive within {settings.body_read_seconds:g} s")
    if not verify_signature(body, request.headers.get("X-Hub-Signature-256"),
                            settings.webhook_secret):
        log.warning("delivery refused", reason="bad or missing X-Hub-Signature-256")
        return _error(401, "invalid or missing X-Hub-Signature-256")
    if not event_name or not delivery:
        return _error(400, "missing X-GitHub-Event or X-GitHub-Delivery header")
    ctype = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        return _error(415, "expected Content-Type application/json (set it in the app's "
                           "webhook settings)")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _error(400, f"body is not valid JSON: {exc}")
    except RecursionError:
        return _error(400, "body is nested too deeply to be a GitHub payload")
    if not isinstance(data, dict):
        return _error(400, "body is not a JSON object")
    if event_name == "ping":
        return web.json_response({"msg": "pong", "zen": data.get("zen")})
    scheduler = request.app[SCHEDULER]
    if scheduler.seen_delivery(delivery):
        log.info("delivery ignored", reason="already received (redelivery)")
        return web.json_response({"status": "duplicate delivery"})
    event = sansio.Event(data, event=event_name, delivery_id=delivery)
    task = asyncio.create_task(
        events.dispatch(event, app=request.app[GITHUB], scheduler=scheduler))
    request.app[_BACKGROUND].add(task)
    task.add_done_callback(request.app[_BACKGROUND].discard)
    return web.json_response({"status": "accepted"}, status=202)


async def healthz(_request: web.Request) -> web.Response:
    """Liveness: the event loop answers."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Readiness: settings loaded and the review workers running."""
    if request.app[SCHEDULER].healthy:
        return web.json_response({"status": "ready"})
    return web.json_response({"status": "not ready"}, status=503)


_BACKGROUND: web.AppKey[set[asyncio.Task[Any]]] = web.AppKey("background", set)


def make_app(settings: Settings) -> web.Application:
    """The aiohttp application for ``settings`` (tests build it the same way)."""
    app = web.Application(client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app[_BACKGROUND] = set()
    app.router.add_post(settings.webhook_path, webhook)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.cleanup_ctx.append(_lifecycle)
    return app


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    timeout = aiohttp.ClientTimeout(total=300, connect=10, sock_read=60)
    async with aiohttp.ClientSession(timeout=timeout, headers={"User-Agent": USER_AGENT}) as s:
        app[GITHUB] = GitHubApp(s, settings)
        scheduler = app[SCHEDULER] = Scheduler(app[GITHUB], settings.workers)
        scheduler.start()
        log.info("workers started", api_url=settings.api_url,
                 webhook_path=settings.webhook_path, workers=settings.workers)
        yield
        log.info("draining", seconds=settings.drain_seconds)
        await scheduler.drain(settings.drain_seconds)
        background: set[asyncio.Task[Any]] = app[_BACKGROUND]
        if background:
            await asyncio.wait(background, timeout=2)
        log.info("app stopped")


def main() -> int:
    """``archreview serve``: read settings, configure logs, serve until SIGTERM/SIGINT."""
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"archreview: {exc}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level, settings.log_format)

    def listening(_banner: str) -> None:  # aiohttp calls it once every socket is bound
        log.info("listening", host=settings.host or "all interfaces", port=settings.port)

    try:
        web.run_app(make_app(settings), host=settings.host, port=settings.port,
                    print=listening, shutdown_timeout=settings.drain_seconds + 15,
                    handle_signals=True)
    except OSError as exc:  # the port is taken, or HOST is not an address of this machine
        log.error("cannot listen", host=settings.host, port=settings.port, error=str(exc))
        print(f"archreview: cannot listen on {settings.host or '*'}:{settings.port}: {exc}",
              file=sys.stderr)
        return 1
    return 0
