import dataclasses
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.commands import (
    MAX_COMMANDS,
    REQUESTED_ACTIONS,
    USAGE,
    Command,
    CommandError,
    Parsed,
    Verb,
    error_reply,
    help_text,
    parse,
)
from checks import catalogue
from checks.model import Method
from checks.waivers import Action

SLUG = "archreview"
WAIVE_FORM = ("/archreview waive <ITEM>[,<ITEM>...] <reason>",)
ALL_FORMS = tuple(USAGE.values())


def p(body: str, *, reply: bool = False, slug: str = SLUG) -> list[Parsed]:
    return parse(body, slug, in_reply_to_bot=reply)


def one(body: str, *, reply: bool = False) -> Parsed:
    (parsed,) = p(body, reply=reply)
    return parsed


# --- the verbs --------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "items", "reason"), [
    ("/archreview waive SEC-08 the reporting DSL binds values", ("SEC-08",),
     "the reporting DSL binds values"),
    ("/archreview waive SEC-08,SEC-09 reason", ("SEC-08", "SEC-09"), "reason"),
    ("/archreview waive SEC-08, SEC-09 reason", ("SEC-08", "SEC-09"), "reason"),
    ("/archreview waive SEC-08 SEC-09 reason", ("SEC-08", "SEC-09"), "reason"),
    ("/archreview waive sec-8,Sec-09: reason", ("SEC-08", "SEC-09"), "reason"),
    ("/archreview waive SEC-08 — reason", ("SEC-08",), "reason"),
    ("/archreview waive SEC-08 SEC-08 reason", ("SEC-08",), "reason"),
    ("/ARCHREVIEW WAIVE SEC-08 Reason", ("SEC-08",), "Reason"),
    ("/archreview\twaive\tSEC-08\treason  with   spaces ", ("SEC-08",), "reason  with   spaces"),
    ("/archreview waive SEC-08 covid-19 rules", ("SEC-08",), "covid-19 rules"),
])
def test_waive(line: str, items: tuple[str, ...], reason: str) -> None:
    assert one(line) == Command(Verb.WAIVE, items, reason, line.strip().expandtabs(4))


@pytest.mark.parametrize("line", [
    "@archreview waive SEC-08 reason",
    "@ArchReview: waive SEC-08 reason",
    "@archreview, waive SEC-08 reason",
    "@archreview[bot] waive SEC-08 reason",
    "   /archreview waive SEC-08 reason",
])
def test_prefixes(line: str) -> None:
    assert one(line) == Command(Verb.WAIVE, ("SEC-08",), "reason", line.strip())


@pytest.mark.parametrize("line", [
    "@archreviewer waive SEC-08 reason",
    "@archreview-staging waive SEC-08 reason",
    "/archreviewer waive SEC-08 reason",
    "please /archreview waive SEC-08 reason",
    "archreview waive SEC-08 reason",
    "`/archreview waive SEC-08 reason`",
    "/waive reason",
    "/unwaive",
])
def test_not_commands(line: str) -> None:
    assert p(line) == []


def test_another_slug() -> None:
    assert p("@archreview-acme help", slug="archreview-acme") == [
        Command(Verb.HELP, line="@archreview-acme help")]
    assert p("@archreview help", slug="archreview-acme") == []


def test_unwaive_attest_recheck_explain_help() -> None:
    body = ("/archreview unwaive SEC-08, SEC-09\n"
            "/archreview attest ARCH-01 https://wiki.example.com/adr/7\n"
            "/archreview recheck please\n"
            "/archreview explain db-3\n"
            "/archreview help me\n")
    assert p(body) == [
        Command(Verb.UNWAIVE, ("SEC-08", "SEC-09"), "", "/archreview unwaive SEC-08, SEC-09"),
        Command(Verb.ATTEST, ("ARCH-01",), "https://wiki.example.com/adr/7",
                "/archreview attest ARCH-01 https://wiki.example.com/adr/7"),
        Command(Verb.RECHECK, line="/archreview recheck please"),
        Command(Verb.EXPLAIN, ("DB-03",), line="/archreview explain db-3"),
        Command(Verb.HELP, line="/archreview help me"),
    ]


