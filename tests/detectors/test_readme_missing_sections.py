from checks.detectors.documentation._common import headings
from checks.detectors.documentation.readme_missing_sections import ReadmeMissingSections
from checks.model import Status
from tests.helpers import found, run, status

APP = "from fastapi import FastAPI\n\napp = FastAPI()\n\ndef make():\n    return app\n"

FULL = """\
# Orders

## Getting started

```bash
# Usage: not a heading, inside a fence
pip install -e .
```

Running locally
---------------

**Environment variables**

<h2>Running the tests</h2>

## Production deployment
"""

RST = """\
Orders
======

Installation
------------

Usage
~~~~~
"""


def test_headings_in_markdown_and_rst() -> None:
    assert [(h.line, h.text) for h in headings(FULL)] == [
        (1, "Orders"), (3, "Getting started"), (10, "Running locally"),
        (13, "Environment variables"), (15, "Running the tests"), (17, "Production deployment"),
    ]
    assert [(h.line, h.text) for h in headings(RST)] == [
        (1, "Orders"), (4, "Installation"), (7, "Usage"),
    ]


def test_flags_each_missing_section_of_a_service_readme() -> None:
    report = run(ReadmeMissingSections, {"README.md": "# Orders\n\nHandles orders.\n",
                                         "app/main.py": APP})
    assert found(report) == [("DOC-07", "README.md", 1)] * 5
    assert sorted(f.message.split(" section on ")[1].split(" ")[0]
                  for f in report.findings) == [
        "configuration", "deployment", "installation", "testing", "usage"]
    assert status(report, "DOC-07") is Status.WARN


def test_passes_with_synonym_headings() -> None:
    report = run(ReadmeMissingSections, {"README.md": FULL, "app/main.py": APP})
    assert found(report) == []


def test_rst_readme_of_a_library_needs_no_deployment_or_config() -> None:
    files = {"README.rst": RST + "\nRunning tests\n-------------\n", "lib/x.py": "X = 1\n"}
    assert found(run(ReadmeMissingSections, files)) == []


def test_flags_missing_readme() -> None:
    report = run(ReadmeMissingSections, {"app/main.py": APP, "docs/index.md": "# Docs\n"})
    assert found(report) == [("DOC-07", "", 0)]
    assert report.findings[0].message == "the repository has no README"


def test_not_applicable_without_python() -> None:
    report = run(ReadmeMissingSections, {"README.md": "# x\n"})
    assert status(report, "DOC-07") is Status.NOT_APPLICABLE


def test_a_fence_right_after_text_is_a_fence_not_an_underline() -> None:
    text = "Install it with:\n```\n# Usage\n```\n~~~\n## Testing\n~~~\n"
    assert [h.text for h in headings(text)] == []


def test_api_counts_as_usage_only_at_the_start_of_a_heading() -> None:
    files = {"README.md": "# X\n## Why API-only architecture?\n## Install\n## Tests\n",
             "lib/x.py": "X = 1\n"}
    report = run(ReadmeMissingSections, files)
    assert [f.message for f in report.findings] == [
        "README.md has no section on usage (no heading like 'Usage', 'Running', 'How to use')"]
    files["README.md"] += "## API reference\n"
    assert found(run(ReadmeMissingSections, files)) == []
