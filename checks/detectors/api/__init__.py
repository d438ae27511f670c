"""Detectors of the api domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.api.error_response_with_success_status import (
    ErrorResponseWithSuccessStatus,
)
from checks.detectors.api.inconsistent_http_error_shape import InconsistentHttpErrorShape
from checks.detectors.api.missing_api_docs import MissingApiDocs
from checks.detectors.api.missing_rate_limiting import MissingRateLimiting
from checks.detectors.api.mixed_web_frameworks import MixedWebFrameworks
from checks.detectors.api.unauthenticated_endpoint import UnauthenticatedEndpoint
from checks.detectors.api.unconventional_endpoint_path import UnconventionalEndpointPath
from checks.detectors.api.unpaginated_list_endpoint import UnpaginatedListEndpoint
from checks.detectors.api.unvalidated_request_input import UnvalidatedRequestInput
from checks.detectors.api.unversioned_api import UnversionedApi

DETECTORS: tuple[type[Detector], ...] = (
    MixedWebFrameworks,
    UnconventionalEndpointPath,
    UnversionedApi,
    UnauthenticatedEndpoint,
    MissingRateLimiting,
    MissingApiDocs,
    ErrorResponseWithSuccessStatus,
    InconsistentHttpErrorShape,
    UnpaginatedListEndpoint,
    UnvalidatedRequestInput,
)
