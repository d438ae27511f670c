from checks.detectors.database.query_in_loop import QueryInLoop
from checks.model import Status
from tests.helpers import findings, found, run, status

DJANGO = """\
from django.db import models
from shop.models import Product, Order


def cart_total(cart):
    total = 0
    for item in cart.items:
        product = Product.objects.get(pk=item.product_id)
        if Order.objects.filter(product=product).exists():
            total += 1
    names = [Product.objects.filter(pk=i).first().name for i in cart.ids]
    return total, names


def batched(ids):
    for chunk in chunks(ids, 500):
        Product.objects.filter(pk__in=chunk)
    for attempt in range(3):
        Product.objects.count()
    for key in ("a", "b"):
        Product.objects.filter(kind=key).count()
    while True:
        Product.objects.first()
    for pid in ids:
        products = Product.objects.filter(pk__in=ids)
    for model in (Product, Order):
        model.objects.count()
    for MC in Metric.__subclasses__():
        MC.objects.get(slug="x")
    for p in products:
        Product.objects.filter(id=p.id).update(seen=True)
    return Product.objects.get(pk=1)
"""


def test_flags_django_queries_inside_loops_over_rows() -> None:
    report = run(QueryInLoop, {"shop/services.py": DJANGO})
    assert found(report) == [
        ("DB-08", "shop/services.py", 8),
        ("DB-08", "shop/services.py", 9),
        ("DB-08", "shop/services.py", 11),
    ]
    first = findings(report, "DB-08")[0]
    assert first.message == (
        "`Product.objects.get(...)` runs once per iteration of the loop over `cart.items` "
        "(line 7): one query per row"
    )
    assert status(report, "DB-08") is Status.WARN


SQLA = """\
from sqlalchemy import select
from sqlalchemy.orm import Session
from app.models import User


def load(session: Session, ids, request, cur, data):
    users = []
    for uid in ids:
        users.append(session.get(User, uid))
        session.execute(select(User).where(User.id == uid))
        request.session.get("cart")
        cur.execute("SELECT * FROM t WHERE id = %s", (uid,))
        data.get("key")
    for row in session.scalars(select(User).where(User.id.in_(ids))):
        cur.executemany("INSERT INTO t VALUES (%s)", [(row.id,)])
    return [User.query.filter_by(id=i).first() for i in ids]


async def fetch_all(conn, ids):
    return [await conn.fetchrow("SELECT * FROM t WHERE id = $1", i) for i in ids]
"""


def test_flags_sqlalchemy_dbapi_and_asyncpg_queries_in_loops() -> None:
    report = run(QueryInLoop, {"app/repo.py": SQLA})
    assert found(report) == [
        ("DB-08", "app/repo.py", 9),
        ("DB-08", "app/repo.py", 10),
        ("DB-08", "app/repo.py", 12),
        ("DB-08", "app/repo.py", 16),
        ("DB-08", "app/repo.py", 20),
    ]


def test_tests_scripts_and_commands_are_skipped() -> None:
    loop = "from shop.models import P\ndef f(ids):\n    for i in ids:\n        P.objects.get()\n"
    files = {
        "requirements.txt": "django\n",
        "tests/test_x.py": loop,
        "scripts/backfill.py": loop,
        "shop/management/commands/fix.py": loop,
        "shop/migrations/0002_data.py": loop,
    }
    report = run(QueryInLoop, files)
    assert found(report) == []
    assert status(report, "DB-08") is Status.PASS


def test_not_applicable_without_a_database() -> None:
    report = run(QueryInLoop, {"app/x.py": "def f(xs):\n    return [x for x in xs]\n"})
    assert status(report, "DB-08") is Status.NOT_APPLICABLE


def test_loops_over_model_classes_and_enums_are_not_rows() -> None:
    code = (
        "from sqlalchemy import select\n"
        "from app.enums import Status\n"
        "def union(session, model_classes, **kw):\n"
        "    for model_class in model_classes:\n"
        "        session.query(model_class.id.label('id'))\n"
        "        session.scalars(select(model_class))\n"
        "    for key, val in kw.items():\n"
        "        session.execute(select(Item).filter_by(**{key: val}))\n"
        "    for status in Status:\n"
        "        session.query(Item).filter(Item.status == status).count()\n"
        "    for item in session.scalars(select(Item)):\n"
        "        session.query(Tag).filter(Tag.item_id == item.id).all()\n"
    )
    report = run(QueryInLoop, {"app/search.py": code})
    assert found(report) == [("DB-08", "app/search.py", 12)]
    assert findings(report, "DB-08")[0].message.startswith(
        "`session.query(...).filter(...).all()` runs once per iteration of the loop over "
        "`session.scalars(select(Item))` (line 11)"
    )
