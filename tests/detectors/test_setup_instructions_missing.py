import pytest

from checks.detectors.documentation.setup_instructions_missing import SetupInstructionsMissing
from checks.model import Status
from tests.helpers import found, run, status

APP = "def main():\n    pass\n"


def test_flags_readme_without_setup_instructions() -> None:
    readme = "# Orders\n\nHandles orders. See `pip` docs.\n\n## Design\n"
    report = run(SetupInstructionsMissing, {"README.md": readme, "app/main.py": APP})
    assert found(report) == [("DOC-03", "README.md", 1)]
    assert status(report, "DOC-03") is Status.WARN


def test_flags_project_without_readme_on_the_project() -> None:
    report = run(SetupInstructionsMissing, {"app/main.py": APP})
    assert found(report) == [("DOC-03", "", 0)]


@pytest.mark.parametrize(
    ("files", "evidence"),
    [
        ({"README.md": "# Orders\n\n## Quick start\n"},
         "section 'Quick start' at README.md:3"),
        ({"README.md": "# Orders\n", "docs/setup.rst": "Setup\n=====\n"},
         "document at docs/setup.rst:0"),
        ({"README.md": "# Orders\n", "docs/guide.rst": "Setup\n=====\n"},
         "section 'Setup' at docs/guide.rst:1"),
        ({"README.md": "# Orders\n", "docs/getting-started.md": "Some text.\n"},
         "document at docs/getting-started.md:0"),
        ({"README.md": "# Orders\n", "CONTRIBUTING.md": "# Contributing\n## Local development\n"},
         "section 'Local development' at CONTRIBUTING.md:2"),
    ],
)
def test_passes_with_a_setup_section_or_document(files: dict[str, str], evidence: str) -> None:
    report = run(SetupInstructionsMissing, {**files, "app/main.py": APP})
    assert found(report) == []
    assert report.result("DOC-03").evidence == [f"setup instructions: {evidence}"]


def test_passes_with_install_commands_in_the_readme() -> None:
    readme = "# Orders\n\n```\npoetry install\n```\n"
    report = run(SetupInstructionsMissing, {"README.md": readme, "app/main.py": APP})
    assert found(report) == []
    assert report.result("DOC-03").evidence == ["install command 'poetry install' at README.md:4"]
