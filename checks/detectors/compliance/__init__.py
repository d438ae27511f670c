"""Detectors of the compliance domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.compliance.logs_written_to_file import LogsWrittenToFile
from checks.detectors.compliance.no_audit_trail import NoAuditTrail
from checks.detectors.compliance.personal_data_in_logs import PersonalDataInLogs
from checks.detectors.compliance.state_on_local_disk import StateOnLocalDisk

DETECTORS: tuple[type[Detector], ...] = (
    PersonalDataInLogs,
    NoAuditTrail,
    LogsWrittenToFile,
    StateOnLocalDisk,
)
