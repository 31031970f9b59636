"""`Reference`s → RIS: one `TY`…`ER` record per reference.

RIS has no place for PMID, PMCID, a HAL id or an "et al." mark: those are not written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from refs.export.keys import cite_keys
from refs.model import Date, Item, Person, Reference

__all__ = ["RIS_TYPE_OF", "to_ris"]

# CSL type → RIS type (the reader maps each of these back); else GEN.
RIS_TYPE_OF: dict[str, str] = {
    "article-journal": "JOUR",
    "article": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "paper-conference": "CONF",
    "thesis": "THES",
    "report": "RPRT",
    "webpage": "ELEC",
    "dataset": "DATA",
    "software": "COMP",
    "manuscript": "UNPB",
    "pamphlet": "PAMP",
}
_JOURNALS = frozenset({"article-journal", "article", "article-magazine", "article-newspaper"})
# One range dash between two page tokens: `12-34`, `S1–S10`, `e12 - e20`.
_RANGE = re.compile(r"^(\S+?)\s*(?:-{1,3}|[\u2010-\u2015\u2212])\s*(\S+)$")


def to_ris(refs: Sequence[Reference]) -> str:
    records = [_record(ref.item, key) for ref, key in zip(refs, cite_keys(refs), strict=True)]
    return "".join(records)


def _record(item: Item, key: str) -> str:
    lines = [f"{tag}  - {' '.join(value.split())}" for tag, value in _tags(item, key) if value]
    return "\n".join(lines) + "\nER  - \n\n"


def _tags(item: Item, key: str) -> Iterator[tuple[str, str | None]]:
    yield "TY", RIS_TYPE_OF.get(item.type, "GEN")
    yield from (("AU", _name(p)) for p in item.author)
    yield from (("A2", _name(p)) for p in item.editor)
    yield "TI", item.title
    yield ("JO" if item.type in _JOURNALS else "T2"), item.container_title
    yield "J2", item.container_title_short
    yield "VL", item.volume
    yield "IS", item.issue
    yield from _pages(item.page)
    yield from _dates(item.issued)
    yield "PB", item.publisher
    yield "CY", item.publisher_place
    yield "ET", item.edition
    yield "SN", item.ISBN
    yield "SN", item.ISSN
    yield "DO", item.DOI
    yield "UR", item.URL
    yield "N1", item.note
    yield "ID", key


def _name(person: Person) -> str:
    """`Family, Given[, Suffix]` with the particle in front; an institution as is."""
    if person.literal:
        return person.literal
    family = " ".join(p for p in (person.particle, person.family) if p)
    return ", ".join(p for p in (family, person.given or "", person.suffix) if p is not None)


def _pages(page: str | None) -> Iterator[tuple[str, str]]:
    if not page:
        return
    match = _RANGE.match(page)
    if match is None:
        yield "SP", page  # an article number, or a form we do not split
        return
    yield "SP", match.group(1)
    yield "EP", match.group(2)


def _dates(issued: Date | None) -> Iterator[tuple[str, str]]:
    if issued is None:
        return
    yield "PY", str(issued.year)
    if issued.month:
        # DA is `YYYY/MM/DD/other`; the year is repeated so DA stands on its own.
        yield "DA", "/".join(f"{p:02d}" for p in issued.parts())
