"""`refs.split.split_references`: the reference section, labels, blocks, bullets; properties."""

from __future__ import annotations

from functools import cache

from hypothesis import given
from hypothesis import strategies as st
from split_support import _LINES, APA, APA_FLUSH_LEFT, _solid, texts

from refs.split import join_lines, split_references


def test_number_alone_on_its_line() -> None:
    chunks = split_references("1.\nFirst ref. 2001;1:1.\n2.\nSecond ref. 2002;2:2.\n")
    assert [(c.number, c.text, c.start_line, c.end_line) for c in chunks] == [
        (1, "First ref. 2001;1:1.", 2, 2),
        (2, "Second ref. 2002;2:2.", 4, 4),
    ]


def test_numbered_on_the_same_line_in_three_forms() -> None:
    for label in ("{}.", "[{}]", "{})"):
        text = "\n".join(
            f"{label.format(n)} Author A. Title {n}. J. 2001;{n}:1." for n in (1, 2, 3)
        )
        chunks = split_references(text)
        assert [c.number for c in chunks] == [1, 2, 3]
        assert chunks[1].text == "Author A. Title 2. J. 2001;2:1."


def test_numbered_reference_wrapped_over_lines() -> None:
    chunks = split_references(
        "[1] Author A. A long title\n    that wraps. J. 2001;1:1.\n[2] B. 2002.\n"
    )
    assert chunks[0].text == "Author A. A long title\nthat wraps. J. 2001;1:1."
    assert (chunks[0].start_line, chunks[0].end_line) == (1, 2)


def test_hal_blocks_keep_their_doi_and_url_lines() -> None:
    text = (
        "A. B, Title, Journal, vol.1, pp.1-2, 2001.\nDOI : 10.1234/a\n\nURL : http://x.org/a\n\n"
        "C. D, Other, Journal, vol.2, pp.3-4, 2002.\nDOI : 10.1234/b\n"
    )
    chunks = split_references(text)
    assert len(chunks) == 2
    assert chunks[0].text.splitlines()[1:] == ["DOI : 10.1234/a", "URL : http://x.org/a"]
    assert (chunks[0].start_line, chunks[0].end_line) == (1, 4)


def test_whole_document_uses_the_reference_section() -> None:
    text = (
        "Title\n\nBody text 1. with numbers.\n2. more body\n\nReferences\n1.\nA ref.\n2.\nB ref.\n"
    )
    assert [c.text for c in split_references(text)] == ["A ref.", "B ref."]


def test_nothing_to_split() -> None:
    assert split_references("") == []
    assert split_references("\n\n  \n") == []


def test_bulleted_list() -> None:
    pasted = (
        "• Sato, K. (2003). Ion channels in the heart. Circulation Research, 92, 1–9.\n"
        "• Ivanova, E. A., & Petrov, D. (2009). A very long title on the mechanics of\n"
        "  granular flows. Journal of Fluid Mechanics, 624, 33–56.\n"
        "• Kowalski, J. (2012). Notes. Physics Today, 65(1), 10.\n"
    )
    assert [c.text.split("\n")[0][:8] for c in split_references(pasted)] == [
        "Sato, K.", "Ivanova,", "Kowalski"
    ]  # fmt: skip


def test_web_page_link_buttons_are_dropped() -> None:
    pasted = (
        "1. Watson, J. D. & Crick, F. H. C. Molecular structure of nucleic acids. Nature 171, "
        "737–738 (1953).\n\nArticle  ADS  CAS  PubMed  Google Scholar \n\n"
        "2. Sanger, F., Nicklen, S. & Coulson, A. R. DNA sequencing with chain-terminating "
        "inhibitors. Proc. Natl Acad. Sci. USA 74, 5463–5467 (1977). [PubMed] [Google Scholar]\n"
        "Download references\n"
    )
    assert [c.text[-10:] for c in split_references(pasted)] == ["38 (1953).", "67 (1977)."]


def test_a_wrapped_line_starting_with_a_year_is_not_a_label() -> None:
    pasted = (
        "1. Marsh, R. and Okonjo, T.\n2005. Soil carbon in managed grasslands. Geoderma 12: 1–9.\n"
        "2. Haile, B. 2006. Grazing and erosion. Catena 4: 5–6.\n"
    )
    chunks = split_references(pasted)
    assert [c.number for c in chunks] == [1, 2]
    assert chunks[0].text.endswith("Geoderma 12: 1–9.")


def test_text_before_the_first_number_is_kept() -> None:
    chunks = split_references("Cited works\n1. A. Author, Title, 2001.\n2. B. Author, T, 2002.")
    assert [c.text for c in chunks] == [
        "Cited works",
        "A. Author, Title, 2001.",
        "B. Author, T, 2002.",
    ]
    assert [c.number for c in chunks] == [None, 1, 2]


# --- whole documents --------------------------------------------------------------------

