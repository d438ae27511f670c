"""Detectors of the deployment domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.deployment.ci_without_tests import CiWithoutTests
from checks.detectors.deployment.container_runs_as_root import ContainerRunsAsRoot
from checks.detectors.deployment.hardcoded_service_address import HardcodedServiceAddress
from checks.detectors.deployment.missing_ci_pipeline import MissingCiPipeline
from checks.detectors.deployment.missing_container_orchestration import (
    MissingContainerOrchestration,
)
from checks.detectors.deployment.missing_infrastructure_as_code import (
    MissingInfrastructureAsCode,
)
from checks.detectors.deployment.single_stage_build_tools import SingleStageBuildTools
from checks.detectors.deployment.unpinned_base_image import UnpinnedBaseImage
from checks.detectors.deployment.unpinned_dependencies import UnpinnedDependencies

DETECTORS: tuple[type[Detector], ...] = (
    SingleStageBuildTools,
    ContainerRunsAsRoot,
    UnpinnedBaseImage,
    MissingContainerOrchestration,
    MissingCiPipeline,
    CiWithoutTests,
    MissingInfrastructureAsCode,
    HardcodedServiceAddress,
    UnpinnedDependencies,
)
