from checks.detectors.database.lazy_relation_in_loop import LazyRelationInLoop
from checks.model import Status
from tests.helpers import findings, found, run, status

MODELS = """\
from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=50)


class Tag(models.Model):
    label = models.CharField(max_length=20)


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    tags = models.ManyToManyField(Tag)
    paid = models.BooleanField()


class Line(models.Model):
    order = models.ForeignKey("shop.Order", on_delete=models.CASCADE)
"""

VIEWS = """\
from shop.models import Customer, Order


def report(request):
    rows = []
    for order in Order.objects.filter(paid=True):
        rows.append((order.customer.name, order.customer_id, order.tags.all()))
        rows.append(order.line_set.count())
        rows.append(order.customer)
    qs = Order.objects.all()
    qs = qs.filter(paid=False)
    for o in qs:
        rows.append(o.customer.name)
    for c in Customer.objects.all():
        rows.append([o.id for o in c.orders.all()])
    return rows + [o.customer.name for o in Order.objects.filter(paid=True)]


def fine(request):
    rows = []
    for order in Order.objects.filter(paid=True).select_related("customer"):
        rows.append(order.customer.name)
    qs = Order.objects.prefetch_related("tags")
    for o in qs:
        rows.append(o.tags.all())
    for c in Customer.objects.values("name"):
        rows.append(c)
    for order in Order.objects.all():
        order.customer = None
        rows.append(order.tags)
    return rows
"""


def test_flags_relations_read_per_row_without_select_or_prefetch_related() -> None:
    report = run(LazyRelationInLoop, {"shop/models.py": MODELS, "shop/views.py": VIEWS})
    assert found(report) == [
        ("DB-08", "shop/views.py", 7),
        ("DB-08", "shop/views.py", 7),
        ("DB-08", "shop/views.py", 8),
        ("DB-08", "shop/views.py", 13),
        ("DB-08", "shop/views.py", 15),
        ("DB-08", "shop/views.py", 16),
    ]
    messages = sorted(f.message for f in findings(report, "DB-08"))
    assert messages[0] == (
        "`c.orders` loads a related set once per row of `Customer.objects.all()` (line 14): "
        "N+1 queries"
    )
    assert status(report, "DB-08") is Status.WARN


def test_custom_manager_that_selects_related_is_trusted() -> None:
    models = MODELS.replace(
        "    paid = models.BooleanField()\n",
        "    paid = models.BooleanField()\n    objects = OrderManager()\n",
    ).replace(
        "class Order(models.Model):",
        "class OrderManager(models.Manager):\n"
        "    def get_queryset(self):\n"
        "        return super().get_queryset().select_related('customer')\n\n\n"
        "class Order(models.Model):",
    )
    views = (
        "from shop.models import Order\n"
        "def f(request):\n"
        "    return [o.customer.name for o in []] + [\n"
        "        x for order in Order.objects.all() for x in [order.customer.name]]\n"
        "def g(request):\n"
        "    for order in Order.objects.all():\n"
        "        print(order.customer.name)\n"
    )
    report = run(LazyRelationInLoop, {"shop/models.py": models, "shop/views.py": views})
    assert found(report) == []
    plain = run(LazyRelationInLoop, {"shop/models.py": MODELS, "shop/views.py": views})
    assert found(plain) == [("DB-08", "shop/views.py", 4), ("DB-08", "shop/views.py", 7)]


SA_MODELS = """\
from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    addresses: Mapped[list["Address"]] = relationship(back_populates="user")
    roles: Mapped[list["Role"]] = relationship(lazy="selectin")


class Address(Base):
    __tablename__ = "address"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    user: Mapped["User"] = relationship(back_populates="addresses")
"""

SA_SERVICE = """\
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from app.models import User, Address


def emails(session):
    out = []
    for user in session.scalars(select(User).where(User.id > 3)):
        out.extend(a.email for a in user.addresses)
        out.extend(user.roles)
    for user in session.scalars(select(User).options(selectinload(User.addresses))):
        out.extend(user.addresses)
    for address in session.query(Address).all():
        out.append(address.user.name)
    for row in session.execute(select(User)).scalars().all():
        out.append(row.addresses)
    return out
"""


def test_flags_lazy_sqlalchemy_relationships_read_per_row() -> None:
    report = run(LazyRelationInLoop, {"app/models.py": SA_MODELS, "app/service.py": SA_SERVICE})
    assert found(report) == [
        ("DB-08", "app/service.py", 9),
        ("DB-08", "app/service.py", 14),
        ("DB-08", "app/service.py", 16),
    ]
    first = findings(report, "DB-08")[0]
    assert "selectinload(User.addresses)" in first.hint
    assert first.message == (
        "`user.addresses` lazy-loads its relationship once per row of "
        "`session.scalars(select(User).where(User.id > 3))` (line 8): N+1 queries"
    )


def test_not_applicable_without_a_database() -> None:
    report = run(LazyRelationInLoop, {"app/x.py": "def f(xs):\n    return xs\n"})
    assert status(report, "DB-08") is Status.NOT_APPLICABLE
    report = run(LazyRelationInLoop, {"app/x.py": "import asyncpg\n"})
    assert status(report, "DB-08") is Status.PASS
