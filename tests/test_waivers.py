import dataclasses
import json
from datetime import UTC, date, datetime, timedelta

import jsonschema
import pytest

from checks import catalogue
from checks.config import load
from checks.model import (
    Attestation,
    Conclusion,
    Domain,
    Method,
    Placement,
    Refusal,
    Report,
    Severity,
    Status,
    Triage,
    Waiver,
)
from checks.render import jsonreport, markdown, sarif, text
from checks.waivers import (
    WAIVE_WARNINGS_REASON,
    Action,
    ActionVerb,
    apply,
    config_waivers,
    from_comments,
    waive_warnings,
)
from tests.render.reports import finding, report, result
from tests.render.test_sarif import validate

T0 = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
TODAY = date(2024, 5, 3)
PR = "https://github.com/acme/shop/pull/7"


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def act(verb: ActionVerb, *items: str, text: str = "why", author: str = "alice", minute: int = 0,
        fp: str | None = None, link: str = "") -> Action:
    return Action(verb, items, text, author, link or f"{PR}#c{minute}", at(minute), fp)


# --- from_comments ----------------------------------------------------------------------------


def test_waive_then_unwaive_then_waive_again() -> None:
    waivers, attestations = from_comments([
        act("waive", "SEC-08", "SEC-09", text="reporting DSL", minute=1),
        act("unwaive", "SEC-08", author="bob", minute=2),
        act("waive", "SEC-08", text="second thoughts", author="carol", minute=3),
    ])
    assert attestations == []
    assert waivers == [
        Waiver("SEC-09", None, "alice", "reporting DSL", f"{PR}#c1", at(1)),
        Waiver("SEC-08", None, "carol", "second thoughts", f"{PR}#c3", at(3)),
    ]


def test_order_is_by_time_not_by_list_position() -> None:
    waivers, _ = from_comments([
        act("unwaive", "SEC-08", minute=5),
        act("waive", "SEC-08", minute=1),
    ])
    assert waivers == []


def test_later_waive_replaces_the_reason() -> None:
    waivers, _ = from_comments([
        act("waive", "sec-08", text="first", minute=1),
        act("waive", "SEC-08", text="  better reason ", author="bob", minute=2),
    ])
    assert waivers == [Waiver("SEC-08", None, "bob", "better reason", f"{PR}#c2", at(2))]


def test_unwaive_item_removes_its_finding_waivers_and_finding_unwaive_only_one() -> None:
    waivers, _ = from_comments([
        act("waive", "SEC-08", fp="aaa", minute=1),
        act("waive", "SEC-08", fp="bbb", minute=2),
        act("waive", "OBS-01", fp="ccc", minute=3),
        act("unwaive", "SEC-08", fp="aaa", minute=4),
    ])
    assert [(w.item_id, w.fingerprint) for w in waivers] == [("SEC-08", "bbb"), ("OBS-01", "ccc")]
    waivers, _ = from_comments([
        act("waive", "SEC-08", fp="aaa", minute=1),
        act("waive", "SEC-08", minute=2),
        act("unwaive", "SEC-08", minute=3),
    ])
    assert waivers == []


def test_attestations_latest_wins_and_unwaive_leaves_them() -> None:
    waivers, attestations = from_comments([
        act("attest", "ARCH-01", text="https://wiki/adr/1", minute=1),
        act("attest", "ARCH-02", text="context map in docs/", author="bob", minute=2),
        act("attest", "ARCH-01", text="https://wiki/adr/2", author="carol", minute=3),
        act("unwaive", "ARCH-01", minute=4),
    ])
    assert waivers == []
    assert attestations == [
        Attestation("ARCH-02", "bob", "context map in docs/", f"{PR}#c2", at(2)),
        Attestation("ARCH-01", "carol", "https://wiki/adr/2", f"{PR}#c3", at(3)),
    ]


def test_naive_and_aware_times_sort_together() -> None:
    naive = Action("unwaive", ("SEC-08",), "", "bob", "", datetime(2024, 5, 2, 9, 31))
    waivers, _ = from_comments([naive, act("waive", "SEC-08", minute=0)])
    assert waivers == []


# --- config waivers ---------------------------------------------------------------------------


