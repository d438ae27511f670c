"""Commands people give archreview in pull request comments, parsed without any I/O.

A command is a line that starts (after at most three spaces) with ``/archreview`` or with a
mention of the app (``@<app-slug>``), in a pull request conversation comment or in a reply to
one of the bot's inline comments; several lines give several commands::

    /archreview waive SEC-08,SEC-09 the queries are built by the reporting DSL, not by users
    @archreview attest ARCH-01 https://wiki.example.com/adr/0007
    /archreview unwaive SEC-08
    /archreview recheck
    /archreview explain DB-03
    /archreview help

In a reply to one of the bot's inline comments, ``/waive <reason>`` (and ``/unwaive``) act on
just the finding that comment is about; so does ``waive <reason>`` after the prefix when the
reason does not start with an item ID. The caller binds such a command to its finding with
:meth:`Command.about`.

What never triggers a command: text in fenced code blocks (````` and ``~~~``), in indented code
(four spaces or more), inside ``<!-- -->`` comments (over several lines too) or after one on
the same line (a command starts its line), and quoted lines (``> /archreview ...``, someone
quoting an earlier command). Item IDs are case-insensitive
(``sec-8`` is ``SEC-08``). A line that is a command but a wrong one (unknown verb or item, no
reason or evidence) gives a :class:`CommandError` saying what was wrong and the correct form;
:func:`error_reply` turns them into the one reply the bot posts.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Iterator, Sequence
from datetime import datetime

from checks import catalogue
from checks.model import Domain
from checks.waivers import Action, ActionVerb, attestable

PREFIX = "/archreview"
MAX_COMMANDS = 20
"""Commands read from one comment; the rest are reported as one error."""


class Verb(enum.StrEnum):
    """What a command asks for."""

    WAIVE = "waive"
    UNWAIVE = "unwaive"
    ATTEST = "attest"
    RECHECK = "recheck"
    EXPLAIN = "explain"
    HELP = "help"


USAGE: dict[Verb, str] = {
    Verb.WAIVE: f"{PREFIX} waive <ITEM>[,<ITEM>...] <reason>",
    Verb.UNWAIVE: f"{PREFIX} unwaive <ITEM>[,<ITEM>...]",
    Verb.ATTEST: f"{PREFIX} attest <ITEM> <evidence>",
    Verb.RECHECK: f"{PREFIX} recheck",
    Verb.EXPLAIN: f"{PREFIX} explain <ITEM>",
    Verb.HELP: f"{PREFIX} help",
}
"""The correct form of each command."""

REPLY_USAGE = "/waive <reason>"
"""The finding-scoped form, in a reply to one of the bot's inline comments."""

_DESCRIPTIONS: dict[Verb, str] = {
    Verb.WAIVE: "waive those items on this pull request, saying why",
    Verb.UNWAIVE: "take back the waivers of those items",
    Verb.ATTEST: "attest an item no tool can decide, with a link or a sentence as evidence",
    Verb.RECHECK: "review the head commit again",
    Verb.EXPLAIN: "what the item asks and how it is decided",
    Verb.HELP: "this list",
}

RERUN_ACTION = "rerun-review"
"""Identifier of the check run's "Re-run review" button (GitHub allows 20 characters)."""
WAIVE_WARNINGS_ACTION = "waive-warnings"
"""Identifier of the check run's "Waive all warnings" button."""

