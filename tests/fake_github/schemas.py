"""GitHub's own schemas, read from ``../shared/github``: REST request/response bodies and webhooks.

The REST description is OpenAPI 3.0, already dereferenced; ``openapi_to_jsonschema`` turns its
schema objects into JSON Schema (``nullable`` becomes a ``null`` type, OpenAPI-only keywords go).
The folder is optional: without it the fake runs with schema validation off and says so once.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import structlog

log = structlog.get_logger(__name__)

SHARED_DIR = Path(__file__).resolve().parents[2].parent / "shared"
GITHUB_DATA_DIR = SHARED_DIR / "github"
REST_API_FILE = GITHUB_DATA_DIR / "rest-api-subset.json"
WEBHOOKS_SCHEMA_FILE = GITHUB_DATA_DIR / "webhooks-schema.json"
WEBHOOK_EXAMPLES_DIR = GITHUB_DATA_DIR / "webhook-examples"

_COMPOSITES = ("allOf", "anyOf", "oneOf")
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions")
_SCHEMA_VALUES = ("items", "additionalProperties", "not")
_DROPPED = {
    "nullable",
    "example",
    "examples",
    "description",
    "deprecated",
    "readOnly",
    "writeOnly",
    "discriminator",
    "xml",
    "externalDocs",
    "title",
}


class SharedDataMissingError(FileNotFoundError):
    """``../shared/github`` (GitHub's schemas and example payloads) is not where it should be."""


def openapi_to_jsonschema(schema: Any) -> Any:
    """An OpenAPI 3.0 schema object as a JSON Schema (draft 4) document."""
    if isinstance(schema, list):
        return [openapi_to_jsonschema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: openapi_to_jsonschema(sub) for name, sub in value.items()}
        elif key in _SCHEMA_VALUES and isinstance(value, dict):
            out[key] = openapi_to_jsonschema(value)
        elif key in _COMPOSITES:
            out[key] = [openapi_to_jsonschema(sub) for sub in value]
        elif key in _DROPPED or key.startswith("x-"):
            continue
        else:
            out[key] = value
    if schema.get("nullable") is True:
        if any(key in out for key in _COMPOSITES):
            return {"anyOf": [out, {"type": "null"}]}
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


@dataclass(frozen=True)
class SchemaIssue:
    """One reason a request body does not match its schema."""

    field: str
    code: str
    message: str


def _field_name(path: Iterable[Any]) -> str:
    return ".".join(str(part) for part in path)


def _describe(error: jsonschema.ValidationError) -> SchemaIssue:
    where = _field_name(error.absolute_path)
    label = where or "body"
    validator, limit = error.validator, error.validator_value
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        name = f"{where}.{missing}" if where else missing
        return SchemaIssue(name, "missing_field", f'"{name}" wasn\'t supplied.')
    if validator == "maxLength":
        text = f"{label} is too long (maximum is {limit} characters)"
    elif validator == "maxItems":
        text = f"{label} has too many items (maximum is {limit})"
    elif validator == "enum":
        text = f"{label} is not one of {limit}"
    elif validator == "type":
        text = f"{label} is not of type {limit}"
    else:
        text = f"{label}: {error.message[:200]}"
    return SchemaIssue(where, "invalid", f"For '{label}', {text}.")


class ApiSchemas:
    """Request and response schemas of the operations in ``rest-api-subset.json``."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._paths: dict[str, Any] = document["paths"]

    @classmethod
    def load(cls, path: Path = REST_API_FILE) -> ApiSchemas | None:
        """The schemas, or ``None`` (with a warning) when the shared folder is absent."""
        if not path.is_file():
            log.warning("github schemas missing, validation off", path=str(path))
            return None
        return _load_api(path)

    def operation(self, method: str, path: str) -> dict[str, Any] | None:
        op = self._paths.get(path, {}).get(method.lower())
        return op if isinstance(op, dict) else None

    def docs_url(self, method: str, path: str) -> str | None:
        op = self.operation(method, path)
        return op.get("externalDocs", {}).get("url") if op else None

    @functools.cache  # noqa: B019  (one instance per loaded file, kept for the process)
    def _request_validator(self, method: str, path: str) -> jsonschema.Draft4Validator | None:
        op = self.operation(method, path)
        body = (op or {}).get("requestBody", {}).get("content", {}).get("application/json")
        if not body or "schema" not in body:
            return None
        return _validator(openapi_to_jsonschema(body["schema"]))

    @functools.cache  # noqa: B019
    def _response_validator(
        self, method: str, path: str, status: int
    ) -> jsonschema.Draft4Validator | None:
        op = self.operation(method, path)
        response = (op or {}).get("responses", {}).get(str(status))
        if not response:
            return None
        content = response.get("content", {})
        body = content.get("application/json") or next(iter(content.values()), None)
        if not body or "schema" not in body:
            return None
        return _validator(openapi_to_jsonschema(body["schema"]))

    def documents_status(self, method: str, path: str, status: int) -> bool:
        op = self.operation(method, path)
        return str(status) in (op or {}).get("responses", {})

    def check_request(self, method: str, path: str, body: Any) -> list[SchemaIssue]:
        """Why ``body`` is not a valid request body for the operation, if it is not."""
        validator = self._request_validator(method, path)
        if validator is None:
            return []
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        return [_describe(error) for error in errors]

    def check_response(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """Why ``body`` does not match the documented response schema, if it does not."""
        validator = self._response_validator(method, path, status)
        if validator is None:
            return []
        return [
            f"{_field_name(e.absolute_path) or 'body'}: {e.message[:300]}"
            for e in validator.iter_errors(body)
        ]


def _validator(schema: Any) -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


@functools.cache
def _load_api(path: Path) -> ApiSchemas:
    return ApiSchemas(json.loads(path.read_text()))


class WebhookSchemas:
    """The ``<event>$<action>`` definitions of ``webhooks-schema.json``."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._definitions: dict[str, Any] = document["definitions"]

    @classmethod
    def load(cls, path: Path = WEBHOOKS_SCHEMA_FILE) -> WebhookSchemas:
        if not path.is_file():
            raise SharedDataMissingError(
                f"GitHub's webhook schemas are missing: expected {path} "
                f"(the shared folder {SHARED_DIR} beside the project)"
            )
        return _load_webhooks(path)

    @functools.cache  # noqa: B019
    def _validator(self, name: str) -> jsonschema.Draft7Validator:
        if name not in self._definitions:
            raise KeyError(f"webhooks-schema.json has no definition {name!r}")
        return jsonschema.Draft7Validator(
            {"$ref": f"#/definitions/{name}", "definitions": self._definitions}
        )

    def check(self, event: str, action: str | None, payload: Any) -> list[str]:
        """Why ``payload`` is not one GitHub could send as ``event``/``action``, if it is not."""
        name = f"{event}${action or 'event'}"
        return [
            f"{_field_name(e.absolute_path) or 'payload'}: {e.message[:300]}"
            for e in self._validator(name).iter_errors(payload)
        ]


@functools.cache
def _load_webhooks(path: Path) -> WebhookSchemas:
    return WebhookSchemas(json.loads(path.read_text()))
