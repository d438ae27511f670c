"""Detectors of the resilience domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.resilience.external_call_without_retry import ExternalCallWithoutRetry
from checks.detectors.resilience.http_call_without_timeout import HttpCallWithoutTimeout
from checks.detectors.resilience.missing_circuit_breaker import MissingCircuitBreaker
from checks.detectors.resilience.queue_without_dead_letter import QueueWithoutDeadLetter
from checks.detectors.resilience.swallowed_exception import SwallowedException

DETECTORS: tuple[type[Detector], ...] = (
    ExternalCallWithoutRetry,
    MissingCircuitBreaker,
    HttpCallWithoutTimeout,
    SwallowedException,
    QueueWithoutDeadLetter,
)
