"""Dockerfile base image without a version tag.

## What it flags
A ``FROM`` instruction whose image has no tag (``FROM python``), or the ``latest`` tag, and no
``@sha256:`` digest. ``FROM scratch`` and ``FROM <earlier stage>`` are fine. ``ARG`` defaults
declared before the first ``FROM`` are substituted (``FROM python:${PY}`` with ``ARG PY=3.12``);
a ``FROM`` that depends on an ``ARG`` without a default is left alone, since the build sets it.
Dockerfiles named or placed for development or tests (``Dockerfile.dev``, ``.devcontainer/``) are
skipped.

## Why it matters
An untagged base image is whatever was newest when the build ran: a rebuild of the same commit
can move to a new Python or OS release and break, and two environments built a day apart differ
(DEPLOY-01, DEPLOY-04).

## Example
```dockerfile
FROM python
```

## Use instead
```dockerfile
FROM python:3.12-slim-bookworm
# or, reproducibly: FROM python:3.12-slim-bookworm@sha256:<digest>
```

## References
- Dockerfile best practices, FROM: https://docs.docker.com/build/building/best-practices/#from
- Hadolint DL3006/DL3007: https://github.com/hadolint/hadolint/wiki/DL3007
"""

from __future__ import annotations

from checks.detector import Detector, Project
from checks.detectors.deployment._dockerfile import dockerfiles, split_image

NO_DOCKERFILE = ("no Dockerfile: the service may be deployed without a container image "
                 "(Procfile, buildpacks, serverless)")


class UnpinnedBaseImage(Detector):
    """Flags ``FROM`` lines without a tag or digest (see module docstring)."""

    slug = "unpinned-base-image"
    items = ("DEPLOY-01",)

    def finish(self, project: Project) -> None:
        files = dockerfiles(project)
        if not files:
            self.not_applicable("DEPLOY-01", NO_DOCKERFILE)
            return
        pinned: list[str] = []
        for df in files:
            for stage in df.stages:
                image = stage.image
                if image is None or stage.parent is not None or image.lower() == "scratch":
                    continue
                name, tag, digest = split_image(image)
                where = f"{df.path}:{stage.start.line}"
                if digest or (tag and tag != "latest"):
                    pinned.append(f"{image} ({where})")
                    continue
                shown = f"`{image}`" + (
                    f" (from `{stage.written}`)" if stage.written != image else ""
                )
                problem = "the `latest` tag" if tag else "no tag"
                self.report(
                    "DEPLOY-01", df.path, stage.start.line,
                    f"Base image {shown} has {problem}: each build may pull a different image",
                    f"Pin the base image to a version tag such as `{name}:3.12-slim`, or to a "
                    "digest (`@sha256:...`) for reproducible builds.",
                    key=f"{self.slug}:{name}:{tag or ''}",
                )
        if pinned:
            self.evidence("DEPLOY-01", "base images pinned: " + ", ".join(pinned))