@pytest.mark.parametrize(("line", "message", "usage"), [
    ("/archreview waiv SEC-08 x", "unknown command `waiv`", ALL_FORMS),
    ("/archreview", "no command given", ALL_FORMS),
    ("@archreview why is this flagged?", "unknown command `why`", ALL_FORMS),
    ("/archreview waive SEC-99 reason", "unknown checklist item `SEC-99`", WAIVE_FORM),
    ("/archreview waive SEC-08,FOO-1 reason", "unknown checklist item `FOO-1`", WAIVE_FORM),
    ("/archreview waive FOO-1,BAR-02 reason", "unknown checklist items `FOO-1`, `BAR-02`",
     WAIVE_FORM),
    ("/archreview waive FOO-1 BAR-02 reason", "unknown checklist item `FOO-1`", WAIVE_FORM),
    ("/archreview waive SEC-08", "a reason is needed to waive SEC-08", WAIVE_FORM),
    ("/archreview waive SEC-08, SEC-09 :", "a reason is needed to waive SEC-08, SEC-09",
     WAIVE_FORM),
    ("/archreview waive", "no checklist item to waive", WAIVE_FORM),
    ("/archreview waive because I said so", "no checklist item to waive", WAIVE_FORM),
    ("/archreview unwaive", "no checklist item to unwaive",
     ("/archreview unwaive <ITEM>[,<ITEM>...]",)),
    ("/archreview attest ARCH-01", "evidence is needed to attest ARCH-01 (a link or a sentence)",
     ("/archreview attest <ITEM> <evidence>",)),
    ("/archreview attest ARCH-01,ARCH-02 adr", "attest one item at a time",
     ("/archreview attest <ITEM> <evidence>",)),
    ("/archreview attest https://wiki", "no checklist item to attest",
     ("/archreview attest <ITEM> <evidence>",)),
    ("/archreview explain", "no checklist item to explain", ("/archreview explain <ITEM>",)),
    ("/archreview explain SEC-77", "unknown checklist item `SEC-77`",
     ("/archreview explain <ITEM>",)),
])
def test_errors(line: str, message: str, usage: tuple[str, ...]) -> None:
    assert one(line) == CommandError(line, message, usage)


def test_attesting_a_detector_item_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    item = catalogue.get("SEC-08")
    monkeypatch.setitem(catalogue._BY_ID, "SEC-08",
                        dataclasses.replace(item, method=Method.DETECTOR))
    error = one("/archreview attest sec-08 we reviewed every query")
    assert error == CommandError("/archreview attest sec-08 we reviewed every query",
                                 "SEC-08 is decided by a detector; waive it instead", WAIVE_FORM)
    assert isinstance(error, CommandError)
    assert error.text == ("SEC-08 is decided by a detector; waive it instead. Correct form: "
                          "`/archreview waive <ITEM>[,<ITEM>...] <reason>`")


def test_error_text_lists_every_form_for_an_unknown_verb() -> None:
    error = one("/archreview frobnicate")
    assert isinstance(error, CommandError)
    assert error.text == (
        "unknown command `frobnicate`. Commands: `/archreview waive <ITEM>[,<ITEM>...] "
        "<reason>`, `/archreview unwaive <ITEM>[,<ITEM>...]`, `/archreview attest <ITEM> "
        "<evidence>`, `/archreview recheck`, `/archreview explain <ITEM>`, `/archreview help`")


# --- replies to the bot's inline comments -------------------------------------------------------


def test_finding_scoped_commands_in_replies() -> None:
    assert one("/waive this is the test double", reply=True) == Command(
        Verb.WAIVE, (), "this is the test double", "/waive this is the test double", True)
    assert one("/WAIVE SEC-08 is wrong here", reply=True) == Command(
        Verb.WAIVE, (), "SEC-08 is wrong here", "/WAIVE SEC-08 is wrong here", True)
    assert one("@archreview waive looks intentional", reply=True) == Command(
        Verb.WAIVE, (), "looks intentional", "@archreview waive looks intentional", True)
    assert one("/unwaive", reply=True) == Command(Verb.UNWAIVE, (), "", "/unwaive", True)
    assert one("/archreview unwaive", reply=True) == Command(Verb.UNWAIVE, (), "",
                                                             "/archreview unwaive", True)
    assert one("/archreview waive SEC-08 whole item", reply=True) == Command(
        Verb.WAIVE, ("SEC-08",), "whole item", "/archreview waive SEC-08 whole item")
    assert one("/waive", reply=True) == CommandError(
        "/waive", "a reason is needed to waive this finding", ("/waive <reason>",))
    assert one("/waive   ", reply=True) == CommandError(
        "/waive", "a reason is needed to waive this finding", ("/waive <reason>",))
    assert p("/waiver x", reply=True) == []


