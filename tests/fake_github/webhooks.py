"""Signed webhook deliveries built from GitHub's real example payloads.

``webhook("pull_request", "opened", secret=..., repo="octo/svc", number=7, head_sha=...)`` loads
``../shared/github/webhook-examples/pull_request/opened.payload.json``, moves it to the scenario
(repository, installation, numbers, SHAs, refs, sender), applies ``overrides`` (deep-merged by
top-level key), checks the result against ``webhooks-schema.json`` (``pull_request$opened``) so
it stays a payload GitHub could send, and signs the exact body bytes.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import re
import sys
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tests.fake_github.schemas import (
    SHARED_DIR,
    WEBHOOK_EXAMPLES_DIR,
    SharedDataMissingError,
    WebhookSchemas,
)

Json = dict[str, Any]
HOOKSHOT_AGENT = "GitHub-Hookshot/a1b2c3d"


class _Remove:
    """Marker: an override value that deletes the key."""

    def __repr__(self) -> str:
        return "REMOVE"


REMOVE: Any = _Remove()


def _missing_shared(what: Path) -> None:
    message = (
        f"GitHub's example payloads are missing: {what} does not exist. Webhook tests need the "
        f"shared reference folder {SHARED_DIR} next to the project (see its github/README.md)."
    )
    if "pytest" in sys.modules:
        import pytest

        pytest.skip(message)
    raise SharedDataMissingError(message)


def example_path(event: str, action: str | None, variant: str | None = None) -> Path:
    """``<event>/<action>.payload.json`` (or ``<action>.<variant>.payload.json``)."""
    stem = action or ""
    if variant:
        stem = f"{stem}.{variant}" if stem else variant
    name = f"{stem}.payload.json" if stem else "payload.json"
    return WEBHOOK_EXAMPLES_DIR / event / name


def load_example(event: str, action: str | None, variant: str | None = None) -> Json:
    """GitHub's example payload for ``event``/``action`` (skips the test when it is absent)."""
    path = example_path(event, action, variant)
    if not WEBHOOK_EXAMPLES_DIR.is_dir():
        _missing_shared(WEBHOOK_EXAMPLES_DIR)
    if not path.is_file():
        available = sorted(p.name for p in (WEBHOOK_EXAMPLES_DIR / event).glob("*.json"))
        raise FileNotFoundError(f"no example payload {path}; {event}/ holds {available}")
    payload: Json = json.loads(path.read_text())
    return payload


