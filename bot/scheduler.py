"""Background review work: the webhook handler submits jobs and answers GitHub at once; a few
worker tasks run the reviews.

Per pull request at most one review runs and one waits (PR-Agent's model for push storms):
a newer head SHA replaces the waiting job, and cancels a running review of an older head SHA,
whose check run then ends ``cancelled`` with a line naming the newer commit. A job for a head
SHA already waiting or running is a duplicate (two deliveries for one push, or a redelivery),
unless it was explicitly re-requested; a job that records a "Waive all warnings" press replaces
a waiting one of the same head SHA, so that the press is not lost.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import cachetools
import structlog

from bot import flow
from bot.github import GitHubApp

log = structlog.get_logger(__name__)

PRKey = tuple[int, str, str, int]


@dataclass(slots=True)
class _Running:
    job: flow.ReviewJob
    task: asyncio.Task[None] | None = None
    check_run_id: int | None = None
    cancel_reason: str = ""
    done: asyncio.Event = field(default_factory=asyncio.Event)


class Scheduler:
    """Queues review jobs and runs them on ``workers`` tasks; see the module docstring."""

    def __init__(self, app: GitHubApp, workers: int = 2) -> None:
        self._app = app
        self._workers = workers
        self._queue: asyncio.Queue[PRKey] = asyncio.Queue()
        self._pending: dict[PRKey, flow.ReviewJob] = {}
        self._running: dict[PRKey, _Running] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._deliveries: cachetools.TTLCache[str, bool] = cachetools.TTLCache(100_000, 24 * 3600)
        self.accepting = False

    @property
    def healthy(self) -> bool:
        """True while accepting work with every worker task alive."""
        return self.accepting and bool(self._tasks) and not any(t.done() for t in self._tasks)

    def start(self) -> None:
        """Start the worker tasks (inside the running event loop)."""
        self.accepting = True
        self._tasks = [asyncio.create_task(self._worker(i), name=f"review-worker-{i}")
                       for i in range(self._workers)]

    def seen_delivery(self, delivery_id: str) -> bool:
        """Record ``delivery_id``; True when it was seen before (GitHub's "Redeliver")."""
        if not delivery_id:
            return False
        if delivery_id in self._deliveries:
            return True
        self._deliveries[delivery_id] = True
        return False

    def submit(self, job: flow.ReviewJob, *, rerun: bool = False) -> str:
        """Queue ``job``; returns what happened: ``queued``, ``duplicate`` or ``closed``."""
        if not self.accepting:
            return "closed"
        key = job.pr_key
        running = self._running.get(key)
        waiting = self._pending.get(key)
        if (waiting is not None and waiting.head_sha == job.head_sha
                and not job.waive_warnings_by):
            return "duplicate"
        if running is not None and running.job.head_sha == job.head_sha and not rerun:
            return "duplicate"
        if running is not None and running.job.head_sha != job.head_sha:
            running.cancel_reason = (f"Superseded by a newer push ({job.head_sha[:7]}); "
                                     "that commit is reviewed instead.")
            if running.task is not None:
                running.task.cancel()
        if waiting is None:
            self._queue.put_nowait(key)
        self._pending[key] = job
        return "queued"

    async def _worker(self, index: int) -> None:
        while True:
            key = await self._queue.get()
            try:
                job = self._pending.pop(key, None)
                if job is None:
                    continue
                previous = self._running.get(key)
                if previous is not None:
                    await previous.done.wait()
                run = _Running(job)
                task = run.task = asyncio.create_task(self._run(run))
                self._running[key] = run
                try:
                    await asyncio.shield(task)
                except asyncio.CancelledError:
                    if not task.done():
                        raise  # the worker itself is being cancelled
                finally:
                    if task.done() and self._running.get(key) is run:
                        del self._running[key]
            finally:
                self._queue.task_done()

    async def _run(self, run: _Running) -> None:
        job = run.job
        structlog.contextvars.bind_contextvars(delivery=job.delivery_id)
        gh = self._app.api(job.installation_id)
        try:
            # Creating the check run is never abandoned half-way: a run GitHub created must be
            # known here so that it can be completed, whatever happens next.
            create = asyncio.ensure_future(flow.create_check_run(gh, job))
            try:
                run.check_run_id = await asyncio.shield(create)
            except asyncio.CancelledError:
                with contextlib.suppress(Exception):
                    run.check_run_id = await create
                raise
            live = {r.check_run_id for r in self._running.values() if r.check_run_id}
            await flow.sweep_stale(gh, job, keep=run.check_run_id, live=live)
            await flow.run(self._app, job, run.check_run_id)
        except asyncio.CancelledError:
            if run.check_run_id is not None:
                reason = run.cancel_reason or (
                    "The app was restarting and stopped this review before it finished.")
                conclusion = "cancelled" if run.cancel_reason else "neutral"
                with contextlib.suppress(Exception):
                    await asyncio.shield(flow.finish_check_run(
                        gh, job, run.check_run_id, conclusion, "Review not finished",
                        f"{reason}\n\nUse **Re-run review** to review {job.head_sha[:7]} anyway."))
            log.info("review cancelled", reason=run.cancel_reason or "shutdown")
        except Exception:
            log.exception("review could not start")
        finally:
            run.done.set()

    async def drain(self, deadline: float) -> None:
        """Stop accepting; let running reviews finish for up to ``deadline`` seconds, then
        cancel them (their check runs end saying they were interrupted)."""
        self.accepting = False
        running = [r.task for r in self._running.values() if r.task is not None]
        if running:
            _done, pending = await asyncio.wait(running, timeout=deadline)
            for task in pending:
                task.cancel()
            if pending:  # their check runs are being completed; bounded if GitHub is down
                await asyncio.wait(pending, timeout=5)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
