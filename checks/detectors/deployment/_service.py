"""Is the project a deployable service? Deployment items (orchestration, IaC, pinned
dependencies) apply to services, not to libraries: a service creates a web application or a
worker, or ships a Dockerfile, Procfile or compose file."""

from __future__ import annotations

import posixpath

from checks.detector import Project
from checks.detectors.observability._facts import (
    facts,
    in_service_dir,
    is_compose_file,
    is_dockerfile,
)


def service_signal(project: Project) -> str | None:
    """Why the project is a deployable service (``"FastAPI app at app/main.py:3"``), or None."""
    app = facts(project).entry()
    if app is not None:
        return f"{app.framework} app at {app.site}"
    for path in project.tree.paths:
        if not in_service_dir(path) or any(p in ("tests", "test") for p in path.split("/")):
            continue
        base = posixpath.basename(path).lower()
        if is_dockerfile(path) or is_compose_file(path) or base == "procfile":
            return f"{path}"
    return None
