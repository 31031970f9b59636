"""Exporters and citation keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bibtexparser.entrypoint import parse_string

from refs.export import cite_keys, to_bibtex, to_csl_json, to_ris
from refs.export.bibtex import protect_title
from refs.model import Date, Item, Person, Reference, Span

CSL_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "data" / "csl" / "csl-data.json"

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


# --- keys ---------------------------------------------------------------------


def test_generated_key_is_family_year_title_word() -> None:
    assert cite_keys([ref(SIEGEL)]) == ["siegel2012cancer"]


def test_own_key_is_kept() -> None:
    assert cite_keys([ref(SIEGEL, key="Siegel:2012")]) == ["Siegel:2012"]


def test_own_key_loses_characters_bibtex_cannot_hold() -> None:
    assert cite_keys([ref(SIEGEL, key="my key, {1}")]) == ["mykey1"]


def test_keys_fold_accents_and_skip_stopwords() -> None:
    item = Item(
        author=(Person(family="Łącki-Ørsted", given="Ana"),),
        issued=Date(2020),
        title="The Études of a life",
    )
    assert cite_keys([ref(item)]) == ["lackiorsted2020etudes"]


def test_keys_without_author_year_or_title() -> None:
    assert cite_keys([ref(Item())]) == ["anon"]
    literal = Item(author=(Person(literal="World Health Organization"),), title="Report")
    assert cite_keys([ref(literal)]) == ["worldreport"]


def test_keys_are_made_unique_in_list_order() -> None:
    keys = cite_keys(refs(SIEGEL, SIEGEL, SIEGEL, BOOK))
    assert keys == [
        "siegel2012cancer",
        "siegel2012cancera",
        "siegel2012cancerb",
        "muller1999energie",
    ]
    assert cite_keys(refs(SIEGEL, SIEGEL, SIEGEL, BOOK)) == keys


def test_generated_keys_step_around_later_own_keys() -> None:
    keys = cite_keys([ref(SIEGEL), ref(BOOK, key="siegel2012cancer")])
    assert keys == ["siegel2012cancera", "siegel2012cancer"]


def test_duplicate_own_keys_are_suffixed() -> None:
    assert cite_keys([ref(SIEGEL, key="k"), ref(BOOK, key="k")]) == ["k", "ka"]


# --- BibTeX -------------------------------------------------------------------


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


# --- CSL-JSON -----------------------------------------------------------------


def test_csl_json_is_a_pretty_utf8_array() -> None:
    text = to_csl_json(refs(SIEGEL, BOOK))
    data = json.loads(text)
    assert [d["id"] for d in data] == ["siegel2012cancer", "muller1999energie"]
    assert data[0] == SIEGEL.to_csl("siegel2012cancer")
    assert '"family": "Müller"' in text
    assert text.startswith('[\n  {\n    "id": "siegel2012cancer",')


def test_csl_json_unknown_type_becomes_document() -> None:
    data = json.loads(to_csl_json(refs(Item(type="no-such-type", title="T"))))
    assert data[0]["type"] == "document"


def test_csl_json_empty() -> None:
    assert json.loads(to_csl_json([])) == []


@pytest.mark.shared
def test_csl_json_validates_against_the_csl_schema() -> None:
    if not CSL_SCHEMA.is_file():
        pytest.skip(f"../shared not found: {CSL_SCHEMA} is needed to validate CSL-JSON")
    import jsonschema

    schema: dict[str, Any] = json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))
    items = [
        SIEGEL,
        BOOK,
        Item(type="no-such-type", et_al=True, hal_id="hal-01234567", issued=Date(2020, 2, 3)),
        Item(editor=(Person(given="Only"),), edition="2", publisher_place="Paris"),
    ]
    data = json.loads(to_csl_json(refs(*items)))
    jsonschema.Draft7Validator(schema).validate(data)


# --- RIS ----------------------------------------------------------------------


def test_ris_record() -> None:
    lines = to_ris(refs(SIEGEL)).rstrip("\n").splitlines()
    assert lines[0] == "TY  - JOUR"
    assert lines[1:4] == [
        "AU  - Siegel, Rebecca",
        "AU  - van der Berg, Jan",
        "AU  - World Health Organization",
    ]
    for line in (
        "TI  - Cancer statistics, 2012",
        "JO  - CA: A Cancer Journal for Clinicians",
        "J2  - CA Cancer J Clin",
        "VL  - 62",
        "IS  - 1",
        "SP  - 10",
        "EP  - 29",
        "PY  - 2012",
        "DA  - 2012/01",
        "DO  - 10.3322/caac.20138",
        "UR  - https://example.org/a_b%20c",
        "SN  - 0007-9235",
        "ID  - siegel2012cancer",
    ):
        assert line in lines
    assert lines[-1] == "ER  - "


@pytest.mark.parametrize(
    ("csl_type", "ris_type"),
    [
        ("article-journal", "JOUR"),
        ("book", "BOOK"),
        ("chapter", "CHAP"),
        ("paper-conference", "CONF"),
        ("thesis", "THES"),
        ("report", "RPRT"),
        ("document", "GEN"),
        ("no-such-type", "GEN"),
    ],
)
def test_ris_types(csl_type: str, ris_type: str) -> None:
    assert to_ris(refs(Item(type=csl_type))).startswith(f"TY  - {ris_type}\n")


def test_ris_article_number_and_container_of_a_chapter() -> None:
    text = to_ris(refs(Item(type="chapter", page="e1002345", container_title="The Book")))
    assert "SP  - e1002345\n" in text
    assert "EP  -" not in text
    assert "T2  - The Book\n" in text


def test_ris_records_are_separated() -> None:
    text = to_ris(refs(SIEGEL, BOOK))
    assert text.count("TY  - ") == 2
    assert text.count("ER  - \n") == 2
