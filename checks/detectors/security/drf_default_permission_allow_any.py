"""Django REST framework left on its default permission, ``AllowAny``.

## What it flags
A project that uses Django REST framework (``rest_framework`` imported or installed) whose
settings do not set ``REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]``, or set it to
``AllowAny`` only. Reported on the ``REST_FRAMEWORK`` setting, or on the settings module when
there is none. A ``DEFAULT_PERMISSION_CLASSES`` set in any non-test settings module of the
project counts (split settings); development and test settings are ignored. Views that opt in
to ``permission_classes = [AllowAny]`` explicitly (login, sign-up) are not flagged: that is a
decision, the default is an accident.

This is the part of "the authorization model is well-defined" that code can show; whether the
roles and rules are right needs a reviewer.

## Why it matters
DRF's built-in default lets every request through. Each view that forgets its
``permission_classes`` is then public: a new endpoint added in a hurry exposes data or actions
to anonymous users without anyone deciding so. Deny by default, allow by exception.

## Example
```python
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}
```

## Use instead
```python
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
```

## References
- Django REST framework, setting the permission policy:
  https://www.django-rest-framework.org/api-guide/permissions/#setting-the-permission-policy
- OWASP Authorization Cheat Sheet, deny by default:
  https://cheatsheetseries.owasp.org/cheatsheets/Authorization_Cheat_Sheet.html
- CWE-862, Missing Authorization: https://cwe.mitre.org/data/definitions/862.html
"""

from __future__ import annotations

import ast

from checks import pyast
from checks.detector import Detector, Project
from checks.detectors.security._common import (
    Setting,
    assignments,
    is_dev_path,
    is_django_settings,
)
from checks.model import Severity
from checks.pyfile import PyFile


class DrfDefaultPermissionAllowAny(Detector):
    """Flags DRF projects whose default permission is ``AllowAny`` (see module docstring)."""

    slug = "drf-default-permission-allow-any"
    items = ("SEC-02",)

    def finish(self, project: Project) -> None:
        if not project.uses("rest_framework", "djangorestframework"):
            self.not_applicable("SEC-02", "no Django REST framework: the authorization model "
                                          "needs a reviewer")
            return
        settings = [f for f in project.service_files()
                    if not is_dev_path(f.path) and is_django_settings(f)]
        if not settings:
            return
        configured: list[tuple[PyFile, Setting, ast.expr | None]] = []
        for f in settings:
            stmt = assignments(f).get("REST_FRAMEWORK")
            if stmt is not None:
                configured.append((f, stmt, _permission_value(stmt.value)))
        for f, _, value in configured:
            if value is not None:
                classes = _strings(value)
                if classes and all(c.endswith("AllowAny") for c in classes):
                    self.report(
                        "SEC-02", f.path, value.lineno,
                        "DEFAULT_PERMISSION_CLASSES is AllowAny: every DRF view without its "
                        "own permission_classes is public",
                        _HINT, end_line=value.end_lineno, severity=Severity.MEDIUM,
                    )
                else:
                    self.evidence("SEC-02", f"DEFAULT_PERMISSION_CLASSES set in "
                                            f"{f.path}:{value.lineno}")
                return
        for f in settings:  # REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ... elsewhere
            if "DEFAULT_PERMISSION_CLASSES" in f.text:
                self.evidence("SEC-02", f"DEFAULT_PERMISSION_CLASSES set in {f.path}")
                return
        if configured:
            f, stmt, _ = configured[0]
            self.report(
                "SEC-02", f.path, stmt.lineno,
                "REST_FRAMEWORK does not set DEFAULT_PERMISSION_CLASSES: DRF's default is "
                "AllowAny, so every view without its own permission_classes is public",
                _HINT, end_line=stmt.end_lineno, severity=Severity.MEDIUM,
            )
        else:
            f = min(settings, key=lambda s: (s.path.count("/"), s.path))
            self.report(
                "SEC-02", f.path, 0,
                "Django REST framework is used but no REST_FRAMEWORK setting exists: the "
                "default permission is AllowAny, so every view without its own "
                "permission_classes is public",
                _HINT, severity=Severity.MEDIUM, key="drf-default-permission-allow-any",
            )


_HINT = (
    "Set REST_FRAMEWORK[\"DEFAULT_PERMISSION_CLASSES\"] to [\"rest_framework.permissions."
    "IsAuthenticated\"] (or stricter) and open single views with permission_classes = "
    "[AllowAny] where intended."
)


def _permission_value(node: ast.expr) -> ast.expr | None:
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=True):
            if pyast.const_str(k) == "DEFAULT_PERMISSION_CLASSES":
                return v
    return None


def _strings(node: ast.expr) -> list[str]:
    elts = node.elts if isinstance(node, ast.List | ast.Tuple) else [node]
    return [s for e in elts if (s := pyast.const_str(e)) is not None]
