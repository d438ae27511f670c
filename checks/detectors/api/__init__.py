"""Detectors of the api domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.api.unauthenticated_endpoint import UnauthenticatedEndpoint
from checks.detectors.api.unpaginated_list_endpoint import UnpaginatedListEndpoint
from checks.detectors.api.unvalidated_request_input import UnvalidatedRequestInput

DETECTORS: tuple[type[Detector], ...] = (
    UnauthenticatedEndpoint,
    UnpaginatedListEndpoint,
    UnvalidatedRequestInput,
)
