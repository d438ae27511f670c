"""API path that breaks REST naming conventions: verbs, mixed case, inconsistent styles.

## What it flags
Literal segments of API route paths (as written in the route decorator or ``path()``; pages that
render templates left out):

- a segment that starts with a CRUD verb (``/getUsers``, ``/create_user``, ``/users/delete``,
  ``/fetch-orders``): the HTTP method is the verb;
- a segment with upper-case letters (``/userProfiles``, ``/Orders``);
- within one project and framework, the minority style when both are used: trailing slash and no
  trailing slash (``/users/`` and ``/orders``), snake_case and kebab-case words
  (``/order_items`` and ``/line-items``);
- a resource addressed as both singular and plural, where the singular form takes an
  identifier (``/users`` and ``/user/{id}``).

Path parameters, version segments and file names are never judged. On a tie between two styles,
the trailing-slash and snake_case forms are reported.

## Why it matters
Predictable paths make an API guessable, keep generated clients and docs tidy, and avoid
redirect surprises (a trailing-slash mismatch costs a 307 redirect per call, or a 404 on a POST).
Verbs in paths mix RPC into REST and hide what the HTTP method already says.

## Example
```python
@router.post("/createUser")
def create_user(payload: UserIn): ...
```

## Use instead
```python
@router.post("/users", status_code=201)
def create_user(payload: UserIn): ...
```

## References
- Zalando RESTful API Guidelines, naming: https://opensource.zalando.com/restful-api-guidelines/#naming
- Google AIP-122, Resource names: https://google.aip.dev/122
- RFC 9110, Methods: https://www.rfc-editor.org/rfc/rfc9110#name-methods
"""

from __future__ import annotations

import re
from collections import Counter

from checks.detector import Detector, Project
from checks.detectors.api._routes import (
    Route,
    is_api_route,
    is_param,
    project_routes,
    segments,
)
from checks.detectors.api.unversioned_api import VERSION_SEGMENT, is_operational

_VERBS = frozenset({"get", "create", "update", "delete", "remove", "add", "fetch", "edit",
                    "modify", "insert", "retrieve", "save", "list", "put", "post", "patch",
                    "del", "upd", "getall", "deleteall"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_HINT = ("Name paths after resources: plural nouns, lower-case words joined one way "
         "(kebab-case or snake_case), no verbs (the HTTP method is the verb), one trailing-slash "
         "policy.")


def words(segment: str) -> list[str]:
    """``getUserById`` -> ``["get", "user", "by", "id"]``; ``create_user`` -> ``[...]``."""
    return [w.lower() for w in re.split(r"[-_.]+", _CAMEL.sub("_", segment)) if w]


def _judged(segment: str) -> bool:
    return bool(segment) and not is_param(segment) and not VERSION_SEGMENT.match(segment) and (
        "." not in segment) and not segment.startswith(("*", "^", "(", ":"))


def _plural(word: str) -> set[str]:
    out = {word + "s", word + "es"}
    if word.endswith("y"):
        out.add(word[:-1] + "ies")
    return out


class UnconventionalEndpointPath(Detector):
    """Flags API paths with verbs, mixed case or mixed styles (see module docstring)."""

    slug = "unconventional-endpoint-path"
    items = ("API-02",)

    def finish(self, project: Project) -> None:
        pr = project_routes(project)
        routes = [r for r in pr.routes if r.path_literal and is_api_route(r)
                  and not is_operational(r)]
        if not routes:
            self.not_applicable("API-02", "no API routes with a literal path")
            return
        problems: dict[int, list[str]] = {}
        for i, route in enumerate(routes):
            for seg in segments(route.path_literal):
                if not _judged(seg):
                    continue
                ws = words(seg)
                if ws and ws[0] in _VERBS:
                    problems.setdefault(i, []).append(f"verb in `{seg}`")
                if seg != seg.lower():
                    problems.setdefault(i, []).append(f"upper-case letters in `{seg}`")
        self._trailing_slash(routes, problems)
        self._word_separators(routes, problems)
        self._singular_plural(routes, problems)
        for i, found in sorted(problems.items()):
            route = routes[i]
            self.report("API-02", route.file, route.line,
                        f"{route.describe()}: {'; '.join(dict.fromkeys(found))}", _HINT,
                        end_line=route.def_line)
        if not problems:
            self.evidence("API-02", f"{len(routes)} API paths follow one naming style")

    def _trailing_slash(self, routes: list[Route], problems: dict[int, list[str]]) -> None:
        by_framework: dict[str, list[int]] = {}
        for i, r in enumerate(routes):
            if r.path_literal.strip("/^$"):
                by_framework.setdefault(r.framework, []).append(i)
        for indexes in by_framework.values():
            slash = [i for i in indexes if routes[i].path_literal.rstrip("$").endswith("/")]
            bare = [i for i in indexes if i not in slash]
            if slash and bare:
                minority, style, other = (slash, "a trailing slash", len(bare)) if (
                    len(slash) <= len(bare)) else (bare, "no trailing slash", len(slash))
                for i in minority:
                    problems.setdefault(i, []).append(
                        f"{style}, unlike {other} other paths")

    def _word_separators(self, routes: list[Route], problems: dict[int, list[str]]) -> None:
        snake: dict[int, str] = {}
        kebab: dict[int, str] = {}
        for i, r in enumerate(routes):
            for seg in segments(r.path_literal):
                if _judged(seg) and "_" in seg.strip("_"):
                    snake.setdefault(i, seg)
                if _judged(seg) and "-" in seg.strip("-"):
                    kebab.setdefault(i, seg)
        if snake and kebab:
            minority, style, other = (snake, "snake_case", "kebab-case") if (
                len(snake) <= len(kebab)) else (kebab, "kebab-case", "snake_case")
            for i, seg in minority.items():
                problems.setdefault(i, []).append(
                    f"{style} `{seg}` while other paths use {other}")

    def _singular_plural(self, routes: list[Route], problems: dict[int, list[str]]) -> None:
        seen: Counter[str] = Counter()
        for r in routes:
            for seg in segments(r.path_literal):
                if _judged(seg):
                    seen[seg.lower()] += 1
        for i, r in enumerate(routes):
            segs = segments(r.path_literal)
            for pos, seg in enumerate(segs[:-1]):
                word = seg.lower()
                if not _judged(seg) or not is_param(segs[pos + 1]):
                    continue
                plural = next((p for p in sorted(_plural(word)) if seen[p]), None)
                if plural is not None:
                    problems.setdefault(i, []).append(
                        f"singular `{seg}` with an identifier while other paths use `{plural}`")
