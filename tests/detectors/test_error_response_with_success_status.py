from checks.detectors.api.error_response_with_success_status import (
    ErrorResponseWithSuccessStatus,
)
from checks.model import Status
from tests.helpers import findings, found, run, status

FASTAPI = """\
from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

router = APIRouter()

@router.get("/orders/{order_id}")
def order(order_id: int):
    if order_id < 0:
        return {"error": "bad id"}
    if order_id == 0:
        return JSONResponse({"success": False, "message": "zero"})
    if order_id == 1:
        return JSONResponse({"error": "gone"}, status_code=410)
    return {"id": order_id, "errors": []}

@router.get("/carts/{cart_id}")
def cart(cart_id: int, response: Response):
    if cart_id < 0:
        response.status_code = 404
        return {"error": "missing"}
    return {}
"""

FLASK = """\
from flask import Blueprint, jsonify, make_response

bp = Blueprint("api", __name__)

@bp.route("/users/<int:uid>")
def user(uid):
    if uid < 0:
        return jsonify({"error": "bad id"})
    if uid == 0:
        return jsonify(error="zero"), 400
    if uid == 1:
        return make_response(jsonify(status="error"))
    if uid == 2:
        return jsonify(ok=False)
    return jsonify(id=uid)
"""

DJANGO = """\
from django.http import JsonResponse
from rest_framework.decorators import api_view
from rest_framework.response import Response

def legacy(request):
    return JsonResponse({"error": "nope"})

@api_view(["GET"])
def modern(request):
    if request.GET.get("x"):
        return Response({"error": "nope"}, status=400)
    return Response({"errors": ["nope"]})
"""

URLS = """\
from django.urls import path

from shop import views

urlpatterns = [path("legacy/", views.legacy), path("modern/", views.modern)]
"""


def test_flags_error_payloads_sent_with_200() -> None:
    files = {"app/api.py": FASTAPI, "web/api.py": FLASK, "shop/views.py": DJANGO,
             "shop/urls.py": URLS}
    report = run(ErrorResponseWithSuccessStatus, files)
    assert found(report) == [
        ("API-07", "app/api.py", 9),
        ("API-07", "app/api.py", 11),
        ("API-07", "shop/views.py", 6),
        ("API-07", "shop/views.py", 12),
        ("API-07", "web/api.py", 8),
        ("API-07", "web/api.py", 12),
        ("API-07", "web/api.py", 14),
    ]
    messages = {(f.path, f.start_line): f.message for f in findings(report, "API-07")}
    assert messages[("app/api.py", 11)] == (
        'GET /orders/{order_id} returns an error payload ("success": False) with status 200: '
        "clients, caches and monitoring see a success")
    assert status(report, "API-07") is Status.WARN


def test_not_applicable_without_endpoints() -> None:
    files = {"lib/x.py": "def f():\n    return {'error': 1}\n"}
    report = run(ErrorResponseWithSuccessStatus, files)
    assert status(report, "API-07") is Status.NOT_APPLICABLE
