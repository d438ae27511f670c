"""Detectors of the documentation domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.documentation.architecture_diagram_missing import (
    ArchitectureDiagramMissing,
)
from checks.detectors.documentation.contributing_guide_missing import ContributingGuideMissing
from checks.detectors.documentation.deployment_undocumented import DeploymentUndocumented
from checks.detectors.documentation.public_definition_without_docstring import (
    PublicDefinitionWithoutDocstring,
)
from checks.detectors.documentation.readme_missing_sections import ReadmeMissingSections
from checks.detectors.documentation.setup_instructions_missing import SetupInstructionsMissing
from checks.detectors.documentation.undocumented_api_endpoint import UndocumentedApiEndpoint
from checks.detectors.documentation.undocumented_configuration import (
    UndocumentedConfiguration,
)

DETECTORS: tuple[type[Detector], ...] = (
    UndocumentedApiEndpoint,
    ArchitectureDiagramMissing,
    SetupInstructionsMissing,
    UndocumentedConfiguration,
    DeploymentUndocumented,
    PublicDefinitionWithoutDocstring,
    ReadmeMissingSections,
    ContributingGuideMissing,
)
