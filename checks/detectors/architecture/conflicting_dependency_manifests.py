"""Several dependency manifests that disagree about the runtime dependencies.

## What it flags
A project whose runtime dependencies are declared in more than one place with different
contents:
- two abstract manifests (PEP 621 ``[project] dependencies``, Poetry, ``Pipfile [packages]``,
  literal ``setup.py``/``setup.cfg`` ``install_requires``) that declare different package sets;
- an abstract manifest that declares a package the root ``requirements.txt`` lacks, when that
  file is not just ``-e .`` (a ``requirements.txt`` exported or compiled from the manifest
  holds everything the manifest declares, plus transitive pins, which are not flagged).
One finding per disagreeing pair, on the first line in the first file that declares a package
the other lacks.

## Why it matters
With two sources of truth, the Docker image installs one list and developers or CI another;
the missing package shows up as an ImportError in production, or a security fix lands in one
file and not the other (ARCH-06).

## Example
```toml
# pyproject.toml
[project]
dependencies = ["fastapi", "sqlalchemy", "httpx"]
```
```text
# requirements.txt, used by the Dockerfile
fastapi==0.115.0
sqlalchemy==2.0.35
```

## Use instead
Keep one source of truth and generate the rest from it, e.g. ``uv pip compile
pyproject.toml -o requirements.txt`` (or ``pip-compile``, ``poetry export``), and check in CI
that the generated file is current.

## References
- Python Packaging User Guide, install_requires vs requirements files: https://packaging.python.org/en/latest/discussions/install-requires-vs-requirements/
- pip-tools: https://pip-tools.readthedocs.io/
"""

from __future__ import annotations

from checks.detector import Detector, Project
from checks.detectors.architecture._dependencies import Manifest, manifests

_ABSTRACT = ("pep621", "poetry", "pipfile", "setup.py", "setup.cfg")


class ConflictingDependencyManifests(Detector):
    """Flags runtime dependency lists that disagree between manifests."""

    slug = "conflicting-dependency-manifests"
    items = ("ARCH-06",)

    def finish(self, project: Project) -> None:
        found = [m for m in manifests(project) if m.runtime and "/" not in m.path]
        abstract = [m for m in found if m.kind in _ABSTRACT]
        requirements = next((m for m in found if m.kind == "requirements"
                             and m.path.lower() == "requirements.txt"), None)
        if len(found) < 2:
            return  # one manifest (or none) cannot disagree; undeclared-import covers "none"
        conflicts = 0
        for i, a in enumerate(abstract):
            for b in abstract[i + 1:]:
                if a.path == b.path:
                    continue  # Poetry 2 may repeat [project] dependencies in [tool.poetry]
                only_a = sorted(set(a.runtime) - set(b.runtime))
                only_b = sorted(set(b.runtime) - set(a.runtime))
                if only_a or only_b:
                    conflicts += 1
                    self._report(a, b, only_a, only_b)
        if requirements is not None and not requirements.installs_project:
            for a in abstract:
                missing = sorted(set(a.runtime) - set(requirements.runtime))
                if missing:
                    conflicts += 1
                    self._report(a, requirements, missing, [])
        if not conflicts:
            listed = ", ".join(f"{m.path} ({m.kind})" for m in found)
            self.evidence("ARCH-06", f"runtime dependencies declared consistently: {listed}")

    def _report(self, a: Manifest, b: Manifest, only_a: list[str], only_b: list[str]) -> None:
        where, first = (a, only_a[0]) if only_a else (b, only_b[0])
        parts = []
        if only_a:
            parts.append(f"only {a.path} declares {_names(only_a)}")
        if only_b:
            parts.append(f"only {b.path} declares {_names(only_b)}")
        self.report(
            "ARCH-06", where.path, where.runtime.get(first, 0) or 1,
            f"{a.path} and {b.path} both declare runtime dependencies and disagree: "
            + "; ".join(parts),
            "Keep one source of truth (pyproject.toml) and generate the other file from it "
            "(uv pip compile, pip-compile, poetry export), checked in CI.",
            key=f"{a.path}|{b.path}",
        )


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")
