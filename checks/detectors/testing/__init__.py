"""Detectors of the testing domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.testing.api_without_contract_tests import ApiWithoutContractTests
from checks.detectors.testing.duplicated_test_setup import DuplicatedTestSetup
from checks.detectors.testing.no_integration_tests import NoIntegrationTests
from checks.detectors.testing.no_load_tests import NoLoadTests
from checks.detectors.testing.no_security_scanning import NoSecurityScanning
from checks.detectors.testing.real_http_call_in_test import RealHttpCallInTest
from checks.detectors.testing.source_changed_without_tests import SourceChangedWithoutTests

DETECTORS: tuple[type[Detector], ...] = (
    SourceChangedWithoutTests,
    NoIntegrationTests,
    ApiWithoutContractTests,
    NoLoadTests,
    NoSecurityScanning,
    DuplicatedTestSetup,
    RealHttpCallInTest,
)
