"""Run the real ``archreview serve`` process against the fake GitHub, over real HTTP.

Each test runs one event loop (``asyncio.run``) holding the fake GitHub; the app is a child
process reaching the fake through ``GITHUB_API_URL``. Its logs are kept for assertions.
"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from tests.fake_github import FakeGitHub

APP_BIN = Path(sys.executable).with_name("archreview")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class AppProcess:
    """The app under test: its URL, its process and where its logs go."""

    url: str
    process: asyncio.subprocess.Process
    log_path: Path
    session: aiohttp.ClientSession
    webhook_path: str = "/webhook"

    @property
    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def deliver(self, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        """POST a delivery; returns (status, parsed JSON or text)."""
        async with self.session.post(self.url + self.webhook_path, data=io.BytesIO(body),
                                     headers=headers) as resp:
            text = await resp.text()
            try:
                return resp.status, await resp.json(content_type=None)
            except ValueError:
                return resp.status, text

    async def get(self, path: str) -> tuple[int, Any]:
        async with self.session.get(self.url + path) as resp:
            return resp.status, await resp.json(content_type=None)

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 40) -> int:
        if self.process.returncode is None:
            self.process.send_signal(sig)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        return self.process.returncode or 0


@asynccontextmanager
async def running_app(gh: FakeGitHub, tmp_path: Path, **env: str) -> AsyncIterator[AppProcess]:
    """Start ``archreview serve`` configured for ``gh``; stop it (SIGTERM) afterwards."""
    port = free_port()
    app = gh.app
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "GITHUB_APP_ID": str(app.id),
        "GITHUB_PRIVATE_KEY": app.private_key_pem,
        "GITHUB_WEBHOOK_SECRET": app.webhook_secret or "",
        "GITHUB_API_URL": gh.url,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "debug",
        "WORKERS": "2",
        **env,
    }
    log_path = tmp_path / f"app-{port}.log"
    with log_path.open("wb") as log_file:
        process = await asyncio.create_subprocess_exec(
            str(APP_BIN), "serve", env=environment, stdout=log_file, stderr=log_file)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        proc = AppProcess(f"http://127.0.0.1:{port}", process, log_path, session)
        await _wait_ready(proc)
        try:
            yield proc
        finally:
            await proc.stop()


async def _wait_ready(proc: AppProcess, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.process.returncode is not None:
            raise RuntimeError(f"archreview serve exited early:\n{proc.logs}")
        try:
            status, _ = await proc.get("/readyz")
            if status == 200:
                return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"archreview serve not ready after {timeout} s:\n{proc.logs}")


async def until[T](predicate: Callable[[], T], timeout: float = 60, what: str = "condition"
                   ) -> T:
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def settle(gh: FakeGitHub, quiet: float = 1.0, timeout: float = 60) -> None:
    """Wait until the fake has seen no request for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    seen = len(gh.requests)
    calm_since = time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        if len(gh.requests) != seen:
            seen = len(gh.requests)
            calm_since = time.monotonic()
        elif time.monotonic() - calm_since >= quiet:
            return
    raise AssertionError("the app kept calling GitHub")


def completed_runs(gh: FakeGitHub, sha: str) -> list[Any]:
    return [r for r in gh.check_runs(head_sha=sha) if r.status == "completed"]
