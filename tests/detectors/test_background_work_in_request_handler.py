from checks.detectors.scalability.background_work_in_request_handler import (
    BackgroundWorkInRequestHandler,
)
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

VIEWS = """\
import threading
from django.core.mail import EmailMessage, send_mail
from django.shortcuts import redirect


def signup(request):
    send_mail("Welcome", "hi", None, ["a@example.com"])
    msg = EmailMessage("Hi", "body", to=["a@example.com"])
    msg.send()
    threading.Thread(target=print).start()
    return redirect("home")


def helper(user):
    send_mail("Welcome", "hi", None, [user.email])
"""


def test_flags_email_and_threads_in_django_views() -> None:
    report = run(BackgroundWorkInRequestHandler, {"accounts/views.py": VIEWS})
    assert found(report) == [
        ("SCALE-05", "accounts/views.py", 7),
        ("SCALE-05", "accounts/views.py", 9),
        ("SCALE-05", "accounts/views.py", 10),
    ]
    assert findings(report, "SCALE-05")[0].message == (
        "`django.core.mail.send_mail()` sends email inside request handler `signup`: the "
        "client waits, and the work is lost if it fails or the process restarts"
    )
    assert status(report, "SCALE-05") is Status.WARN


ROUTES = """\
import smtplib
from fastapi import APIRouter, BackgroundTasks

router = APIRouter()


def notify(email):
    with smtplib.SMTP("mail") as s:
        s.sendmail("a", [email], "hi")


@router.post("/signup")
def signup(email: str, tasks: BackgroundTasks):
    tasks.add_task(notify, email)
    return {"ok": True}
"""


def test_background_tasks_without_a_queue_is_reported_once() -> None:
    report = run(BackgroundWorkInRequestHandler, {"app/routes.py": ROUTES})
    assert found(report) == [("SCALE-05", "app/routes.py", 14)]
    assert findings(report, "SCALE-05")[0].severity is Severity.LOW


def test_projects_with_a_queue_get_evidence() -> None:
    files = {"app/routes.py": ROUTES, "requirements.txt": "fastapi\ncelery[redis]==5.4\n"}
    report = run(BackgroundWorkInRequestHandler, files)
    assert found(report) == []
    assert report.result("SCALE-05").evidence == ["task queue: celery"]


def test_not_applicable_without_web_framework_or_queue() -> None:
    report = run(BackgroundWorkInRequestHandler, {"tool/x.py": "import smtplib\n"})
    assert status(report, "SCALE-05") is Status.NOT_APPLICABLE


UTILS = """\
import emails


def send_email(to, html):
    message = emails.html(html=html, subject="Hi", mail_from="app@example.com")
    return message.send(to=to, smtp={"host": "mail"})


def render(name):
    return f"<p>{name}</p>"
"""

LOGIN = """\
from fastapi import APIRouter
from app.utils import render, send_email

router = APIRouter()


@router.post("/password-recovery/{email}")
def recover_password(email: str):
    html = render(email)
    send_email(email, html)
    return {"msg": "sent"}
"""


def test_follows_one_call_into_a_project_function_that_sends_email() -> None:
    report = run(BackgroundWorkInRequestHandler,
                 {"app/utils.py": UTILS, "app/routes/login.py": LOGIN})
    assert found(report) == [("SCALE-05", "app/routes/login.py", 10)]
    assert findings(report, "SCALE-05")[0].message == (
        "`send_email()` sends email (via `message.send()` in app/utils.py) inside request "
        "handler `recover_password`: the client waits, and the work is lost if it fails or "
        "the process restarts"
    )
