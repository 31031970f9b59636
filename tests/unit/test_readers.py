"""Readers: BibTeX, CSL-JSON and RIS text → References."""

from __future__ import annotations

import pytest

from refs.errors import InputError
from refs.model import Date, Person, Span
from refs.readers import read_bibtex, read_csl_json, read_ris

# --- BibTeX -------------------------------------------------------------------

BROKEN_BETWEEN_GOOD = """\
@article{siegel2012,
  author = {Siegel, Rebecca and Naishadham, Deepa and Jemal, Ahmedin},
  title = {Cancer statistics, 2012},
  journal = {CA Cancer J Clin},
  year = {2012},
}

@article{broken,
  author = {Doe, John,
  title = {Never closed

@book{knuth1984,
  author = "Donald E. Knuth",
  title = "The {\\TeX}book",
  publisher = "Addison-Wesley",
  year = 1984,
}
"""


def test_bibtex_broken_entry_between_two_good_ones() -> None:
    refs = read_bibtex(BROKEN_BETWEEN_GOOD)
    assert [r.index for r in refs] == [1, 2, 3]
    good, broken, book = refs
    assert good.key == "siegel2012"
    assert good.item.title == "Cancer statistics, 2012"
    assert good.span == Span(1, 6)
    assert good.diagnostics == ()
    assert broken.parsed is False
    assert broken.span.start_line == 8
    assert len(broken.diagnostics) == 1
    assert broken.diagnostics[0].startswith("broken BibTeX entry at line 8: ")
    assert broken.text.startswith("@article{broken,")
    assert broken.key == "broken"
    assert book.key == "knuth1984"
    assert book.item.type == "book"
    assert book.item.author == (Person(family="Knuth", given="Donald E."),)
    assert book.span == Span(12, 17)
    assert all(r.style == "bibtex" for r in refs)


def test_bibtex_latex_accents_are_decoded() -> None:
    text = r"""@article{a,
  author = {Barr{\'e}-Sinoussi, Fran{\c{c}}oise and M{\"u}ller, J{\"o}rg
            and {\O}stergaard, S\o{}ren},
  title = {{\'E}tude de l'{\'e}cole: TGF-$\beta$ and Ca$^{2+}$},
  journal = {Revue m{\'e}dicale},
  year = {2001}
}"""
    (ref,) = read_bibtex(text)
    assert [p.family for p in ref.item.author] == ["Barré-Sinoussi", "Müller", "Østergaard"]
    assert [p.given for p in ref.item.author] == ["Françoise", "Jörg", "Søren"]
    assert ref.item.title == "Étude de l'école: TGF-β and Ca^2+"
    assert ref.item.container_title == "Revue médicale"


def test_bibtex_name_forms() -> None:
    text = """@article{a,
  author = {{Barré-Sinoussi}, Françoise and Jean-Paul Sartre and van der Berg, Jan
            and Ludwig van Beethoven and Smith, Jr., John and {World Health Organization}
            and others},
  editor = {Doe, Jane},
  title = {T},
}"""
    item = read_bibtex(text)[0].item
    assert item.author == (
        Person(family="Barré-Sinoussi", given="Françoise"),
        Person(family="Sartre", given="Jean-Paul"),
        Person(family="Berg", given="Jan", particle="van der"),
        Person(family="Beethoven", given="Ludwig", particle="van"),
        Person(family="Smith", given="John", suffix="Jr."),
        Person(literal="World Health Organization"),
    )
    assert item.et_al is True
    assert item.editor == (Person(family="Doe", given="Jane"),)


def test_bibtex_fields_are_mapped() -> None:
    text = r"""@string{cacj = {CA: A Cancer Journal for Clinicians}}
@article{key1,
  author = {Siegel, R.},
  title = {{DNA} and {IL-6}: 50% of cases},
  journal = cacj,
  shortjournal = {CA Cancer J Clin},
  year = {2012},
  month = mar,
  volume = {62},
  number = {1},
  pages = {10--29},
  doi = {https://doi.org/10.3322/caac.20138},
  url = {https://example.org/a_b%20c},
  pmid = {22237781},
  pmcid = {PMC3456789},
  issn = {0007-9235},
  note = {Erratum in vol.~63},
}"""
    (ref,) = read_bibtex(text)
    item = ref.item
    assert ref.index == 1
    assert ref.key == "key1"
    assert ref.span == Span(2, 18)
    assert item.type == "article-journal"
    assert item.title == "DNA and IL-6: 50% of cases"
    assert item.container_title == "CA: A Cancer Journal for Clinicians"
    assert item.container_title_short == "CA Cancer J Clin"
    assert item.issued == Date(2012, 3)
    assert (item.volume, item.issue, item.page) == ("62", "1", "10-29")
    assert ref.doi_input == "https://doi.org/10.3322/caac.20138"
    assert item.DOI == "10.3322/caac.20138"
    assert any(r.field == "DOI" for r in ref.repairs)
    assert item.URL == "https://example.org/a_b%20c"
    assert (item.PMID, item.PMCID, item.ISSN) == ("22237781", "PMC3456789", "0007-9235")
    assert item.note == "Erratum in vol. 63"


