"""Detectors of the scalability domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.scalability.pool_without_pre_ping import PoolWithoutPrePing

DETECTORS: tuple[type[Detector], ...] = (PoolWithoutPrePing,)