CONFIG = """\
waivers:
  - item: SEC-08
    paths: ["app/legacy/**"]
    reason: reporting queries
    owner: acme/security
    expires: 2024-05-03
  - item: OBS-01
    reason: CLI prints on purpose
    owner: "@bob"
    expires: 2024-05-02
"""


def test_config_waivers_split_on_the_last_day() -> None:
    cfg, errors = load(CONFIG)
    assert errors == []
    active, expired = config_waivers(cfg, TODAY, link="https://github.com/acme/shop/blob/main/"
                                                    ".github/archreview.yml")
    assert active == [Waiver("SEC-08", None, "acme/security", "reporting queries",
                             "https://github.com/acme/shop/blob/main/.github/archreview.yml#L2",
                             None, "config", ("app/legacy/**",), date(2024, 5, 3))]
    assert expired == [Waiver("OBS-01", None, "bob", "CLI prints on purpose",
                              "https://github.com/acme/shop/blob/main/.github/archreview.yml#L7",
                              None, "config", (), date(2024, 5, 2))]
    assert config_waivers(cfg, date(2024, 5, 4))[0] == []
    assert config_waivers(cfg, TODAY)[0][0].link == ""


# --- apply ------------------------------------------------------------------------------------

BLOCKING = finding("SEC-08", "app/db.py", 42, "f-string passed to `cursor.execute`",
                   severity=Severity.HIGH, blocking=True)
OLD = finding("SEC-08", "app/db.py", 57, "`%` formatting passed to `cursor.execute`",
              severity=Severity.HIGH, placement=Placement.PRE_EXISTING)
LEGACY = finding("SEC-08", "app/legacy/report.py", 9, "f-string passed to `cursor.execute`",
                 severity=Severity.HIGH, blocking=True)
PRINT = finding("OBS-01", "app/billing.py", 4, "`print()` in service code", severity=Severity.LOW)
PROJECT = finding("OBS-06", "", 0, "no health route", severity=Severity.MEDIUM,
                  placement=Placement.PRE_EXISTING)


def base() -> Report:
    return report(
        result("SEC-08", Status.FAIL, BLOCKING, OLD, LEGACY),
        result("OBS-01", Status.WARN, PRINT),
        result("OBS-06", Status.WARN, PROJECT),
        result("ARCH-01", Status.NEEDS_ATTESTATION),
        result("ARCH-02", Status.NEEDS_ATTESTATION),
        result("SEC-03", Status.PASS, evidence=["allowlist"]),
        domains={Domain.SEC: ["`app/db.py` modified"], Domain.OBS: ["`app/billing.py` added"],
                 Domain.ARCH: ["new service"]},
    )


def statuses(rep: Report) -> dict[str, Status]:
    return {r.item_id: r.status for r in rep.results}


def waived(rep: Report) -> list[tuple[str, str, int, str | None]]:
    return [(f.item_id, f.path, f.start_line, f.waiver.author if f.waiver else None)
            for f in rep.findings]


def test_item_waiver_waives_every_finding_and_unblocks() -> None:
    rep = base()
    assert rep.conclusion is Conclusion.FAILURE
    w = Waiver("SEC-08", None, "alice", "reporting DSL", f"{PR}#c1", T0)
    out = apply(rep, [w], [], [], TODAY)
    assert statuses(out)["SEC-08"] is Status.WAIVED
    assert [(f.start_line, f.waiver, f.blocking) for f in out.result("SEC-08").findings] == [
        (42, w, False), (57, w, False), (9, w, False)]
    assert out.conclusion is Conclusion.SUCCESS
    assert out.triage == Triage(waivers=(w,))
    # the input report is left as it was
    assert rep.result("SEC-08").status is Status.FAIL and rep.triage is None
    assert [f.blocking for f in rep.result("SEC-08").findings] == [True, False, True]


def test_finding_waivers_recompute_fail_and_warn() -> None:
    one = Waiver("SEC-08", BLOCKING.fingerprint, "bob", "test double", f"{PR}#r1", T0)
    out = apply(base(), [one], [], [], TODAY)
    assert statuses(out)["SEC-08"] is Status.FAIL  # LEGACY still blocks
    assert waived(out)[:3] == [("OBS-06", "", 0, None), ("OBS-01", "app/billing.py", 4, None),
                               ("SEC-08", "app/db.py", 42, "bob")]
    two = Waiver("SEC-08", LEGACY.fingerprint, "bob", "legacy", f"{PR}#r2", T0)
    out = apply(base(), [one, two], [], [], TODAY)
    assert statuses(out)["SEC-08"] is Status.WARN  # OLD is left, and it does not block
    assert out.conclusion is Conclusion.SUCCESS


