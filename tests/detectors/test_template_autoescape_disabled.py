from checks.detectors.security.template_autoescape_disabled import TemplateAutoescapeDisabled
from checks.model import Severity, Status
from tests.helpers import findings, found, run, status

SRC = """\
import jinja2
from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from mako.lookup import TemplateLookup
from mako.template import Template

plain = Environment(loader=FileSystemLoader("templates"))
off = jinja2.Environment(autoescape=False)
sandbox = SandboxedEnvironment()
good = Environment(autoescape=select_autoescape(["html"]))
on = Environment(autoescape=True)
page = Template("<p>${name}</p>")
lookup = TemplateLookup(directories=["t"], default_filters=["h", "trim"])
"""


def test_flags_environments_without_escaping_in_web_projects() -> None:
    files = {"app/render.py": SRC, "requirements.txt": "fastapi\njinja2\n"}
    report = run(TemplateAutoescapeDisabled, files)
    assert found(report) == [
        ("SEC-09", "app/render.py", 7),
        ("SEC-09", "app/render.py", 8),
        ("SEC-09", "app/render.py", 9),
        ("SEC-09", "app/render.py", 12),
    ]
    assert status(report, "SEC-09") is Status.WARN
    by_line = {f.start_line: f for f in findings(report, "SEC-09")}
    assert by_line[7].message.startswith("Environment() with no autoescape")
    assert by_line[8].message.startswith("Environment() with autoescape=False")
    assert by_line[12].message.startswith('Mako Template() without the "h" default filter')
    assert by_line[7].severity is Severity.MEDIUM


def test_text_rendering_without_a_web_framework_and_tests_pass() -> None:
    report = run(TemplateAutoescapeDisabled, {"gen/render.py": SRC, "requirements.txt": "jinja2\n"})
    assert found(report) == []
    assert status(report, "SEC-09") is Status.PASS
    assert "no web framework" in report.result("SEC-09").evidence[0]
    files = {"tests/test_render.py": SRC, "requirements.txt": "flask\n"}
    assert found(run(TemplateAutoescapeDisabled, files)) == []


def test_management_commands_and_scripts_are_skipped() -> None:
    files = {
        "app/management/commands/buildschema.py": SRC,
        "scripts/render_docs.py": SRC,
        "requirements.txt": "django\n",
    }
    assert found(run(TemplateAutoescapeDisabled, files)) == []


def test_classes_imported_under_other_names_are_found() -> None:
    src = """\
from jinja2.sandbox import ImmutableSandboxedEnvironment as Sandbox
from mako.lookup import TemplateLookup as Lookup

env = Sandbox()
lookup = Lookup(directories=["templates"])
"""
    files = {"app/render.py": src, "requirements.txt": "flask\n"}
    report = run(TemplateAutoescapeDisabled, files)
    assert found(report) == [("SEC-09", "app/render.py", 4), ("SEC-09", "app/render.py", 5)]
    by_line = {f.start_line: f for f in findings(report, "SEC-09")}
    assert by_line[4].message.startswith("ImmutableSandboxedEnvironment() with no autoescape")
    assert by_line[5].message.startswith('Mako TemplateLookup() without the "h" default filter')
