"""Service has no performance monitoring (APM).

## What it flags
A service (web application or Celery worker) with no application performance monitoring: no
OpenTelemetry, ddtrace, New Relic, Elastic APM, Scout APM, Pyroscope or Logfire, no Prometheus
or StatsD request metrics and timers, and no Sentry with performance tracing
(``traces_sample_rate``). One finding, on the line that creates the application. A heuristic:
an agent injected by the platform (a sidecar, an auto-instrumenting operator) leaves no trace in
the repository.

## Why it matters
Latency regressions and slow endpoints are invisible without request timings per endpoint;
capacity decisions are then guesses (SCALE-10).

## Example
```python
from starlette.applications import Starlette

app = Starlette(routes=routes)
```

## Use instead
```python
import sentry_sdk

sentry_sdk.init(dsn=settings.SENTRY_DSN, traces_sample_rate=0.1)
app = Starlette(routes=routes)
```

## References
- OpenTelemetry Python: https://opentelemetry.io/docs/languages/python/
- Sentry performance monitoring: https://docs.sentry.io/platforms/python/tracing/
"""

from __future__ import annotations

from checks.detectors.observability._facts import Facts
from checks.detectors.observability._presence import (
    MissingTooling,
    Tooling,
    sentry_tracing_site,
)


class MissingPerformanceMonitoring(MissingTooling):
    """Flags a service with no APM or request metrics (see module docstring)."""

    slug = "missing-performance-monitoring"
    items = ("SCALE-10",)
    what = "performance monitoring"
    hint = (
        "Add an APM: OpenTelemetry instrumentation with a backend, ddtrace, New Relic or Elastic "
        "APM, Prometheus request metrics, or Sentry with traces_sample_rate > 0."
    )
    tooling = Tooling(
        label="performance monitoring",
        modules=("opentelemetry", "ddtrace", "newrelic", "elasticapm", "scout_apm",
                 "pyroscope", "logfire", "prometheus_client", "prometheus_fastapi_instrumentator",
                 "starlette_exporter", "prometheus_flask_exporter", "django_prometheus",
                 "aioprometheus", "statsd", "datadog", "aiodogstatsd", "markus"),
        dists=("opentelemetry-sdk", "opentelemetry-distro", "ddtrace", "newrelic", "elastic-apm",
               "scout-apm", "pyroscope-io", "logfire", "prometheus-client",
               "prometheus-fastapi-instrumentator", "starlette-exporter",
               "prometheus-flask-exporter", "django-prometheus", "aioprometheus", "statsd",
               "datadog", "aiodogstatsd", "markus"),
        dist_prefixes=("opentelemetry-instrumentation",),
        launchers=("opentelemetry-instrument", "ddtrace-run", "newrelic-admin"),
    )

    def extra_evidence(self, fx: Facts) -> str | None:
        return sentry_tracing_site(fx)
