"""Normalisers: the forms the seed lists print, and properties on arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refs import ids
from refs.model import Item
from refs.normalize import DEFAULT_STEPS, normalize_item
from refs.normalize.names import parse_name, parse_vancouver_name
from refs.normalize.pages import normalize_issue, normalize_pages, split_volume_issue
from refs.normalize.text import LOST, fix_mojibake, mark_lost_characters


@pytest.mark.parametrize(
    ("printed", "normal"),
    [
        ("2154-64", "2154-2164"),
        ("6698.–6702.", "6698-6702"),
        ("E2110.–E2116.", "E2110-E2116"),
        ("A28.–A31.", "A28-A31"),
        ("58..", "58"),
        ("p.15313", "15313"),
        ("pp. 1--10", "1-10"),
        ("10-29", "10-29"),
        ("e0015313", "e0015313"),
    ],
)
def test_pages(printed: str, normal: str) -> None:
    assert normalize_pages(printed) == normal


@pytest.mark.parametrize(
    ("printed", "normal"),
    [("suppl 5", "Suppl 5"), ("(Suppl 2)", "Suppl 2"), ("15 Supplement", "15 Suppl"), ("8", "8")],
)
def test_issue(printed: str, normal: str) -> None:
    assert normalize_issue(printed) == normal


@pytest.mark.parametrize(
    ("printed", "doi"),
    [
        ("DOI : 10.1001/jama.287.16.2106", "10.1001/jama.287.16.2106"),
        ("https://doi.org/10.1000/XYZ.", "10.1000/XYZ"),
        ("doi:10.1000/abc;", "10.1000/abc"),
        ("http://onlinelibrary.wiley.com/doi/10.3322/caac.21332/pdf", "10.3322/caac.21332"),
        ("https://dx.doi.org/10.1000%2Fabc", "10.1000/abc"),
        ("10.1016/S1471-4914(01)02016-0", "10.1016/S1471-4914(01)02016-0"),
        ("(10.1000/abc)", "10.1000/abc"),
    ],
)
def test_doi_forms(printed: str, doi: str) -> None:
    assert ids.clean_doi(printed) == doi


def test_component_doi_keeps_the_article() -> None:
    assert ids.split_component("10.1371/journal.pone.0015313.s004") == (
        "10.1371/journal.pone.0015313",
        ".s004",
    )
    assert ids.split_component("10.1172/JCI45273DS1") == ("10.1172/JCI45273", "DS1")
    assert ids.split_component("10.1158/0008-5472.CAN-10-0538")[1] is None


def test_lost_characters_are_marked_not_kept() -> None:
    assert mark_lost_characters("carcinoma???associated") == f"carcinoma{LOST}associated"
    assert (
        mark_lost_characters("MCP-1-TNF? cross-regulatory") == f"MCP-1-TNF{LOST} cross-regulatory"
    )
    assert mark_lost_characters("anticancer therapies?") == "anticancer therapies?"
    assert mark_lost_characters("a magic bullet? Science") == "a magic bullet? Science"


def test_mojibake_is_repaired_but_typography_kept() -> None:
    assert fix_mojibake("Leucémie myÃ©loÃ¯de") == "Leucémie myéloïde"
    assert fix_mojibake("s’auto-activer") == "s’auto-activer"


@pytest.mark.parametrize(
    ("printed", "family", "given"),
    [
        ("Fridman R", "Fridman", "R."),
        ("Mitsiades CS", "Mitsiades", "C. S."),
        ("Radons J.", "Radons", "J."),
        ("Sautès-Fridman C", "Sautès-Fridman", "C."),
        ("R. Siegel", "Siegel", "R."),
        ("J.-P. Abastado", "Abastado", "J.-P."),
        ("M. Ng", "Ng", "M."),
        ("Siegel, Rebecca L.", "Siegel", "Rebecca L."),
        ("Rebecca L. Siegel", "Siegel", "Rebecca L."),
        ("N.", None, "N."),
    ],
)
def test_names(printed: str, family: str | None, given: str) -> None:
    person = parse_name(printed)
    assert (person.family, person.given) == (family, given)


def test_particles() -> None:
    person = parse_name("Ludwig van Beethoven")
    assert (person.particle, person.family) == ("van", "Beethoven")
    person = parse_vancouver_name("van der Berg J")
    assert (person.particle, person.family, person.given) == ("van der", "Berg", "J.")


def test_normalize_item_logs_each_repair() -> None:
    item = Item(title="Cancer statistics, 2012.", page="2154-64", DOI="DOI : 10.1234/x.s004")
    fixed, repairs = normalize_item(item)
    assert (fixed.title, fixed.page, fixed.DOI) == (
        "Cancer statistics, 2012",
        "2154-2164",
        "10.1234/x",
    )
    assert {(r.field, r.step) for r in repairs} == {
        ("title", "title-end"),
        ("page", "pages"),
        ("DOI", "doi-form"),
        ("DOI", "doi-component"),
    }


def test_ids_from_url() -> None:
    item = Item(URL="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3825748/pdf")
    assert normalize_item(item)[0].PMCID == "PMC3825748"
    item = Item(URL="https://hal.archives-ouvertes.fr/inserm-00794947")
    assert normalize_item(item)[0].hal_id == "inserm-00794947"


# Properties: every step is idempotent and total on arbitrary text.
@pytest.mark.parametrize("step", DEFAULT_STEPS, ids=lambda s: s.name)
@given(text=st.text(max_size=200))
def test_steps_are_idempotent_and_never_crash(step: object, text: str) -> None:
    from refs.normalize import Step

    assert isinstance(step, Step)
    once = step.apply(text)
    if once:
        assert step.apply(once) == once


@given(text=st.text(max_size=200))
def test_normalize_item_is_idempotent(text: str) -> None:
    item = Item(title=text, page=text, issue=text, volume=text, DOI=text, URL=text)
    once, _ = normalize_item(item)
    twice, repairs = normalize_item(once)
    assert twice == once
    assert repairs == ()


@given(text=st.text(max_size=120))
def test_name_parsing_never_crashes(text: str) -> None:
    parse_name(text)
    parse_vancouver_name(text)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("163-63", "163-163"),  # a one-page article with its last page shortened
        ("1–3, 10–1", "1-3, 10-11"),  # several ranges, each expanded
        ("8–10, 12", "8-10, 12"),
        ("20170132. doi.org/", "20170132"),  # a link the parser left behind
        ("1–4. https://doi.org/10.1/x", "1-4"),
        ("604.4–604", "604.4-604"),  # a form not understood: dashes made plain, kept
        ("viii + 342", "viii + 342"),
    ],
)
def test_page_forms(printed: str, expected: str) -> None:
    assert normalize_pages(printed) == expected


@pytest.mark.parametrize(
    ("volume", "expected"),
    [
        ("39(2-3)", ("39", "2-3")),
        ("11 (9)", ("11", "9")),
        ("2, nos. 3-4", ("2", "3-4")),
        ("12 no. 5", ("12", "5")),
        ("15(Suppl 2)", ("15", "Suppl 2")),
        ("113", ("113", None)),
        ("2014", ("2014", None)),
        ("9697 96973B", ("9697 96973B", None)),
    ],
)
def test_issue_read_out_of_the_volume(volume: str, expected: tuple[str, str | None]) -> None:
    assert split_volume_issue(volume) == expected


def test_issue_in_the_volume_is_moved_with_a_repair() -> None:
    fixed, repairs = normalize_item(Item(volume="39(2-3)"))
    assert (fixed.volume, fixed.issue) == ("39", "2-3")
    assert {(r.field, r.step) for r in repairs} >= {("volume", "issue-in-volume")}
    # A parsed issue that says otherwise wins: nothing is moved.
    kept, _ = normalize_item(Item(volume="39(2)", issue="4"))
    assert (kept.volume, kept.issue) == ("39(2)", "4")


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("1,234-1,240", "1234-1240"), ("100-10. Epub 2013 Dec 5", "100-110"), ("12, 14", "12, 14")],
)
def test_thousands_separators_and_epub_dates_in_pages(printed: str, expected: str) -> None:
    assert normalize_pages(printed) == expected


def test_doi_prefix_digits_are_ascii() -> None:
    # Crossref's registrant codes are ASCII digits; other scripts' digits are not a DOI.
    assert ids.clean_doi("10.\u0661\u0662\u0663\u0664/x") is None
    assert ids.clean_doi("10.1234/x\u0661") == "10.1234/x\u0661"  # the suffix is any character
