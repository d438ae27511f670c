from checks.detectors.api.unversioned_api import UnversionedApi
from checks.model import Status
from tests.helpers import findings, found, run, status

MAIN = """\
from fastapi import FastAPI

from app import orders, users

app = FastAPI()
app.include_router(users.router, prefix="/users")
app.include_router(orders.router, prefix="{prefix}")

@app.get("/health")
def health():
    return {{"ok": True}}
"""
ROUTER = """\
from fastapi import APIRouter

router = APIRouter()

@router.get("/")
def listing():
    return []

@router.post("/{item_id}/cancel")
def cancel(item_id: int):
    return None
"""


def test_flags_an_api_without_any_version() -> None:
    files = {"app/main.py": MAIN.format(prefix="/orders"), "app/users.py": ROUTER,
             "app/orders.py": ROUTER}
    report = run(UnversionedApi, files)
    assert found(report) == [("API-03", "app/main.py", 5)]
    assert findings(report, "API-03")[0].message.startswith(
        "none of the 4 API routes carries a version (GET /orders/, POST /orders/{item_id}/cancel,"
        " GET /users/)")
    assert status(report, "API-03") is Status.WARN


def test_one_versioned_prefix_passes() -> None:
    files = {"app/main.py": MAIN.format(prefix="/api/v2/orders"), "app/users.py": ROUTER,
             "app/orders.py": ROUTER}
    report = run(UnversionedApi, files)
    assert found(report) == []
    assert report.result("API-03").evidence == [
        "2 of 4 API routes carry a version (e.g. GET /api/v2/orders/ at app/orders.py:5)"]


def test_header_versioning_passes() -> None:
    files = {"app/main.py": MAIN.format(prefix="/orders"), "app/users.py": ROUTER,
             "app/orders.py": ROUTER,
             "app/versioning.py": "def version(request):\n"
                                  "    return request.headers.get('API-Version', '1')\n"}
    report = run(UnversionedApi, files)
    assert found(report) == []


def test_only_operational_routes_is_not_applicable() -> None:
    app = "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/health')\ndef h(): ...\n"
    report = run(UnversionedApi, {"app/main.py": app})
    assert status(report, "API-03") is Status.NOT_APPLICABLE
