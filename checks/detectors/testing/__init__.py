"""Detectors of the testing domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector

DETECTORS: tuple[type[Detector], ...] = ()
