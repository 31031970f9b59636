"""`refs.readers.ris`: reading RIS."""

from __future__ import annotations

from refs.model import Date, Person, Span
from refs.readers import read_ris

RIS_TWO = """\
Exported by a reference manager

TY  - JOUR
AU  - Siegel, Rebecca L.
AU  - van der Berg, Jan
A1  - World Health Organization
TI  - Cancer statistics,
  2012: a report
JO  - CA: A Cancer Journal for Clinicians
JA  - CA Cancer J Clin
VL  - 62
IS  - 1
SP  - 10
EP  - 29
PY  - 2012///
DA  - 2012/01/04/
DO  - 10.3322/caac.20138
UR  - https://example.org/x
SN  - 0007-9235
ID  - siegel2012
ER  -

TY  - BOOK
T1  - A Book
PB  - Springer
CY  - Berlin
SN  - 978-3-16-148410-0
Y1  - 1999
AN  - 12345
"""


def test_ris_records_and_tags() -> None:
    article, _ = read_ris(RIS_TWO)
    assert (article.index, article.key, article.style) == (1, "siegel2012", "ris")
    assert article.span == Span(3, 21)
    assert article.text.splitlines()[0] == "TY  - JOUR"
    item = article.item
    assert item.type == "article-journal"
    assert item.author == (
        Person(family="Siegel", given="Rebecca L."),
        Person(family="Berg", given="Jan", particle="van der"),
        Person(literal="World Health Organization"),
    )
    assert item.title == "Cancer statistics, 2012: a report"
    assert item.container_title == "CA: A Cancer Journal for Clinicians"
    assert item.container_title_short == "CA Cancer J Clin"
    assert (item.volume, item.issue, item.page) == ("62", "1", "10-29")
    assert item.issued == Date(2012, 1, 4)
    assert article.doi_input == "10.3322/caac.20138"
    assert (item.DOI, item.URL, item.ISSN) == (
        "10.3322/caac.20138",
        "https://example.org/x",
        "0007-9235",
    )


def test_ris_record_without_final_er_is_read() -> None:
    _, book = read_ris(RIS_TWO)
    assert book.span == Span(23, 29)
    assert book.key == "12345"  # AN when there is no ID
    item = book.item
    assert (item.type, item.title, item.publisher, item.publisher_place) == (
        "book",
        "A Book",
        "Springer",
        "Berlin",
    )
    assert (item.ISBN, item.ISSN) == ("978-3-16-148410-0", None)
    assert item.issued == Date(1999)


def test_ris_new_ty_closes_an_open_record() -> None:
    text = "TY  - JOUR\nTI  - One\nTY  - GEN\nTI  - Two\nER  -\n"
    one, two = read_ris(text)
    assert (one.item.title, one.span) == ("One", Span(1, 2))
    assert (two.item.type, two.item.title, two.span) == ("document", "Two", Span(3, 5))


def test_ris_secondary_titles_and_single_page() -> None:
    text = "TY  - CHAP\nTI  - Ch\nT2  - The Book\nJ2  - Bk\nSP  - e1002345\nER  - \n"
    (ref,) = read_ris(text)
    assert (ref.item.type, ref.item.container_title) == ("chapter", "The Book")
    assert ref.item.container_title_short == "Bk"
    assert ref.item.page == "e1002345"


def test_ris_empty_input() -> None:
    assert read_ris("") == []
    assert read_ris("no records here\n") == []
