"""The registry: every detector, and which items each decides. The only list of detectors."""

from __future__ import annotations

from checks.detector import Detector
from checks.detectors import (
    api,
    architecture,
    code,
    compliance,
    database,
    deployment,
    documentation,
    observability,
    resilience,
    scalability,
    security,
    testing,
)

DETECTORS: tuple[type[Detector], ...] = (
    *architecture.DETECTORS,
    *database.DETECTORS,
    *api.DETECTORS,
    *security.DETECTORS,
    *scalability.DETECTORS,
    *observability.DETECTORS,
    *deployment.DETECTORS,
    *code.DETECTORS,
    *resilience.DETECTORS,
    *testing.DETECTORS,
    *documentation.DETECTORS,
    *compliance.DETECTORS,
)


def detectors_for(item_id: str) -> list[type[Detector]]:
    """The detectors that decide ``item_id`` (upper-case ID), in registry order."""
    return [d for d in DETECTORS if item_id in d.items]
