from checks.detectors.api.unauthenticated_endpoint import UnauthenticatedEndpoint
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

DEPS = """\
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

oauth2 = OAuth2PasswordBearer(tokenUrl="/login")

def get_current_user(token: str = Depends(oauth2)): ...

CurrentUser = Annotated[dict, Depends(get_current_user)]
"""

ITEMS = """\
from fastapi import APIRouter, Depends, Security

from app.deps import CurrentUser, get_current_user, get_current_user_authorizer, get_db, oauth2

router = APIRouter(prefix="/items")
admin = APIRouter(prefix="/admin", dependencies=[Depends(get_current_user)])

@router.post("/")
def create(payload: dict, user: CurrentUser):
    return payload

@router.delete("/{item_id}")
def delete(item_id: int, db=Depends(get_db)):
    return db.delete(item_id)

@router.put("/{item_id}")
def replace(item_id: int, token: str = Depends(oauth2)):
    return item_id

@router.patch("/{item_id}")
def patch(item_id: int, user=Security(get_current_user, scopes=["items:write"])):
    return item_id

@router.get("/")
def listing(db=Depends(get_db)):
    return []

@router.post("/webhooks/stripe")
def stripe_webhook(db=Depends(get_db)):
    return {}

@admin.post("/reindex")
def reindex(db=Depends(get_db)):
    return {}

@router.post("/{item_id}/favorite")
def favorite(item_id: int, user=Depends(get_current_user_authorizer())):
    return item_id
"""


def test_fastapi_unprotected_routes_in_a_protected_project() -> None:
    report = run(UnauthenticatedEndpoint, {"app/deps.py": DEPS, "app/items.py": ITEMS})
    assert found(report) == [("API-04", "app/items.py", 12)]
    (finding,) = findings(report, "API-04")
    assert finding.message == ("DELETE /items/{item_id} changes data without authentication, "
                               "while other endpoints of the project require it")
    assert status(report, "API-04") is Status.WARN


OPEN = """\
from fastapi import FastAPI

app = FastAPI()

@app.post("/notes")
def add(note: dict):
    return note

@app.delete("/notes/{note_id}")
def remove(note_id: int):
    return None

@app.post("/login")
def login(form: dict):
    return {}

@app.post("/users")
def create_account(form: dict):
    return {}
"""


def test_one_project_finding_when_nothing_is_protected() -> None:
    report = run(UnauthenticatedEndpoint, {"app/main.py": OPEN})
    assert found(report) == [("API-04", "app/main.py", 3)]
    (finding,) = findings(report, "API-04")
    assert finding.message == ("none of the 2 state-changing endpoints requires authentication "
                               "(POST /notes, DELETE /notes/{note_id})")
    assert finding.severity is Severity.MEDIUM


DRF = """\
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.views import View
from rest_framework import generics, permissions, viewsets

from shop.models import Order

class OrderViewSet(viewsets.ModelViewSet):
    queryset = Order.objects.all()

class GuestOrders(generics.CreateAPIView):
    permission_classes = [permissions.AllowAny]
    queryset = Order.objects.all()

class SignupView(generics.CreateAPIView):
    permission_classes = [permissions.AllowAny]

class Archive(LoginRequiredMixin, View):
    def post(self, request):
        return JsonResponse({})

class Restore(View):
    def post(self, request):
        return JsonResponse({})

@login_required
def cancel(request):
    if request.method == "POST":
        return JsonResponse({})

def note(request):
    return JsonResponse({"text": request.POST["text"]})

def listing(request):
    return JsonResponse({"orders": []})
"""

URLS = """\
from django.urls import path
from rest_framework.routers import DefaultRouter

from shop import views

router = DefaultRouter()
router.register("orders", views.OrderViewSet)
urlpatterns = [
    path("guest/", views.GuestOrders.as_view()),
    path("signup/", views.SignupView.as_view()),
    path("archive/", views.Archive.as_view()),
    path("restore/", views.Restore.as_view()),
    path("cancel/", views.cancel),
    path("note/", views.note),
    path("listing/", views.listing),
] + router.urls
"""

SETTINGS = """\
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
"""


def test_django_and_drf() -> None:
    files = {"shop/views.py": DRF, "shop/urls.py": URLS}
    report = run(UnauthenticatedEndpoint, files)
    assert found(report) == [
        ("API-04", "shop/views.py", 9),
        ("API-04", "shop/views.py", 12),
        ("API-04", "shop/views.py", 23),
        ("API-04", "shop/views.py", 32),
    ]
    messages = {f.start_line: f.message for f in findings(report, "API-04")}
    assert messages[12] == ("POST /guest/ changes data and sets permission_classes = "
                            "[AllowAny]: anyone can call it")
    # With IsAuthenticated as the default, only the explicit AllowAny and plain Django views
    # remain.
    report = run(UnauthenticatedEndpoint, {**files, "proj/settings.py": SETTINGS})
    assert found(report) == [
        ("API-04", "shop/views.py", 12),
        ("API-04", "shop/views.py", 23),
        ("API-04", "shop/views.py", 32),
    ]


