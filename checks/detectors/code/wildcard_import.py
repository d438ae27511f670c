"""Wildcard import in service code.

## What it flags
``from module import *`` in service code. Package ``__init__.py`` files (which may republish a
submodule's public API) and settings modules (Django's ``from .base import *`` idiom) are left
alone, as are tests, migrations and samples.

## Why it matters
PEP 8: wildcard imports "make it unclear which names are present in the namespace, confusing
both readers and many automated tools". A name added to the imported module later can silently
shadow a local one, and linters can no longer report undefined names (CODE-08).

## Example
```python
from app.models import *
```

## Use instead
```python
from app.models import Order, OrderLine
```

## References
- PEP 8, Imports: https://peps.python.org/pep-0008/#imports
- Ruff F403: https://docs.astral.sh/ruff/rules/undefined-local-with-import-star/
"""

from __future__ import annotations

import posixpath

from checks.detector import Detector, FileContext, Project
from checks.detectors.code._pep8 import PEP8_SCOPE, reviewed
from checks.detectors.code.scattered_env_reads import is_config_module
from checks.detectors.observability._syntax import star_imports


class WildcardImport(Detector):
    """Flags ``from x import *`` in service code (see module docstring)."""

    slug = "wildcard-import"
    items = ("CODE-08",)

    def start_file(self, ctx: FileContext) -> bool:
        """Star imports are module-level statements: found without the traversal."""
        skip = (
            not reviewed(ctx)
            or posixpath.basename(ctx.path) == "__init__.py"
            or is_config_module(ctx.path)
        )
        if not skip:
            for node in star_imports(ctx.file):
                module = "." * node.level + (node.module or "")
                self.report_node(
                    "CODE-08", ctx, node,
                    f"Wildcard import `from {module} import *`: the names it brings in are "
                    "invisible",
                    "Import the names you use explicitly (or import the module and qualify "
                    "them).",
                    key=f"{self.slug}:{module}",
                )
        return False

    def finish(self, project: Project) -> None:
        self.evidence("CODE-08", PEP8_SCOPE)
