from checks.detectors.api.unpaginated_list_endpoint import UnpaginatedListEndpoint
from checks.model import Status
from tests.helpers import findings, found, run, status

FASTAPI = """\
from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from app.db import get_session
from app.models import Order, User
from app.schemas import OrderOut, UserOut

router = APIRouter(prefix="/api")

@router.get("/orders", response_model=list[OrderOut])
def list_orders(session=Depends(get_session)):
    return session.scalars(select(Order)).all()

@router.get("/users")
async def list_users(session=Depends(get_session)):
    result = await session.execute(select(User))
    users = result.scalars().all()
    return [UserOut.model_validate(u) for u in users]

@router.get("/orders/recent", response_model=list[OrderOut])
def recent(session=Depends(get_session)):
    return session.scalars(select(Order).order_by(Order.id.desc()).limit(20)).all()

@router.get("/orders/paged", response_model=list[OrderOut])
def paged(limit: int = Query(50, le=200), offset: int = 0, session=Depends(get_session)):
    return session.scalars(select(Order).limit(limit).offset(offset)).all()

@router.get("/reports", response_model=list[OrderOut])
def reports(session=Depends(get_session)):
    return load_reports(session)

@router.get("/currencies", response_model=list[str])
def currencies():
    return ["EUR", "USD"]

@router.get("/orders/{order_id}", response_model=OrderOut)
def one(order_id: int, session=Depends(get_session)):
    return session.get(Order, order_id)

@router.post("/orders/import")
def import_orders(session=Depends(get_session)):
    return session.query(Order).all()

@router.get("/orders/export")
def export_orders(session=Depends(get_session)):
    return session.query(Order).all()

@router.get("/orders/by-ids", response_model=list[OrderOut])
def by_ids(ids: list[int] = Query(...), session=Depends(get_session)):
    return load_orders(session, ids)

@router.get("/orders/{order_id}/lines", response_model=list[OrderOut])
def lines(order_id: int, session=Depends(get_session)):
    return load_lines(session, order_id)
"""

FLASK = """\
from flask import Blueprint, jsonify, request

from app.models import Post

bp = Blueprint("posts", __name__)

@bp.route("/posts")
def posts():
    return jsonify([p.to_dict() for p in Post.query.all()])

@bp.route("/posts/paged")
def paged_posts():
    page = request.args.get("page", 1, type=int)
    return jsonify([p.to_dict() for p in Post.query.paginate(page=page).items])

@bp.route("/posts/html")
def html_posts():
    return render_template("posts.html", posts=Post.query.all())
"""


def test_flags_handlers_returning_unbounded_queries() -> None:
    report = run(UnpaginatedListEndpoint, {"app/api/orders.py": FASTAPI,
                                           "app/web/posts.py": FLASK})
    assert found(report) == [
        ("API-08", "app/api/orders.py", 12),
        ("API-08", "app/api/orders.py", 18),
        ("API-08", "app/api/orders.py", 28),
        ("API-08", "app/web/posts.py", 9),
    ]
    messages = {f.start_line: f.message for f in findings(report, "API-08")}
    assert messages[12].startswith(
        "GET /api/orders returns every row: `session.scalars(select(Order)).all()` has no limit")
    assert messages[28].startswith("GET /api/reports declares `response_model=list[OrderOut]`")
    assert status(report, "API-08") is Status.WARN


DRF_VIEWS = """\
from rest_framework import generics, viewsets

from shop.models import Product
from shop.serializers import ProductSerializer
from shop.pagination import StandardPagination

class ProductList(generics.ListCreateAPIView):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer

class ProductViewSet(viewsets.ModelViewSet):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer
    pagination_class = StandardPagination

class ProductDetail(generics.RetrieveAPIView):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer

class TagsView(generics.GenericAPIView):
    def get(self, request):
        return Response(TagSerializer(Tag.objects.filter(active=True), many=True).data)
"""


def test_drf_list_views_without_pagination() -> None:
    report = run(UnpaginatedListEndpoint, {"shop/views.py": DRF_VIEWS})
    assert found(report) == [("API-08", "shop/views.py", 7), ("API-08", "shop/views.py", 22)]


def test_drf_default_pagination_covers_generic_views() -> None:
    files = {
        "shop/views.py": DRF_VIEWS,
        "config/settings.py": 'REST_FRAMEWORK = {\n    "DEFAULT_PAGINATION_CLASS": '
                              '"rest_framework.pagination.PageNumberPagination",\n'
                              '    "PAGE_SIZE": 50,\n}\n',
    }
    report = run(UnpaginatedListEndpoint, files)
    assert found(report) == [("API-08", "shop/views.py", 22)]
    assert report.result("API-08").evidence == [
        "DRF DEFAULT_PAGINATION_CLASS set at config/settings.py:2"]


def test_not_applicable_without_endpoints() -> None:
    report = run(UnpaginatedListEndpoint, {"lib/core.py": "def f():\n    return 1\n"})
    assert status(report, "API-08") is Status.NOT_APPLICABLE
