"""Background work done inline in a request handler instead of through a task queue.

## What it flags
Directly in a request handler (see ``_handlers.py`` for what counts as one):

- sending email: ``smtplib.SMTP``/``SMTP_SSL``, Django's ``send_mail``, ``send_mass_mail``,
  ``mail_admins``, ``mail_managers``, ``.send()`` on an ``EmailMessage`` built in the handler,
  Flask-Mail's ``mail.send(...)``;
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

from checks.detector import Detector, FileContext, Project
from checks.detectors.scalability._handlers import (
    QUEUE_LIBRARIES,
    WEB_FRAMEWORKS,
    FunctionNode,
    request_handlers,
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
                  "django.core.mail.message.EmailMessage")
_THREADS = {
    "threading.Thread": "starts a thread",
    "multiprocessing.Process": "starts a process",
}
_QUEUE_HINT = ("Enqueue a task on a queue (Celery, RQ, Dramatiq, arq) with retries, and "
               "answer without waiting for it.")


class BackgroundWorkInRequestHandler(Detector):
    """Flags email sending and threads started inside request handlers (see module
    docstring)."""

    slug = "background-work-in-request-handler"
    items = ("SCALE-05",)

    def __init__(self) -> None:
        super().__init__()
        self._handlers: dict[int, FunctionNode] = {}
        self._skip = False
        self._add_task: tuple[str, int] | None = None

    def start_file(self, ctx: FileContext) -> None:
        f = ctx.file
        self._skip = f.is_test or f.is_migration
        self._handlers = {} if self._skip else request_handlers(f)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        fn = ctx.function
        if self._skip or fn is None or id(fn) not in self._handlers:
            return
        assert isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        f = ctx.file
        name = call_name(node, f)
        what = _MAIL_CALLS.get(name or "") or _THREADS.get(name or "")
        if what is None and _sends_email(node, fn, f):
            what = "sends email"
            name = ast.unparse(node.func)
        if what is not None:
            self.report_node(
                "SCALE-05", ctx, node,
                f"`{name}()` {what} inside request handler `{fn.name}`: the client waits, and "
                "the work is lost if it fails or the process restarts",
                _QUEUE_HINT,
            )
            return
        if (
            self._add_task is None
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_task"
            and isinstance(node.func.value, ast.Name)
            and _annotation(fn, node.func.value.id, f).endswith("BackgroundTasks")
        ):
            self._add_task = (ctx.path, node.lineno)

    def finish(self, project: Project) -> None:
        queue = next((q for q in QUEUE_LIBRARIES if project.uses(q)), None)
        if queue is not None:
            self.evidence("SCALE-05", f"task queue: {queue}")
        elif self._add_task is not None:
            path, line = self._add_task
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
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and any(
            isinstance(t, ast.Name) and t.id == receiver.id for t in node.targets
        ):
            return (call_name(node.value, f) or "") in _EMAIL_CLASSES
    return False


def _annotation(fn: FunctionNode, param: str, f: PyFile) -> str:
    args = fn.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
        if arg.arg == param and arg.annotation is not None:
            return resolve(arg.annotation, f) or ""
    return ""
