"""Background work done inline in a request handler instead of through a task queue.

## What it flags
In a request handler (see ``_handlers.py`` for what counts as one), directly or through a
function of the project that the handler calls (one level deep; the finding sits on the call
in the handler):

- sending email: ``smtplib.SMTP``/``SMTP_SSL``, Django's ``send_mail``, ``send_mass_mail``,
  ``mail_admins``, ``mail_managers``, ``.send()`` on a Django ``EmailMessage`` or an
  ``emails`` library message built in the same function, Flask-Mail's ``mail.send(msg)``;
- starting a thread or process: ``threading.Thread(...)``, ``multiprocessing.Process(...)``.

And once per project: FastAPI/Starlette ``BackgroundTasks.add_task`` used in handlers of a
project that has no task queue at all (Celery, RQ, Dramatiq, arq, Huey, Taskiq...): those
tasks run in the web process and are lost when it restarts. Evidence names the queue library
when there is one.

## Why it matters
The client waits for work it does not need (an SMTP round trip takes hundreds of
milliseconds to seconds); a failure either fails the request or silently loses the email; and
threads started per request are unbounded, invisible to monitoring, never retried and killed
with the process on every deploy.

## Example
```python
def signup(request):
    user = User.objects.create(...)
    send_mail("Welcome", body, None, [user.email])
    return redirect("home")
```

## Use instead
```python
@shared_task(autoretry_for=(SMTPException,), retry_backoff=True)
def send_welcome(user_id): ...

def signup(request):
    user = User.objects.create(...)
    transaction.on_commit(lambda: send_welcome.delay(user.id))
    return redirect("home")
```

## References
- Celery, First steps: https://docs.celeryq.dev/en/stable/getting-started/first-steps-with-celery.html
- FastAPI, Background Tasks (and when to use Celery instead):
  https://fastapi.tiangolo.com/tutorial/background-tasks/#caveat
- The Twelve-Factor App, VIII. Concurrency: https://12factor.net/concurrency
"""

from __future__ import annotations

import ast
import bisect

from checks.detector import Detector, FileContext, Project
from checks.detectors.database._db import (
    mentions,
    segment_mentions,
    service_files,
    walk_scope,
)
from checks.detectors.scalability._handlers import (
    QUEUE_LIBRARIES,
    WEB_FRAMEWORKS,
    FunctionNode,
    qualified_name,
    request_handlers,
    service_functions,
)
from checks.model import Severity
from checks.pyast import call_name, resolve
from checks.pyfile import PyFile

_MAIL_CALLS = {
    "smtplib.SMTP": "opens an SMTP connection",
    "smtplib.SMTP_SSL": "opens an SMTP connection",
    "django.core.mail.send_mail": "sends email",
    "django.core.mail.send_mass_mail": "sends email",
    "django.core.mail.mail_admins": "sends email",
    "django.core.mail.mail_managers": "sends email",
}
_EMAIL_CLASSES = ("django.core.mail.EmailMessage", "django.core.mail.EmailMultiAlternatives",
                  "django.core.mail.message.EmailMessage", "emails.html", "emails.Message",
                  "emails.message.Message", "emails.message.html")
_THREADS = {
    "threading.Thread": "starts a thread",
    "multiprocessing.Process": "starts a process",
}
_WORK_WORDS = ("SMTP", "send", "mail_", "Thread", "Process", "add_task")
"""Every call that :func:`_inline_work` or :func:`_adds_background_task` can match spells one
of these in its file (``mail_`` for ``mail_admins`` and ``mail_managers``)."""
_WORK_CALLS = frozenset(
    {name.rsplit(".", 1)[-1] for name in (*_MAIL_CALLS, *_THREADS)} | {"send"})
"""Last names of the calls :func:`_inline_work` can match (``send`` for ``msg.send()``)."""
_QUEUE_HINT = ("Enqueue a task on a queue (Celery, RQ, Dramatiq, arq) with retries, and "
               "answer without waiting for it.")


