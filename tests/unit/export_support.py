"""Shared by the tests of `refs.export`: two items, and references holding them."""

from __future__ import annotations

from refs.model import Date, Item, Person, Reference, Span

SIEGEL = Item(
    type="article-journal",
    author=(
        Person(family="Siegel", given="Rebecca"),
        Person(family="Berg", given="Jan", particle="van der"),
        Person(literal="World Health Organization"),
    ),
    issued=Date(2012, 1),
    title="Cancer statistics, 2012",
    container_title="CA: A Cancer Journal for Clinicians",
    container_title_short="CA Cancer J Clin",
    volume="62",
    issue="1",
    page="10-29",
    DOI="10.3322/caac.20138",
    URL="https://example.org/a_b%20c",
    PMID="22237781",
    PMCID="PMC3456789",
    ISSN="0007-9235",
    note="Erratum in vol. 63",
)


BOOK = Item(
    type="book",
    author=(Person(family="Müller", given="Jörg"),),
    issued=Date(1999),
    title="Énergie et DNA \ufffd lost",
    publisher="Springer",
    ISBN="978-3-16-148410-0",
)


def ref(item: Item, key: str | None = None, index: int = 1) -> Reference:
    return Reference(index=index, text="", span=Span(1, 1), item=item, style="test", key=key)


def refs(*items: Item) -> list[Reference]:
    return [ref(item, index=i) for i, item in enumerate(items, start=1)]
