"""Route discovery (``checks/detectors/api/_routes.py``) on small projects of each framework."""

from checks import pyfile
from checks.detector import Detector, Project
from checks.detectors.api import _routes
from checks.detectors.api._routes import ProjectRoutes, Route
from tests.helpers import run


def _parse(path: str, text: str) -> pyfile.PyFile:
    parsed = pyfile.parse(path, text.encode())
    assert isinstance(parsed, pyfile.PyFile)
    return parsed


def _project(files: dict[str, str]) -> tuple[ProjectRoutes, tuple[str, int]]:
    seen: list[tuple[ProjectRoutes, tuple[str, int]]] = []

    class Probe(Detector):
        slug = "probe"
        items = ("API-01",)

        def finish(self, project: Project) -> None:
            seen.append((_routes.project_routes(project), _routes.main_app(project)))

    run(Probe, dict(files))
    return seen[0]


def _rows(routes: tuple[Route, ...]) -> list[tuple[str, str, str, str, int, tuple[str, ...]]]:
    return [(r.framework, "|".join(r.methods), r.path, r.file, r.line, r.applied)
            for r in routes]


FASTAPI = {
    "app/main.py": """\
from fastapi import Depends, FastAPI
from app.api import users
from .api.items import router as items_router
from app.deps import get_current_user

app = FastAPI()
app.include_router(users.router, prefix="/api/v1")
app.include_router(items_router, prefix="/api/v1/items",
                   dependencies=[Depends(get_current_user)])

@app.get("/health")
def health():
    return {"ok": True}
""",
    "app/api/users.py": """\
from fastapi import APIRouter

router = APIRouter(prefix="/users")

@router.get("/")
def list_users(): ...

@router.post("/{user_id}")
async def update(user_id: int): ...

@router.api_route("/bulk", methods=["PUT", "patch"])
def bulk(): ...

PATH = "/dyn"

@router.delete(PATH)
def constant(): ...

@router.delete(build_path())
def dynamic(): ...
""",
    "app/api/items.py": """\
from fastapi import APIRouter

router = APIRouter()

@router.get("")
def list_items(): ...
""",
}


def test_fastapi_prefixes_and_dependencies_are_joined_across_files() -> None:
    pr, app = _project(FASTAPI)
    assert _rows(pr.routes) == [
        ("fastapi", "GET", "/api/v1/items", "app/api/items.py", 5, ("app.deps.get_current_user",)),
        ("fastapi", "GET", "/api/v1/users/", "app/api/users.py", 5, ()),
        ("fastapi", "POST", "/api/v1/users/{user_id}", "app/api/users.py", 8, ()),
        ("fastapi", "PATCH|PUT", "/api/v1/users/bulk", "app/api/users.py", 11, ()),
        ("fastapi", "DELETE", "/api/v1/users/dyn", "app/api/users.py", 16, ()),
        ("fastapi", "DELETE", "", "app/api/users.py", 19, ()),
        ("fastapi", "GET", "/health", "app/main.py", 11, ()),
    ]
    assert app == ("app/main.py", 6)


def test_one_file_sees_its_own_prefixes_only() -> None:
    f = _parse("app/api/users.py", FASTAPI["app/api/users.py"])
    assert [r.describe() for r in _routes.routes(f)] == [
        "GET /users/", "POST /users/{user_id}", "PATCH|PUT /users/bulk", "DELETE /users/dyn",
        "DELETE dynamic",
    ]
    assert [(a.kind, a.name, a.prefix) for a in _routes.apps(f)] == [("router", "router",
                                                                       "/users")]


FLASK = {
    "web/app.py": """\
from flask import Flask
from web.views import bp

app = Flask(__name__)
app.register_blueprint(bp, url_prefix="/v2")

@app.route("/ping", methods=["GET", "POST"])
def ping():
    return "ok"

def legacy():
    return "x"

app.add_url_rule("/legacy", view_func=legacy)
""",
    "web/views.py": """\
from flask import Blueprint

bp = Blueprint("x", __name__, url_prefix="/old")

@bp.get("/things/<int:thing_id>")
def thing(thing_id): ...
""",
}


def test_flask_register_blueprint_prefix_replaces_the_blueprints_own() -> None:
    pr, app = _project(FLASK)
    assert _rows(pr.routes) == [
        ("flask", "GET|POST", "/ping", "web/app.py", 7, ()),
        ("flask", "GET", "/legacy", "web/app.py", 14, ()),
        ("flask", "GET", "/v2/things/<int:thing_id>", "web/views.py", 5, ()),
    ]
    assert app == ("web/app.py", 4)


DJANGO = {
    "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\nINSTALLED_APPS = []\n',
    "proj/urls.py": """\
from django.contrib import admin
from django.urls import include, path

urlpatterns = [path("api/", include("shop.urls")), path("admin/", admin.site.urls)]
""",
    "shop/urls.py": """\
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register(r"orders", views.OrderViewSet)
urlpatterns = [
    path("products/", views.product_list),
    path("products/<int:pk>/", login_required(views.ProductDetail.as_view())),
    path("", include(router.urls)),
]
""",
    "shop/views.py": """\
from django.views.generic import DetailView
from rest_framework import viewsets
from rest_framework.decorators import api_view

def product_list(request): ...

class ProductDetail(DetailView):
    model = object

class OrderViewSet(viewsets.ModelViewSet):
    queryset = None

@api_view(["POST"])
def orphan(request): ...

class BaseThing(viewsets.ModelViewSet):
    pass
""",
}


