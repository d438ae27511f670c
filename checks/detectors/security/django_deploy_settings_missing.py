"""Django production settings without HTTPS-only cookies, HTTPS redirect and HSTS.

## What it flags
Django settings meant for production that leave off, or set to ``False``/``0``, any of the
settings ``manage.py check --deploy`` asks for:

- ``SECURE_SSL_REDIRECT`` (security.W008),
- ``SECURE_HSTS_SECONDS`` (security.W004),
- ``SESSION_COOKIE_SECURE`` (security.W012),
- ``CSRF_COOKIE_SECURE`` (security.W016).

Production settings are the Django settings modules named for production
(``settings/production.py``, ``prod.py``); when a project has none, its ``settings.py``. A
setting defined in a module they star-import (``from .base import *``) counts, and so does one
read from the environment (``SECURE_SSL_REDIRECT = env.bool(...)``). Development and test
settings are never checked. A missing setting is one medium finding per settings file, listing
what is missing; a setting written as ``False`` or ``0`` is a finding on its line.

## Why it matters
Without ``Secure`` cookies, a session cookie travels in clear text on any plain-HTTP request
(a mistyped URL, a hostile Wi-Fi redirect) and can be stolen; without the redirect and HSTS a
first visit over HTTP can be intercepted and downgraded. If TLS is terminated by a proxy that
already redirects and sends HSTS, set the values anyway or waive the finding saying so.

## Example
```python
# settings/production.py
from .base import *
DEBUG = False
```

## Use instead
```python
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # behind a TLS proxy
```

## References
- Django deployment checklist:
  https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
- Django, the security checks of ``check --deploy``:
  https://docs.djangoproject.com/en/stable/ref/checks/#security
- CWE-614, Sensitive Cookie in HTTPS Session Without 'Secure' Attribute:
  https://cwe.mitre.org/data/definitions/614.html
- OWASP HTTP Strict Transport Security Cheat Sheet:
  https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html
"""

from __future__ import annotations

import posixpath

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.security._common import (
    Setting,
    assignments,
    is_dev_path,
    is_django_settings,
    is_prod_path,
    star_imports,
)
from checks.model import Severity
from checks.pyfile import PyFile

_REQUIRED = ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE",
             "CSRF_COOKIE_SECURE")


class DjangoDeploySettingsMissing(Detector):
    """Flags Django production settings missing HTTPS hardening (see module docstring)."""

    slug = "django-deploy-settings-missing"
    items = ("SEC-10",)

    def finish(self, project: Project) -> None:
        settings = [f for f in project.service_files()
                    if not is_dev_path(f.path) and is_django_settings(f)]
        if not settings:
            return
        prod = [f for f in settings if is_prod_path(f.path)]
        if not prod:
            prod = [f for f in settings if posixpath.basename(f.path) == "settings.py"]
        by_module = {f.module_name: f for f in project.python.values()}
        for f in prod:
            defined = self._defined(f, by_module)
            missing = [name for name in _REQUIRED if name not in defined]
            for name in _REQUIRED:
                owner_stmt = defined.get(name)
                if owner_stmt is None:
                    continue
                owner, stmt = owner_stmt
                value = pyast.const(stmt.value)
                if value is False or value == 0 or value is None:
                    self.report(
                        "SEC-10", owner.path, stmt.lineno,
                        f"{name} = {value!r} in {owner.path}, used by the production settings "
                        f"{f.path}", _hint([name]), end_line=stmt.end_lineno,
                        severity=Severity.MEDIUM,
                    )
            if missing:
                self.report(
                    "SEC-10", f.path, 0,
                    f"production settings {f.path} do not set {', '.join(missing)} "
                    "(manage.py check --deploy warns about each)",
                    _hint(missing), severity=Severity.MEDIUM,
                    key="django-deploy-settings-missing",
                )
            elif not any(fd.path == f.path for fd in self.findings):
                self.evidence("SEC-10", f"{f.path} sets {', '.join(_REQUIRED)}")

    @staticmethod
    def _defined(f: PyFile, by_module: dict[str, PyFile]
                 ) -> dict[str, tuple[PyFile, Setting]]:
        """Settings visible in ``f``: its own, then those of star-imported modules."""
        out: dict[str, tuple[PyFile, Setting]] = {}
        seen: set[str] = set()
        todo = [f]
        while todo:
            cur = todo.pop(0)
            if cur.module_name in seen:
                continue
            seen.add(cur.module_name)
            for name, stmt in assignments(cur).items():
                out.setdefault(name, (cur, stmt))
            todo.extend(by_module[m] for m in star_imports(cur) if m in by_module)
        return out


def _hint(names: list[str]) -> str:
    values = {"SECURE_SSL_REDIRECT": "True", "SECURE_HSTS_SECONDS": "31536000",
              "SESSION_COOKIE_SECURE": "True", "CSRF_COOKIE_SECURE": "True"}
    sets = ", ".join(f"{n} = {values[n]}" for n in names)
    return (f"Set {sets} in the production settings (or read them from the environment); "
            "run `manage.py check --deploy` in CI.")
