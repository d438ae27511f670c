from datetime import date

from checks.config import Config, WaiverRule, load
from checks.model import Domain, Severity


def test_defaults_without_file() -> None:
    cfg, errors = load(None)
    assert cfg == Config() and errors == []
    assert cfg.block_severity is Severity.HIGH and cfg.max_inline_comments == 20


def test_valid_file() -> None:
    cfg, errors = load(
        "disable: [doc-02]\nseverity:\n  API-08: high\nexclude: ['vendor/']\n"
        "blocking:\n  severity: medium\n  scope: all\ncomments:\n  max_inline: 5\n"
    )
    assert errors == []
    assert cfg.disabled == frozenset({"DOC-02"})
    assert cfg.severity == {"API-08": Severity.HIGH}
    assert cfg.excluded("vendor/lib/x.py") and not cfg.excluded("app/x.py")
    assert (cfg.block_severity, cfg.block_scope, cfg.max_inline_comments) == (
        Severity.MEDIUM, "all", 5)


def test_invalid_value_names_key_and_line_and_falls_back() -> None:
    cfg, errors = load("disable: []\nblocking:\n  scope: everywhere\n")
    assert cfg == Config()
    assert [(e.key, e.line) for e in errors] == [("blocking.scope", 3)]
    assert "everywhere" in errors[0].message
    assert str(errors[0]).startswith(".github/archreview.yml: blocking.scope (line 3):")


def test_unknown_key_and_unknown_item() -> None:
    _, errors = load("exclud: [x]\n")
    assert errors[0].line == 1 and "exclud" in errors[0].message
    _, errors = load("disable:\n  - SEC-08\n  - SEC-99\n")
    assert [(e.key, e.line) for e in errors] == [("disable.1", 3)]


def test_yaml_syntax_error_has_line() -> None:
    _, errors = load("disable: [SEC-01\nseverity: {}\n")
    assert len(errors) == 1 and errors[0].line == 2 and "not valid YAML" in errors[0].message


WAIVERS = """\
waivers:
  - item: sec-08
    paths: ["app/legacy/**", "scripts/*.py"]
    reason: reporting queries, parameters checked by the ORM layer
    owner: "@alice"
    expires: 2025-12-31
  - item: OBS-01
    reason: CLI tool, prints on purpose
    owner: acme/platform
    expires: 2026-01-15
approvers:
  sec: [acme/security, "@bob"]
  DB: [carol]
allow_author_waivers: true
"""


def test_waivers_approvers_and_author_waivers() -> None:
    cfg, errors = load(WAIVERS)
    assert errors == []
    assert cfg.waivers == (
        WaiverRule("SEC-08", "reporting queries, parameters checked by the ORM layer", "alice",
                   date(2025, 12, 31), ("app/legacy/**", "scripts/*.py"), 2),
        WaiverRule("OBS-01", "CLI tool, prints on purpose", "acme/platform", date(2026, 1, 15),
                   (), 7),
    )
    assert cfg.approvers == {Domain.SEC: ("acme/security", "bob"), Domain.DB: ("carol",)}
    assert cfg.allow_author_waivers is True


def test_waiver_defaults() -> None:
    cfg, _ = load("disable: []\n")
    assert (cfg.waivers, cfg.approvers, cfg.allow_author_waivers) == ((), {}, False)


def test_bad_waivers_name_key_and_line() -> None:
    cfg, errors = load(
        "waivers:\n"
        "  - item: SEC-08\n"
        "    reason: '  '\n"
        "    owner: a b\n"
        "    expires: 2025-1-1\n"
        "  - item: SEC-08\n"
        "    reason: r\n"
        "    owner: bob\n"
        "    until: 2025-01-01\n"
    )
    assert cfg == Config()
    assert [(e.key, e.line, e.message) for e in errors] == [
        ("waivers.0.expires", 5, "'2025-1-1' is not a date (YYYY-MM-DD)"),
        ("waivers.0.owner", 4, "'a b' is not a GitHub login or an org/team slug"),
        ("waivers.0.reason", 3, "must not be empty"),
        ("waivers.1", 6, "unknown key(s): 'until'"),
        ("waivers.1", 6, "'expires' is a required property"),
    ]


def test_unknown_waiver_item_impossible_date_and_unknown_domain() -> None:
    _, errors = load(
        "waivers:\n"
        "  - item: SEC-99\n"
        "    reason: r\n"
        "    owner: bob\n"
        "    expires: 2025-02-30\n"
        "approvers:\n"
        "  SECURITY: [bob]\n"
        "  OBS: []\n"
    )
    assert [(e.key, e.line, e.message) for e in errors] == [
        ("approvers.OBS", 8, "[] should be non-empty"),
    ]
    _, errors = load(
        "waivers:\n"
        "  - item: SEC-99\n"
        "    reason: r\n"
        "    owner: bob\n"
        "    expires: 2025-02-30\n"
        "approvers:\n"
        "  SECURITY: [bob]\n"
    )
    assert [(e.key, e.line, e.message) for e in errors] == [
        ("waivers.0.item", 2, "unknown checklist item 'SEC-99'"),
        ("waivers.0.expires", 5, "'2025-02-30' is not a date (YYYY-MM-DD)"),
        ("approvers.SECURITY", 7, "unknown domain 'SECURITY' (expected one of ARCH, DB, API, "
                                  "SEC, SCALE, OBS, DEPLOY, CODE, RES, TEST, DOC, COMP)"),
    ]


def test_approver_entries_and_author_flag_are_typed() -> None:
    _, errors = load("approvers:\n  SEC: [\"a b\", acme/sec-team]\nallow_author_waivers: maybe\n")
    assert [(e.key, e.line) for e in errors] == [("allow_author_waivers", 3),
                                                 ("approvers.SEC.0", 2)]


def test_dates_elsewhere_stay_text() -> None:
    _, errors = load("exclude: [2025-01-01]\n")
    assert errors == []


def test_hostile_files_are_refused_with_a_line_not_expanded() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    cfg, errors = load(bomb)
    assert cfg == Config() and errors[0].line == 1 and "aliases" in errors[0].message
    _, errors = load("disable: " + "[" * 3000 + "]" * 3000 + "\n")
    assert "nested more than" in errors[0].message
    _, errors = load("x: " + "y" * 70_000)
    assert "over 65,536 characters" in errors[0].message


def test_duplicate_keys_are_errors_not_last_wins() -> None:
    cfg, errors = load("disable: [DOC-02]\nseverity: {}\ndisable: [SEC-08]\n")
    assert cfg == Config()
    assert [(e.key, e.line, e.message) for e in errors] == [
        ("disable", 3, "this key is given twice")]


def test_values_are_not_echoed_whole_and_short_ids_are_accepted() -> None:
    secret = "https://bot:ghp_" + "A" * 60 + "@github.com"
    _, errors = load(secret + "\n")
    assert errors and all(secret not in e.message for e in errors)
    cfg, errors = load("disable: [sec-8]\n")
    assert errors == [] and cfg.disabled == frozenset({"SEC-08"})
