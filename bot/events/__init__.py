"""Webhook event handlers, one module per event family, each with its own gidgethub ``Router``;
:data:`router` combines them (the bedevere model)."""

from __future__ import annotations

from typing import Any

import structlog
from gidgethub import routing, sansio

from bot.events import checks, comments, installation, pull_request

log = structlog.get_logger(__name__)

router = routing.Router(pull_request.router, checks.router, comments.router,
                        installation.router)

#: Event -> actions routed; ``app.yml`` must subscribe to exactly these events.
ROUTED_EVENTS: dict[str, tuple[str, ...]] = {
    **pull_request.ROUTED,
    **checks.ROUTED,
    **comments.ROUTED,
    **installation.ROUTED,
}


async def dispatch(event: sansio.Event, **context: Any) -> int:
    """Call every handler registered for ``event``; one that raises is logged and the others
    still run (gidgethub's own dispatch stops at the first error). Returns how many ran."""
    ran = 0
    for handler in router.fetch(event):
        ran += 1
        try:
            await handler(event, **context)
        except Exception:
            log.exception("handler failed", handler=handler.__qualname__)
    return ran
