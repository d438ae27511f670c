import re

from checks.model import Domain, Status
from checks.render import text
from tests.render import samples
from tests.render.reports import finding, report, result

SMALL = """\
Reviewed 10 files (6 Python): the domains the change touches:
  SEC Security: `app/db.py` modified; added `execute(` in `app/db.py`
  OBS Observability: added `print(` in `app/billing.py`

fail · Security
  SEC-08 SQL injection is prevented (parameterized queries)
app/db.py:42: SEC-08 f-string passed to `cursor.execute` [high, added line, blocking]
    fix: pass the values as parameters
app/db.py:57: SEC-08 `%` formatting passed to `cursor.execute` [high, pre-existing]
    fix: pass the values as parameters

warn · Observability
  OBS-01 Structured logging is implemented
app/billing.py:4: OBS-01 `print()` in service code [low, added line]
    fix: log with `logging` or `structlog`

error
  SEC-12 Password hashing uses bcrypt/argon2: detector weak-hash failed: KeyError: 'x'

1 needs attestation: SEC-01
  a reviewer attests each on the pull request: /archreview attest <ID> <evidence>

notes
app/bad.py: not parsed: not reviewed: syntax error at line 3 (invalid syntax)

failure: 1 fail, 1 warn, 1 pass, 1 skipped, 1 not applicable, 1 needs attestation, 1 error; \
1 blocking finding on added lines
"""

LOCATED = """\
Reviewed 10 files (6 Python): the change touches no checklist domain.

fail · Deployment & Infrastructure
  DEPLOY-01 Dockerfile is optimized (multi-stage)
Dockerfile: DEPLOY-01 single-stage build [critical, changed file, blocking]
    fix: add a build stage
(project): DEPLOY-01 no `.dockerignore` [low, pre-existing]
    fix: add one

warn · Resilience
  RES-03 Timeouts are configured appropriately
app/clients/pay ments.py:10: RES-03 `requests.post` without timeout [medium, added line]
    fix: pass `timeout=`

failure: 1 fail, 1 warn; 1 blocking finding in changed files
"""

CLEAN = """\
Reviewed 10 files (6 Python): every domain (full review).

1 needs attestation: ARCH-01
  a reviewer attests each on the pull request: /archreview attest <ID> <evidence>

success: 0 fail, 0 warn, 1 pass, 1 needs attestation
"""

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_small_report() -> None:
    assert text.render(samples.small()) == SMALL


def test_whole_file_and_project_findings() -> None:
    assert text.render(samples.located()) == LOCATED


def test_clean_full_review() -> None:
    assert text.render(samples.clean()) == CLEAN


def test_colour_only_adds_escape_codes_and_leaves_locations_plain() -> None:
    coloured = text.render(samples.small(), color=True)
    assert coloured != SMALL
    assert ANSI.sub("", coloured) == SMALL
    assert "\x1b[31m\x1b[1mfail · Security\x1b[0m\n" in coloured
    assert "\napp/db.py:42: SEC-08 f-string passed" in coloured


def test_findings_are_sorted_blocking_first_then_by_place() -> None:
    out = text.render(report(result(
        "OBS-01", Status.FAIL,
        finding("OBS-01", "b.py", 1, "late"),
        finding("OBS-01", "a.py", 9, "second"),
        finding("OBS-01", "z.py", 5, "blocks", blocking=True),
        finding("OBS-01", "a.py", 2, "first"))))
    lines = [ln for ln in out.splitlines() if ": OBS-01 " in ln]
    assert [ln.split(" [")[0] for ln in lines] == [
        "z.py:5: OBS-01 blocks", "a.py:2: OBS-01 first", "a.py:9: OBS-01 second",
        "b.py:1: OBS-01 late"]


def test_repository_text_cannot_drive_the_terminal() -> None:
    out = text.render(report(
        result("OBS-01", Status.WARN,
               finding("OBS-01", "a\x1b]0;x\x07.py", 3, "print(\x1b[2J)\nsecond line",
                       "use\tlogging")),
        domains={Domain.OBS: ["`\x1b[31mred.py` modified"]}))
    assert "\x1b" not in out
    assert "a\\x1b]0;x\\x07.py:3: OBS-01 print(\\x1b[2J) second line [medium, added line]\n" \
           "    fix: use logging\n" in out
    assert "  OBS Observability: `\\x1b[31mred.py` modified\n" in out


def test_long_attestation_lists_wrap() -> None:
    ids = [f"{d}-{n:02}" for d in ("ARCH", "DB") for n in range(1, 9)]
    out = text.render(report(*[result(i, Status.NEEDS_ATTESTATION) for i in ids]))
    assert ("16 need attestation: ARCH-01, ARCH-02, ARCH-03, ARCH-04, ARCH-05, ARCH-06, ARCH-07,"
            " ARCH-08, DB-01,\n  DB-02, DB-03, DB-04, DB-05, DB-06, DB-07, DB-08\n") in out
    assert all(len(line) <= 100 for line in out.splitlines())
