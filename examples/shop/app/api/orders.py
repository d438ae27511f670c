"""Order endpoints."""

from fastapi import APIRouter
from pydantic import BaseModel
import requests
from sqlalchemy import select, text

from app.db import Session
from app.settings import PAYMENTS_URL
from app.models import Order

router = APIRouter()


class OrderOut(BaseModel):
    """An order as the API returns it."""

    id: int
    status: str


@router.get("/orders/{order_id}", response_model=OrderOut)
def get_order(order_id: int) -> Order | None:
    """One order by ID."""
    with Session() as session:
        return session.get(Order, order_id)


@router.get("/orders", response_model=list[OrderOut])
def list_orders(limit: int = 50, offset: int = 0) -> list[Order]:
    """A page of orders."""
    with Session() as session:
        return list(session.scalars(select(Order).limit(limit).offset(offset)))


@router.get("/orders/search")
def search_orders(status: str) -> list[dict[str, object]]:
    """Orders whose status matches, newest first."""
    with Session() as session:
        rows = session.execute(
            text(f"SELECT id, status FROM orders WHERE status = '{status}' ORDER BY id DESC")
        )
        return [dict(row._mapping) for row in rows]


@router.post("/orders/{order_id}/refund")
def refund(order_id: int) -> dict[str, str]:
    """Ask the payment provider to refund an order."""
    reply = requests.post(f"{PAYMENTS_URL}/refunds", json={"order": order_id})
    reply.raise_for_status()
    return {"status": "refund requested"}
