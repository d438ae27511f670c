"""External services called with no circuit breaker anywhere in the project.

## What it flags
A project whose service code sends outbound HTTP requests (``requests``, ``httpx``,
``aiohttp``, ``urllib``) but neither imports nor declares a circuit breaker library (pybreaker,
aiobreaker, circuitbreaker, purgatory, pycircuitbreaker, breakers). One low-severity finding, on
the first outbound call. Heuristic: a breaker may live outside the code (a service mesh such as
Istio or Linkerd, an API gateway), which a reviewer can attest.

## Why it matters
When a dependency is down or slow, every request still waits for its timeout and retries pile
on, tying up workers until the whole service degrades. A circuit breaker fails fast after
repeated failures and probes the dependency again later, containing the outage (RES-02).

## Example
```python
def score(applicant):
    return requests.post(SCORING_URL, json=applicant, timeout=3).json()
```

## Use instead
```python
import pybreaker

scoring_breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)

@scoring_breaker
def score(applicant):
    return requests.post(SCORING_URL, json=applicant, timeout=3).json()
```

## References
- Martin Fowler, CircuitBreaker: https://martinfowler.com/bliki/CircuitBreaker.html
- Microsoft Azure Architecture Center, Circuit Breaker pattern: https://learn.microsoft.com/en-us/azure/architecture/patterns/circuit-breaker
- pybreaker: https://github.com/danielfm/pybreaker
"""

from __future__ import annotations

import ast

from checks.detector import Detector, FileContext, Project
from checks.detectors.resilience._outbound import (
    OUTBOUND_NAMES,
    Clients,
    clients,
    is_service_file,
)
from checks.model import Severity

BREAKER_LIBRARIES = ("pybreaker", "aiobreaker", "circuitbreaker", "purgatory",
                     "pycircuitbreaker", "breakers", "circuit_breaker", "pycb")
"""Import or distribution names of circuit breaker libraries."""


class MissingCircuitBreaker(Detector):
    """Flags a project that calls external services with no circuit breaker (see module
    docstring)."""

    slug = "missing-circuit-breaker"
    items = ("RES-02",)

    calls = OUTBOUND_NAMES  # only an outbound call counts

    def __init__(self) -> None:
        super().__init__()
        self._first: tuple[str, int, str] | None = None
        self._count = 0
        self._modules: set[str] = set()
        self._clients: Clients | None = None

    def start_file(self, ctx: FileContext) -> bool:
        found = clients(ctx.file) if is_service_file(ctx.file) else None
        # Only a file that imports an HTTP client can make an outbound call.
        self._clients = found if found is not None and found.active else None
        return self._clients is not None

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._clients is None:
            return
        out = self._clients.outbound(node)
        if out is None:
            return
        self._count += 1
        self._modules.add(ctx.path)
        if self._first is None:
            self._first = (ctx.path, node.lineno, out.name)

    def finish(self, project: Project) -> None:
        if self._first is None:
            self.not_applicable("RES-02", "no outbound HTTP calls in service code")
            return
        library = next((n for n in BREAKER_LIBRARIES if project.uses(n)), None)
        if library is not None:
            self.evidence("RES-02", f"circuit breaker library `{library}` is used or declared")
            return
        path, line, name = self._first
        self.report(
            "RES-02", path, line,
            f"{self._count} outbound HTTP calls in {len(self._modules)} modules (first: "
            f"`{name}()`) and no circuit breaker in the project: a failing dependency is called "
            "again on every request until it recovers",
            "Wrap calls to each external service in a circuit breaker (pybreaker, aiobreaker, "
            "purgatory), or attest that the mesh or gateway provides one.",
            severity=Severity.LOW, key="no-circuit-breaker",
        )
