"""Container image that runs its process as root.

## What it flags
A Dockerfile whose final stage never switches to another user (no ``USER`` instruction in the
stage or in the earlier stage it builds on), or whose last ``USER`` is ``root`` or UID ``0``.
Base images that run as a non-root user by default (distroless ``:nonroot`` tags, Chainguard,
Bitnami) pass, and so do images whose Dockerfile installs or calls a privilege-dropping tool for
the entrypoint (``gosu``, ``su-exec``, ``s6-setuidgid``, s6-overlay, ``setpriv``). The finding
sits on the ``USER root`` line, else on the final ``FROM`` line.

## Why it matters
A process that runs as root in the container turns any remote code execution into root in the
container, one kernel or runtime bug away from the host; Kubernetes ``runAsNonRoot`` policies
refuse such images (DEPLOY-01, SEC hardening).

## Example
```dockerfile
FROM python:3.12-slim
COPY . /app
CMD ["gunicorn", "app:app"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
RUN useradd --create-home --uid 10001 app
COPY --chown=app . /app
USER app
CMD ["gunicorn", "app:app"]
```

## References
- CWE-250, Execution with Unnecessary Privileges: https://cwe.mitre.org/data/definitions/250.html
- Dockerfile best practices, USER: https://docs.docker.com/build/building/best-practices/#user
- CIS Docker Benchmark 4.1, create a user for the container
"""

from __future__ import annotations

import re

from checks.detector import Detector, Project
from checks.detectors.deployment._dockerfile import dockerfiles, is_nonroot_image
from checks.detectors.deployment.unpinned_base_image import NO_DOCKERFILE

_ROOT = frozenset({"root", "0", "root:root", "0:0", "root:0", "0:root"})
# Tools an entrypoint uses to drop from root to an unprivileged user at start-up.
_DROP = re.compile(r"\b(gosu|su-exec|s6-setuidgid|s6-overlay|setpriv|runuser|chpst|setuser)\b")


class ContainerRunsAsRoot(Detector):
    """Flags Dockerfiles whose final stage runs as root (see module docstring)."""

    slug = "container-runs-as-root"
    items = ("DEPLOY-01",)

    def finish(self, project: Project) -> None:
        files = dockerfiles(project)
        if not files:
            self.not_applicable("DEPLOY-01", NO_DOCKERFILE)
            return
        hint = ("Create an unprivileged user (`RUN useradd --uid 10001 app`) and add `USER app` "
                "(or a numeric UID) before CMD/ENTRYPOINT.")
        for df in files:
            if not df.stages:
                continue
            final = len(df.stages) - 1
            user, where = df.effective_user(final)
            stage = df.stages[final]
            if user is not None and where is not None:
                if user.lower() in _ROOT:
                    self.report("DEPLOY-01", df.path, where.line,
                                f"The image's last USER is `{user}`: the container runs as root",
                                hint, key=f"{self.slug}:user-root")
                else:
                    self.evidence("DEPLOY-01", f"{df.path} runs as USER {user} "
                                               f"({df.path}:{where.line})")
                continue
            dropped = next((i for i in df.instructions if _DROP.search(i.args)), None)
            if dropped is not None:
                tool = _DROP.search(dropped.args)
                self.evidence("DEPLOY-01", f"{df.path} starts as root and drops privileges with "
                                           f"{tool.group(1) if tool else 'an entrypoint'} "
                                           f"({df.path}:{dropped.line})")
                continue
            base = df.root_image(final)
            if base is None:
                continue  # FROM depends on a build argument: the image's user is unknown
            if is_nonroot_image(base):
                self.evidence("DEPLOY-01", f"{df.path}: base image {base} runs as non-root")
                continue
            self.report("DEPLOY-01", df.path, stage.start.line,
                        "No USER instruction in the final stage: the container runs as root",
                        hint, key=f"{self.slug}:no-user")
