"""`refs.parse.hal`: HAL exports beyond the seed lists, and what is not one."""

from __future__ import annotations

from refs.parse import detect_style, parse_reference


def test_hal_url_doi_is_kept_apart_from_the_printed_doi() -> None:
    ref = parse_reference(
        "R. Siegel and A. Jemal, Cancer statistics, 2012, CA: A Cancer Journal for Clinicians, "
        "vol.62, pp.10-29, 2012.\nDOI : 10.1001/jama.287.16.2106\n"
        "URL : http://onlinelibrary.wiley.com/doi/10.3322/caac.21332/pdf"
    )
    assert ref.style == "hal"
    assert ref.item.DOI == "10.1001/jama.287.16.2106"
    assert ref.alt_dois == ("10.3322/caac.21332",)
    assert [p.family for p in ref.item.author] == ["Siegel", "Jemal"]


def test_quoted_titles_are_not_hal_exports() -> None:
    ieee = (
        "Z. Huang, “Relation between small functions and differential polynomials”, "
        "Abstract and Applied Analysis, vol. 213, no. 8, pp. 1–11, 2013."
    )
    assert detect_style(ieee) != "hal"


def test_a_hal_title_may_hold_quotes() -> None:
    hal = (
        'R. Siegel, D. Naishadham, and A. Jemal, The "Made in China" label and consumer trust, '
        "Journal of Marketing Research, vol.48, issue.2, pp.10-29, 2012."
    )
    assert detect_style(hal) == "hal"
    assert parse_reference(hal).item.volume == "48"
