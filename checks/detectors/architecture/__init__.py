"""Detectors of the architecture domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.architecture.blocking_call_in_async import BlockingCallInAsync

DETECTORS: tuple[type[Detector], ...] = (BlockingCallInAsync,)
