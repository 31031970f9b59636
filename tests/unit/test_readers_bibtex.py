"""`refs.readers.bibtex`: reading BibTeX."""

from __future__ import annotations

import pytest

from refs.model import Date, Person, Span
from refs.readers import read_bibtex

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
