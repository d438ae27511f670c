"""The catalogue matches the checklist it was built from, item for item, and documents every item.

The checklist lives in the shared folder next to the repository (``../shared/checklist.md``): its
``## Heading (N)`` sections and ``- [ ] wording`` lines are the source of truth for the catalogue's
domains, order and titles.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checks import catalogue
from checks.model import Domain, Method, Severity

CHECKLIST = Path(__file__).resolve().parents[1].parent / "shared" / "checklist.md"

_SECTION = re.compile(r"^## (?P<title>.+?) \((?P<count>\d+)\)\s*$")
_ITEM = re.compile(r"^- \[ \] (?P<text>.+?)\s*$")


def _parse(text: str) -> list[tuple[str, int, list[str]]]:
    """``(heading, announced count, item wordings)`` per section, in checklist order."""
    sections: list[tuple[str, int, list[str]]] = []
    for line in text.splitlines():
        if match := _SECTION.match(line):
            sections.append((match["title"], int(match["count"]), []))
        elif match := _ITEM.match(line):
            assert sections, f"checklist item before any section: {line!r}"
            sections[-1][2].append(match["text"])
    return sections


@pytest.fixture(scope="module")
def checklist() -> list[tuple[str, int, list[str]]]:
    if not CHECKLIST.is_file():
        pytest.fail(
            f"the shared checklist is required at {CHECKLIST}: these tests compare the catalogue "
            "with it, so check out the shared folder next to the repository"
        )
    sections = _parse(CHECKLIST.read_text(encoding="utf-8"))
    assert sections, f"no '## Section (N)' headings found in {CHECKLIST}"
    return sections


def test_checklist_sections_announce_their_item_count(
    checklist: list[tuple[str, int, list[str]]],
) -> None:
    assert [(title, count) for title, count, _ in checklist] == [
        (title, len(items)) for title, _, items in checklist
    ]


def test_same_sections_in_the_same_order(checklist: list[tuple[str, int, list[str]]]) -> None:
    assert [title for title, _, _ in checklist] == [domain.heading for domain in Domain]
    assert len(checklist) == 12


def test_same_item_count_per_section(checklist: list[tuple[str, int, list[str]]]) -> None:
    expected = {domain: len(items) for domain, (_, _, items) in zip(Domain, checklist, strict=True)}
    actual = {domain: len(catalogue.in_domain(domain)) for domain in Domain}
    assert actual == expected
    assert len(catalogue.ITEMS) == sum(expected.values()) == 115


def test_same_wording_in_the_same_order(checklist: list[tuple[str, int, list[str]]]) -> None:
    expected = [
        (domain, text)
        for domain, (_, _, items) in zip(Domain, checklist, strict=True)
        for text in items
    ]
    assert [(item.domain, item.title) for item in catalogue.ITEMS] == expected


def test_ids_are_prefix_and_position_in_section() -> None:
    for domain in Domain:
        items = catalogue.in_domain(domain)
        assert [item.id for item in items] == [
            f"{domain.value}-{n:02d}" for n in range(1, len(items) + 1)
        ]
        assert [item.number for item in items] == list(range(1, len(items) + 1))
    ids = [item.id for item in catalogue.ITEMS]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[A-Z]+-\d{2}", item_id) for item_id in ids)


def test_catalogue_is_grouped_by_domain_in_checklist_order() -> None:
    order = [item.domain for item in catalogue.ITEMS]
    assert order == sorted(order, key=list(Domain).index)


@pytest.mark.parametrize("item", catalogue.ITEMS, ids=lambda item: item.id)
def test_every_item_is_documented(item: catalogue.Item) -> None:
    doc = item.doc
    assert 120 <= len(doc) <= 900, f"{item.id}: doc of {len(doc)} characters"
    assert doc == doc.strip()
    assert doc.endswith("."), f"{item.id}: doc does not end with a period"
    assert doc[0].isupper(), f"{item.id}: doc does not start with a capital letter"
    assert "  " not in doc, f"{item.id}: doubled space (missing or extra space at a line join?)"
    assert doc.lower() != item.title.lower()


def test_every_item_has_a_method_and_severity() -> None:
    for item in catalogue.ITEMS:
        assert isinstance(item.method, Method), item.id
        assert isinstance(item.severity, Severity), item.id


def test_docs_are_distinct() -> None:
    docs = [item.doc for item in catalogue.ITEMS]
    assert len(set(docs)) == len(docs)


@pytest.mark.parametrize(
    ("item_id", "expected"),
    [
        ("SEC-08", Severity.CRITICAL),
        ("SEC-07", Severity.CRITICAL),
        ("SEC-03", Severity.HIGH),
        ("DB-10", Severity.HIGH),
        ("RES-03", Severity.MEDIUM),
        ("DOC-07", Severity.LOW),
    ],
)
def test_default_severity_follows_the_risk(item_id: str, expected: Severity) -> None:
    assert catalogue.get(item_id).severity is expected


def test_every_severity_is_used() -> None:
    assert {item.severity for item in catalogue.ITEMS} == set(Severity)


@pytest.mark.parametrize("typed", ["SEC-08", "sec-08", " SEC-08 ", "Sec-08\n"])
def test_get_and_find_are_case_insensitive(typed: str) -> None:
    item = catalogue.get(typed)
    assert item.id == "SEC-08"
    assert item.title == "SQL injection is prevented (parameterized queries)"
    assert catalogue.find(typed) is item


@pytest.mark.parametrize("unknown", ["SEC-99", "NOPE-01", "", "SEC08"])
def test_unknown_id(unknown: str) -> None:
    assert catalogue.find(unknown) is None
    with pytest.raises(KeyError) as excinfo:
        catalogue.get(unknown)
    assert repr(unknown) in str(excinfo.value)


def test_in_domain_returns_only_that_domain() -> None:
    items = catalogue.in_domain(Domain.DB)
    assert [item.id for item in items][:2] == ["DB-01", "DB-02"]
    assert {item.domain for item in items} == {Domain.DB}
