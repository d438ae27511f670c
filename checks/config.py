"""Per-repository configuration, ``.github/archreview.yml``, read from the base branch.

Example::

    disable: [DOC-02, COMP-02]        # items never reported
    severity:                         # per-item severity overrides
      API-08: high
    exclude:                          # gitignore-style patterns of paths not reviewed
      - "vendor/"
      - "scripts/**/*.py"
    blocking:
      severity: high                  # findings at or above this severity can block
      scope: added-lines              # added-lines | changed-files | all
    comments:
      max_inline: 20                  # inline review comments per run, the rest go in the summary
    review:
      drafts: false                   # review draft pull requests
      full: false                     # run every domain, not only those the diff touches
    waivers:                          # long-lived waivers; each stops applying after expires
      - item: SEC-08
        paths: ["app/legacy/**"]      # optional gitignore patterns; without: the whole item
        reason: "reporting queries, parameters checked by the ORM layer"
        owner: alice                  # a user or an org/team slug
        expires: 2025-12-31           # YYYY-MM-DD, the last day it applies
    approvers:                        # per domain: who may waive and attest its items
      SEC: [acme/security, bob]       # users or org/team slugs
    allow_author_waivers: false       # may the PR author waive items on their own PR?

The file is validated against :data:`SCHEMA` (JSON Schema). An invalid file never stops a review:
:func:`load` returns the defaults plus :class:`ConfigError` values naming the key and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import jsonschema
import pathspec
import yaml

from checks import catalogue
from checks.model import Domain, Severity

CONFIG_PATH = ".github/archreview.yml"

_SEVERITIES = [s.label for s in Severity]
_ITEM_ID = {"type": "string", "pattern": r"^\s*[A-Za-z]+-\d{1,2}\s*$"}
# "x-message": what a pattern mismatch means, for the user (JSON Schema ignores the key).
_PRINCIPAL = {"type": "string", "pattern": r"^@?[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9._-]+)?$",
              "x-message": "{value!r} is not a GitHub login or an org/team slug"}
_TEXT = {"type": "string", "pattern": r"\S", "x-message": "must not be empty"}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\d$",
         "x-message": "{value!r} is not a date (YYYY-MM-DD)"}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "disable": {"type": "array", "items": _ITEM_ID},
        "severity": {
            "type": "object",
            "propertyNames": _ITEM_ID,
            "additionalProperties": {"enum": _SEVERITIES},
        },
        "exclude": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "blocking": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "severity": {"enum": _SEVERITIES},
                "scope": {"enum": ["added-lines", "changed-files", "all"]},
            },
        },
        "comments": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"max_inline": {"type": "integer", "minimum": 0, "maximum": 100}},
        },
        "review": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"drafts": {"type": "boolean"}, "full": {"type": "boolean"}},
        },
        "waivers": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["item", "reason", "owner", "expires"],
                "properties": {
                    "item": _ITEM_ID,
                    "paths": {"type": "array", "items": {"type": "string", "minLength": 1}},
                    "reason": _TEXT,
                    "owner": _PRINCIPAL,
                    "expires": _DATE,
                },
            },
        },
        "approvers": {
            "type": "object",
            "propertyNames": {"pattern": r"^[A-Za-z]+$"},
            "additionalProperties": {"type": "array", "minItems": 1, "items": _PRINCIPAL},
        },
        "allow_author_waivers": {"type": "boolean"},
    },
}


@dataclass(frozen=True, slots=True)
class ConfigError:
    """One problem in the config file: the key path (``blocking.scope``), the line (1-based, 0
    when unknown) and what is wrong."""

    key: str
    line: int
    message: str

    def __str__(self) -> str:
        return self.shown(CONFIG_PATH)

    def shown(self, path: str) -> str:
        """The problem as one line naming ``path``, the file it was read from."""
        where = f" (line {self.line})" if self.line else ""
        key = self.key or "(top level)"
        return f"{path}: {key}{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class WaiverRule:
    """One entry of ``waivers``: ``item_id`` (upper case) waived on ``paths`` (gitignore
    patterns; empty: everywhere) by ``owner`` (a login or ``org/team``, without ``@``) until
    ``expires`` (inclusive); ``line`` is the entry's line in the file."""

    item_id: str
    reason: str
    owner: str
    expires: date
    paths: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class Config:
    """The effective configuration (defaults where the file says nothing)."""

    disabled: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    block_severity: Severity = Severity.HIGH
    block_scope: str = "added-lines"
    max_inline_comments: int = 20
    review_drafts: bool = False
    full: bool = False
    waivers: tuple[WaiverRule, ...] = ()
    approvers: dict[Domain, tuple[str, ...]] = field(default_factory=dict)
    allow_author_waivers: bool = False

    def excluded(self, path: str) -> bool:
        """True when ``path`` matches one of the ``exclude`` patterns (gitignore semantics)."""
        return bool(self.exclude) and _spec(self.exclude).match_file(path)