def test_django_urls_include_and_drf_router_reach_the_views() -> None:
    pr, app = _project(DJANGO)
    assert _rows(pr.routes) == [
        ("django", "", "/api/products/", "shop/views.py", 5, ()),
        ("django", "GET", "/api/products/<int:pk>/", "shop/views.py", 7,
         ("django.contrib.auth.decorators.login_required",)),
        ("drf", "DELETE|GET|PATCH|POST|PUT", "/api/orders/", "shop/views.py", 10, ()),
        ("drf", "POST", "", "shop/views.py", 14, ()),
    ]
    assert pr.urlconfs == ("proj/urls.py", "shop/urls.py")
    assert app == ("proj/urls.py", 4)


def test_prefixes_held_in_settings_and_development_only_includes() -> None:
    files = {
        "backend/app/core/config.py": """\
class Settings:
    API_V1_STR: str = "/api/v1"
    FASTAPI_ENV: str = "production"

settings = Settings()
""",
        "backend/app/main.py": """\
from fastapi import APIRouter, FastAPI

from app.api.routes import items, private
from app.core.config import settings

app = FastAPI(openapi_url=f"{settings.API_V1_STR}/openapi.json")
api_router = APIRouter()
api_router.include_router(items.router)
if settings.FASTAPI_ENV == "development":
    api_router.include_router(private.router)
app.include_router(api_router, prefix=settings.API_V1_STR)
app.include_router(items.router, prefix=settings.UNKNOWN, tags=["again"])
""",
        "backend/app/api/routes/items.py": """\
from fastapi import APIRouter

router = APIRouter(prefix="/items")

@router.get("/")
def listing(): ...
""",
        "backend/app/api/routes/private.py": """\
from fastapi import APIRouter

router = APIRouter(prefix="/private")

@router.post("/users/")
def create_user(): ...
""",
    }
    pr, _app = _project(files)
    assert [(r.describe(), r.dev_only) for r in pr.routes] == [
        ("GET /api/v1/items/", False),
        ("POST /api/v1/private/users/", True),
    ]


def test_path_helpers() -> None:
    assert _routes.join("/api/v1", "/users") == "/api/v1/users"
    assert _routes.join("/users", "/") == "/users/"
    assert _routes.join("", "users/") == "/users/"
    assert _routes.join("/users", "") == "/users"
    assert _routes.segments("^api/(?P<pk>[0-9]+)/$") == ["api", "(?P<pk>[0-9]+)"]
    assert [_routes.is_param(s) for s in ("{id}", "<int:id>", "(?P<pk>\\d+)", "users")] == [
        True, True, True, False,
    ]


def test_files_without_a_framework_have_no_routes() -> None:
    f = _parse("lib/cache.py", "class C:\n    def get(self, key): ...\n")
    assert _routes.routes(f) == ()
    celery = _parse("app/tasks.py", "from celery import shared_task\n@shared_task\ndef t(): ...\n")
    assert _routes.routes(celery) == ()


def test_serializers_are_not_views_and_regex_anchors_are_dropped() -> None:
    files = {
        "blog/urls.py": """\
from django.urls import include, re_path

from blog import views

urlpatterns = [re_path(r"^api/", include("blog.api_urls"))]
""",
        "blog/api_urls.py": """\
from django.urls import re_path

from blog import views

urlpatterns = [re_path(r"^posts/(?P<slug>[-\\\\w]+)/?$", views.PostView.as_view())]
""",
        "blog/views.py": """\
from rest_framework import generics, serializers

class PostSerializer(serializers.ModelSerializer):
    def create(self, validated_data): ...

class PostView(generics.RetrieveUpdateAPIView):
    serializer_class = PostSerializer
""",
    }
    pr, _app = _project(files)
    assert [(r.describe(), r.name) for r in pr.routes] == [
        ("GET|PATCH|PUT /api/posts/(?P<slug>[-\\\\w]+)/?", "PostView"),
    ]


def test_decorators_of_other_apps_are_not_routes_and_router_subclasses_are() -> None:
    files = {
        "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        "app/slack/bolt.py": "from slack_bolt import App\n\napp = App(token='x')\n",
        "app/slack/handlers.py": """\
from app.slack.bolt import app

@app.options("tag-select")
def tags(ack, payload: dict): ...
""",
        "app/routing.py": """\
from fastapi import APIRouter, Depends

from app.deps import get_admin

class AdminRouter(APIRouter):
    def __init__(self, prefix: str = "", **kwargs):
        super().__init__(prefix=prefix, dependencies=[Depends(get_admin)], **kwargs)
""",
        "app/admin.py": """\
from app.routing import AdminRouter

router = AdminRouter(prefix="/admin")

@router.post("/purge")
def purge(): ...
""",
    }
    pr, _app = _project(files)
    assert _rows(pr.routes) == [
        ("fastapi", "POST", "/admin/purge", "app/admin.py", 5, ("app.deps.get_admin",)),
    ]


def test_generated_chains_of_thousands_of_terms_do_not_break_discovery() -> None:
    terms = " + ".join("[path('a/', views.page)]" for _ in range(3000))
    files = {
        "site/urls.py": f"from django.urls import path\n\nfrom site import views\n\n"
                        f"urlpatterns = {terms}\n",
        "site/views.py": "def page(request): ...\n",
        "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n\n"
                       "@app.get('/' + " + " + ".join("'x'" for _ in range(3000)) + ")\n"
                       "def long_path(): ...\n",
    }
    pr, _app = _project(files)
    assert [(r.framework, r.file, r.line, len(r.path)) for r in pr.routes] == [
        ("fastapi", "app/main.py", 5, 3001),
        ("django", "site/views.py", 1, 3),
    ]
