"""Which files the PEP 8 detectors look at: service code, not tests, migrations or samples."""

from __future__ import annotations

from checks.detector import FileContext
from checks.detectors.observability._facts import in_service_dir

PEP8_SCOPE = ("only wildcard imports, camelCase function names and tab indentation are checked "
              "here; a linter (CODE-09) covers the rest of PEP 8")


def reviewed(ctx: FileContext) -> bool:
    """True for service code (not tests, migrations nor samples)."""
    f = ctx.file
    return not f.is_test and not f.is_migration and in_service_dir(f.path)
