"""The catalogue, the detectors, their docs and tests, and the README are in step."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from checks import catalogue, itemdocs
from checks.detector import Detector
from checks.model import Method
from checks.registry import DETECTORS, detectors_for

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ["## What it flags", "## Why it matters", "## Example", "## Use instead",
            "## References"]


def test_every_detector_decides_catalogue_items() -> None:
    slugs = [d.slug for d in DETECTORS]
    assert len(slugs) == len(set(slugs)), "detector slugs must be unique"
    for det in DETECTORS:
        assert det.items, f"{det.__name__} decides no item"
        for item_id in det.items:
            assert catalogue.find(item_id) is not None, f"{det.slug}: unknown item {item_id}"
            assert item_id == item_id.upper()


def test_methods_match_the_registry() -> None:
    for item in catalogue.ITEMS:
        has = bool(detectors_for(item.id))
        if item.method is Method.ATTESTATION:
            assert not has, f"{item.id} has a detector but is marked attestation"
        else:
            assert has, f"{item.id} is marked {item.method.value} but has no detector"


def test_at_least_fifty_items_have_detectors() -> None:
    decided = [i.id for i in catalogue.ITEMS if detectors_for(i.id)]
    assert len(decided) >= 50, f"only {len(decided)} items have detectors"


@pytest.mark.parametrize("det", DETECTORS, ids=lambda d: d.slug)
def test_detector_docs_have_fixed_sections(det: type[Detector]) -> None:
    doc = sys.modules[det.__module__].__doc__ or ""
    positions = [doc.find(s) for s in SECTIONS]
    assert all(p > 0 for p in positions), f"{det.__module__} lacks sections: {SECTIONS}"
    assert positions == sorted(positions), f"{det.__module__}: sections out of order"
    module = det.__module__.rsplit(".", 1)[1]
    assert (ROOT / "tests" / "detectors" / f"test_{module}.py").exists(), (
        f"no tests/detectors/test_{module}.py for {det.slug}")


def test_readme_item_list_is_generated() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert itemdocs.with_items(readme) == readme, (
        "README item list is stale: run `archreview items --update-readme README.md`")
    assert re.search(r"\| SEC-08 \| SQL injection is prevented", readme)
