from checks.detectors.compliance.personal_data_in_logs import PersonalDataInLogs, classify
from checks.model import Status
from tests.helpers import found, run, status

SERVICE = """\
import hashlib
import logging

import structlog
from loguru import logger as loguru_logger

log = logging.getLogger(__name__)
slog = structlog.get_logger()


def reset(user, data, patient, request, emails):
    log.info("password reset for %s", user.email)
    logging.warning(f"bad phone {data['phone']}")
    slog.info("signup", date_of_birth=user.dob)
    loguru_logger.info("record {}", patient.diagnosis)
    log.info("lookup", extra={"customer_email": data.get("x")})
    print("sending to", request.POST.get("email"))
    log.info("sent %d", len(emails))
    log.info("hash %s", hashlib.sha256(user.email.encode()).hexdigest())
    log.info("has email: %s", user.email is not None)
    log.info("Email sent to the user")
    log.info("from %s", settings.DEFAULT_FROM_EMAIL)
    log.info("user %s", user.id)
    log.warning("address id %s", address.id)
    cache.get(user.email)
    structlog.get_logger().error("denied", patient_name=patient.name, ip_address=request.ip)
"""


def test_classify() -> None:
    assert classify("email") == "COMP-01"
    assert classify("customer_email") == "COMP-01"
    assert classify("DEFAULT_FROM_EMAIL") is None
    assert classify("server_address") is None
    assert classify("medical_record_number") == "COMP-02"
    assert classify("patient_diagnosis") == "COMP-02"
    assert classify("email_enabled") is None


def test_flags_log_calls_with_personal_and_health_data() -> None:
    report = run(PersonalDataInLogs, {"app/accounts.py": SERVICE})
    assert found(report) == [
        ("COMP-01", "app/accounts.py", 12),
        ("COMP-01", "app/accounts.py", 13),
        ("COMP-01", "app/accounts.py", 14),
        ("COMP-01", "app/accounts.py", 16),
        ("COMP-01", "app/accounts.py", 17),
        ("COMP-01", "app/accounts.py", 26),
        ("COMP-02", "app/accounts.py", 15),
        ("COMP-02", "app/accounts.py", 26),
    ]
    messages = {f.start_line: f.message for f in report.findings}
    assert messages[12] == "log.info() writes personal data to the logs: user.email"
    assert messages[15] == "loguru.logger.info() writes health data to the logs: patient.diagnosis"
    assert messages[17] == "print() writes personal data to the logs: request.POST.get('email')"
    assert status(report, "COMP-02") is Status.WARN


def test_ignores_tests_scripts_and_cli_prints() -> None:
    files = {
        "tests/test_x.py": SERVICE,
        "scripts/export.py": SERVICE,
        "app/cli.py": "import argparse\n\ndef main(user):\n    print(user.email)\n",
    }
    report = run(PersonalDataInLogs, files)
    assert found(report) == []
    assert status(report, "COMP-01") is Status.PASS
    assert report.result("COMP-01").evidence == [
        "no log or print call writes personal-data fields (0 calls checked)"]


def test_flags_the_projects_own_logging_helper() -> None:
    code = ("from app.utils.logging import log\n\n\ndef register(user, name):\n"
            "    log('registrations', format='{name} with {email}', email=user.email)\n"
            "    full_name = name + '.zip'\n    print('exported', full_name)\n")
    report = run(PersonalDataInLogs, {"app/auth.py": code})
    assert found(report) == [("COMP-01", "app/auth.py", 5)]
    assert report.findings[0].message == (
        "app.utils.logging.log() writes personal data to the logs: email=user.email")


def test_aliased_logging_helper_is_flagged_and_only_log_calls_are_counted() -> None:
    code = ("from app.utils.logging import log as write_log\n\n\ndef register(user, rows):\n"
            "    write_log('registrations', email=user.email)\n"
            "    rows.append(user.email)\n    write_log('done', count=len(rows))\n")
    report = run(PersonalDataInLogs, {"app/auth.py": code})
    assert found(report) == [("COMP-01", "app/auth.py", 5)]
    assert report.findings[0].message == (
        "app.utils.logging.log() writes personal data to the logs: email=user.email")
    assert report.result("COMP-02").evidence == [
        "no log or print call writes health-data fields (2 calls checked)"]
