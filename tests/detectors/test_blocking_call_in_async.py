from checks.detectors.architecture.blocking_call_in_async import BlockingCallInAsync
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

HANDLERS = """\
import time
import subprocess
import requests
import psycopg2
from urllib.request import urlopen
from fastapi import FastAPI

app = FastAPI()


@app.get("/rates")
async def rates():
    time.sleep(1)
    r = requests.get("https://x", timeout=5)
    conn = psycopg2.connect("dbname=x")
    subprocess.run(["ls"])
    urlopen("https://x")
    return r.json()


async def helper():
    time.sleep(0.1)

    def inner():
        time.sleep(1)
        requests.get("https://x", timeout=5)

    return inner
"""

GOOD = """\
import asyncio
import time
import requests
import httpx


async def fine(url):
    await asyncio.sleep(1)
    async with httpx.AsyncClient() as client:
        await client.get(url)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, time.sleep, 1)
    await asyncio.to_thread(requests.get, url, timeout=5)
    await loop.run_in_executor(None, lambda: requests.get(url, timeout=5))


def sync_code(url):
    time.sleep(1)
    return requests.get(url, timeout=5)
"""


def test_flags_blocking_calls_directly_inside_async_def() -> None:
    report = run(BlockingCallInAsync, {"app/main.py": HANDLERS})
    assert found(report) == [
        ("ARCH-08", "app/main.py", 13),
        ("ARCH-08", "app/main.py", 14),
        ("ARCH-08", "app/main.py", 15),
        ("ARCH-08", "app/main.py", 16),
        ("ARCH-08", "app/main.py", 17),
        ("ARCH-08", "app/main.py", 22),
    ]
    by_line = {f.start_line: f for f in findings(report, "ARCH-08")}
    assert by_line[13].message == (
        "`time.sleep()` blocks the event loop inside async request handler `rates`"
    )
    assert by_line[22].message == (
        "`time.sleep()` blocks the event loop inside async function `helper`"
    )
    assert by_line[13].severity is Severity.HIGH
    assert status(report, "ARCH-08") is Status.WARN


def test_async_alternatives_and_executor_arguments_are_not_flagged() -> None:
    report = run(BlockingCallInAsync, {"app/svc.py": GOOD})
    assert found(report) == []
    assert status(report, "ARCH-08") is Status.PASS
    assert report.result("ARCH-08").evidence == [
        "1 async functions in service code; no blocking call found directly inside them"
    ]


DJANGO_VIEWS = """\
from django.http import JsonResponse
from asgiref.sync import sync_to_async
from shop.models import Order


async def order_detail(request, pk):
    order = Order.objects.get(pk=pk)
    n = Order.objects.filter(user=request.user).count()
    for o in Order.objects.filter(paid=True):
        pass
    qs = Order.objects.filter(paid=True)
    ok = await Order.objects.aget(pk=pk)
    total = await Order.objects.filter(paid=True).acount()
    async for o in Order.objects.filter(paid=True):
        pass
    wrapped = await sync_to_async(Order.objects.get)(pk=pk)
    return JsonResponse({"n": n})
"""


def test_django_orm_calls_in_async_views() -> None:
    report = run(BlockingCallInAsync, {"shop/views.py": DJANGO_VIEWS})
    assert found(report) == [
        ("ARCH-08", "shop/views.py", 7),
        ("ARCH-08", "shop/views.py", 8),
        ("ARCH-08", "shop/views.py", 9),
    ]


SQLA_DEPS = """\
from typing import Annotated
from fastapi import Depends
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

SessionLocal = sessionmaker(bind=None)
AsyncSessionLocal = async_sessionmaker()


def get_db():
    yield SessionLocal()


SessionDep = Annotated[Session, Depends(get_db)]
"""

SQLA_ROUTES = """\
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.ext.asyncio import AsyncSession
from app.deps import SessionDep, SessionLocal, AsyncSessionLocal, get_db

router = APIRouter()


@router.get("/a")
async def a(db: SessionDep):
    return db.execute(select(1)).all()


@router.get("/b")
async def b(db: Session = Depends(get_db)):
    db.commit()


@router.get("/c")
async def c(db: AsyncSession):
    await db.execute(select(1))
    with SessionLocal() as s:
        s.add(1)
    async with AsyncSessionLocal() as s2:
        await s2.commit()


@router.get("/d")
def d(db: SessionDep):
    return db.execute(select(1)).all()
"""


def test_sync_sqlalchemy_sessions_in_async_endpoints() -> None:
    report = run(BlockingCallInAsync, {"app/deps.py": SQLA_DEPS, "app/routes.py": SQLA_ROUTES})
    assert found(report) == [
        ("ARCH-08", "app/routes.py", 12),
        ("ARCH-08", "app/routes.py", 17),
        ("ARCH-08", "app/routes.py", 23),
    ]
    assert "synchronous `Session`" in findings(report, "ARCH-08")[0].message


def test_tests_are_skipped_and_sync_only_projects_get_evidence() -> None:
    files = {
        "tests/test_x.py": "import time\nasync def test_x():\n    time.sleep(1)\n",
        "app/jobs.py": "import time\ndef job():\n    time.sleep(1)\n",
    }
    report = run(BlockingCallInAsync, files)
    assert found(report) == []
    assert report.result("ARCH-08").evidence == [
        "no async def in service code: the service is synchronous, so no event loop can be "
        "blocked"
    ]


def test_aliased_blocking_calls_are_resolved() -> None:
    files = {"app/jobs.py": """\
from subprocess import run as sp_run
from time import sleep as pause


async def job():
    pause(1)
    sp_run(["ls"])
"""}
    report = run(BlockingCallInAsync, files)
    assert found(report) == [("ARCH-08", "app/jobs.py", 6), ("ARCH-08", "app/jobs.py", 7)]
    assert [f.message for f in findings(report, "ARCH-08")] == [
        "`time.sleep()` blocks the event loop inside async function `job`",
        "`subprocess.run()` blocks the event loop inside async function `job`",
    ]
