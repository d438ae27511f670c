"""Detectors of the scalability domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.scalability.background_work_in_request_handler import (
    BackgroundWorkInRequestHandler,
)
from checks.detectors.scalability.dev_server_in_production import DevServerInProduction
from checks.detectors.scalability.long_running_call_in_request_handler import (
    LongRunningCallInRequestHandler,
)
from checks.detectors.scalability.pool_without_pre_ping import PoolWithoutPrePing

DETECTORS: tuple[type[Detector], ...] = (
    BackgroundWorkInRequestHandler,
    LongRunningCallInRequestHandler,
    PoolWithoutPrePing,
    DevServerInProduction,
)
