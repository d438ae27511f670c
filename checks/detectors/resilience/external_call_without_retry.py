"""Outbound HTTP call with no retry anywhere: one transient failure fails the whole operation.

## What it flags
Functions in service code that send HTTP requests (``requests``, ``httpx``, ``aiohttp``,
``urllib``; module functions and client methods) when the project shows no retry mechanism at
all: no retry library (tenacity, backoff, stamina, retrying, aiohttp-retry, httpx-retries...),
no ``urllib3`` ``Retry``/``HTTPAdapter(max_retries=...)``, no ``httpx.HTTPTransport(retries=)``,
no Celery ``autoretry_for``/``self.retry()``, no botocore ``Config(retries=...)``. One finding
per function, on its first such call. A function with a home-made retry decorator (a decorator
whose name says ``retry`` or ``backoff``) or whose call sits in a loop inside ``try`` (a
hand-written retry loop) is not flagged. Heuristic: a project may retry at another layer (a
service mesh, the message queue that redelivers).

## Why it matters
Networks drop packets, load balancers reset idle connections and dependencies return 502/503
while they deploy. Without a bounded retry with backoff, every such blip becomes a user-facing
error or a failed job (RES-01).

## Example
```python
def exchange_rate(currency):
    return requests.get(f"https://rates.example/{currency}", timeout=5).json()
```

## Use instead
```python
from tenacity import retry, stop_after_attempt, wait_exponential_jitter

@retry(stop=stop_after_attempt(3), wait=wait_exponential_jitter(max=5))
def exchange_rate(currency):
    return requests.get(f"https://rates.example/{currency}", timeout=5).json()
```
Retry only idempotent requests (or use idempotency keys), and keep the total time under the
caller's own timeout.

## References
- AWS Builders' Library, Timeouts, retries, and backoff with jitter: https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
- Tenacity: https://tenacity.readthedocs.io/
- urllib3 Retry: https://urllib3.readthedocs.io/en/stable/reference/urllib3.util.html#urllib3.util.Retry
- HTTPX transports, retries: https://www.python-httpx.org/advanced/transports/
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from checks import pyast
from checks.detector import Detector, FileContext, Project
from checks.detectors.resilience._outbound import (
    OUTBOUND_NAMES,
    Clients,
    clients,
    enclosing_name,
    is_service_file,
)
from checks.detectors.security._common import keyword_names

RETRY_LIBRARIES = ("tenacity", "backoff", "stamina", "retrying", "retry", "retry2", "opnieuw",
                   "aiohttp_retry", "aiohttp-retry", "httpx_retries", "httpx-retries",
                   "requests_retry", "retry_requests", "redo", "pyrate-limiter-retry")
"""Import or distribution names of retry libraries."""

_RETRY_CLASSES = frozenset({"urllib3.util.retry.Retry", "urllib3.util.Retry", "urllib3.Retry",
                            "requests.packages.urllib3.util.retry.Retry",
                            "requests.adapters.Retry", "google.api_core.retry.Retry",
                            "google.api_core.retry_async.AsyncRetry"})
_ADAPTERS = frozenset({"requests.adapters.HTTPAdapter", "requests.HTTPAdapter"})
_TRANSPORTS = frozenset({"httpx.HTTPTransport", "httpx.AsyncHTTPTransport"})
_RETRY_WORDS = ("retry", "retries", "backoff")
_RETRY_CALLS = frozenset(
    {*(n.rsplit(".", 1)[-1] for n in _RETRY_CLASSES | _ADAPTERS | _TRANSPORTS), "retry"})
"""Last names of the calls that set up retries by what they call (``Retry(...)``,
``HTTPAdapter(max_retries=...)``, ``self.retry()``)."""
_ANY_NAME_KEYWORDS = frozenset({"autoretry_for", "retries"})
"""Keywords that make a call of any name a retry mechanism (``@app.task(autoretry_for=...)``,
a botocore ``...Config(retries=...)``): such calls are looked for in ``end_file``."""

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, slots=True)
class _Call:
    path: str
    line: int
    end_line: int
    where: str
    name: str


class ExternalCallWithoutRetry(Detector):
    """Flags outbound calls in a project with no retry mechanism (see module docstring)."""

    slug = "external-call-without-retry"
    items = ("RES-01",)

    calls = OUTBOUND_NAMES | _RETRY_CALLS

    def __init__(self) -> None:
        super().__init__()
        self._calls: list[_Call] = []
        self._flagged_functions: set[tuple[str, int]] = set()
        self._mechanism: str | None = None
        self._file_mechanism: tuple[ast.Call, str] | None = None
        self._clients: Clients | None = None
        self._total = 0

    def start_file(self, ctx: FileContext) -> bool:
        self._clients = clients(ctx.file) if is_service_file(ctx.file) else None
        self._file_mechanism = None
        return self._clients is not None

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._clients is None:
            return
        if self._mechanism is None and self._file_mechanism is None:
            found = self._retry_mechanism(node, ctx)
            if found is not None:
                self._file_mechanism = (node, found)
        out = self._clients.outbound(node)
        if out is None:
            return
        self._total += 1
        fn = next((f for f in reversed(ctx.functions) if not isinstance(f, ast.Lambda)), None)
        key = (ctx.path, id(fn) if fn is not None else 0)
        if key in self._flagged_functions:
            return
        if fn is not None and (_retry_decorated(fn) or _in_retry_loop(fn, node)):
            self._flagged_functions.add(key)
            return
        if fn is None and ctx.in_loop:
            return
        self._flagged_functions.add(key)
        self._calls.append(_Call(ctx.path, node.lineno, node.end_lineno or node.lineno,
                                 enclosing_name(ctx.functions, ctx.classes), out.name))

    def end_file(self, ctx: FileContext) -> None:
        """The file's first retry mechanism in source order becomes the project's, if none was
        found before. ``visit_Call`` sees only the calls of :data:`_RETRY_CALLS` (and outbound
        ones); a call of any other name counts only through :data:`_ANY_NAME_KEYWORDS`, so when
        the file passes one of those keywords, the calls before the one found (all of them
        when none was) are searched for them here."""
        found, self._file_mechanism = self._file_mechanism, None
        if self._mechanism is not None:
            return
        f = ctx.file
        if not _ANY_NAME_KEYWORDS.isdisjoint(keyword_names(f)):
            for call in f.nodes(ast.Call):
                if found is not None and call is found[0]:
                    break
                if any(kw.arg in _ANY_NAME_KEYWORDS for kw in call.keywords):
                    where = self._retry_mechanism(call, ctx)
                    if where is not None:
                        found = (call, where)
                        break
        if found is not None:
            self._mechanism = found[1]

    def _retry_mechanism(self, node: ast.Call, ctx: FileContext) -> str | None:
        """The retry mechanism ``node`` sets up, described with its place, or None."""
        name = pyast.call_name(node, ctx.file) or ""
        where = f"{ctx.path}:{node.lineno}"
        if name in _RETRY_CLASSES:
            return f"`{name}` at {where}"
        if name in _ADAPTERS and pyast.keyword(node, "max_retries") is not None:
            return f"`HTTPAdapter(max_retries=...)` at {where}"
        if name in _TRANSPORTS and pyast.keyword(node, "retries") is not None:
            return f"`{name}(retries=...)` at {where}"
        if pyast.keyword(node, "autoretry_for") is not None:
            return f"Celery `autoretry_for` at {where}"
        if name.endswith("Config") and pyast.keyword(node, "retries") is not None:
            return f"botocore `Config(retries=...)` at {where}"
        if (isinstance(node.func, ast.Attribute) and node.func.attr == "retry"
                and pyast.dotted(node.func.value) == "self" and ctx.file.imports_module("celery")):
            return f"Celery `self.retry()` at {where}"
        return None

    def finish(self, project: Project) -> None:
        if not self._total:
            self.not_applicable("RES-01", "no outbound HTTP calls in service code")
            return
        library = next((n for n in RETRY_LIBRARIES if project.uses(n)), None)
        if library is not None:
            self.evidence("RES-01", f"retry library `{library}` is used or declared")
            return
        if self._mechanism is not None:
            self.evidence("RES-01", f"retries configured: {self._mechanism}")
            return
        for c in self._calls:
            self.report(
                "RES-01", c.path, c.line,
                f"{c.where} calls `{c.name}()` and nothing retries it: the project has no "
                "retry library, retrying adapter or transport",
                "Retry idempotent calls a bounded number of times with exponential backoff and "
                "jitter (tenacity's @retry, or HTTPAdapter(max_retries=urllib3.Retry(...)) / "
                "httpx.HTTPTransport(retries=...)).",
                end_line=c.end_line,
            )
        if not self._calls:
            self.evidence("RES-01", "every outbound call sits in a retry loop or a function "
                          "with a retry decorator")


def _retry_decorated(fn: FunctionNode) -> bool:
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        name = (pyast.dotted(target) or "").lower()
        if any(w in name for w in _RETRY_WORDS):
            return True
    return False


def _in_retry_loop(fn: FunctionNode, call: ast.Call) -> bool:
    """True when ``call`` is inside a ``try`` inside a ``for``/``while`` loop of ``fn``."""
    for loop in ast.walk(fn):
        if not isinstance(loop, ast.For | ast.AsyncFor | ast.While):
            continue
        for inner in ast.walk(loop):
            if isinstance(inner, ast.Try | ast.TryStar) and any(
                call is n for stmt in inner.body for n in ast.walk(stmt)
            ):
                return True
    return False