class BackgroundWorkInRequestHandler(Detector):
    """Flags email sending and threads started inside request handlers (see module
    docstring)."""

    slug = "background-work-in-request-handler"
    items = ("SCALE-05",)
    calls = _WORK_CALLS

    def __init__(self) -> None:
        super().__init__()
        # The lines of each file's calls named like inline work (see ``calls``).
        self._work_lines: dict[str, list[int]] = {}

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        lines = self._work_lines.get(ctx.file.path)
        if lines is None:
            lines = self._work_lines[ctx.file.path] = []
        lines.append(node.lineno)

    def finish(self, project: Project) -> None:
        files = service_files(project)
        functions = service_functions(project)
        working = _working_functions(functions, self._work_lines)
        names = {fn.name for _, fn in functions.values() if id(fn) in working}
        add_task: tuple[str, int] | None = None
        for f in files:
            handlers = request_handlers(f)
            # Skip files that can neither do the work themselves nor call a function that does.
            if not handlers or not mentions(f, *_WORK_WORDS, *names):
                continue
            for handler in handlers.values():
                for node in walk_scope(handler.body):
                    if not isinstance(node, ast.Call):
                        continue
                    self._call(node, handler, f, functions, working)
                    if add_task is None and _adds_background_task(node, handler, f):
                        add_task = (f.path, node.lineno)
        queue = next((q for q in QUEUE_LIBRARIES if project.uses(q)), None)
        if queue is not None:
            self.evidence("SCALE-05", f"task queue: {queue}")
        elif add_task is not None:
            path, line = add_task
            self.report(
                "SCALE-05", path, line,
                "background work runs in the web process with BackgroundTasks, and the project "
                "has no task queue: tasks are lost on restart and never retried",
                "Move slow or must-not-lose work (emails, webhooks, reports) to a task queue "
                "(Celery, RQ, Dramatiq, arq) with a durable broker.",
                severity=Severity.LOW, key="background-tasks-without-queue",
            )
        elif not project.uses(*WEB_FRAMEWORKS):
            self.not_applicable("SCALE-05", "no web framework and no task queue: no request "
                                "handlers to keep work out of")

    def _call(self, node: ast.Call, handler: FunctionNode, f: PyFile,
              functions: dict[str, tuple[PyFile, FunctionNode]],
              working: dict[int, tuple[str, str]]) -> None:
        found = _inline_work(node, handler, f)
        if found is not None:
            name, what = found
        else:
            callee = functions.get(qualified_name(node.func, f) or "")
            if callee is None or callee[1] is handler:
                return
            inner = working.get(id(callee[1]))
            if inner is None:
                return
            name = ast.unparse(node.func)
            what = f"{inner[1]} (via `{inner[0]}()` in {callee[0].path})"
        self.report(
            "SCALE-05", f.path, node.lineno,
            f"`{name}()` {what} inside request handler `{handler.name}`: the client waits, "
            "and the work is lost if it fails or the process restarts",
            _QUEUE_HINT, end_line=node.end_lineno,
        )


def _working_functions(
    functions: dict[str, tuple[PyFile, FunctionNode]], work_lines: dict[str, list[int]],
) -> dict[int, tuple[str, str]]:
    """The first inline work (see :func:`_inline_work`) of each project function that does
    some, by ``id()`` of the function; ``work_lines`` holds the lines of each file's calls
    named like inline work (a function without one in its lines does none)."""
    out: dict[int, tuple[str, str]] = {}
    done: set[int] = set()
    sorted_lines: dict[str, list[int]] = {}
    for f, fn in functions.values():
        if id(fn) in done:
            continue
        done.add(id(fn))
        lines = sorted_lines.get(f.path)
        if lines is None:
            lines = sorted_lines[f.path] = sorted(work_lines.get(f.path, ()))
        at = bisect.bisect_left(lines, fn.lineno)
        if at == len(lines) or lines[at] > (fn.end_lineno or fn.lineno):
            continue
        if not mentions(f, *_WORK_WORDS) or not segment_mentions(f, fn, *_WORK_WORDS):
            continue
        inner = next((w for n in walk_scope(fn.body) if isinstance(n, ast.Call)
                      for w in [_inline_work(n, fn, f)] if w), None)
        if inner is not None:
            out[id(fn)] = inner
    return out


def _inline_work(call: ast.Call, fn: FunctionNode, f: PyFile) -> tuple[str, str] | None:
    """``(call, what it does)`` when ``call`` sends email or starts a thread, else None."""
    name = call_name(call, f) or ""
    what = _MAIL_CALLS.get(name) or _THREADS.get(name)
    if what is not None:
        return name, what
    if _sends_email(call, fn, f):
        return ast.unparse(call.func), "sends email"
    return None


def _sends_email(call: ast.Call, fn: FunctionNode, f: PyFile) -> bool:
    """``EmailMessage(...).send()``, ``msg.send()`` with ``msg = EmailMessage(...)`` in ``fn``,
    or Flask-Mail's ``mail.send(msg)``."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr != "send":
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call):
        return (call_name(receiver, f) or "") in _EMAIL_CLASSES
    if not isinstance(receiver, ast.Name):
        return False
    if f.imports_module("flask_mail") and call.args:
        return True
    for node in walk_scope(fn.body):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and any(
            isinstance(t, ast.Name) and t.id == receiver.id for t in node.targets
        ):
            return (call_name(node.value, f) or "") in _EMAIL_CLASSES
    return False


def _adds_background_task(call: ast.Call, fn: FunctionNode, f: PyFile) -> bool:
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "add_task"
            and isinstance(func.value, ast.Name)):
        return False
    args = fn.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
        if arg.arg == func.value.id and arg.annotation is not None:
            return (resolve(arg.annotation, f) or "").endswith("BackgroundTasks")
    return False
