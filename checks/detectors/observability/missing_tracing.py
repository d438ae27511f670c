"""Service has no distributed tracing.

## What it flags
A service (web application or Celery worker) in which no tracing library is imported, declared
or launched: OpenTelemetry tracing or instrumentation packages, ddtrace, Jaeger or Zipkin
clients, Elastic APM, AWS X-Ray, New Relic, Honeycomb, Logfire, or Sentry with performance
tracing turned on (``traces_sample_rate``). One finding, on the line that creates the application.

## Why it matters
When a request crosses several services, queues and databases, only a trace shows where its time
went and which hop failed; logs of each service alone cannot be joined reliably (OBS-04).

## Example
```python
from flask import Flask

app = Flask(__name__)
```

## Use instead
```python
from flask import Flask
from opentelemetry.instrumentation.flask import FlaskInstrumentor

app = Flask(__name__)
FlaskInstrumentor().instrument_app(app)
```

## References
- OpenTelemetry Python: https://opentelemetry.io/docs/languages/python/
- W3C Trace Context: https://www.w3.org/TR/trace-context/
"""

from __future__ import annotations

from checks.detectors.observability._facts import Facts
from checks.detectors.observability._presence import (
    MissingTooling,
    Tooling,
    sentry_tracing_site,
)


class MissingTracing(MissingTooling):
    """Flags a service with no tracing library (see module docstring)."""

    slug = "missing-tracing"
    items = ("OBS-04",)
    what = "distributed tracing"
    hint = (
        "Instrument the service with OpenTelemetry (opentelemetry-instrumentation-<framework> and "
        "an OTLP exporter, or run it under `opentelemetry-instrument`), or with your APM's tracer."
    )
    tooling = Tooling(
        label="tracing",
        calls=("opentelemetry.trace.set_tracer_provider",),
        modules=("opentelemetry.trace", "opentelemetry.sdk.trace", "opentelemetry.instrumentation",
                 "opentelemetry.exporter", "opentelemetry.propagate", "opentelemetry.distro",
                 "ddtrace", "jaeger_client", "py_zipkin", "aiozipkin", "elasticapm",
                 "aws_xray_sdk", "newrelic", "beeline", "logfire", "opencensus.trace"),
        dists=("opentelemetry-sdk", "opentelemetry-distro", "ddtrace", "jaeger-client",
               "py-zipkin", "aiozipkin", "elastic-apm", "aws-xray-sdk", "newrelic",
               "honeycomb-beeline", "logfire", "opencensus"),
        dist_prefixes=("opentelemetry-instrumentation", "opentelemetry-exporter-otlp",
                       "opentelemetry-exporter-jaeger", "opentelemetry-exporter-zipkin"),
        launchers=("opentelemetry-instrument", "ddtrace-run", "newrelic-admin"),
    )

    def extra_evidence(self, fx: Facts) -> str | None:
        return sentry_tracing_site(fx)
