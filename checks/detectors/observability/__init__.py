"""Detectors of the observability domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.observability.print_instead_of_logging import PrintInsteadOfLogging

DETECTORS: tuple[type[Detector], ...] = (PrintInsteadOfLogging,)
