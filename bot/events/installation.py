"""``installation`` and ``installation_repositories`` events: logged, nothing else to do (the
app keeps no state per installation)."""

from __future__ import annotations

from typing import Any

import structlog
from gidgethub import routing, sansio

log = structlog.get_logger(__name__)
router = routing.Router()

ROUTED = {
    "installation": ("created", "deleted", "suspend", "unsuspend", "new_permissions_accepted"),
    "installation_repositories": ("added", "removed"),
}


@router.register("installation")
async def on_installation(event: sansio.Event, **_: Any) -> None:
    """Log installs, uninstalls and suspensions."""
    data = event.data
    log.info("installation changed", action=data.get("action"),
             installation_id=(data.get("installation") or {}).get("id"),
             account=((data.get("installation") or {}).get("account") or {}).get("login"))


@router.register("installation_repositories")
async def on_installation_repositories(event: sansio.Event, **_: Any) -> None:
    """Log repositories added to or removed from an installation."""
    data = event.data
    log.info("installation repositories changed", action=data.get("action"),
             added=[r.get("full_name") for r in data.get("repositories_added") or []],
             removed=[r.get("full_name") for r in data.get("repositories_removed") or []])
