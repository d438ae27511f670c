from checks.detectors.security.template_built_from_input import TemplateBuiltFromInput
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

BAD = """\
from django.template import Template
from flask import render_template_string, request
from jinja2 import Environment

env = Environment()


def hello(page):
    a = render_template_string(f"<h1>Hello {request.args['name']}</h1>")
    b = render_template_string(page.body)
    src = "Hi " + request.args["name"]
    c = env.from_string(src)
    d = Template("{% load x %}" + page.title)
    return a, b, c, d
"""


def test_flags_templates_formatted_from_values() -> None:
    report = run(TemplateBuiltFromInput, {"app/views.py": BAD})
    assert found(report) == [
        ("SEC-09", "app/views.py", 9),
        ("SEC-09", "app/views.py", 10),
        ("SEC-09", "app/views.py", 12),
        ("SEC-09", "app/views.py", 13),
    ]
    assert status(report, "SEC-09") is Status.WARN
    by_line = {f.start_line: f for f in findings(report, "SEC-09")}
    assert by_line[9].severity is Severity.HIGH
    assert by_line[10].severity is Severity.MEDIUM
    assert by_line[12].message.startswith("from_string() compiles a template formatted")


GOOD = """\
from flask import render_template, render_template_string
from jinja2 import Environment

PAGE = "<h1>{{ name }}</h1>"
env = Environment(autoescape=True)


def hello(name, stored):
    a = render_template_string(PAGE, name=name)
    b = render_template_string("<p>{{ x }}</p>", x=name)
    c = env.from_string(stored.body)
    return a, b, c, render_template("hello.html", name=name)
"""


def test_constant_templates_and_stored_templates_pass() -> None:
    files = {"app/views.py": GOOD, "tests/test_views.py": BAD}
    report = run(TemplateBuiltFromInput, files)
    assert found(report) == []
    assert status(report, "SEC-09") is Status.PASS


def test_classes_imported_under_other_names_are_found() -> None:
    src = """\
from jinja2 import Template as Tpl
from quart import render_template_string as render


def hello(name):
    return Tpl("<h1>Hello " + name + "</h1>").render()


async def page(body):
    return await render(body)
"""
    report = run(TemplateBuiltFromInput, {"app/views.py": src})
    assert found(report) == [("SEC-09", "app/views.py", 6), ("SEC-09", "app/views.py", 10)]
    by_line = {f.start_line: f for f in findings(report, "SEC-09")}
    assert by_line[6].message.startswith("Template() compiles a template formatted")
    assert by_line[10].severity is Severity.MEDIUM
