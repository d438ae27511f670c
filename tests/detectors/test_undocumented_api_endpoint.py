from checks.detectors.documentation.undocumented_api_endpoint import UndocumentedApiEndpoint
from checks.model import Status
from tests.helpers import found, run, status

ROUTES = '''\
from typing import Any

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

app = FastAPI()
router = APIRouter(prefix="/orders")


class Order(BaseModel):
    id: int


@router.get("/{order_id}")
def get_order(order_id: int):
    return {"id": order_id}


@router.get("/raw/{order_id}")
async def raw(order_id: int) -> dict[str, Any]:
    return {}


@router.get("/typed/{order_id}")
def typed(order_id: int) -> Order:
    return Order(id=order_id)


@router.post("/", response_model=Order)
def create():
    return Order(id=1)


@router.delete("/{order_id}", summary="Delete an order")
def delete(order_id: int):
    return None


@router.put("/{order_id}")
def update(order_id: int):
    """Replace an order."""


@app.get("/internal", include_in_schema=False)
def internal():
    return {}
'''


def test_flags_routes_with_no_description_and_no_schema() -> None:
    report = run(UndocumentedApiEndpoint, {"app/orders.py": ROUTES})
    assert found(report) == [
        ("DOC-01", "app/orders.py", 14),
        ("DOC-01", "app/orders.py", 19),
    ]
    assert report.findings[0].message.startswith("GET /orders/{order_id} (get_order) has no")
    assert report.result("DOC-01").evidence == [
        "5 of 7 FastAPI/Ninja routes carry a description or a response model"]


def test_not_applicable_without_fastapi_routes() -> None:
    flask = "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/')\ndef i():\n" \
            "    return 'x'\n"
    report = run(UndocumentedApiEndpoint, {"web/app.py": flask})
    assert found(report) == []
    assert status(report, "DOC-01") is Status.NOT_APPLICABLE