FLASK = """\
from flask import Blueprint, Flask, jsonify
from flask_login import login_required

app = Flask(__name__)
admin = Blueprint("admin", __name__)

@admin.before_request
def require_admin():
    verify_jwt_in_request()

@admin.post("/purge")
def purge():
    return jsonify(ok=True)

@app.post("/comments")
@login_required
def comment():
    return jsonify(ok=True)

@app.route("/votes", methods=["POST"])
def vote():
    return jsonify(ok=True)
"""


def test_flask_decorators_and_before_request_hooks() -> None:
    report = run(UnauthenticatedEndpoint, {"web/app.py": FLASK})
    assert found(report) == [("API-04", "web/app.py", 20)]


def test_read_only_api_passes_and_no_routes_is_not_applicable() -> None:
    read_only = "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/x')\ndef x(): ...\n"
    report = run(UnauthenticatedEndpoint, {"app/main.py": read_only})
    assert found(report) == []
    assert status(report, "API-04") is Status.PASS
    report = run(UnauthenticatedEndpoint, {"lib/x.py": "X = 1\n"})
    assert status(report, "API-04") is Status.NOT_APPLICABLE


def test_routers_mounted_only_for_local_development_are_skipped() -> None:
    main = """\
from fastapi import FastAPI

from app import items, private
from app.config import settings

app = FastAPI()
app.include_router(items.router)
if settings.ENVIRONMENT == "local":
    app.include_router(private.router)
"""
    private = """\
from fastapi import APIRouter

router = APIRouter(prefix="/private")

@router.post("/seed")
def seed():
    return {}
"""
    files = {"app/deps.py": DEPS, "app/items.py": ITEMS, "app/main.py": main,
             "app/private.py": private}
    report = run(UnauthenticatedEndpoint, files)
    assert found(report) == [("API-04", "app/items.py", 12)]


def test_router_subclasses_and_controller_base_classes_carry_dependencies() -> None:
    files = {
        "app/deps.py": DEPS,
        "app/routing.py": """\
from fastapi import APIRouter, Depends

from app.deps import get_current_user

class UserRouter(APIRouter):
    def __init__(self, prefix: str = "", **kwargs):
        super().__init__(prefix=prefix, dependencies=[Depends(get_current_user)], **kwargs)
""",
        "app/controllers/__init__.py": "from .base import BaseUserController\n",
        "app/controllers/base.py": """\
from fastapi import Depends

from app.deps import get_current_user, get_db

class BaseController:
    db = Depends(get_db)

class BaseUserController(BaseController):
    user: dict = Depends(get_current_user)
""",
        "app/notes.py": """\
from fastapi import APIRouter

from app.controllers import BaseUserController
from app.routing import UserRouter

router = UserRouter(prefix="/notes")
public = APIRouter(prefix="/tags")

@router.post("")
def add_note(note: dict):
    return note

class TagController(BaseUserController):
    @public.post("")
    def add_tag(self, tag: dict):
        return tag

@public.delete("/{tag_id}")
def drop_tag(tag_id: int):
    return None
""",
    }
    report = run(UnauthenticatedEndpoint, files)
    assert found(report) == [("API-04", "app/notes.py", 18)]


REFUSING = """\
from fastapi import FastAPI, HTTPException, status
from flask import Flask, abort

api = FastAPI()
web = Flask(__name__)

@web.route("/setup/integrations", methods=["GET", "POST"])
def integrations():
    if is_admin() or is_setup() is False:
        return "ok"
    abort(403)

@web.post("/flags/<name>")
def toggle(name):
    if name not in allowed_for(session):
        abort(403)
    return "ok"

@api.delete("/projects/{pid}")
def delete_project(pid: int):
    if owner_of(pid) != caller():
        raise HTTPException(status.HTTP_403_FORBIDDEN)
    return None

@web.post("/votes")
def vote():
    abort(404)
"""


def test_a_handler_that_refuses_callers_itself_decides_who_may_call_it() -> None:
    report = run(UnauthenticatedEndpoint, {"app/views.py": REFUSING})
    # is_admin(), abort(403) and HTTPException(403) are checks; abort(404) is not one
    assert found(report) == [("API-04", "app/views.py", 25)]
