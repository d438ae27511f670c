"""Detectors of the architecture domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.architecture.blocking_call_in_async import BlockingCallInAsync
from checks.detectors.architecture.conflicting_dependency_manifests import (
    ConflictingDependencyManifests,
)
from checks.detectors.architecture.undeclared_import import UndeclaredImport

DETECTORS: tuple[type[Detector], ...] = (
    UndeclaredImport,
    ConflictingDependencyManifests,
    BlockingCallInAsync,
)
