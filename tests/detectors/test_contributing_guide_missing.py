import pytest

from checks.detectors.documentation.contributing_guide_missing import ContributingGuideMissing
from checks.model import Status
from tests.helpers import found, run, status

APP = "x = 1\n"


def test_flags_repository_without_contributing_guide() -> None:
    files = {"README.md": "# Orders\n## Usage\n", "app/x.py": APP,
             "app/contributing.py": APP}
    report = run(ContributingGuideMissing, files)
    assert found(report) == [("DOC-08", "README.md", 1)]
    assert status(report, "DOC-08") is Status.WARN


@pytest.mark.parametrize(
    ("files", "evidence"),
    [
        ({"CONTRIBUTING.md": "# How to help\n"}, "contributing guide CONTRIBUTING.md"),
        ({".github/CONTRIBUTING.rst": "x\n"}, "contributing guide .github/CONTRIBUTING.rst"),
        ({"README.md": "# Orders\n\n## Contributing\n"},
         "contributing guidelines: section 'Contributing' at README.md:3"),
    ],
)
def test_passes_with_guidelines(files: dict[str, str], evidence: str) -> None:
    report = run(ContributingGuideMissing, {**files, "app/x.py": APP})
    assert found(report) == []
    assert report.result("DOC-08").evidence == [evidence]


def test_a_contributing_folder_in_the_docs_counts() -> None:
    files = {"app/x.py": APP, "docs/admin/contributing/index.mdx": "# Core\n"}
    report = run(ContributingGuideMissing, files)
    assert found(report) == []
    assert report.result("DOC-08").evidence == [
        "contributing guidelines: document at docs/admin/contributing/index.mdx:0"]
