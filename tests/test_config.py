from checks.config import Config, load
from checks.model import Severity


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