def test_fingerprint_of_another_item_does_not_match() -> None:
    w = Waiver("OBS-01", BLOCKING.fingerprint, "bob", "wrong item", "", T0)
    out = apply(base(), [w], [], [], TODAY)
    assert statuses(out)["SEC-08"] is Status.FAIL
    assert all(f.waiver is None for f in out.findings)
    assert out.triage is not None and out.triage.waivers == (w,)


def test_config_waiver_paths_restrict_it() -> None:
    cfg, _ = load(CONFIG)
    active, expired = config_waivers(cfg, TODAY)
    out = apply(base(), active + expired, [], [], TODAY)
    assert waived(out) == [
        ("OBS-06", "", 0, None),
        ("OBS-01", "app/billing.py", 4, None),
        ("SEC-08", "app/db.py", 42, None),
        ("SEC-08", "app/db.py", 57, None),
        ("SEC-08", "app/legacy/report.py", 9, "acme/security"),
    ]
    assert statuses(out)["SEC-08"] is Status.FAIL
    assert statuses(out)["OBS-01"] is Status.WARN  # its waiver expired yesterday
    assert out.triage == Triage(waivers=tuple(active), expired=tuple(expired))


def test_paths_never_match_a_project_finding() -> None:
    w = Waiver("OBS-06", None, "ops", "later", "", None, "config", ("**",), date(2030, 1, 1))
    assert statuses(apply(base(), [w], [], [], TODAY))["OBS-06"] is Status.WARN
    w = dataclasses.replace(w, paths=())
    assert statuses(apply(base(), [w], [], [], TODAY))["OBS-06"] is Status.WAIVED


def test_precedence_fingerprint_then_comment_then_config() -> None:
    config = Waiver("SEC-08", None, "owner", "config", "", None, "config", (), date(2030, 1, 1))
    item_old = Waiver("SEC-08", None, "alice", "old", "", at(1))
    item_new = Waiver("SEC-08", None, "bob", "new", "", at(2))
    one = Waiver("SEC-08", OLD.fingerprint, "carol", "one", "", at(0))
    out = apply(base(), [config, one, item_new, item_old], [], [], TODAY)
    assert [f.waiver.author if f.waiver else None for f in out.result("SEC-08").findings] == [
        "bob", "carol", "bob"]
    out = apply(base(), [config], [], [], TODAY)
    assert {f.waiver.author if f.waiver else None for f in out.result("SEC-08").findings} == {
        "owner"}


def test_attestations_and_waivers_of_attestation_items() -> None:
    a = Attestation("ARCH-01", "carol", "https://wiki/adr/7", f"{PR}#c3", T0)
    w = Waiver("ARCH-02", None, "alice", "not relevant for a batch job", f"{PR}#c4", T0)
    out = apply(base(), [w], [a], [], TODAY)
    assert statuses(out)["ARCH-01"] is Status.ATTESTED
    assert statuses(out)["ARCH-02"] is Status.WAIVED
    assert statuses(out)["SEC-03"] is Status.PASS
    assert out.triage == Triage(waivers=(w,), attestations=(a,))


def test_attestation_does_not_clear_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    item = catalogue.get("OBS-01")  # an attestation item a detector also reports on
    monkeypatch.setitem(catalogue._BY_ID, "OBS-01",
                        dataclasses.replace(item, method=Method.ATTESTATION))
    a = Attestation("OBS-01", "carol", "prints are the CLI's output", "", T0)
    out = apply(base(), [], [a], [], TODAY)
    assert statuses(out)["OBS-01"] is Status.WARN
    w = Waiver("OBS-01", None, "alice", "CLI", "", T0)
    assert statuses(apply(base(), [w], [a], [], TODAY))["OBS-01"] is Status.ATTESTED


