import pytest

from checks.detectors.documentation.architecture_diagram_missing import (
    ArchitectureDiagramMissing,
)
from checks.model import Status
from tests.helpers import found, run, status

APP = "x = 1\n"


def test_flags_repository_without_diagram() -> None:
    files = {"README.md": "# Orders\n![logo](docs/logo.png)\n", "app/x.py": APP,
             "docs/logo.png": b"\x89PNG", "app/static/flow.png": b"\x89PNG",
             "docs/index.md": "```python\nprint(1)\n```\n"}
    report = run(ArchitectureDiagramMissing, files)
    assert found(report) == [("DOC-02", "README.md", 1)]
    assert status(report, "DOC-02") is Status.WARN


@pytest.mark.parametrize(
    ("files", "evidence"),
    [
        ({"docs/system.drawio": "<mxfile/>"}, "diagram source docs/system.drawio"),
        ({"design/c4.puml": "@startuml\n@enduml\n"}, "diagram source design/c4.puml"),
        ({"docs/img/request-path.png": b"\x89PNG"}, "diagram image docs/img/request-path.png"),
        ({"architecture-overview.svg": "<svg/>"}, "diagram image architecture-overview.svg"),
        ({"README.md": "# Orders\n\n```mermaid\nflowchart LR\n```\n"},
         "diagram block '```mermaid' at README.md:3"),
        ({"docs/arch.rst": "Title\n=====\n\n.. mermaid::\n"},
         "diagram block '.. mermaid::' at docs/arch.rst:4"),
    ],
)
def test_passes_with_a_diagram(files: dict[str, str | bytes], evidence: str) -> None:
    report = run(ArchitectureDiagramMissing, {**files, "app/x.py": APP})
    assert found(report) == []
    assert report.result("DOC-02").evidence == [evidence]


def test_branding_images_are_not_diagrams() -> None:
    files = {"app/x.py": APP, "docs/branding/FullColor_1280x1024.svg": "<svg/>"}
    assert found(run(ArchitectureDiagramMissing, files)) == [("DOC-02", "", 0)]
