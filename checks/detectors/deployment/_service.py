"""Is the project a deployable service? Deployment items (orchestration, IaC, pinned
dependencies) apply to services, not to libraries: a service creates a web application or a
worker, or ships a Dockerfile, Procfile or compose file."""

from __future__ import annotations

from checks.detector import Project
from checks.detectors.observability._facts import (
    facts,
    in_service_dir,
    is_compose_file,
    is_dockerfile,
)


def service_signal(project: Project) -> str | None:
    """Why the project is a deployable service (``"FastAPI app at app/main.py:3"``), or None.
    Worked out once per review (three detectors ask)."""
    return project.memo("deployment.service_signal", lambda: _service_signal(project))


def _service_signal(project: Project) -> str | None:
    app = facts(project).entry()
    if app is not None:
        return f"{app.framework} app at {app.site}"
    for path in project.tree.paths:
        base = path.rpartition("/")[2].lower()
        # the name first (a word test before each pattern), the folders only for a match
        named = base == "procfile" or (
            ("dockerfile" in base or "containerfile" in base) and is_dockerfile(path)) or (
            "compose" in base and is_compose_file(path))
        if named and in_service_dir(path) and not any(
                p in ("tests", "test") for p in path.split("/")):
            return f"{path}"
    return None