REQUESTED_ACTIONS: tuple[dict[str, str], ...] = (
    {"label": "Re-run review", "identifier": RERUN_ACTION,
     "description": "Review the head commit again"},
    {"label": "Waive all warnings", "identifier": WAIVE_WARNINGS_ACTION,
     "description": "Waive every non-blocking finding"},
)
"""The check run's ``actions`` (labels and identifiers at most 20, descriptions 40 characters)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Command:
    """One well-formed command.

    ``items`` are upper-case catalogue IDs (empty for recheck and help, and for a
    finding-scoped command until :meth:`about` binds it). ``text`` is the reason (waive,
    unwaive) or the evidence (attest). ``line`` is the command as written, for replies and
    refusal records. ``finding`` is true for a command about the finding of the inline comment
    it replies to; ``fingerprint`` is that finding's, once bound.
    """

    verb: Verb
    items: tuple[str, ...] = ()
    text: str = ""
    line: str = ""
    finding: bool = False
    fingerprint: str | None = None

    @property
    def changes_state(self) -> bool:
        """True for waive, unwaive and attest: the commands that need authorisation and that
        :func:`checks.waivers.from_comments` folds."""
        return self.verb in (Verb.WAIVE, Verb.UNWAIVE, Verb.ATTEST)

    def about(self, item_id: str, fingerprint: str) -> Command:
        """This finding-scoped command bound to the finding of the inline comment it replies
        to (the caller reads both from that comment's hidden marker)."""
        return dataclasses.replace(self, items=(item_id.upper(),), fingerprint=fingerprint)

    def action(self, *, author: str, link: str, created_at: datetime) -> Action | None:
        """The command as :func:`checks.waivers.from_comments` takes it; None for commands that
        change nothing (recheck, explain, help) and for an unbound finding-scoped command."""
        verb = _ACTION_VERBS.get(self.verb)
        if verb is None or not self.items:
            return None
        return Action(verb, self.items, self.text, author, link, created_at, self.fingerprint)


@dataclasses.dataclass(frozen=True, slots=True)
class CommandError:
    """A line that is a command but not a correct one: the line, what was wrong, and the
    correct form(s)."""

    line: str
    message: str
    usage: tuple[str, ...]

    @property
    def text(self) -> str:
        """``message`` followed by the correct form, as one sentence for a reply."""
        forms = ", ".join(f"`{u}`" for u in self.usage)
        label = "Correct form" if len(self.usage) == 1 else "Commands"
        return f"{self.message}. {label}: {forms}"


Parsed = Command | CommandError

_ACTION_VERBS: dict[Verb, ActionVerb] = {Verb.WAIVE: "waive", Verb.UNWAIVE: "unwaive",
                                         Verb.ATTEST: "attest"}


def parse(body: str, app_slug: str, *, in_reply_to_bot: bool) -> list[Parsed]:
    """The commands in a comment ``body``, in order; never raises.

    ``app_slug`` is the GitHub App's slug (``@<slug>`` mentions are commands too);
    ``in_reply_to_bot`` is true for a reply to one of the bot's inline comments, where the
    finding-scoped ``/waive <reason>`` is accepted.
    """
    mention = re.compile(rf"@{re.escape(app_slug.strip())}(?:\[bot\])?(?=[\s,:]|$)[,:]?",
                         re.IGNORECASE) if app_slug.strip() else None
    out: list[Parsed] = []
    for line in _visible_lines(body or ""):
        parsed = _parse_line(line, mention, in_reply_to_bot)
        if parsed is None:
            continue
        if len(out) == MAX_COMMANDS:
            out.append(CommandError(line, f"only the first {MAX_COMMANDS} commands of a "
                                          "comment are read; put the others in another comment",
                                    (USAGE[Verb.HELP],)))
            break
        out.append(parsed)
    return out


def help_text() -> str:
    """The answer to ``help``: every command with what it does, in Markdown."""
    lines = ["Commands (one per line, in a comment on the pull request):", ""]
    lines += [f"- `{USAGE[v]}`: {_DESCRIPTIONS[v]}" for v in Verb]
    lines += [f"- `{REPLY_USAGE}`, in a reply to one of my inline comments: waive just that "
              "finding (it stays waived when the code moves)", "",
              "Item IDs are those of the checklist (`SEC-08`), in any case; several items are "
              "separated by commas or spaces."]
    return "\n".join(lines) + "\n"


def error_reply(errors: Sequence[CommandError]) -> str:
    """The one reply to a comment whose commands had errors, in Markdown. The lines people
    wrote are quoted in code spans, so a reply never mentions anyone or renders their
    Markdown."""
    head = ("This command was not understood:" if len(errors) == 1
            else "These commands were not understood:")
    entries = [f"- {_code(_clip(e.line, 200))}: {e.text}" for e in errors]
    return "\n".join([head, "", *entries, "", f"`{USAGE[Verb.HELP]}` lists every command."]) + "\n"


# --- finding the command lines ----------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_COMMENT_OPEN = "<!--"
_COMMENT_CLOSE = "-->"
_QUOTE = re.compile(r"^ {0,3}>")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _visible_lines(body: str) -> Iterator[str]:
    """The lines of ``body`` that render as ordinary text, HTML comments cut out; fenced and
    indented code and quoted lines are left out."""
    fence: tuple[str, int] | None = None
    in_comment = False
    for raw in _LINE_BREAK.split(body):
        if fence is not None:
            m = _FENCE.match(raw)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] \
                    and not m.group(2).strip():
                fence = None
            continue
        if in_comment:
            end = raw.find(_COMMENT_CLOSE)
            if end >= 0:  # the rest of the line is not at a line start: never a command
                in_comment = _cut_comments(raw[end + len(_COMMENT_CLOSE):])[1]
            continue
        m = _FENCE.match(raw)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = (m.group(1)[0], len(m.group(1)))
            continue
        line, in_comment = _cut_comments(raw)
        if raw.lstrip().startswith(_COMMENT_OPEN):
            continue  # text after a comment is not at a line start either
        expanded = line.expandtabs(4)
        if not expanded.strip() or _QUOTE.match(expanded):
            continue
        if len(expanded) - len(expanded.lstrip(" ")) >= 4:
            continue  # indented code
        yield expanded.strip()


