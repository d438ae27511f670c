"""Detectors of the observability domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.observability.missing_error_tracking import MissingErrorTracking
from checks.detectors.observability.missing_health_endpoint import MissingHealthEndpoint
from checks.detectors.observability.missing_metrics import MissingMetrics
from checks.detectors.observability.missing_performance_monitoring import (
    MissingPerformanceMonitoring,
)
from checks.detectors.observability.missing_tracing import MissingTracing
from checks.detectors.observability.print_instead_of_logging import PrintInsteadOfLogging
from checks.detectors.observability.unstructured_logging import UnstructuredLogging

DETECTORS: tuple[type[Detector], ...] = (
    PrintInsteadOfLogging,
    UnstructuredLogging,
    MissingMetrics,
    MissingTracing,
    MissingErrorTracking,
    MissingHealthEndpoint,
    MissingPerformanceMonitoring,
)
