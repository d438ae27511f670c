"""Service collects no metrics.

## What it flags
A service (a FastAPI, Flask, Django, aiohttp, Starlette... application, or a Celery worker) in
which no metrics library is imported, declared as a dependency or launched: prometheus_client,
the Prometheus instrumentators for FastAPI/Starlette/Flask/Django, StatsD or DogStatsD clients,
the OpenTelemetry metrics API, or an APM agent that records request metrics (ddtrace, New Relic,
Elastic APM). One finding, on the line that creates the application.

## Why it matters
Without request rates, error rates and latencies there is nothing to alert on and no baseline to
compare a release against; problems are found by users instead (OBS-03).

## Example
```python
from fastapi import FastAPI

app = FastAPI()
```

## Use instead
```python
from fastapi import FastAPI
from prometheus_fastapi_instrumentator import Instrumentator

app = FastAPI()
Instrumentator().instrument(app).expose(app)
```

## References
- Prometheus Python client: https://prometheus.github.io/client_python/
- OpenTelemetry Python metrics: https://opentelemetry.io/docs/languages/python/instrumentation/#metrics
- Google SRE book, the four golden signals: https://sre.google/sre-book/monitoring-distributed-systems/
"""

from __future__ import annotations

from checks.detectors.observability._presence import MissingTooling, Tooling


class MissingMetrics(MissingTooling):
    """Flags a service with no metrics library (see module docstring)."""

    slug = "missing-metrics"
    items = ("OBS-03",)
    what = "metrics collection"
    hint = (
        "Expose request metrics: prometheus_client (or prometheus-fastapi-instrumentator, "
        "django-prometheus, prometheus-flask-exporter), a StatsD client, or OpenTelemetry metrics."
    )
    tooling = Tooling(
        label="metrics",
        calls=("prometheus_client.start_http_server", "prometheus_client.make_asgi_app",
               "prometheus_client.make_wsgi_app", "opentelemetry.metrics.set_meter_provider"),
        modules=("prometheus_client", "prometheus_fastapi_instrumentator", "starlette_exporter",
                 "starlette_prometheus", "prometheus_flask_exporter", "django_prometheus",
                 "aioprometheus", "statsd", "datadog", "aiodogstatsd", "markus",
                 "opentelemetry.metrics", "opentelemetry.sdk.metrics", "ddtrace", "newrelic",
                 "elasticapm"),
        dists=("prometheus-client", "prometheus-fastapi-instrumentator", "starlette-exporter",
               "starlette-prometheus", "prometheus-flask-exporter", "django-prometheus",
               "aioprometheus", "statsd", "datadog", "aiodogstatsd", "markus",
               "opentelemetry-exporter-prometheus", "ddtrace", "newrelic", "elastic-apm"),
        launchers=("ddtrace-run", "newrelic-admin"),
    )
