from checks.detectors.api.unvalidated_request_input import UnvalidatedRequestInput
from checks.model import Status
from tests.helpers import findings, found, run, status

FASTAPI = """\
import json
from typing import Any

from fastapi import APIRouter, Body, Depends, Request

from app.schemas import UserIn

router = APIRouter()

@router.post("/users")
async def create_user(request: Request):
    data = await request.json()
    return {"name": data["name"]}

@router.put("/users/{user_id}")
def replace_user(user_id: int, payload: dict = Body(...)):
    return payload

@router.patch("/users/{user_id}")
def patch_user(user_id: int, changes: dict[str, Any]):
    return changes

@router.post("/raw")
async def raw(request: Request):
    return json.loads(await request.body())

@router.post("/validated")
async def validated(request: Request):
    return UserIn.model_validate(await request.json())

@router.post("/typed")
def typed(payload: UserIn, user=Depends(current_user)):
    return payload

@router.get("/items/{item_id}")
def item(item_id: int, request: Request):
    return {"ip": request.client.host}

@router.post("/webhooks/stripe")
async def stripe_events(request: Request):
    return await request.json()
"""

FLASK = """\
from flask import Blueprint, jsonify, request
from webargs.flaskparser import use_args

from app.schemas import NoteSchema

bp = Blueprint("notes", __name__)

@bp.post("/notes")
def add_note():
    body = request.get_json()
    return jsonify(body)

@bp.route("/search")
def search():
    return jsonify(q=request.args["q"])

@bp.post("/notes/checked")
def add_checked():
    note = NoteSchema().load(request.get_json())
    return jsonify(note)

@bp.post("/notes/webargs")
@use_args(NoteSchema())
def add_webargs(args):
    return jsonify(args)

@bp.route("/filtered")
def filtered():
    return jsonify(page=request.args.get("page", 1, type=int))
"""

DJANGO = """\
import json

from django.http import JsonResponse
from rest_framework.decorators import api_view
from rest_framework.response import Response

from shop.forms import OrderForm
from shop.serializers import OrderSerializer

def order_create(request):
    data = json.loads(request.body)
    return JsonResponse({"id": data["id"]})

def order_form(request):
    form = OrderForm(request.POST)
    if form.is_valid():
        return JsonResponse(form.cleaned_data)
    return JsonResponse(form.errors, status=400)

@api_view(["POST"])
def refund(request):
    amount = request.data["amount"]
    return Response({"amount": amount})

@api_view(["POST"])
def refund_checked(request):
    serializer = OrderSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return Response(serializer.data)
"""

URLS = """\
from django.urls import path

from shop import views

urlpatterns = [
    path("orders/", views.order_create),
    path("orders/form/", views.order_form),
    path("refund/", views.refund),
]
"""


def test_flags_raw_reads_in_each_framework() -> None:
    files = {"app/api/users.py": FASTAPI, "app/web/notes.py": FLASK, "shop/views.py": DJANGO,
             "shop/urls.py": URLS}
    report = run(UnvalidatedRequestInput, files)
    assert found(report) == [
        ("API-09", "app/api/users.py", 12),
        ("API-09", "app/api/users.py", 16),
        ("API-09", "app/api/users.py", 20),
        ("API-09", "app/api/users.py", 25),
        ("API-09", "app/web/notes.py", 10),
        ("API-09", "app/web/notes.py", 15),
        ("API-09", "shop/views.py", 11),
        ("API-09", "shop/views.py", 22),
    ]
    messages = {(f.path, f.start_line): f.message for f in findings(report, "API-09")}
    assert messages[("app/api/users.py", 12)].startswith(
        "POST /users takes `request.json()` without a schema")
    assert messages[("app/api/users.py", 16)].startswith(
        "PUT /users/{user_id} takes `payload: dict` without a schema")
    assert messages[("shop/views.py", 22)].startswith(
        "POST /refund/ takes `request.data['amount']` without a schema")
    assert status(report, "API-09") is Status.WARN


def test_not_applicable_without_endpoints() -> None:
    report = run(UnvalidatedRequestInput, {"lib/x.py": "import json\njson.loads('{}')\n"})
    assert status(report, "API-09") is Status.NOT_APPLICABLE
