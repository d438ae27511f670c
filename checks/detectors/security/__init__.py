"""Detectors of the security domain; :data:`DETECTORS` lists them for the registry.

``secret_in_deployment_config`` decides DEPLOY-09 (secrets in deployment files) because it
shares its secret-name and placeholder rules with ``hardcoded_secret`` (SEC-07).
"""

from checks.detector import Detector
from checks.detectors.security.broken_cryptography import BrokenCryptography
from checks.detectors.security.cors_wildcard_origin import CorsWildcardOrigin
from checks.detectors.security.csrf_protection_disabled import CsrfProtectionDisabled
from checks.detectors.security.debug_mode_enabled import DebugModeEnabled
from checks.detectors.security.dependency_scanning_missing import DependencyScanningMissing
from checks.detectors.security.django_deploy_settings_missing import DjangoDeploySettingsMissing
from checks.detectors.security.drf_default_permission_allow_any import (
    DrfDefaultPermissionAllowAny,
)
from checks.detectors.security.dynamic_code_evaluation import DynamicCodeEvaluation
from checks.detectors.security.hardcoded_secret import HardcodedSecret
from checks.detectors.security.insecure_jwt_decode import InsecureJwtDecode
from checks.detectors.security.insecure_random_secret import InsecureRandomSecret
from checks.detectors.security.secret_in_deployment_config import SecretInDeploymentConfig
from checks.detectors.security.shell_command_injection import ShellCommandInjection
from checks.detectors.security.sql_injection import SqlInjection
from checks.detectors.security.template_autoescape_disabled import TemplateAutoescapeDisabled
from checks.detectors.security.template_built_from_input import TemplateBuiltFromInput
from checks.detectors.security.tls_verification_disabled import TlsVerificationDisabled
from checks.detectors.security.unescaped_html_markup import UnescapedHtmlMarkup
from checks.detectors.security.unsafe_deserialization import UnsafeDeserialization
from checks.detectors.security.weak_password_hash import WeakPasswordHash

DETECTORS: tuple[type[Detector], ...] = (
    InsecureJwtDecode,
    InsecureRandomSecret,
    DrfDefaultPermissionAllowAny,
    CorsWildcardOrigin,
    CsrfProtectionDisabled,
    TlsVerificationDisabled,
    BrokenCryptography,
    HardcodedSecret,
    SqlInjection,
    UnescapedHtmlMarkup,
    TemplateAutoescapeDisabled,
    TemplateBuiltFromInput,
    DebugModeEnabled,
    DjangoDeploySettingsMissing,
    DependencyScanningMissing,
    WeakPasswordHash,
    UnsafeDeserialization,
    DynamicCodeEvaluation,
    ShellCommandInjection,
    SecretInDeploymentConfig,
)