@pytest.mark.parametrize(
    ("entry_type", "csl_type"),
    [
        ("article", "article-journal"),
        ("book", "book"),
        ("incollection", "chapter"),
        ("inproceedings", "paper-conference"),
        ("phdthesis", "thesis"),
        ("techreport", "report"),
        ("misc", "document"),
        ("Unknown", "document"),
    ],
)
def test_bibtex_entry_types(entry_type: str, csl_type: str) -> None:
    (ref,) = read_bibtex(f"@{entry_type}{{k, title = {{T}}}}")
    assert ref.item.type == csl_type


def test_bibtex_book_chapter_and_report_fields() -> None:
    text = """@incollection{c,
  title = {A chapter}, booktitle = {The Book}, publisher = {Springer},
  address = {Berlin}, edition = {2}, isbn = {978-3-16-148410-0}, date = {2019-07-04},
}
@techreport{r, title = {A report}, institution = {WHO}, year = {2020}, month = {11}}"""
    chapter, report = (r.item for r in read_bibtex(text))
    assert chapter.container_title == "The Book"
    assert (chapter.publisher, chapter.publisher_place) == ("Springer", "Berlin")
    assert (chapter.edition, chapter.ISBN) == ("2", "978-3-16-148410-0")
    assert chapter.issued == Date(2019, 7, 4)
    assert report.publisher == "WHO"
    assert report.issued == Date(2020, 11)


def test_bibtex_duplicate_key_is_read_with_a_diagnostic() -> None:
    text = "@article{k, title = {One}}\n@article{k, title = {Two}}\n"
    first, second = read_bibtex(text)
    assert first.diagnostics == ()
    assert second.item.title == "Two"
    assert second.key == "k"
    assert second.diagnostics == ("duplicate BibTeX key 'k' at line 2",)


def test_bibtex_et_al_spelled_out() -> None:
    (ref,) = read_bibtex("@article{k, author = {Doe, J. and et al.}, title = {T}}")
    assert ref.item.author == (Person(family="Doe", given="J."),)
    assert ref.item.et_al is True


def test_bibtex_strings_are_not_references() -> None:
    text = "@string{j = {J}}\n@string{j = {K}}\n@article{k, journal = j, title = {T}}\n"
    (ref,) = read_bibtex(text)
    assert ref.index == 1
    assert ref.span == Span(3, 3)


def test_bibtex_comments_and_empty_input() -> None:
    assert read_bibtex("") == []
    assert read_bibtex("% just a comment\n@comment{nothing}\n") == []


# --- CSL-JSON -----------------------------------------------------------------

CSL_LIST = """[
  {
    "id": "siegel2012",
    "type": "article-journal",
    "title": "Cancer statistics, 2012",
    "author": [{"family": "Siegel", "given": "Rebecca"}],
    "issued": {"date-parts": [[2012, 1]]},
    "DOI": "doi:10.3322/caac.20138"
  },
  {"id": 7, "type": "book", "title": "A Book"}
]
"""


def test_csl_json_list() -> None:
    first, second = read_csl_json(CSL_LIST)
    assert (first.index, first.key, first.style) == (1, "siegel2012", "csl-json")
    assert first.span == Span(2, 9)
    assert first.text.startswith("{") and first.text.endswith("}")
    assert first.item.author == (Person(family="Siegel", given="Rebecca"),)
    assert first.item.issued == Date(2012, 1)
    assert first.doi_input == "doi:10.3322/caac.20138"
    assert first.item.DOI == "10.3322/caac.20138"
    assert (second.index, second.key, second.span) == (2, "7", Span(10, 10))
    assert second.item.type == "book"


def test_csl_json_single_object_is_a_one_item_list() -> None:
    (ref,) = read_csl_json('\n{"id": "x", "type": "book", "title": "Alone"}\n')
    assert ref.key == "x"
    assert ref.item.title == "Alone"
    assert ref.span == Span(2, 2)


def test_csl_json_empty_list() -> None:
    assert read_csl_json("[]") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json at all", "invalid JSON at line 1"),
        ('[{"id": 1}', "invalid JSON"),
        ("", "invalid JSON"),
        ("[1, 2, 3]", "item 1 (line 1) is a number"),
        ('[{"id": "a"}, "b"]', "item 2 (line 1) is a string"),
        ('"just a string"', "expected an array of items, got a string"),
        ("42", "expected an array of items, got a number"),
        ("null", "got null"),
    ],
)
def test_csl_json_unusable_input_raises(text: str, message: str) -> None:
    with pytest.raises(InputError, match=r"^not CSL-JSON: ") as info:
        read_csl_json(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


# --- RIS ----------------------------------------------------------------------

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
