"""Faults a test injects: GitHub's bad days, answered in place of the real response.

A ``Fault`` matches requests by method and path (``fnmatch`` glob where ``*`` also crosses ``/``,
or a compiled regular expression) and fires ``times`` times (``None``: for ever), each time with
``probability`` drawn from a seeded RNG so a flaky run replays identically.
"""

from __future__ import annotations

import fnmatch
import random
import re
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal[
    "status",  # answer ``status`` (502, 503, 500...) with GitHub's error body
    "reset",  # close the connection with a TCP reset, answering nothing
    "primary_rate_limit",  # 403, x-ratelimit-remaining: 0, x-ratelimit-reset
    "secondary_rate_limit",  # 403 or 429 with retry-after and GitHub's message
    "not_found",  # 404, e.g. a head SHA GitHub does not show yet
    "delay",  # wait ``delay`` seconds, then answer normally
]
Target = Literal["api", "codeload"]


@dataclass
class Fault:
    kind: FaultKind
    method: str = "*"
    path: str | re.Pattern[str] = "*"
    times: int | None = 1
    probability: float = 1.0
    seed: int | None = None
    """Own RNG seed; without it the fake's shared seeded RNG draws."""
    status: int | None = None
    """For ``status`` (default 502) and ``secondary_rate_limit`` (403 or 429, default 403)."""
    retry_after: int | None = 60
    """Seconds in ``retry-after`` (secondary) or until ``x-ratelimit-reset`` (primary)."""
    delay: float = 0.0
    target: Target = "api"
    fired: int = 0
    """How many requests this fault has answered so far."""
    _rng: random.Random | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.seed is not None:
            self._rng = random.Random(self.seed)  # noqa: S311  (test fault schedule, not crypto)

    def matches(self, target: Target, method: str, path: str) -> bool:
        if target != self.target or (self.times is not None and self.fired >= self.times):
            return False
        if self.method != "*" and self.method.upper() != method.upper():
            return False
        if isinstance(self.path, re.Pattern):
            return self.path.search(path) is not None
        return fnmatch.fnmatchcase(path, self.path)

    def draw(self, shared: random.Random) -> bool:
        """Whether the fault fires for a matching request (counts it when it does)."""
        if self.probability < 1.0 and (self._rng or shared).random() >= self.probability:
            return False
        self.fired += 1
        return True


class FaultPlan:
    """The faults in force, first match wins."""

    def __init__(self, seed: int) -> None:
        self.faults: list[Fault] = []
        self.rng = random.Random(seed)  # noqa: S311

    def add(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def clear(self) -> None:
        self.faults.clear()

    def pick(self, target: Target, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.matches(target, method, path) and fault.draw(self.rng):
                return fault
        return None
