from checks.detectors.security.unescaped_html_markup import UnescapedHtmlMarkup
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

BAD = """\
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from markupsafe import Markup


def badge(user, bio):
    a = mark_safe(f"<b>{user.name}</b>")
    b = SafeString("<i>" + user.name + "</i>")
    c = Markup("<p>%s</p>" % bio)
    d = mark_safe(bio)
    fmt = "<a href='{}'>" + user.url + "</a>"
    e = format_html(fmt, user.name)
    return a, b, c, d, e
"""


def test_flags_unescaped_values_marked_safe() -> None:
    report = run(UnescapedHtmlMarkup, {"app/widgets.py": BAD})
    assert found(report) == [
        ("SEC-09", "app/widgets.py", line) for line in (7, 8, 9, 10, 12)
    ]
    assert status(report, "SEC-09") is Status.WARN
    by_line = {f.start_line: f for f in findings(report, "SEC-09")}
    assert by_line[7].severity is Severity.HIGH
    assert by_line[7].message.startswith("mark_safe() marks a string formatted from values")
    assert by_line[10].severity is Severity.MEDIUM
    assert by_line[12].message.startswith("format_html() is given a format string")


GOOD = """\
import bleach
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from markupsafe import Markup

ICON = "<svg></svg>"


def badge(user, bio):
    a = mark_safe("<br>")
    b = mark_safe(ICON)
    c = format_html("<b>{}</b>", user.name)
    d = Markup("<b>%s</b>") % user.name
    e = Markup("<b>{}</b>").format(user.name)
    f = mark_safe(render_to_string("badge.html", {"user": user}))
    g = mark_safe(bleach.clean(bio))
    return a, b, c, d, e, f, g
"""


def test_constants_and_escaped_values_pass() -> None:
    files = {"app/widgets.py": GOOD, "tests/test_widgets.py": BAD}
    report = run(UnescapedHtmlMarkup, files)
    assert found(report) == []
    assert status(report, "SEC-09") is Status.PASS


def test_escaped_parts_and_translated_constants_pass() -> None:
    src = (
        "from django.urls import reverse\n"
        "from django.utils.html import escape\n"
        "from django.utils.safestring import mark_safe\n"
        "from django.utils.translation import gettext as _\n"
        "\n"
        "def link(obj, text):\n"
        "    url = reverse('detail', args=[obj.pk])\n"
        "    a = mark_safe(f'<a href=\"{url}\">{escape(text)}</a>')\n"
        "    b = mark_safe('{} (<a href=\"https://x.org\">{}</a>)'.format(_('Zone'), _('list')))\n"
        "    c = mark_safe(f'<a href=\"{obj.url}\">{escape(text)}</a>')\n"
        "    return a, b, c\n"
    )
    report = run(UnescapedHtmlMarkup, {"app/links.py": src})
    assert found(report) == [("SEC-09", "app/links.py", 10)]


def test_functions_imported_under_other_names_are_found() -> None:
    src = """\
from django.utils.html import format_html as html
from markupsafe import Markup as Safe


def badge(user, bio):
    a = Safe("<p>%s</p>" % bio)
    b = html("<a href='" + user.url + "'>{}</a>", user.name)
    return a, b
"""
    report = run(UnescapedHtmlMarkup, {"app/widgets.py": src})
    assert found(report) == [("SEC-09", "app/widgets.py", 6), ("SEC-09", "app/widgets.py", 7)]
    by_line = {f.start_line: f for f in findings(report, "SEC-09")}
    assert by_line[6].message.startswith("Markup() marks a string formatted from values")
    assert by_line[7].message.startswith("format_html() is given a format string")
