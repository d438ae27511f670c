"""Service logs plain text, with no structured (JSON) formatter.

## What it flags
A service (web application or Celery worker) whose logging has no structured output: no
structlog, python-json-logger, json-log-formatter, ecs-logging, AWS Lambda Powertools or Google
Cloud Logging, no loguru sink with ``serialize=True``, no ``logging.Formatter`` subclass that
writes JSON, and no logging configuration (``dictConfig`` dict, logging YAML/INI/JSON file) naming
a JSON formatter. One finding, on the ``logging.basicConfig``/``dictConfig``/``fileConfig`` call
when there is one (outside stand-alone scripts), else on the line that creates the application.

How messages are built (f-strings or ``%`` arguments in logger calls) is left alone.

## Why it matters
Log aggregation (Loki, Elasticsearch, CloudWatch, Datadog) filters and alerts on fields; free
text must be parsed back with fragile patterns, and the request id, user id or order id of a
line are lost in the message (OBS-01).

## Example
```python
import logging

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
```

## Use instead
```python
import structlog

structlog.configure(processors=[
    structlog.contextvars.merge_contextvars,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso"),
    structlog.processors.JSONRenderer(),
])
```

## References
- structlog: https://www.structlog.org/en/stable/
- python-json-logger: https://nhairs.github.io/python-json-logger/
- The Twelve-Factor App, XI. Logs: https://12factor.net/logs
"""

from __future__ import annotations

import ast
import posixpath
import re

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.observability._facts import (
    Facts,
    Site,
    dependency_site,
    facts,
    in_service_dir,
)
from checks.detectors.observability._syntax import names_main
from checks.pyfile import PyFile

_MODULES = ("structlog", "pythonjsonlogger", "json_log_formatter", "ecs_logging",
            "aws_lambda_powertools.logging", "google.cloud.logging", "logstash_formatter",
            "django_structlog", "logfire", "json_logging")
_DISTS = ("structlog", "python-json-logger", "json-log-formatter", "ecs-logging",
          "django-structlog", "google-cloud-logging", "logstash-formatter", "logfire",
          "json-logging")
_CONFIG_CALLS = ("logging.basicConfig", "logging.config.dictConfig", "logging.config.fileConfig")
_JSON_NAME = re.compile(
    r"json[\w.]*formatter|formatter[\w.]*json|jsonformatter|pythonjsonlogger|structlog"
    r"|ecs_logging|jsonlogger|json_log_formatter",
    re.IGNORECASE,
)
_LOG_CONFIG_FILE = re.compile(r"(^|/)[\w.-]*log[\w.-]*\.(ya?ml|json|ini|conf|cfg|toml)$",
                              re.IGNORECASE)


class UnstructuredLogging(Detector):
    """Flags a service whose logging has no structured formatter (see module docstring)."""

    slug = "unstructured-logging"
    items = ("OBS-01",)

    def finish(self, project: Project) -> None:
        fx = facts(project)
        app = fx.entry()
        if app is None:
            self.not_applicable("OBS-01", "no web application or worker found: structured "
                                          "logging is expected of a running service")
            return
        found = self._structured(project, fx)
        if found is not None:
            self.evidence("OBS-01", f"found {found}")
            return
        hint = ("Emit JSON logs: structlog with JSONRenderer, or python-json-logger's "
                "JsonFormatter in the logging config, and bind request ids as fields.")
        config = next(
            (c for c in fx.call_sites(*_CONFIG_CALLS) if not _is_script(fx.python[c[1].path])),
            None,
        )
        if config is not None:
            name, site, _ = config
            self.report("OBS-01", site.path, site.line,
                        f"Logging is configured with {name}() but no structured (JSON) "
                        "formatter, so log lines are plain text",
                        hint, key=f"{self.slug}:config")
            return
        uses_logging = fx.import_site("logging", "loguru") is not None
        what = ("uses the standard logging module with its default text format"
                if uses_logging else "configures no logging at all")
        self.report("OBS-01", app.site.path, app.site.line,
                    f"This {app.framework} service {what}: no structured (JSON) logging",
                    hint, key=f"{self.slug}:app")

    def _structured(self, project: Project, fx: Facts) -> str | None:
        imported = fx.import_site(*_MODULES)
        if imported is not None:
            return f"{imported[0]} imported at {imported[1]}"
        serialized = _loguru_serialize(fx)
        if serialized is not None:
            return f"loguru sink with serialize=True at {serialized}"
        if fx.json_formatter_class is not None:
            name, site = fx.json_formatter_class
            return f"JSON formatter class {name} at {site}"
        if fx.json_formatter is not None:
            text, site = fx.json_formatter
            return f"JSON formatter {text!r} configured at {site}"
        declared = dependency_site(project, _DISTS)
        if declared is not None:
            return f"dependency {declared[0]} at {declared[1]}"
        for path in sorted(project.tree.files):
            if path.endswith(".py") or not in_service_dir(path):
                continue
            if not _LOG_CONFIG_FILE.search(path) and posixpath.basename(path) != "pyproject.toml":
                continue
            text = project.text(path) or ""
            for number, line in enumerate(text.splitlines(), start=1):
                if _JSON_NAME.search(line):
                    return f"JSON formatter in {path}:{number}"
        return None


_SCRIPT_DIRS = frozenset({"dev", "scripts", "bin", "tools", "management", "docker", "deploy"})


def _is_script(f: PyFile) -> bool:
    """A service file that is a script run on its own (a ``__main__`` guard, a ``#!`` line, a
    ``scripts/``, ``dev/``, ``bin/``... folder): its logging set-up is not the service's."""
    return (f.text.startswith("#!") or names_main(f)
            or any(p in _SCRIPT_DIRS for p in f.path.split("/")[:-1]))


def _loguru_serialize(fx: Facts) -> Site | None:
    for sites in fx.calls_under("loguru").values():
        for site, call in sites:
            if pyast.is_true(pyast.keyword(call, "serialize")):
                return site
            for node in ast.walk(call):
                if isinstance(node, ast.Dict) and any(
                    pyast.const_str(k) == "serialize" and pyast.is_true(v)
                    for k, v in zip(node.keys, node.values, strict=True)
                ):
                    return site
    return None

