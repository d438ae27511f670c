"""The generated list of checklist items, for the README and ``archreview items``."""

from __future__ import annotations

from checks import catalogue
from checks.model import Domain, Method
from checks.registry import detectors_for

START = "<!-- items:start -->"
END = "<!-- items:end -->"


def items_markdown() -> str:
    """A Markdown section per domain with a table: ID, item, how decided, detectors."""
    decided = sum(1 for i in catalogue.ITEMS if i.method is not Method.ATTESTATION)
    out = [f"{len(catalogue.ITEMS)} items; {decided} decided by a detector or heuristic, the "
           "rest by a reviewer's attestation. `archreview explain ID` prints an item's docs.\n"]
    for domain in Domain:
        out.append(f"### {domain.value}: {domain.heading}\n")
        out.append("| ID | item | decided by | detectors |")
        out.append("| --- | --- | --- | --- |")
        for item in catalogue.in_domain(domain):
            slugs = ", ".join(f"`{d.slug}`" for d in detectors_for(item.id)) or "—"
            out.append(f"| {item.id} | {item.title} | {item.method.value} | {slugs} |")
        out.append("")
    return "\n".join(out)


def with_items(readme: str) -> str:
    """``readme`` with the text between the item markers replaced by :func:`items_markdown`.
    Raises ``ValueError`` when the markers are missing."""
    head, sep, rest = readme.partition(START)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise ValueError(f"README lacks the {START} ... {END} markers")
    return f"{head}{START}\n{items_markdown()}{END}{tail}"
