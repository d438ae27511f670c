"""Long-running call made while the client waits, in a synchronous request handler.

## What it flags
Directly in a synchronous (``def``) request handler: ``time.sleep(...)``, running an external
command and waiting for it (``subprocess.run``, ``call``, ``check_call``, ``check_output``,
``os.system``, ``os.popen``). ``async def`` handlers are left to ARCH-08
(blocking-call-in-async), which flags the same calls there.

## Why it matters
The worker (a gunicorn process or thread) is held for the whole duration and cannot serve
anyone else; the request runs into proxy and load balancer timeouts (often 30 to 60 seconds),
and the client cannot retry safely because it does not know whether the work happened. A
handful of such requests at once exhausts the worker pool.

## Example
```python
@app.post("/reports")
def create_report(params: ReportParams):
    subprocess.run(["wkhtmltopdf", url, out], check=True)
    return FileResponse(out)
```

## Use instead
```python
@app.post("/reports", status_code=202)
def create_report(params: ReportParams):
    job = render_report.delay(params.model_dump())   # Celery / RQ / arq task
    return {"job_id": job.id, "status_url": f"/reports/{job.id}"}
```

## References
- Microsoft, Asynchronous Request-Reply pattern:
  https://learn.microsoft.com/en-us/azure/architecture/patterns/async-request-reply
- RFC 9110, 202 Accepted: https://www.rfc-editor.org/rfc/rfc9110#name-202-accepted
- Gunicorn, Design (sync workers and timeouts): https://docs.gunicorn.org/en/stable/design.html
"""

from __future__ import annotations

import ast

from checks.detector import Detector, FileContext, Project
from checks.detectors.database._db import is_migration, is_test
from checks.detectors.scalability._handlers import WEB_FRAMEWORKS, request_handlers
from checks.pyast import call_name

_LONG = {
    "time.sleep": "sleeps",
    "subprocess.run": "runs an external command and waits for it",
    "subprocess.call": "runs an external command and waits for it",
    "subprocess.check_call": "runs an external command and waits for it",
    "subprocess.check_output": "runs an external command and waits for it",
    "os.system": "runs a shell command and waits for it",
    "os.popen": "runs a shell command",
}


class LongRunningCallInRequestHandler(Detector):
    """Flags sleeps and external commands inside synchronous request handlers (see module
    docstring)."""

    slug = "long-running-call-in-request-handler"
    items = ("SCALE-06",)

    calls = frozenset(name.rsplit(".", 1)[-1] for name in _LONG)

    def __init__(self) -> None:
        super().__init__()
        self._candidates: list[tuple[ast.Call, ast.FunctionDef, str, str]] = []

    def start_file(self, ctx: FileContext) -> bool:
        f = ctx.file
        self._candidates = []
        return not (is_test(f) or is_migration(f))

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        fn = ctx.function
        if not isinstance(fn, ast.FunctionDef):
            return
        name = call_name(node, ctx.file)
        what = _LONG.get(name or "")
        if what is not None and name is not None:
            self._candidates.append((node, fn, name, what))

    def end_file(self, ctx: FileContext) -> None:
        # Which functions are handlers is decided only for files that make such calls (the
        # answer needs the file's node index, complete only once its traversal is over).
        if not self._candidates:
            return
        handlers = request_handlers(ctx.file)
        for node, fn, name, what in self._candidates:
            if id(fn) in handlers:
                self.report_node(
                    "SCALE-06", ctx, node,
                    f"`{name}()` {what} inside request handler `{fn.name}`: the worker and "
                    "the client's connection are held until it ends",
                    "Run it as a background job (Celery, RQ, arq) and answer 202 Accepted with "
                    "a job ID and a status URL, or notify the client when done.",
                )

    def finish(self, project: Project) -> None:
        if not project.uses(*WEB_FRAMEWORKS):
            self.not_applicable("SCALE-06", "no web framework: no request handlers")
        elif not self.findings:
            count = sum(len(request_handlers(f)) for f in project.python.values()
                        if not (is_test(f) or is_migration(f)))
            if count:
                self.evidence("SCALE-06", f"{count} request handlers, none sleeps or waits "
                              "for an external command")