def test_attesting_a_detector_item_becomes_a_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    item = catalogue.get("SEC-08")
    monkeypatch.setitem(catalogue._BY_ID, "SEC-08", dataclasses.replace(item,
                                                                         method=Method.DETECTOR))
    bad = Attestation("SEC-08", "carol", "we checked", f"{PR}#c5", T0)
    empty = Attestation("ARCH-01", "carol", "  ", f"{PR}#c6", T0)
    unknown = Attestation("SEC-99", "carol", "x", f"{PR}#c7", T0)
    earlier = Refusal("dave", "waive SEC-08 x", "needs write", f"{PR}#c1")
    out = apply(base(), [], [bad, empty, unknown], [earlier], TODAY)
    assert out.triage == Triage(refusals=(
        earlier,
        Refusal("carol", "attest SEC-08 we checked",
                "SEC-08 is decided by a detector; waive it instead", f"{PR}#c5"),
        Refusal("carol", "attest ARCH-01", "no evidence given", f"{PR}#c6"),
        Refusal("carol", "attest SEC-99 x", "unknown checklist item 'SEC-99'", f"{PR}#c7"),
    ))
    assert statuses(out)["ARCH-01"] is Status.NEEDS_ATTESTATION


def test_errors_keep_the_conclusion_neutral() -> None:
    rep = report(result("SEC-08", Status.FAIL, BLOCKING),
                 result("SEC-12", Status.ERROR, evidence=["detector crashed"]))
    w = Waiver("SEC-08", None, "alice", "why", "", T0)
    out = apply(rep, [w], [], [], TODAY)
    assert out.conclusion is Conclusion.NEUTRAL
    assert statuses(out) == {"SEC-08": Status.WAIVED, "SEC-12": Status.ERROR}
    assert apply(rep, [], [], [], TODAY).conclusion is Conclusion.FAILURE


def test_apply_without_anything_sets_an_empty_triage() -> None:
    out = apply(base(), [], [], [], TODAY)
    assert out.triage == Triage()
    assert out.results == base().results and out.conclusion is Conclusion.FAILURE


def test_waive_all_warnings_waives_each_non_blocking_finding() -> None:
    already = Waiver("SEC-08", OLD.fingerprint, "carol", "earlier", "", at(0))
    rep = apply(base(), [already], [], [], TODAY)
    button = waive_warnings(rep, author="alice", link=f"{PR}/checks", created_at=at(9))
    assert button == [
        Waiver("OBS-06", PROJECT.fingerprint, "alice", WAIVE_WARNINGS_REASON, f"{PR}/checks",
               at(9)),
        Waiver("OBS-01", PRINT.fingerprint, "alice", WAIVE_WARNINGS_REASON, f"{PR}/checks",
               at(9)),
    ]
    out = apply(base(), [already, *button], [], [], TODAY)
    assert statuses(out) == {"SEC-08": Status.FAIL, "OBS-01": Status.WAIVED,
                             "OBS-06": Status.WAIVED, "ARCH-01": Status.NEEDS_ATTESTATION,
                             "ARCH-02": Status.NEEDS_ATTESTATION, "SEC-03": Status.PASS}
    assert out.conclusion is Conclusion.FAILURE


# --- rendering a triaged report -----------------------------------------------------------------


def triaged() -> Report:
    cfg, _ = load(CONFIG)
    active, expired = config_waivers(cfg, TODAY, link="https://github.com/acme/shop/blob/main/"
                                                      ".github/archreview.yml")
    comments, attestations = from_comments([
        act("waive", "OBS-01", text="CLI prints on purpose", author="bob", minute=1),
        act("waive", "SEC-08", text="test double", author="carol", minute=2,
            fp=BLOCKING.fingerprint),
        act("attest", "ARCH-01", text="https://wiki.example.com/adr/7", author="dana",
            minute=3),
    ])
    refusal = Refusal("erin", "waive SEC-08 meh",
                      "the author of a pull request may not waive items on it", f"{PR}#c4")
    return apply(base(), [*comments, *active, *expired], attestations, [refusal], TODAY)


def blob(path: str, line: int) -> str | None:
    return f"https://github.com/acme/shop/blob/abc/{path}#L{line}" if line else None


