"""Service reports its errors to no error tracker.

## What it flags
A service (web application or Celery worker) in which no error-tracking client is initialised,
imported or declared: ``sentry_sdk.init`` (or the older ``raven``), Rollbar, Bugsnag,
Honeybadger, Airbrake, or an APM agent with error reporting (ddtrace, New Relic, Elastic APM).
One finding, on the line that creates the application.

## Why it matters
An unhandled exception in production otherwise ends as one log line among millions: nobody is
told, nothing groups repeats of the same bug, and the stack trace with its request context is
lost (OBS-05).

## Example
```python
import django.core.wsgi

application = django.core.wsgi.get_wsgi_application()
```

## Use instead
```python
import sentry_sdk

sentry_sdk.init(dsn=settings.SENTRY_DSN, environment=settings.ENVIRONMENT)
```

## References
- Sentry for Python: https://docs.sentry.io/platforms/python/
- OWASP Logging Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html
"""

from __future__ import annotations

from checks.detectors.observability._presence import MissingTooling, Tooling


class MissingErrorTracking(MissingTooling):
    """Flags a service with no error tracker (see module docstring)."""

    slug = "missing-error-tracking"
    items = ("OBS-05",)
    what = "error tracking"
    hint = (
        "Initialise an error tracker at start-up (sentry_sdk.init(dsn=...) with the framework "
        "integration, or Rollbar/Bugsnag/Honeybadger), with the DSN read from configuration."
    )
    tooling = Tooling(
        label="error tracking",
        calls=("sentry_sdk.init", "raven.Client", "rollbar.init", "bugsnag.configure",
               "honeybadger.honeybadger.configure"),
        modules=("sentry_sdk", "raven", "rollbar", "bugsnag", "honeybadger", "pybrake",
                 "airbrake", "ddtrace", "newrelic", "elasticapm"),
        dists=("sentry-sdk", "raven", "rollbar", "bugsnag", "honeybadger", "pybrake",
               "airbrake", "ddtrace", "newrelic", "elastic-apm"),
        launchers=("ddtrace-run", "newrelic-admin"),
    )