def test_binding_and_actions() -> None:
    cmd = one("/waive test double", reply=True)
    assert isinstance(cmd, Command) and cmd.changes_state
    when = datetime(2024, 5, 2, tzinfo=UTC)
    assert cmd.action(author="bob", link="L", created_at=when) is None  # not bound yet
    bound = cmd.about("sec-08", "abc123")
    assert bound.items == ("SEC-08",) and bound.fingerprint == "abc123" and bound.finding
    assert bound.action(author="bob", link="L", created_at=when) == Action(
        "waive", ("SEC-08",), "test double", "bob", "L", when, "abc123")
    attest = one("/archreview attest ARCH-01 adr-7")
    assert isinstance(attest, Command)
    assert attest.action(author="c", link="", created_at=when) == Action(
        "attest", ("ARCH-01",), "adr-7", "c", "", when)
    recheck = one("/archreview recheck")
    assert isinstance(recheck, Command) and not recheck.changes_state
    assert recheck.action(author="c", link="", created_at=when) is None


# --- what never triggers ------------------------------------------------------------------------


def test_code_fences_comments_quotes_and_indented_code() -> None:
    body = "\n".join([
        "Some context.",
        "```",
        "/archreview help",
        "~~~",
        "/archreview help",
        "```",
        "~~~~ text",
        "/archreview help",
        "~~~",
        "/archreview help",
        "~~~~",
        "  ```python",
        "/archreview help",
        "  ```",
        "<!-- /archreview help -->",
        "<!--",
        "/archreview help",
        "-->",
        "> /archreview help",
        ">> /archreview help",
        "   > /archreview help",
        "    /archreview help",
        "\t/archreview help",
        "/archreview recheck <!-- /archreview help -->",
        "<!-- x --> /archreview explain SEC-08",
        "/archreview waive SEC-08 it is fine <!-- start",
        "/archreview help",
        "end -->/archreview help <!-- again",
        "/archreview help",
        "-->",
        "/archreview explain SEC-09 <!-- a --> b <!-- c --> d",
    ])
    assert p(body) == [
        Command(Verb.RECHECK, line="/archreview recheck"),
        Command(Verb.WAIVE, ("SEC-08",), "it is fine", "/archreview waive SEC-08 it is fine"),
        Command(Verb.EXPLAIN, ("SEC-09",), line="/archreview explain SEC-09   b   d"),
    ]


def test_unclosed_fence_and_comment_hide_the_rest() -> None:
    assert p("```\n/archreview help") == []
    assert p("<!--\n/archreview help\n") == []
    assert p("```a`b\n/archreview help") == [Command(Verb.HELP, line="/archreview help")]


def test_line_endings_and_several_commands() -> None:
    assert p("/archreview help\r\n/archreview recheck\r/archreview explain SEC-08") == [
        Command(Verb.HELP, line="/archreview help"),
        Command(Verb.RECHECK, line="/archreview recheck"),
        Command(Verb.EXPLAIN, ("SEC-08",), line="/archreview explain SEC-08"),
    ]


def test_at_most_max_commands_per_comment() -> None:
    out = p("\n".join(["/archreview recheck"] * (MAX_COMMANDS + 5)))
    assert out[:-1] == [Command(Verb.RECHECK, line="/archreview recheck")] * MAX_COMMANDS
    assert out[-1] == CommandError(
        "/archreview recheck", "only the first 20 commands of a comment are read; put the "
        "others in another comment", ("/archreview help",))


def test_empty_bodies_and_slugs() -> None:
    assert p("") == []
    assert p("@ help", slug="") == []
    assert p("/archreview help", slug="") == [Command(Verb.HELP, line="/archreview help")]