SECTION = """\
### 🔕 Waivers and attestations

- `OBS-01` Structured logging is implemented: **whole item** (1 finding) — waived by @bob on 2024-05-02 ([comment](https://github.com/acme/shop/pull/7#c1)): CLI prints on purpose
- `SEC-08` SQL injection is prevented (parameterized queries): **one finding**, [`app/db.py:42`](https://github.com/acme/shop/blob/abc/app/db.py#L42) — waived by @carol on 2024-05-02 ([comment](https://github.com/acme/shop/pull/7#c2)): test double
- `SEC-08` SQL injection is prevented (parameterized queries): **paths** `app/legacy/**` (1 finding) — waived in config (owner @acme/security) until 2024-05-03 ([config](https://github.com/acme/shop/blob/main/.github/archreview.yml#L2)): reporting queries
- `ARCH-01` Architecture style matches scale and complexity: **attested** by @dana on 2024-05-02 ([comment](https://github.com/acme/shop/pull/7#c3)): [https://wiki.example.com/adr/7](https://wiki.example.com/adr/7)

**Expired config waivers**, no longer applied:

- `OBS-01` Structured logging is implemented: whole item, owner @bob, expired on 2024-05-02 ([config](https://github.com/acme/shop/blob/main/.github/archreview.yml#L7)): CLI prints on purpose

**Refused**, nothing changed:

- @erin ([comment](https://github.com/acme/shop/pull/7#c4)): `waive SEC-08 meh` — the author of a pull request may not waive items on it

### 📝 Awaiting attestation (1 item)

No tool decides these; a reviewer attests each one with a comment giving a link or a sentence as evidence:

- `ARCH-02` Service boundaries are well-defined: `/archreview attest ARCH-02 <evidence>`

"""  # noqa: E501


def test_markdown_section_and_attestation_commands() -> None:
    out = markdown.render(triaged(), link=blob)
    start = out.index("### 🔕")
    end = out.index("### ✅")
    assert out[start:end] == SECTION
    assert ("- [`app/db.py:42`](https://github.com/acme/shop/blob/abc/app/db.py#L42): f-string "
            "passed to `cursor.execute` (high, added line, waived by @carol)") in out
    assert "| Domain | Fail | Warn | Waived | Pass | Skipped | N/A | Attest | Attested |" in out
    assert markdown.title(triaged()) == "2 items warn"  # SEC-08 keeps one non-blocking finding


def test_markdown_without_waivers_says_how_and_without_findings_says_nothing() -> None:
    out = markdown.render(apply(base(), [], [], [], TODAY))
    assert ("### 🔕 Waivers and attestations\n\nNone on this pull request. To waive items, "
            "comment `/archreview waive <ITEM>[,<ITEM>...] <reason>`; to waive one finding, "
            "reply `/waive <reason>` to its inline comment.\n") in out
    clean = apply(report(result("SEC-03", Status.PASS)), [], [], [], TODAY)
    assert "Waivers" not in markdown.render(clean)


def test_markdown_title_counts_waived_items() -> None:
    rep = apply(report(result("OBS-01", Status.WARN, PRINT), result("SEC-03", Status.PASS),
                       result("ARCH-01", Status.NEEDS_ATTESTATION),
                       domains={Domain.OBS: ["`app/billing.py` added"]}),
                [Waiver("OBS-01", None, "bob", "why", "", T0)],
                [Attestation("ARCH-01", "dana", "adr", "", T0)], [], TODAY)
    assert markdown.title(rep) == "No open findings: 1 item passes, 1 waived, 1 attested"


def test_markdown_stays_under_the_limit_with_huge_triage() -> None:
    findings = [finding("SEC-08", f"app/m{i}.py", i + 1, "x" * 500, "y" * 500,
                        severity=Severity.HIGH, blocking=True) for i in range(400)]
    rep = report(result("SEC-08", Status.FAIL, *findings),
                 *[result(i.id, Status.NEEDS_ATTESTATION) for i in catalogue.ITEMS[:60]])
    waivers = [Waiver("SEC-08", f.fingerprint, "a" * 39, "é" * 2000, f"{PR}#c{i}" + "z" * 400,
                      T0) for i, f in enumerate(findings[:300])]
    refusals = [Refusal("b" * 39, "waive SEC-08 " + "w" * 3000, "r" * 3000, f"{PR}#x")
                for _ in range(300)]
    out = markdown.render(apply(rep, waivers, [], refusals, TODAY), link=blob)
    assert len(out.encode("utf-8")) <= markdown.SUMMARY_LIMIT
    assert "### 🔕 Waivers and attestations" in out and "more\n" in out
    assert "### ❌ Failing (1 item)" in out and "### 📝 Awaiting attestation (60 items)" in out
    assert "summary cut" not in out


