"""`refs.export.bibtex`: the BibTeX exporter."""

from __future__ import annotations

import pytest
from bibtexparser.entrypoint import parse_string
from export_support import BOOK, SIEGEL, refs

from refs.export import to_bibtex
from refs.export.bibtex import protect_title
from refs.model import Item, Person


def parse_bib(text: str) -> dict[str, dict[str, str]]:
    library = parse_string(text)
    assert library.failed_blocks == []
    return {e.key: {f.key: f.value for f in e.fields} for e in library.entries}


def test_bibtex_entry() -> None:
    text = to_bibtex(refs(SIEGEL))
    assert text.startswith("@article{siegel2012cancer,\n")
    fields = parse_bib(text)["siegel2012cancer"]
    assert fields["author"] == (
        "Siegel, Rebecca and van der Berg, Jan and {World Health Organization}"
    )
    assert fields["journal"] == "CA: A Cancer Journal for Clinicians"
    assert fields["shortjournal"] == "CA Cancer J Clin"
    assert (fields["year"], fields["month"]) == ("2012", "jan")
    assert (fields["volume"], fields["number"], fields["pages"]) == ("62", "1", "10--29")
    assert fields["doi"] == "10.3322/caac.20138"
    assert fields["url"] == "https://example.org/a_b%20c"
    assert (fields["pmid"], fields["pmcid"], fields["issn"]) == (
        "22237781",
        "PMC3456789",
        "0007-9235",
    )
    assert fields["note"] == "Erratum in vol. 63"
    assert "month = jan," in text  # the macro, unbraced


def test_bibtex_keeps_utf8_and_lost_characters() -> None:
    text = to_bibtex(refs(BOOK))
    assert "Müller, Jörg" in text
    assert "title = {Énergie et {DNA} \ufffd lost}" in text
    assert "isbn = {978-3-16-148410-0}" in text
    assert "@book{muller1999energie," in text
    assert "\\textendash" not in text


def test_bibtex_pages_use_double_hyphen() -> None:
    page_en_dash = Item(page="1234\u20131240", title="T")
    assert "pages = {1234--1240}" in to_bibtex(refs(page_en_dash))
    article_number = Item(page="e1002345", title="T")
    assert "pages = {e1002345}" in to_bibtex(refs(article_number))


@pytest.mark.parametrize(
    ("title", "written"),
    [
        ("Cancer statistics, 2012", "Cancer statistics, 2012"),
        ("IL-6 and CXCR4 drive FAK", "{IL-6} and {CXCR4} drive {FAK}"),
        ("DNA repair: a review (mRNA)", "{DNA} repair: a review ({mRNA})"),
        ("A role for vitamin D", "A role for vitamin {D}"),
        ("McDonald's iPhone", "{McDonald's} {iPhone}"),
        ("R&D at 50% cost_x #1 {x} ~", r"{R\&D} at 50\% cost\_x \#1 \{x\} \textasciitilde{}"),
        ("Sécurité \ufffd", "Sécurité \ufffd"),
    ],
)
def test_bibtex_title_protection(title: str, written: str) -> None:
    assert protect_title(title) == written


def test_bibtex_entry_types_and_containers() -> None:
    items = [
        Item(type="chapter", title="C", container_title="The Book"),
        Item(type="paper-conference", title="P", container_title="Proc. X"),
        Item(type="thesis", title="T"),
        Item(type="report", title="R"),
        Item(type="document", title="D"),
        Item(type="no-such-type", title="N"),
    ]
    text = to_bibtex(refs(*items))
    types = [e.entry_type for e in parse_string(text).entries]
    assert types == ["incollection", "inproceedings", "phdthesis", "techreport", "misc", "misc"]
    assert "booktitle = {The Book}" in text


def test_bibtex_publisher_of_thesis_and_report() -> None:
    thesis = Item(type="thesis", title="T", publisher="Université Paris Cité")
    report = Item(type="report", title="R", publisher="NIH")
    text = to_bibtex(refs(thesis, report))
    assert "school = {Université Paris Cité}" in text
    assert "institution = {NIH}" in text


def test_bibtex_names_et_al_suffix_and_editors() -> None:
    item = Item(
        author=(Person(family="Smith", given="John", suffix="Jr."), Person(family="Plato")),
        editor=(Person(family="Doe", given="Jane"),),
        et_al=True,
        title="T",
    )
    fields = parse_bib(to_bibtex(refs(item)))["smitht"]
    assert fields["author"] == "Smith, Jr., John and Plato and others"
    assert fields["editor"] == "Doe, Jane"


def test_bibtex_empty() -> None:
    assert to_bibtex([]) == ""
