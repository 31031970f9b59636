"""`refs.split.runon`: references run together on one line or in one paragraph."""

from __future__ import annotations

from split_support import texts

from refs.split import join_lines, split_references

# --- numbered lists --------------------------------------------------------------------

NUMBERED_PARAGRAPH = (
    "1. Okafor CN, Lindqvist B, Tanaka H. Serum ferritin and early mortality in sepsis. "
    "Crit Care Med. 2019;47(3):312-20. 2. Whitfield JB, Zhu G. The genetics of alcohol "
    "intake. Alcohol Clin Exp Res. 2004;28(8):1153-60. 3. Nguyen TT, Rossi M. Vitamin D "
    "and bone density in 2. trimester pregnancies. J Bone Miner Res. 2015;30(5):812-9."
)


def test_numbered_references_run_together_in_a_paragraph() -> None:
    chunks = split_references(NUMBERED_PARAGRAPH)
    assert [c.number for c in chunks] == [1, 2, 3]
    assert chunks[1].text == (
        "Whitfield JB, Zhu G. The genetics of alcohol intake. Alcohol Clin Exp Res. "
        "2004;28(8):1153-60."
    )
    assert chunks[2].text.endswith(
        "in 2. trimester pregnancies. J Bone Miner Res. 2015;30(5):812-9."
    )
    assert {(c.start_line, c.end_line) for c in chunks} == {(1, 1)}


def test_bracketed_references_run_together_and_wrapped() -> None:
    pasted = (
        "[1] A. Vaswani et al., “Attention is all you need,” in Proc. NeurIPS, 2017, pp.\n"
        "5998–6008. [2] K. He, X. Zhang, S. Ren, and J. Sun, “Deep residual learning for\n"
        "image recognition,” in Proc. CVPR, 2016, pp. 770–778. [3] S. Hochreiter and J.\n"
        "Schmidhuber, “Long short-term memory,” Neural Comput., vol. 9, no. 8, pp.\n"
        "1735–1780, 1997.\n"
    )
    chunks = split_references(pasted)
    assert [(c.number, c.start_line, c.end_line) for c in chunks] == [
        (1, 1, 2), (2, 2, 3), (3, 3, 5)
    ]  # fmt: skip
    assert join_lines(chunks[1].text.split("\n")) == (
        "K. He, X. Zhang, S. Ren, and J. Sun, “Deep residual learning for image recognition,” "
        "in Proc. CVPR, 2016, pp. 770–778."
    )


def test_a_numbered_reference_starting_in_lower_case_with_a_year() -> None:
    # A title cut short at the start (`on the Market.`) after the next number: the year
    # near its start shows a reference, not a number inside the text.
    pasted = (
        "1. Smith J. A first title. J Med. 2001;1:1-9. 2. on the Market. Int. J. "
        "Nanomedicine 2014, 9, 4357–4373. 3. Jones K. Another title. J Biol. 2003;3:5-8."
    )
    assert [c.number for c in split_references(pasted)] == [1, 2, 3]


def test_one_line_of_a_numbered_list_holding_two_references() -> None:
    pasted = (
        "1. Lee S, Park J. Gut microbiota and obesity. Nutrients. 2018;10(3):1-12.\n"
        "2. Kim H. Probiotics in children. Pediatrics. 2017;140(2):e1-9. 3. Choi Y, Han M. "
        "Fibre intake and the microbiome. Gut. 2019;68(1):20-31.\n"
        "4. Jang W. Diet and mood. Nutr Rev. 2020;78(4):301-10.\n"
    )
    chunks = split_references(pasted)
    assert [(c.number, c.start_line) for c in chunks] == [(1, 1), (2, 2), (3, 2), (4, 3)]


# --- unnumbered references run together ------------------------------------------------


def test_unnumbered_references_run_together() -> None:
    pasted = (
        "Watson, J. D. & Crick, F. H. C. Molecular structure of nucleic acids. Nature 171, "
        "737–738 (1953). Sanger, F., Nicklen, S. & Coulson, A. R. DNA sequencing with "
        "chain-terminating inhibitors. Proc. Natl Acad. Sci. USA 74, 5463–5467 (1977). "
        "Zhang, W. (2016). Sleep and memory consolidation in older adults. Sleep, 39(4), "
        "821–830. https://doi.org/10.5665/sleep.5634 Baddeley, A. (2012). Working memory. "
        "Annual Review of Psychology, 63, 1–29."
    )
    assert [t[:10] for t in texts(pasted)] == [
        "Watson, J.",
        "Sanger, F.",
        "Zhang, W. ",
        "Baddeley, ",
    ]


def test_run_together_needs_an_author_and_a_year_on_both_sides() -> None:
    for pasted in (
        # no year after the cut
        "Zhang, W. (2016). Sleep in older adults. Sleep, 39(4), 821–830. Smith, J. argued "
        "that this sample was small.",
        # a title, not an author, after the page range
        "Zhang, W. (2016). Sleep in older adults. Sleep, 39(4), 821–830. Reprinted in "
        "Collected Papers, 2018.",
    ):
        assert len(split_references(pasted)) == 1