def sign(body: bytes, secret: str) -> str:
    """``X-Hub-Signature-256``: ``sha256=`` and the HMAC-SHA256 of the exact body bytes."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deep_merge(target: Json, overrides: Mapping[str, Any], *, existing_only: bool = False) -> None:
    """Merge ``overrides`` into ``target``: dicts recursively, ``REMOVE`` deletes a key.

    ``existing_only`` skips keys ``target`` does not have, so a rendered object cannot add
    fields an example (and its strict schema) does not know.
    """
    for key, value in overrides.items():
        if value is REMOVE:
            target.pop(key, None)
        elif existing_only and key not in target:
            continue
        elif isinstance(value, Mapping) and isinstance(target.get(key), dict):
            deep_merge(target[key], value, existing_only=existing_only)
        else:
            target[key] = copy.deepcopy(value)


def _map_strings(node: Any, change: Callable[[str], str]) -> Any:
    if isinstance(node, str):
        return change(node)
    if isinstance(node, list):
        return [_map_strings(item, change) for item in node]
    if isinstance(node, dict):
        return {key: _map_strings(value, change) for key, value in node.items()}
    return node


def _replace(payload: Json, old: str, new: str) -> Json:
    if not old or old == new:
        return payload
    result: Json = _map_strings(payload, lambda s: s.replace(old, new))
    return result


def _walk_dicts(node: Any) -> list[Json]:
    found: list[Json] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += _walk_dicts(value)
    elif isinstance(node, list):
        for item in node:
            found += _walk_dicts(item)
    return found


def _move_repo(payload: Json, repo: str, repo_id: int | None) -> Json:
    current = payload.get("repository") or {}
    old = current.get("full_name")
    if not old:
        return payload
    owner, name = repo.split("/", 1)
    pattern = re.compile(rf"(?<![\w.-]){re.escape(old)}(?![\w-])")
    payload = _map_strings(payload, lambda s: pattern.sub(repo, s))
    for obj in _walk_dicts(payload):
        if obj.get("full_name") == repo:
            obj["name"] = name
            if isinstance(obj.get("owner"), dict):
                obj["owner"]["login"] = owner
    if repo_id is not None:
        payload["repository"]["id"] = repo_id
    return payload


def _move_number(payload: Json, number: int) -> Json:
    item = payload.get("pull_request") or payload.get("issue")
    if not isinstance(item, dict) or "number" not in item:
        return payload
    old = item["number"]
    pattern = re.compile(rf"/(pulls|pull|issues)/{old}(?=\D|$)")
    payload = _map_strings(payload, lambda s: pattern.sub(rf"/\g<1>/{number}", s))
    for key in ("pull_request", "issue"):
        if isinstance(payload.get(key), dict):
            payload[key]["number"] = number
    if "number" in payload:
        payload["number"] = number
    return payload


def _old_head_sha(payload: Json) -> str | None:
    for key in ("pull_request", "check_run", "check_suite"):
        item = payload.get(key)
        if not isinstance(item, dict):
            continue
        head = item.get("head")
        if isinstance(head, dict) and head.get("sha"):
            return str(head["sha"])
        if item.get("head_sha"):
            return str(item["head_sha"])
    return None


def _set_refs(payload: Json, head_ref: str | None, base_ref: str | None) -> None:
    pull = payload.get("pull_request")
    if isinstance(pull, dict):
        for side, ref in (("head", head_ref), ("base", base_ref)):
            branch = pull.get(side)
            if ref is not None and isinstance(branch, dict):
                branch["ref"] = ref
                owner = str(branch.get("label", ":")).split(":", 1)[0]
                branch["label"] = f"{owner}:{ref}"
    suite = payload.get("check_suite") or (payload.get("check_run") or {}).get("check_suite")
    if head_ref is not None and isinstance(suite, dict) and "head_branch" in suite:
        suite["head_branch"] = head_ref


def _set_sender(payload: Json, sender: str) -> None:
    current = payload.get("sender")
    if not isinstance(current, dict):
        return
    old = current.get("login", "")
    updated = _replace(current, f"/{old}", f"/{sender}")
    updated["login"] = sender
    updated["type"] = "Bot" if sender.endswith("[bot]") else "User"
    payload["sender"] = updated


def build_payload(
    event: str,
    action: str | None = None,
    *,
    variant: str | None = None,
    repo: str | None = None,
    repo_id: int | None = None,
    installation_id: int | None = None,
    number: int | None = None,
    head_sha: str | None = None,
    base_sha: str | None = None,
    head_ref: str | None = None,
    base_ref: str | None = None,
    sender: str | None = None,
    **overrides: Any,
) -> Json:
    """The example payload moved to the scenario, with ``overrides`` merged in (not validated)."""
    payload = load_example(event, action, variant)
    if repo is not None:
        payload = _move_repo(payload, repo, repo_id)
    if installation_id is not None:
        if event in ("installation", "installation_repositories"):
            old = payload["installation"]["id"]
            payload = _replace(
                payload, f"/installations/{old}", f"/installations/{installation_id}"
            )
            payload["installation"]["id"] = installation_id
        else:
            payload["installation"] = {
                "id": installation_id,
                "node_id": f"MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u{installation_id}",
            }
    if number is not None:
        payload = _move_number(payload, number)
    old_head = _old_head_sha(payload)
    if head_sha is not None and old_head:
        payload = _replace(payload, old_head, head_sha)
    pull = payload.get("pull_request")
    if base_sha is not None and isinstance(pull, dict):
        payload = _replace(payload, pull["base"]["sha"], base_sha)
    _set_refs(payload, head_ref, base_ref)
    if sender is not None:
        _set_sender(payload, sender)
    deep_merge(payload, overrides)
    return payload


def validate_payload(event: str, action: str | None, payload: Json) -> None:
    """Raise ``ValueError`` listing why GitHub could not have sent ``payload``."""
    problems = WebhookSchemas.load().check(event, action, payload)
    if problems:
        listed = "\n  ".join(problems[:20])
        raise ValueError(f"{event}.{action} payload does not match GitHub's schema:\n  {listed}")


def delivery_headers(
    event: str,
    body: bytes,
    secret: str,
    *,
    delivery: str | None = None,
    app_id: int | None = None,
) -> dict[str, str]:
    """The headers GitHub sends with a delivery of ``body``."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": HOOKSHOT_AGENT,
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-Hub-Signature": "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest(),
        "X-Hub-Signature-256": sign(body, secret),
    }
    if app_id is not None:
        headers["X-GitHub-Hook-Installation-Target-Type"] = "integration"
        headers["X-GitHub-Hook-Installation-Target-ID"] = str(app_id)
    return headers


def webhook(
    event: str,
    action: str | None = None,
    *,
    secret: str,
    delivery: str | None = None,
    app_id: int | None = None,
    validate: bool = True,
    **scenario: Any,
) -> tuple[dict[str, str], bytes]:
    """``(headers, body)`` of a signed delivery; ``scenario`` goes to ``build_payload``.

    ``delivery`` reuses an ``X-GitHub-Delivery`` id (GitHub's manual redelivery does);
    ``validate=False`` lets a test send a payload GitHub would not (a negative test).
    """
    payload = build_payload(event, action, **scenario)
    if validate:
        validate_payload(event, action, payload)
    body = json.dumps(payload, separators=(",", ":")).encode()
    return delivery_headers(event, body, secret, delivery=delivery, app_id=app_id), body
