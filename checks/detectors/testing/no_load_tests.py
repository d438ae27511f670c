"""A network service with no load-test scripts or tooling.

## What it flags
A project that serves requests (it imports or declares a web framework or gRPC) with no sign of
load testing: no ``locustfile.py`` or module importing ``locust``/``molotov``, no k6 script
(``*.js`` under a ``k6``/``load``/``perf`` folder), no Artillery, Gatling, JMeter (``.jmx``),
Vegeta, wrk or hey scenario, no such tool declared as a dependency, and no CI, Makefile or tox
step running one. One project-level finding for TEST-04 and one for SCALE-11.

## Why it matters
Capacity, latency under concurrency, pool exhaustion and lock contention only show under load;
a service that never ran a load test learns its limits in production (TEST-04 "load tests
verify performance", SCALE-11 "load testing has been conducted"). Heuristic: load tests kept in
another repository or run from a SaaS tool are invisible here; a reviewer can waive the finding
with a link to the results.

## Example
```text
app/  tests/  Dockerfile      # and nothing that generates load
```

## Use instead
```python
# loadtests/locustfile.py
from locust import HttpUser, between, task

class Shopper(HttpUser):
    wait_time = between(1, 3)

    @task
    def browse(self):
        self.client.get("/products?page=1")
```

## References
- Locust: https://docs.locust.io/en/stable/
- Grafana k6: https://grafana.com/docs/k6/latest/
- Google SRE Book, Load balancing and testing for reliability: https://sre.google/sre-book/testing-reliability/
"""

from __future__ import annotations

import posixpath
import re

from checks.detector import Detector, FileContext, Project
from checks.detectors.testing._common import first_match, tool_config_texts, web_framework

_TOOLS = ("locust", "molotov", "bzt", "pytest-locust", "locust-plugins", "artillery")
# Folders whose scripts are load tests, and folders where only k6/Artillery/JMeter files are
# (Python files in ``perf/`` are as often micro-benchmarks, which do not load a service).
_LOAD_DIRS = frozenset({"k6", "load", "loadtest", "loadtests", "load_tests", "load-tests",
                        "load_test", "load-test", "stress", "locust", "artillery", "gatling",
                        "jmeter"})
_PERF_DIRS = frozenset({"perf", "performance", "perf-tests", "perf_tests"})
_LOAD_SUFFIXES = (".jmx", ".k6.js", ".artillery.yml", ".artillery.yaml")
_RUNNERS = re.compile(
    r"\b(k6 run|locust\s+-f|locust --|artillery run|vegeta attack|wrk -[tcd]|hey -[nczq]|"
    r"grafana/k6-action|grafana/setup-k6-action|ab -n|jmeter -n|bzt\s)",
)


class NoLoadTests(Detector):
    """Flags a service with no load-test tooling (see module docstring)."""

    slug = "no-load-tests"
    items = ("TEST-04", "SCALE-11")

    def __init__(self) -> None:
        super().__init__()
        self._found: str | None = None

    def start_file(self, ctx: FileContext) -> None:
        if self._found is None and ctx.file.imports_module("locust", "molotov"):
            self._found = f"load test {ctx.path}"

    def finish(self, project: Project) -> None:
        framework = web_framework(project)
        if framework is None:
            for item in self.items:
                self.not_applicable(item, "not a network service (no web framework or gRPC)")
            return
        found = self._found or _load_test_files(project.tree.paths)
        if found is None:
            tool = next((t for t in _TOOLS if t in project.dependencies), None)
            if tool is not None:
                found = f"{tool} declared as a dependency"
        if found is None:
            hit = first_match(_RUNNERS, tool_config_texts(project))
            if hit is not None:
                found = f"{hit[2]!r} at {hit[0]}:{hit[1]}"
        if found is not None:
            for item in self.items:
                self.evidence(item, found)
            return
        for item in self.items:
            self.report(
                item, "", 0,
                f"the {framework} service has no load-test scripts or tooling (no locustfile, "
                "k6, Artillery, JMeter or Vegeta scenario, no load-test step in CI)",
                "Add a load-test scenario for the main endpoints (locust or k6) under "
                "loadtests/, run it against a staging deployment and record the results; "
                "waive this with a link if load tests live elsewhere.",
                key="no-load-tests",
            )


def _load_test_files(paths: list[str]) -> str | None:
    for path in paths:
        lower = path.lower()
        base = posixpath.basename(lower)
        if base.startswith("locustfile") or lower.endswith(_LOAD_SUFFIXES):
            return f"load test {path}"
        if not base.endswith(_SCRIPT_SUFFIXES) or "/" not in lower:
            continue  # the folder tests below need a script in a folder
        dirs = lower.split("/")[:-1]
        if any(d in _LOAD_DIRS for d in dirs):
            return f"load test {path}"
        if base.endswith((".js", ".ts", ".jmx")) and any(d in _PERF_DIRS for d in dirs):
            return f"load test {path}"
    return None


_SCRIPT_SUFFIXES = (".js", ".ts", ".py", ".yml", ".yaml", ".scala", ".jmx")
