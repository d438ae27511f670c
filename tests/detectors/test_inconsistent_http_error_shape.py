from checks.detectors.api.inconsistent_http_error_shape import InconsistentHttpErrorShape
from checks.model import Status
from tests.helpers import findings, found, run, status

MAIN = """\
from fastapi import FastAPI

from app import orders

app = FastAPI()
app.include_router(orders.router)
"""

ORDERS = """\
from fastapi import APIRouter, HTTPException

router = APIRouter()

@router.get("/orders/{order_id}")
def order(order_id: int):
    if order_id < 0:
        raise HTTPException(404, detail=f"order {order_id} not found")
    if order_id == 0:
        raise HTTPException(status_code=409, detail={"code": "conflict", "message": "paid"})
    if order_id == 1:
        raise HTTPException(422, {"msg": "bad currency"})
    if order_id == 2:
        raise HTTPException(400, "bad request")
    return {}
"""


def test_several_shapes_and_no_handler() -> None:
    report = run(InconsistentHttpErrorShape, {"app/main.py": MAIN, "app/orders.py": ORDERS})
    assert found(report) == [("API-07", "app/main.py", 5)]
    assert findings(report, "API-07")[0].message == (
        "HTTPException details come in 3 shapes and no exception handler unifies them: "
        "a string (2×, e.g. app/orders.py:8); an object {code, message} (1×, e.g. "
        "app/orders.py:10); an object {msg} (1×, e.g. app/orders.py:12)")


def test_a_registered_handler_passes() -> None:
    main = MAIN + """
@app.exception_handler(Exception)
async def unify(request, exc):
    ...
"""
    report = run(InconsistentHttpErrorShape, {"app/main.py": main, "app/orders.py": ORDERS})
    assert found(report) == []
    assert report.result("API-07").evidence == ["exception handler registered at app/main.py:8"]


def test_one_shape_passes() -> None:
    only_strings = ORDERS.replace('{"code": "conflict", "message": "paid"}', '"paid"').replace(
        '{"msg": "bad currency"}', '"bad currency"')
    report = run(InconsistentHttpErrorShape, {"app/main.py": MAIN, "app/orders.py": only_strings})
    assert found(report) == []
    assert status(report, "API-07") is Status.PASS


def test_aliased_http_exception_is_still_compared() -> None:
    aliased = ORDERS.replace("from fastapi import APIRouter, HTTPException",
                             "from fastapi import APIRouter\n"
                             "from fastapi import HTTPException as HTTPError").replace(
        "raise HTTPException(", "raise HTTPError(")
    report = run(InconsistentHttpErrorShape, {"app/main.py": MAIN, "app/orders.py": aliased})
    assert found(report) == [("API-07", "app/main.py", 5)]
    assert findings(report, "API-07")[0].message == (
        "HTTPException details come in 3 shapes and no exception handler unifies them: "
        "a string (2×, e.g. app/orders.py:9); an object {code, message} (1×, e.g. "
        "app/orders.py:11); an object {msg} (1×, e.g. app/orders.py:13)")


def test_handlers_passed_to_the_app_pass_on_the_call_line() -> None:
    main = MAIN.replace("app = FastAPI()", "app = FastAPI(\n    title='shop',\n"
                        "    exception_handlers={404: not_found},\n)")
    report = run(InconsistentHttpErrorShape, {"app/main.py": main, "app/orders.py": ORDERS})
    assert found(report) == []
    assert report.result("API-07").evidence == ["exception handler registered at app/main.py:5"]