_SPECS: dict[tuple[str, ...], pathspec.GitIgnoreSpec] = {}


def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    spec = _SPECS.get(patterns)
    if spec is None:
        spec = _SPECS[patterns] = pathspec.GitIgnoreSpec.from_lines(patterns)
    return spec


def load(text: str | bytes | None) -> tuple[Config, list[ConfigError]]:
    """Parse and validate the config file's text (None when the repository has none).

    Returns the effective config and the errors found; on any error the whole file is ignored
    and the defaults apply, so a typo never silently disables half the checks.
    """
    if text is None:
        return Config(), []
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if len(text) > MAX_CONFIG_CHARS:
        return Config(), [ConfigError("", 0, f"the file is over {MAX_CONFIG_CHARS:,} characters; "
                                             "a config this large is not read")]
    shape = _shape_problem(text)
    if shape is not None:
        return Config(), [shape]
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        return Config(), [ConfigError("", line, f"not valid YAML: {problem}")]
    if data is None:
        return Config(), []
    lines, duplicates = _key_lines(node)
    if duplicates:
        return Config(), duplicates
    errors = [
        ConfigError(".".join(str(p) for p in e.absolute_path),
                    _line_for(lines, tuple(e.absolute_path)), _message(e))
        for e in sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data),
                        key=lambda e: list(map(str, e.absolute_path)))
    ]
    if not errors:
        errors = _unknown_items(data, lines) + _bad_waivers(data, lines)
    if errors:
        return Config(), errors
    blocking = data.get("blocking", {})
    return Config(
        disabled=frozenset(catalogue.canonical(i) for i in data.get("disable", [])),
        severity={catalogue.canonical(k): Severity.parse(v)
                  for k, v in data.get("severity", {}).items()},
        exclude=tuple(data.get("exclude", [])),
        block_severity=Severity.parse(blocking.get("severity", "high")),
        block_scope=blocking.get("scope", "added-lines"),
        max_inline_comments=data.get("comments", {}).get("max_inline", 20),
        review_drafts=data.get("review", {}).get("drafts", False),
        full=data.get("review", {}).get("full", False),
        waivers=tuple(
            WaiverRule(
                item_id=catalogue.canonical(w["item"]),
                reason=w["reason"].strip(),
                owner=w["owner"].removeprefix("@"),
                expires=date.fromisoformat(w["expires"]),
                paths=tuple(w.get("paths", [])),
                line=_line_for(lines, ("waivers", i)),
            )
            for i, w in enumerate(data.get("waivers", []))
        ),
        approvers={
            Domain(k.upper()): tuple(p.removeprefix("@") for p in v)
            for k, v in data.get("approvers", {}).items()
        },
        allow_author_waivers=data.get("allow_author_waivers", False),
    ), []