def test_json_has_triage_and_waivers_and_matches_its_schema() -> None:
    data = json.loads(jsonreport.render(triaged()))
    jsonschema.Draft202012Validator(jsonreport.SCHEMA).validate(data)
    assert data["counts"]["waived"] == 1 and data["counts"]["attested"] == 1
    sec = next(i for i in data["items"] if i["id"] == "SEC-08")
    assert [f["waiver"]["author"] if f["waiver"] else None for f in sec["findings"]] == [
        "carol", None, "acme/security"]
    assert sec["findings"][0]["waiver"] == {
        "item_id": "SEC-08", "scope": "finding", "fingerprint": BLOCKING.fingerprint,
        "author": "carol", "reason": "test double", "link": f"{PR}#c2",
        "created_at": "2024-05-02T09:32:00+00:00", "source": "comment", "paths": [],
        "expires": None}
    assert [w["author"] for w in data["triage"]["waivers"]] == ["bob", "carol", "acme/security"]
    assert data["triage"]["attestations"] == [
        {"item_id": "ARCH-01", "author": "dana", "evidence": "https://wiki.example.com/adr/7",
         "link": f"{PR}#c3", "created_at": "2024-05-02T09:33:00+00:00"}]
    assert data["triage"]["expired_waivers"][0]["expires"] == "2024-05-02"
    assert data["triage"]["refusals"][0]["author"] == "erin"
    plain = json.loads(jsonreport.render(base()))
    assert "triage" not in plain and "waived" not in plain["counts"]


def test_sarif_marks_waived_results_as_suppressed() -> None:
    log = validate(sarif.render(triaged(), version="1.2.3", anchor="pyproject.toml"))
    results = log["runs"][0]["results"]
    suppressions = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                     r["ruleId"]): r.get("suppressions") for r in results}
    assert [r.get("suppressions") for r in results if r["ruleId"] == "SEC-08"] == [
        [{"kind": "external", "status": "accepted", "justification": "test double",
          "properties": {"author": "carol", "source": "comment", "scope": "finding",
                         "link": f"{PR}#c2"}}],
        None,
        [{"kind": "external", "status": "accepted", "justification": "reporting queries",
          "properties": {"author": "acme/security", "source": "config", "scope": "item",
                         "link": "https://github.com/acme/shop/blob/main/.github/"
                                 "archreview.yml#L2",
                         "expires": "2024-05-03"}}],
    ]
    assert suppressions[("app/billing.py", "OBS-01")] == [
        {"kind": "external", "status": "accepted", "justification": "CLI prints on purpose",
         "properties": {"author": "bob", "source": "comment", "scope": "item",
                        "link": f"{PR}#c1"}}]


def test_text_shows_who_waived() -> None:
    out = text.render(triaged())
    assert ("app/db.py:42: SEC-08 f-string passed to `cursor.execute` "
            "[high, added line, waived by @carol]") in out
    assert "waived · Observability\n  OBS-01 Structured logging is implemented\n" in out
    assert ("waivers and attestations\n"
            "  OBS-01 (whole item), 1 finding waived by @bob on 2024-05-02: CLI prints on purpose"
            f" <{PR}#c1>\n"
            "  SEC-08 app/db.py:42 waived by @carol on 2024-05-02: test double"
            f" <{PR}#c2>\n"
            "  SEC-08 on app/legacy/**, 1 finding waived in config (owner @acme/security) until "
            "2024-05-03: reporting queries"
            " <https://github.com/acme/shop/blob/main/.github/archreview.yml#L2>\n"
            "  ARCH-01 attested by @dana on 2024-05-02: https://wiki.example.com/adr/7"
            f" <{PR}#c3>\n"
            "  expired: OBS-01 (whole item) waiver (owner @bob) ended 2024-05-02: CLI prints on "
            "purpose\n"
            "  refused: @erin \"waive SEC-08 meh\": the author of a pull request may not waive "
            f"items on it <{PR}#c4>\n") in out
