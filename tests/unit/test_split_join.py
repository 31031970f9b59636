"""`refs.split.join`: joining a reference's lines into one string."""

from __future__ import annotations

from hypothesis import given
from split_support import _LINES, _solid

from refs.split import join_lines


def test_join_lines_undoes_hyphenation_only_inside_words() -> None:
    cases = {
        ("an immuno-", "logy study"): "an immunology study",
        ("Immuno-", "logical markers"): "Immunological markers",
        ("IL-", "6 levels"): "IL-6 levels",
        ("non-", "Small cell"): "non-Small cell",
        ("pp. 1658-", "1667."): "pp. 1658-1667.",
        ("pp. 1658–", "1667."): "pp. 1658–1667.",
        ("long-", "term effects"): "long-term effects",
        ("cell-", "based assays"): "cell-based assays",
        ("protein-", "protein binding"): "protein-protein binding",
        ("follow-", "up study"): "follow-up study",
        ("x-", "ray"): "x-ray",
        ("state-of-the-", "art methods"): "state-of-the-art methods",
        ("Title -", "Subtitle"): "Title - Subtitle",
        ("a soft\u00ad", "hyphen"): "a softhyphen",
        ("The end.", "Next"): "The end. Next",
    }
    for lines, joined in cases.items():
        assert join_lines(lines) == joined, lines


def test_join_lines_rejoins_dois_and_urls() -> None:
    cases = {
        ("Cell. https://doi.org/10.1016/j.cell.", "2011.02.013"): (
            "Cell. https://doi.org/10.1016/j.cell.2011.02.013"
        ),
        ("https://doi.org/10.1000/", "xyz"): "https://doi.org/10.1000/xyz",
        ("doi:10.1037/0033-", "295X.84.2.191"): "doi:10.1037/0033-295X.84.2.191",
        ("https://www.example.org/reports/annual", "_2020.pdf"): (
            "https://www.example.org/reports/annual_2020.pdf"
        ),
        ("https://www.example.org/reports/annual", "report.pdf"): (
            "https://www.example.org/reports/annualreport.pdf"
        ),
        ("https://doi.org/10.1038/nature14539.", "Retrieved May 2020"): (
            "https://doi.org/10.1038/nature14539. Retrieved May 2020"
        ),
        ("https://www.example.org/news/", "Zbikowski, L. M. (2002)."): (
            "https://www.example.org/news/ Zbikowski, L. M. (2002)."
        ),
        ("https://doi.org/10.1038/nature14539", "PMID: 26017442"): (
            "https://doi.org/10.1038/nature14539 PMID: 26017442"
        ),
    }
    for lines, joined in cases.items():
        assert join_lines(lines) == joined, lines


def test_join_lines_skips_blank_lines_and_trims() -> None:
    assert join_lines(["  a b ", "", "   c  "]) == "a b c"
    assert join_lines([]) == ""


@given(_LINES)
def test_joining_loses_nothing_but_line_end_hyphens(lines: list[str]) -> None:
    joined = join_lines(lines)
    assert "\n" not in joined
    assert _solid(joined).replace("-", "") == _solid("".join(lines)).replace("-", "")


def test_prefixes_before_a_vowel_keep_their_hyphen() -> None:
    assert join_lines(["a meta-", "analysis of anti-", "inflammatory drugs"]) == (
        "a meta-analysis of anti-inflammatory drugs"
    )
    assert join_lines(["the re-", "sults of anti-", "bodies"]) == "the results of antibodies"
