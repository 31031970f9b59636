"""Splitting pasted text into references, with line spans."""

from __future__ import annotations

from refs.split import split_references


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


def test_one_reference_per_line() -> None:
    chunks = split_references("Ref one, 2001.\nRef two, 2002.\n\n")
    assert [c.text for c in chunks] == ["Ref one, 2001.", "Ref two, 2002."]


def test_whole_document_uses_the_reference_section() -> None:
    text = (
        "Title\n\nBody text 1. with numbers.\n2. more body\n\nReferences\n1.\nA ref.\n2.\nB ref.\n"
    )
    assert [c.text for c in split_references(text)] == ["A ref.", "B ref."]


def test_nothing_to_split() -> None:
    assert split_references("") == []
    assert split_references("\n\n  \n") == []