class _Loader(yaml.SafeLoader):
    """The safe loader, except that dates stay text, for the schema to check: PyYAML would
    turn ``2025-12-31`` into a date the schema rejects, and raise on ``2025-02-30``."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _message(error: jsonschema.ValidationError) -> str:
    """The validator's message, with quoted values cut short: a config file's content is
    echoed into logs and check runs, and must not carry whole documents there."""
    template = error.schema.get("x-message") if isinstance(error.schema, dict) else None
    kind, expected = error.validator, error.validator_value
    if kind == "pattern" and isinstance(template, str):
        text = template.format(value=_short(error.instance))
    elif kind == "type":
        text = f"{_short(error.instance)!r} is not of type {expected!r}"
    elif kind == "enum" and isinstance(expected, list):
        text = f"{_short(error.instance)!r} is not one of {', '.join(map(str, expected))}"
    elif kind == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        extra = [_short(k) for k in error.instance if k not in known][:3]
        text = f"unknown key(s): {', '.join(map(repr, extra))}"
    else:
        shown = repr(error.instance)
        text = error.message.replace(shown, shown if len(shown) <= 40 else shown[:37] + "...")
    return text if len(text) <= 200 else text[:197] + "..."


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


MAX_CONFIG_CHARS = 64 * 1024
_MAX_DEPTH = 16


def _shape_problem(text: str) -> ConfigError | None:
    """Refuse what no config needs and a hostile file uses: anchors and aliases (a few hundred
    bytes of aliases expand to gigabytes) and deep nesting (recursion)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark is not None else 0
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return ConfigError("", line, "YAML anchors and aliases are not supported here")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _MAX_DEPTH:
                    return ConfigError("", line, f"nested more than {_MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # reported with its line by the full parse
    return None


def _unknown_items(data: dict[str, Any], lines: dict[tuple[Any, ...], int]) -> list[ConfigError]:
    errors = []
    for i, item_id in enumerate(data.get("disable", [])):
        if catalogue.find(item_id) is None:
            errors.append(ConfigError(f"disable.{i}", _line_for(lines, ("disable", i)),
                                      f"unknown checklist item {item_id!r}"))
    for item_id in data.get("severity", {}):
        if catalogue.find(item_id) is None:
            line = _line_for(lines, ("severity", item_id))
            errors.append(ConfigError(f"severity.{item_id}", line,
                                      f"unknown checklist item {item_id!r}"))
    return errors


def _bad_waivers(data: dict[str, Any], lines: dict[tuple[Any, ...], int]) -> list[ConfigError]:
    """What the schema cannot say: unknown items, impossible dates, unknown domains."""
    errors = []
    for i, waiver in enumerate(data.get("waivers", [])):
        if catalogue.find(waiver["item"]) is None:
            errors.append(ConfigError(f"waivers.{i}.item", _line_for(lines, ("waivers", i, "item")),
                                      f"unknown checklist item {waiver['item']!r}"))
        try:
            date.fromisoformat(waiver["expires"])
        except ValueError:
            errors.append(ConfigError(f"waivers.{i}.expires",
                                      _line_for(lines, ("waivers", i, "expires")),
                                      f"{waiver['expires']!r} is not a date (YYYY-MM-DD)"))
    domains = ", ".join(d.value for d in Domain)
    for key in data.get("approvers", {}):
        if key.upper() not in Domain.__members__:
            errors.append(ConfigError(f"approvers.{key}", _line_for(lines, ("approvers", key)),
                                      f"unknown domain {key!r} (expected one of {domains})"))
    return errors


def _key_lines(node: yaml.Node | None
               ) -> tuple[dict[tuple[Any, ...], int], list[ConfigError]]:
    """Map each key path (``("blocking", "scope")``, ``("disable", 0)``) to its 1-based line;
    and list keys given twice in one mapping (YAML loaders keep the last one silently)."""
    out: dict[tuple[Any, ...], int] = {}
    duplicates: list[ConfigError] = []

    def walk(n: yaml.Node, path: tuple[Any, ...]) -> None:
        out[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            seen: set[Any] = set()
            for k, v in n.value:
                key = (*path, k.value)
                if k.value in seen:
                    duplicates.append(ConfigError(".".join(map(str, key)), k.start_mark.line + 1,
                                                  "this key is given twice"))
                seen.add(k.value)
                out[key] = k.start_mark.line + 1
                walk(v, key)
                out[key] = k.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                walk(v, (*path, i))

    if node is not None:
        walk(node, ())
    return out, duplicates


def _line_for(lines: dict[tuple[Any, ...], int], path: tuple[Any, ...]) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 0)
