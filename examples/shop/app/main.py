"""The ASGI application."""

from fastapi import FastAPI

from app.api import orders

app = FastAPI(title="shop")
app.include_router(orders.router, prefix="/v1")


@app.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness probe."""
    return {"status": "ok"}
