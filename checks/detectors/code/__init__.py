"""Detectors of the code domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.code.camelcase_function_name import CamelcaseFunctionName
from checks.detectors.code.circular_import import CircularImport
from checks.detectors.code.linting_not_automated import LintingNotAutomated
from checks.detectors.code.missing_type_hints import MissingTypeHints
from checks.detectors.code.scattered_env_reads import ScatteredEnvReads
from checks.detectors.code.scattered_test_files import ScatteredTestFiles
from checks.detectors.code.tab_indentation import TabIndentation
from checks.detectors.code.unittest_without_pytest import UnittestWithoutPytest
from checks.detectors.code.wildcard_import import WildcardImport

DETECTORS: tuple[type[Detector], ...] = (
    CircularImport,
    ScatteredEnvReads,
    MissingTypeHints,
    ScatteredTestFiles,
    UnittestWithoutPytest,
    WildcardImport,
    CamelcaseFunctionName,
    TabIndentation,
    LintingNotAutomated,
)
