from checks.detectors.api.unconventional_endpoint_path import UnconventionalEndpointPath, words
from checks.model import Status
from tests.helpers import findings, found, run, status

ROUTES = """\
from fastapi import APIRouter

router = APIRouter()

@router.get("/users")
def users(): ...

@router.get("/user/{user_id}")
def user(user_id: int): ...

@router.post("/createUser")
def create_user(): ...

@router.post("/users/{user_id}/delete")
def delete_user(user_id: int): ...

@router.get("/order-items")
def order_items(): ...

@router.get("/line-items")
def line_items(): ...

@router.get("/gift_cards")
def gift_cards(): ...

@router.get("/orders/")
def orders(): ...

@router.post("/orders/{order_id}/cancel")
def cancel(order_id: int): ...

@router.get("/v1/getaway-spots")
def spots(): ...

@router.get("/health")
def health(): ...
"""


def test_flags_verbs_case_and_minority_styles() -> None:
    report = run(UnconventionalEndpointPath, {"app/routes.py": ROUTES})
    assert found(report) == [
        ("API-02", "app/routes.py", 8),
        ("API-02", "app/routes.py", 11),
        ("API-02", "app/routes.py", 14),
        ("API-02", "app/routes.py", 23),
        ("API-02", "app/routes.py", 26),
    ]
    messages = [f.message for f in findings(report, "API-02")]
    assert messages == [
        "GET /user/{user_id}: singular `user` with an identifier while other paths use `users`",
        "POST /createUser: verb in `createUser`; upper-case letters in `createUser`",
        "POST /users/{user_id}/delete: verb in `delete`",
        "GET /gift_cards: snake_case `gift_cards` while other paths use kebab-case",
        "GET /orders/: a trailing slash, unlike 9 other paths",
    ]
    assert status(report, "API-02") is Status.WARN


def test_consistent_paths_pass() -> None:
    clean = """\
from flask import Blueprint, jsonify

bp = Blueprint("shop", __name__, url_prefix="/api/v1")

@bp.get("/products")
def products():
    return jsonify([])

@bp.get("/products/<int:product_id>")
def product(product_id):
    return jsonify({})

@bp.post("/products/<int:product_id>/reviews")
def review(product_id):
    return jsonify({}), 201
"""
    report = run(UnconventionalEndpointPath, {"shop/api.py": clean})
    assert found(report) == []
    assert status(report, "API-02") is Status.PASS


def test_words() -> None:
    assert words("getUserById") == ["get", "user", "by", "id"]
    assert words("create_user") == ["create", "user"]
    assert words("line-items") == ["line", "items"]