def _cut_comments(line: str) -> tuple[str, bool]:
    """``line`` with its HTML comments blanked out, and whether a comment stays open."""
    out = []
    pos = 0
    while True:
        start = line.find(_COMMENT_OPEN, pos)
        if start < 0:
            out.append(line[pos:])
            return "".join(out), False
        out.append(line[pos:start])
        end = line.find(_COMMENT_CLOSE, start + len(_COMMENT_OPEN))
        if end < 0:
            return "".join(out), True
        out.append(" ")
        pos = end + len(_COMMENT_CLOSE)


# --- one command line -------------------------------------------------------------------------

_PREFIX_RE = re.compile(rf"{re.escape(PREFIX)}(?=\s|$)", re.IGNORECASE)
_REPLY_RE = re.compile(r"/(waive|unwaive)(?=\s|$)", re.IGNORECASE)
_ITEM_AT = re.compile(r"[\s,]*([A-Za-z]{2,6})-(\d{1,3})(?=[\s,:;.]|$)")
_LEAD = re.compile(r"^[\s,:;.\u2013\u2014-]*")
_DOMAINS = frozenset(d.value for d in Domain)


def _parse_line(line: str, mention: re.Pattern[str] | None, in_reply: bool) -> Parsed | None:
    m = _PREFIX_RE.match(line) or (mention.match(line) if mention is not None else None)
    if m is None:
        r = _REPLY_RE.match(line) if in_reply else None
        if r is None:
            return None
        return _finding_command(Verb(r.group(1).lower()), line[r.end():].strip(), line,
                                REPLY_USAGE)
    words = line[m.end():].split(maxsplit=1)
    word, args = [*words, "", ""][:2]
    args = args.strip()
    if not word:
        return CommandError(line, "no command given", tuple(USAGE.values()))
    try:
        verb = Verb(word.lower())
    except ValueError:
        return CommandError(line, f"unknown command {_code(_clip(word, 40))}",
                            tuple(USAGE.values()))
    if verb in (Verb.RECHECK, Verb.HELP):
        return Command(verb, line=line)
    items, text, unknown = _items(args)
    if unknown:
        return CommandError(line, f"unknown checklist item{'s' if len(unknown) > 1 else ''} "
                            + ", ".join(_code(_clip(u, 20)) for u in unknown), (USAGE[verb],))
    if verb is Verb.WAIVE:
        if not items:
            if in_reply and text:
                return _finding_command(verb, text, line, USAGE[verb])
            return CommandError(line, "no checklist item to waive", (USAGE[verb],))
        if not text:
            return CommandError(line, f"a reason is needed to waive {', '.join(items)}",
                                (USAGE[verb],))
        return Command(verb, items, text, line)
    if verb is Verb.UNWAIVE:
        if not items:
            if in_reply:
                return _finding_command(verb, text, line, USAGE[verb])
            return CommandError(line, "no checklist item to unwaive", (USAGE[verb],))
        return Command(verb, items, text, line)
    if verb is Verb.EXPLAIN:
        if not items:
            return CommandError(line, "no checklist item to explain", (USAGE[verb],))
        return Command(verb, items, line=line)
    # attest
    if len(items) != 1:
        what = "no checklist item to attest" if not items else "attest one item at a time"
        return CommandError(line, what, (USAGE[verb],))
    why = attestable(items[0])
    if why is not None:
        return CommandError(line, why, (USAGE[Verb.WAIVE],))
    if not text:
        return CommandError(line, f"evidence is needed to attest {items[0]} (a link or a "
                                  "sentence)", (USAGE[verb],))
    return Command(verb, items, text, line)


def _finding_command(verb: Verb, text: str, line: str, usage: str) -> Parsed:
    if verb is Verb.WAIVE and not text:
        return CommandError(line, "a reason is needed to waive this finding", (usage,))
    return Command(verb, (), text, line, finding=True)


def _items(args: str) -> tuple[tuple[str, ...], str, list[str]]:
    """The item IDs at the start of ``args`` (commas or spaces between them), the text after
    them, and the ID-like words that name no item."""
    items: list[str] = []
    unknown: list[str] = []
    pos = 0
    while (m := _ITEM_AT.match(args, pos)) is not None:
        prefix, number = m.group(1), m.group(2)
        listed = "," in args[pos : m.start(1)]
        if pos and not listed and prefix.upper() not in _DOMAINS:
            break  # "waive SEC-08 covid-19 rules": the reason starts at covid-19
        item = catalogue.find(f"{prefix}-{int(number):02d}")
        if item is None:
            unknown.append(f"{prefix}-{number}")
        elif item.id not in items:
            items.append(item.id)
        pos = m.end()
    text = _LEAD.sub("", args[pos:], count=1) if pos else args
    return tuple(items), text.strip(), unknown


def _code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
