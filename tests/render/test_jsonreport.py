import json
from typing import Any

import jsonschema

from checks import catalogue
from checks.render import jsonreport
from tests.render import samples


def _item(item_id: str, status: str, evidence: list[str], findings: list[dict[str, Any]]
          ) -> dict[str, Any]:
    item = catalogue.get(item_id)  # method and severity may be tuned; the shape may not
    return {"id": item_id, "title": item.title, "domain": item.domain.value,
            "method": item.method.value, "severity": item.severity.label, "status": status,
            "evidence": evidence, "findings": findings}


def test_small_report() -> None:
    data = json.loads(jsonreport.render(samples.small()))
    db42 = samples.small().result("SEC-08").findings[0].fingerprint
    db57 = samples.small().result("SEC-08").findings[1].fingerprint
    billing = samples.small().result("OBS-01").findings[0].fingerprint
    assert data == {
        "version": 1,
        "conclusion": "failure",
        "full": False,
        "files_reviewed": 10,
        "python_files": 6,
        "counts": {"fail": 1, "warn": 1, "pass": 1, "skipped": 1, "not-applicable": 1,
                   "needs-attestation": 1, "error": 1},
        "blocking": 1,
        "domains": [
            {"id": "SEC", "title": "Security",
             "reasons": ["`app/db.py` modified", "added `execute(` in `app/db.py`"]},
            {"id": "OBS", "title": "Observability",
             "reasons": ["added `print(` in `app/billing.py`"]},
        ],
        "items": [
            _item("SEC-08", "fail", [], [
                {"item_id": "SEC-08", "detector": "demo-detector", "severity": "high",
                 "path": "app/db.py", "start_line": 42, "end_line": 42,
                 "message": "f-string passed to `cursor.execute`",
                 "hint": "pass the values as parameters", "fingerprint": db42,
                 "placement": "added-line", "blocking": True},
                {"item_id": "SEC-08", "detector": "demo-detector", "severity": "high",
                 "path": "app/db.py", "start_line": 57, "end_line": 57,
                 "message": "`%` formatting passed to `cursor.execute`",
                 "hint": "pass the values as parameters", "fingerprint": db57,
                 "placement": "pre-existing", "blocking": False},
            ]),
            _item("OBS-01", "warn", [], [
                {"item_id": "OBS-01", "detector": "demo-detector", "severity": "low",
                 "path": "app/billing.py", "start_line": 4, "end_line": 4,
                 "message": "`print()` in service code",
                 "hint": "log with `logging` or `structlog`", "fingerprint": billing,
                 "placement": "added-line", "blocking": False},
            ]),
            _item("SEC-03", "pass", ["`CORSMiddleware` with an allowlist at app/main.py:9"], []),
            _item("SEC-14", "not-applicable", ["no web framework"], []),
            _item("SEC-01", "needs-attestation", [], []),
            _item("SEC-12", "error", ["detector weak-hash failed: KeyError: 'x'"], []),
            _item("DB-03", "skipped", ["DB not touched by the diff"], []),
        ],
        "notes": [
            {"kind": "error", "message": "detector weak-hash failed: KeyError: 'x'", "path": ""},
            {"kind": "parse", "message": "not reviewed: syntax error at line 3 (invalid syntax)",
             "path": "app/bad.py"},
        ],
    }


def test_key_order_is_the_documented_one() -> None:
    data = json.loads(jsonreport.render(samples.small()))
    assert list(data) == ["version", "conclusion", "full", "files_reviewed", "python_files",
                          "counts", "blocking", "domains", "items", "notes"]
    assert list(data["items"][0]) == ["id", "title", "domain", "method", "severity", "status",
                                      "evidence", "findings"]
    assert list(data["items"][0]["findings"][0]) == [
        "item_id", "detector", "severity", "path", "start_line", "end_line", "message", "hint",
        "fingerprint", "placement", "blocking"]


def test_output_matches_its_schema() -> None:
    validator = jsonschema.Draft202012Validator(jsonreport.SCHEMA)
    validator.check_schema(jsonreport.SCHEMA)
    for sample in (samples.small(), samples.clean(), samples.located()):
        validator.validate(json.loads(jsonreport.render(sample)))


def test_schema_rejects_what_the_renderer_never_writes() -> None:
    data = json.loads(jsonreport.render(samples.small()))
    data["items"][0]["findings"][0]["placement"] = "somewhere"
    errors = list(jsonschema.Draft202012Validator(jsonreport.SCHEMA).iter_errors(data))
    assert [list(e.absolute_path) for e in errors] == [["items", 0, "findings", 0, "placement"]]


def test_deterministic_text_with_a_final_newline() -> None:
    first = jsonreport.render(samples.small())
    assert first == jsonreport.render(samples.small())
    assert first.endswith("}\n")
    assert first.startswith('{\n  "version": 1,\n  "conclusion": "failure",\n')
    assert "seconds" not in first  # durations would make two runs differ


def test_non_ascii_text_is_kept_as_utf8() -> None:
    unicode_report = samples.located()
    unicode_report.domains = {}
    unicode_report.results[0].evidence.append("vérifié ✓")
    assert '"vérifié ✓"' in jsonreport.render(unicode_report)
