"""Write then read gives the same items, for BibTeX, CSL-JSON and RIS."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refs.export import to_bibtex, to_csl_json, to_ris
from refs.export.csljson import CSL_TYPES
from refs.model import Date, Item, Person, Reference, Span
from refs.normalize import normalize_item
from refs.readers import read_bibtex, read_csl_json, read_ris

Writer = Callable[[Sequence[Reference]], str]
Reader = Callable[[str], list[Reference]]

ITEMS: tuple[Item, ...] = (
    Item(
        type="article-journal",
        author=(
            Person(family="Siegel", given="Rebecca L."),
            Person(family="Berg", given="Jan", particle="van der"),
            Person(family="Sautès-Fridman", given="Catherine"),
            Person(family="Müller", given="Jörg"),
        ),
        issued=Date(2012, 3),
        title="IL-6 and CXCR4 signalling: a FAK-dependent role of DNA repair",
        container_title="Nature Reviews Cancer",
        container_title_short="Nat Rev Cancer",
        volume="12",
        issue="3",
        page="2154-2164",
        DOI="10.1038/nrc3245",
        URL="https://example.org/articles/nrc3245",
        ISSN="1474-175X",
    ),
    Item(
        type="article-journal",
        author=(Person(family="Fridman", given="Wolf H."),),
        issued=Date(2019),
        title="Tertiary lymphoid structures in cancer: a review",
        container_title="PLoS One",
        volume="14",
        issue="Suppl 2",
        page="e0212345",
        DOI="10.1371/journal.pone.0212345",
    ),
    Item(
        type="book",
        author=(Person(literal="World Health Organization"),),
        editor=(Person(family="Doe", given="Jane"),),
        issued=Date(2020, 11, 5),
        title="World report on cancer",
        publisher="WHO Press",
        publisher_place="Geneva",
        edition="2",
        ISBN="978-92-4-000129-9",
        note="Also online",
    ),
    Item(
        type="chapter",
        author=(Person(family="Ørsted", given="Hans Christian"),),
        issued=Date(1998, 1),
        title="Électricité et magnétisme",
        container_title="Œuvres complètes",
        publisher="Springer",
        page="1-10",
    ),
    Item(
        type="thesis",
        author=(Person(family="Cruz", given="Ana María", particle="de la"),),
        issued=Date(2015),
        title="Tumour microenvironment and CD8+ T cells",
        publisher="Université Paris Cité",
        URL="https://theses.example.org/2015/cruz",
    ),
    Item(type="report", issued=Date(2003, 12), title="Annual report", publisher="NIH"),
)

BIBTEX_AND_CSL_EXTRAS = Item(
    type="paper-conference",
    author=(Person(family="Smith", given="John", suffix="Jr."),),
    et_al=True,
    issued=Date(2021, 6),
    title="mRNA vaccines for hepatitis B",
    container_title="Proceedings of the Vaccine Conference",
    PMID="22237781",
    PMCID="PMC3456789",
    hal_id="hal-01234567",
)

FORMATS: dict[str, tuple[Writer, Reader]] = {
    "bibtex": (to_bibtex, read_bibtex),
    "csl-json": (to_csl_json, read_csl_json),
    "ris": (to_ris, read_ris),
}


def as_refs(items: Sequence[Item]) -> list[Reference]:
    return [
        Reference(index=i, text="", span=Span(i, i), item=item, style="test")
        for i, item in enumerate(items, start=1)
    ]


def ris_view(item: Item) -> Item:
    """RIS has no tag for these: the writer drops them, so the comparison does too."""
    return replace(item, PMID=None, PMCID=None, hal_id=None, et_al=False)


def round_trip(fmt: str, items: Sequence[Item]) -> list[Item]:
    write, read = FORMATS[fmt]
    back = read(write(as_refs(items)))
    assert [r.repairs for r in back] == [() for _ in items]
    return [r.item for r in back]


def test_fixtures_are_already_normal() -> None:
    for item in (*ITEMS, BIBTEX_AND_CSL_EXTRAS):
        assert normalize_item(item) == (item, ())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip(fmt: str) -> None:
    expected = [ris_view(i) for i in ITEMS] if fmt == "ris" else list(ITEMS)
    assert round_trip(fmt, ITEMS) == expected


@pytest.mark.parametrize("fmt", ["bibtex", "csl-json"])
def test_round_trip_keeps_ids_and_et_al(fmt: str) -> None:
    assert round_trip(fmt, [BIBTEX_AND_CSL_EXTRAS]) == [BIBTEX_AND_CSL_EXTRAS]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip_keeps_keys(fmt: str) -> None:
    write, read = FORMATS[fmt]
    refs = [replace(r, key=f"key{r.index}") for r in as_refs(ITEMS)]
    assert [r.key for r in read(write(refs))] == [r.key for r in refs]


# --- property: CSL-JSON out and back in is the identity --------------------------

# Values the normalisers leave alone: words of letters, single spaces, no final period.
_LETTERS = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüñçøåß")
_WORD = st.text(_LETTERS, min_size=1, max_size=8)
_TEXT = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)
_NUMBER = st.integers(1, 9999).map(str)


def _opt(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.none() | strategy


_PERSON = st.one_of(
    st.builds(
        Person, family=_WORD, given=_opt(_TEXT), particle=st.sampled_from([None, "van", "de la"])
    ),
    st.builds(Person, literal=_TEXT),
)


@st.composite
def _dates(draw: st.DrawFn) -> Date:
    year = draw(st.integers(1500, 2100))
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.none() | st.integers(1, 28)) if month else None
    return Date(year, month, day)


@st.composite
def _pages(draw: st.DrawFn) -> str:
    first = draw(st.integers(1, 5000))
    last = draw(st.none() | st.integers(first, first + 500))
    return str(first) if last is None else f"{first}-{last}"


_ITEMS = st.builds(
    Item,
    type=st.sampled_from(sorted(CSL_TYPES)),
    author=st.lists(_PERSON, max_size=4).map(tuple),
    editor=st.lists(_PERSON, max_size=2).map(tuple),
    issued=st.none() | _dates(),
    title=_opt(_TEXT),
    container_title=_opt(_TEXT),
    volume=_opt(_NUMBER),
    issue=_opt(_NUMBER),
    page=_opt(_pages()),
    publisher=_opt(_TEXT),
    DOI=_opt(st.builds("10.{}/{}".format, st.integers(1000, 99999), _WORD.map(str.lower))),
    URL=_opt(_WORD.map("https://example.org/{}".format)),
    PMID=_opt(_NUMBER),
    note=_opt(_TEXT),
    hal_id=_opt(st.integers(10**7, 10**8 - 1).map("hal-{}".format)),
    et_al=st.booleans(),
)


@given(st.lists(_ITEMS, max_size=5))
def test_csl_json_round_trip_is_identity(items: list[Item]) -> None:
    assert round_trip("csl-json", items) == items
