"""Reports shared by the renderer tests."""

from __future__ import annotations

from checks.model import Domain, Note, Placement, Report, Severity, Status
from tests.render.reports import finding, report, result


def small() -> Report:
    """One item in each status, two domains, a crashed detector and a file that did not parse."""
    return report(
        result("SEC-08", Status.FAIL,
               finding("SEC-08", "app/db.py", 42, "f-string passed to `cursor.execute`",
                       "pass the values as parameters", severity=Severity.HIGH, blocking=True),
               finding("SEC-08", "app/db.py", 57, "`%` formatting passed to `cursor.execute`",
                       "pass the values as parameters", severity=Severity.HIGH,
                       placement=Placement.PRE_EXISTING)),
        result("OBS-01", Status.WARN,
               finding("OBS-01", "app/billing.py", 4, "`print()` in service code",
                       "log with `logging` or `structlog`", severity=Severity.LOW)),
        result("SEC-03", Status.PASS,
               evidence=["`CORSMiddleware` with an allowlist at app/main.py:9"]),
        result("SEC-14", Status.NOT_APPLICABLE, evidence=["no web framework"]),
        result("SEC-01", Status.NEEDS_ATTESTATION),
        result("SEC-12", Status.ERROR, evidence=["detector weak-hash failed: KeyError: 'x'"]),
        result("DB-03", Status.SKIPPED, evidence=["DB not touched by the diff"]),
        domains={Domain.SEC: ["`app/db.py` modified", "added `execute(` in `app/db.py`"],
                 Domain.OBS: ["added `print(` in `app/billing.py`"]},
        notes=[Note("error", "detector weak-hash failed: KeyError: 'x'"),
               Note("parse", "not reviewed: syntax error at line 3 (invalid syntax)",
                    "app/bad.py")],
    )


def clean() -> Report:
    """A full review with no finding: one pass, one item awaiting attestation."""
    return report(
        result("OBS-06", Status.PASS, evidence=["`/healthz` route at app/main.py:12"]),
        result("ARCH-01", Status.NEEDS_ATTESTATION),
        full=True,
    )


def located() -> Report:
    """Findings on a line range, on a whole file and on the whole project."""
    return report(
        result("DEPLOY-01", Status.FAIL,
               finding("DEPLOY-01", "Dockerfile", 0, "single-stage build", "add a build stage",
                       severity=Severity.CRITICAL, placement=Placement.CHANGED_FILE,
                       blocking=True),
               finding("DEPLOY-01", "", 0, "no `.dockerignore`", "add one",
                       severity=Severity.LOW, placement=Placement.PRE_EXISTING)),
        result("RES-03", Status.WARN,
               finding("RES-03", "app/clients/pay ments.py", 10, "`requests.post` without timeout",
                       "pass `timeout=`", end_line=14)),
    )
