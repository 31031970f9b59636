"""`refs.normalize`: `normalize_item` and its steps (idempotent, total); DOI forms (`refs.ids`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refs import ids
from refs.model import Item
from refs.normalize import DEFAULT_STEPS, normalize_item


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


def test_issue_in_the_volume_is_moved_with_a_repair() -> None:
    fixed, repairs = normalize_item(Item(volume="39(2-3)"))
    assert (fixed.volume, fixed.issue) == ("39", "2-3")
    assert {(r.field, r.step) for r in repairs} >= {("volume", "issue-in-volume")}
    # A parsed issue that says otherwise wins: nothing is moved.
    kept, _ = normalize_item(Item(volume="39(2)", issue="4"))
    assert (kept.volume, kept.issue) == ("39(2)", "4")


def test_doi_prefix_digits_are_ascii() -> None:
    # Crossref's registrant codes are ASCII digits; other scripts' digits are not a DOI.
    assert ids.clean_doi("10.\u0661\u0662\u0663\u0664/x") is None
    assert ids.clean_doi("10.1234/x\u0661") == "10.1234/x\u0661"  # the suffix is any character