# --- replies ------------------------------------------------------------------------------------


def test_error_reply_quotes_lines_in_code_spans() -> None:
    errors = [e for e in p("/archreview waive SEC-08\n/archreview `@team` ping")
              if isinstance(e, CommandError)]
    assert error_reply(errors) == (
        "These commands were not understood:\n\n"
        "- `/archreview waive SEC-08`: a reason is needed to waive SEC-08. Correct form: "
        "`/archreview waive <ITEM>[,<ITEM>...] <reason>`\n"
        "- ``/archreview `@team` ping``: unknown command `` `@team` ``. Commands: "
        + ", ".join(f"`{u}`" for u in ALL_FORMS) + "\n\n"
        "`/archreview help` lists every command.\n")
    single = error_reply([CommandError("/archreview x", "unknown command `x`", ALL_FORMS)])
    assert single.startswith("This command was not understood:\n\n- `/archreview x`: ")


def test_help_lists_every_form() -> None:
    text = help_text()
    for form in (*ALL_FORMS, "/waive <reason>"):
        assert f"`{form}`" in text


def test_requested_actions_fit_githubs_limits() -> None:
    assert [a["label"] for a in REQUESTED_ACTIONS] == ["Re-run review", "Waive all warnings"]
    for action in REQUESTED_ACTIONS:
        assert len(action["label"]) <= 20 and len(action["identifier"]) <= 20
        assert len(action["description"]) <= 40
    assert len(REQUESTED_ACTIONS) <= 3


# --- properties ---------------------------------------------------------------------------------

_CHARS = st.characters(codec="utf-8")  # every code point but surrogates
_PLAIN_LINE = st.text(_CHARS, max_size=40).filter(
    lambda s: not any(c in s for c in "\r\n`~") and "<!--" not in s and "-->" not in s)
_COMMAND = st.sampled_from([
    "/archreview help",
    "/archreview waive SEC-08 a reason",
    "@archreview attest ARCH-01 https://wiki/adr",
    "/archreview frobnicate",
    "/waive just this one",
])
_PLAIN = st.lists(st.one_of(_PLAIN_LINE, _COMMAND), max_size=5).map("\n".join)


@given(st.text(_CHARS), st.text(_CHARS, max_size=20), st.booleans())
def test_parse_never_raises(body: str, slug: str, reply: bool) -> None:
    for parsed in parse(body, slug, in_reply_to_bot=reply):
        assert isinstance(parsed, Command | CommandError)


@given(_PLAIN, _PLAIN, _PLAIN, _COMMAND, st.sampled_from(["```", "~~~", "````", "~~~~~"]),
       st.booleans())
def test_code_fences_never_trigger(before: str, inside: str, after: str, command: str,
                                   fence: str, reply: bool) -> None:
    body = f"{before}\n{fence}\n{inside}\n{command}\n{fence}\n{after}"
    assert parse(body, SLUG, in_reply_to_bot=reply) == (
        parse(before, SLUG, in_reply_to_bot=reply) + parse(after, SLUG, in_reply_to_bot=reply))


@given(_PLAIN, _PLAIN, _COMMAND, st.booleans())
def test_html_comments_and_quotes_never_trigger(before: str, after: str, command: str,
                                                reply: bool) -> None:
    def parsed(body: str) -> list[Parsed]:
        return parse(body, SLUG, in_reply_to_bot=reply)

    expected = parsed(before) + parsed(after)
    assert parsed(f"{before}\n<!-- {command} -->\n{after}") == expected
    assert parsed(f"{before}\n<!--\n{command}\n-->\n{after}") == expected
    assert parsed(f"{before}\n> {command}\n{after}") == expected


@given(_PLAIN, _PLAIN)
def test_a_command_among_random_text_is_found_once(before: str, after: str) -> None:
    body = f"{before}\n/archreview waive SEC-08 a reason\n{after}"
    outside = p(before) + p(after)
    assert p(body) == [*p(before), Command(Verb.WAIVE, ("SEC-08",), "a reason",
                                           "/archreview waive SEC-08 a reason"), *p(after)]
    assert len(p(body)) == len(outside) + 1
