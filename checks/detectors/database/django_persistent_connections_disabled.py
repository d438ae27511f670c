"""Django opens a new database connection for every request (``CONN_MAX_AGE`` is 0).

## What it flags
A ``DATABASES`` setting for a server database (PostgreSQL, MySQL, Oracle, or an engine read
from a URL or the environment) when no ``CONN_MAX_AGE`` other than 0 is set anywhere in the
settings (as a dict key, a ``DATABASES["default"]["CONN_MAX_AGE"] = ...`` assignment, or
``conn_max_age=`` of ``dj_database_url``/``django-environ``) and the psycopg pool option
(``"OPTIONS": {"pool": True}``, Django 5.1+) is not used. Projects whose deployment files
mention PgBouncer are not flagged. The finding sits on the ``DATABASES`` assignment. Heuristic:
a ``?conn_max_age=`` in a database URL kept outside the repository is not seen.

## Why it matters
``CONN_MAX_AGE`` defaults to 0: Django closes the connection at the end of each request and
opens a new one for the next, paying the TCP/TLS handshake and authentication (several
milliseconds, more across regions) on every request and churning server backends under load.

## Example
```python
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop"}}
```

## Use instead
```python
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql", "NAME": "shop",
    "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True,
}}
```
or, on Django 5.1+ with psycopg 3, ``"OPTIONS": {"pool": True}``; or PgBouncer in front.

## References
- Django, Persistent connections:
  https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections
- Django, Connection pool (PostgreSQL):
  https://docs.djangoproject.com/en/stable/ref/databases/#connection-pool
- CWE-1072, Data Resource Access without Use of Connection Pooling:
  https://cwe.mitre.org/data/definitions/1072.html
"""

from __future__ import annotations

from checks.detector import Detector, Project
from checks.detectors.database._db import external_pooling
from checks.detectors.database._django_settings import django_databases


class DjangoPersistentConnectionsDisabled(Detector):
    """Flags Django settings that reconnect on every request (see module docstring)."""

    slug = "django-persistent-connections-disabled"
    items = ("DB-07",)

    def finish(self, project: Project) -> None:
        if not project.uses("django"):
            return
        dbs = django_databases(project)
        if dbs.persistent:
            path, line, value = next(c for c in dbs.conn_max_age if c[2] != 0)
            shown = "computed" if value is ... else repr(value)
            self.evidence("DB-07", f"CONN_MAX_AGE = {shown} at {path}:{line}")
            return
        if dbs.pool:
            path, line = dbs.pool[0]
            self.evidence("DB-07", f"Django psycopg connection pool enabled at {path}:{line}")
            return
        targets = dbs.server_settings
        if not targets:
            return
        external = external_pooling(project)
        if external:
            self.evidence("DB-07", f"Django connections pooled by {external}")
            return
        first = min(targets, key=lambda s: (s.path, s.line))
        aliases = ", ".join(f"`{a}`" for a in first.aliases) or "`default`"
        unless = " (unless the database URL sets conn_max_age)" if None in first.engines else ""
        self.report(
            "DB-07", first.path, first.line,
            f"Django opens a new database connection for every request: CONN_MAX_AGE is not "
            f"set (default 0) for {aliases}{unless}",
            "Set CONN_MAX_AGE (e.g. 60) with CONN_HEALTH_CHECKS = True, or on Django 5.1+ "
            "with psycopg 3 enable OPTIONS = {\"pool\": True}, or pool with PgBouncer.",
            key="conn-max-age",
        )
