"""app.yml subscribes to exactly the events the routers handle, with least privilege."""

from pathlib import Path

import yaml

from bot.events import ROUTED_EVENTS, router

ALWAYS_SENT = {"installation", "installation_repositories"}  # GitHub sends these to every app
MANIFEST = Path(__file__).resolve().parents[1] / "app.yml"


def test_manifest_events_match_routers() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert set(manifest["default_events"]) == set(ROUTED_EVENTS) - ALWAYS_SENT
    routed = {event for event in router._shallow_routes} | {
        event for event in router._deep_routes
    }
    assert routed == set(ROUTED_EVENTS)


def test_manifest_permissions_are_least_privilege() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert manifest["default_permissions"] == {
        "checks": "write",
        "pull_requests": "write",
        "issues": "read",
        "contents": "read",
        "metadata": "read",
    }
    text = MANIFEST.read_text()
    for permission in manifest["default_permissions"]:
        line = next(line for line in text.splitlines() if line.strip().startswith(permission))
        assert "#" in line, f"permission {permission} has no one-line reason"