DOCUMENT = """\
Sleep and memory in older adults

Abstract
We studied 120 adults (Zhang, 2016).

1. Introduction
Sleep matters [1].

References
Baddeley, A. (2012). Working memory: Theories, models, and controversies. Annual
Review of Psychology, 63, 1–29.
Zhang, W. (2016). Sleep and memory consolidation in older adults. Sleep, 39(4),
821–830.

{after}
We thank the participants.
"""


def test_the_reference_section_ends_at_what_follows_it() -> None:
    for after in ("Acknowledgements", "Acknowledgments:", "Appendix A. Questionnaire",
                  "Supplementary Material", "Table 1. Participants", "Figure 2: Design"):  # fmt: skip
        chunks = split_references(DOCUMENT.format(after=after))
        assert [c.text[:9] for c in chunks] == ["Baddeley,", "Zhang, W."], after
        assert chunks[-1].end_line == 13


def test_a_caption_inside_the_references_does_not_end_them() -> None:
    text = DOCUMENT.format(after="Acknowledgements").replace(
        "Zhang, W. (2016)", "Figure 3. Recall by age group (n = 120).\nZhang, W. (2016)"
    )
    chunks = split_references(text)
    assert (chunks[0].text[:9], chunks[-1].text[:9]) == ("Baddeley,", "Zhang, W.")


def test_web_page_headings_after_the_references() -> None:
    for after in ("Author information", "Rights and permissions", "Funding: none."):
        chunks = split_references(DOCUMENT.format(after=after))
        assert [c.text[:9] for c in chunks] == ["Baddeley,", "Zhang, W."], after


def test_a_pasted_list_is_not_cut_at_a_table_line() -> None:
    # Without a `References` heading the text is a list: nothing is dropped.
    pasted = "Zhang, W. (2016). Sleep. Sleep, 39(4), 821–830.\nTable 1. Participants\n"
    assert len(split_references(pasted)) == 2


def test_page_numbers_are_neither_labels_nor_text() -> None:
    lines = APA_FLUSH_LEFT.splitlines()
    pasted = "\n".join(["References", *lines[:7], "", "12", "", *lines[7:], "", "13"])
    assert texts(pasted) == APA


def test_a_number_alone_in_a_wrapped_reference_is_its_text() -> None:
    pasted = (
        "Okafor CN, Lindqvist B. Sepsis and ferritin. Crit Care Med. 2019;47(3):312-20.\n"
        "Abebe T, Haile B. Grazing and soil erosion in the Ethiopian highlands, Catena,\n"
        "2009\n"
        "Nguyen TT, Rossi M. Vitamin D and bone density. J Bone Miner Res. 2015;30:812-9.\n"
    )
    assert texts(pasted)[1].endswith("highlands, Catena, 2009")


# --- properties --------------------------------------------------------------------------

_LABEL_CHARS = frozenset("0123456789.[])•")


def _only_labels_removed(source: str, kept: str) -> bool:
    """`kept` is `source` with some label characters (list numbers, brackets, bullets) taken out."""

    @cache
    def fits(i: int, j: int) -> bool:
        if j == len(kept):
            return all(c in _LABEL_CHARS for c in source[i:])
        if i == len(source):
            return False
        if source[i] == kept[j] and fits(i + 1, j + 1):
            return True
        return source[i] in _LABEL_CHARS and fits(i + 1, j)

    return fits(0, 0)


@given(_LINES)
def test_splitting_loses_nothing_but_labels(lines: list[str]) -> None:
    text = "\n".join(lines)
    chunks = split_references(text)
    assert _only_labels_removed(_solid(text), _solid("".join(c.text for c in chunks)))
    assert all(c.text.strip() and c.start_line <= c.end_line for c in chunks)
    assert [c.start_line for c in chunks] == sorted(c.start_line for c in chunks)


@given(st.text(max_size=400))
def test_never_crashes_on_any_text(text: str) -> None:
    for chunk in split_references(text):
        assert chunk.start_line >= 1
        join_lines(chunk.text.split("\n"))


def test_page_numbers_alone_on_their_lines_are_not_labels() -> None:
    text = "\n".join([
        "12",
        "Smith, J. A. (2001). A study of mice. Journal of Mice, 3(2), 1-10.",
        "Jones, K. B. (2002). Another study of rats. Journal of Rats, 4(1), 11-20.",
        "Brown, L. (2003). Cats and dogs in the city. Urban Ecology, 5, 21-30.",
        "Green, M. P. (2004). Birds of the air. Ornithology Today, 6(3), 31-40.",
        "13",
        "White, N. (2005). Fish of the sea. Marine Biology, 7, 41-50.",
        "Black, O. Q. (2006). Trees of the forest. Forestry, 8(2), 51-60.",
    ])  # fmt: skip
    starts = [c.text.split(",")[0] for c in split_references(text)]
    for name in ("Smith", "Jones", "Brown", "Green", "White", "Black"):
        assert name in starts
