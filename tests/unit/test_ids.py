"""The shared DOI patterns of `refs.ids`, pinned on examples.

Every module that looks for a DOI builds its pattern from these: a change here changes
how references are split, tokenised, masked and checked.
"""

from __future__ import annotations

import re

import pytest

from refs import ids

SICI = "10.1002/(SICI)1097-4636(199706)35:4<393::AID-JBM2>3.0.CO;2-E"
PARENS = "10.1016/S1471-4914(01)02016-0"
PLOS_SUPPLEMENT = "10.1371/journal.pone.0015313.s004"


@pytest.mark.parametrize(
    ("printed", "doi"),
    [
        (SICI, SICI),
        (f"<{SICI}>", SICI),  # the `>` closing an angle-bracketed DOI is not the DOI's
        (f"doi:{SICI}.", SICI),
        (PARENS, PARENS),  # a `)` closing a `(` of the DOI is kept
        (f"({PARENS}).", PARENS),
        ("https://doi.org/10.1000/XYZ.", "10.1000/XYZ"),
        ("http://dx.doi.org/10.1000/abc", "10.1000/abc"),
        ("https://doi.org/10.5555%2Fcheck.1", "10.5555/check.1"),
        ("https://doi.org/10.5555/x?a=1#b", "10.5555/x"),
        ("http://onlinelibrary.wiley.com/doi/10.3322/caac.21332/pdf", "10.3322/caac.21332"),
        ("doi: 10.1000/abc;", "10.1000/abc"),
        ("DOI : 10.1001/jama.287.16.2106", "10.1001/jama.287.16.2106"),
        ("urn:doi:10.5555/check.1", "10.5555/check.1"),
        ("10.5555/check.1,", "10.5555/check.1"),
        (PLOS_SUPPLEMENT, PLOS_SUPPLEMENT),
        ("10.1000.10/abc", "10.1000.10/abc"),  # a subdivided registrant code
        ("10.123/x", None),  # three digits: no registrant code
        ("10.1234567890/x", None),  # ten digits: none either
        ("10.\u0661\u0662\u0663\u0664/x", None),  # registrant digits are ASCII
        ("no DOI here", None),
    ],
)
def test_clean_doi(printed: str, doi: str | None) -> None:
    assert ids.clean_doi(printed) == doi


@pytest.mark.parametrize(
    ("printed", "doi"),
    [
        (SICI, SICI),
        (f"doi:{SICI}", SICI),
        (f"https://doi.org/{SICI}", SICI),
        (PARENS, PARENS),
        (PLOS_SUPPLEMENT, PLOS_SUPPLEMENT),
        # A DOI standing alone keeps every character: nothing trimmed …
        ("https://doi.org/10.1000/XYZ.", "10.1000/XYZ."),
        ("doi: 10.1000/abc;", "10.1000/abc;"),
        ("10.5555/x/full", "10.5555/x/full"),
        ("https://doi.org/10.5555/x?a=1", "10.5555/x?a=1"),
        ("10.\u0661\u0662\u0663\u0664/x", "10.\u0661\u0662\u0663\u0664/x"),  # DOI_WHOLE: \d
        # … while anything else is canonicalised as `clean_doi` does.
        (
            "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0015313",
            "10.1371/journal.pone.0015313",
        ),
        (f"<{SICI}>", SICI),
        ("10.5555", None),
    ],
)
def test_clean_doi_whole(printed: str, doi: str | None) -> None:
    assert ids.clean_doi(printed, whole=True) == doi


def test_find_dois_in_text() -> None:
    text = f"see {SICI}, and https://doi.org/10.1000/XYZ. or doi:10.1000/xyz ({PARENS})."
    assert ids.find_dois(text) == [SICI, "10.1000/XYZ", PARENS]  # unique case-insensitively


@pytest.mark.parametrize(
    ("doi", "parts"),
    [
        (PLOS_SUPPLEMENT, ("10.1371/journal.pone.0015313", ".s004")),
        ("10.1186/1471-2105-11-1.s004", ("10.1186/1471-2105-11-1", ".s004")),
        ("10.1172/JCI12345DS1", ("10.1172/JCI12345", "DS1")),
        ("10.7717/peerj.1234/supp-1", ("10.7717/peerj.1234", "/supp-1")),
        (PARENS, (PARENS, None)),
    ],
)
def test_split_component(doi: str, parts: tuple[str, str | None]) -> None:
    assert ids.split_component(doi) == parts


def test_doi_in_text_and_exact() -> None:
    match = ids.DOI_IN_TEXT.search(f'href="https://doi.org/{SICI}">')
    assert match is not None and match.group(0) == SICI  # stops at `"`, keeps `<` `>`
    assert ids.DOI_IN_TEXT.search("10.1000.10/abc def").group(0) == "10.1000.10/abc"  # type: ignore[union-attr]
    assert ids.DOI_EXACT.match(SICI) and ids.DOI_EXACT.match(PLOS_SUPPLEMENT)
    assert not ids.DOI_EXACT.match("doi:10.1000/abc")
    assert not ids.DOI_EXACT.match("10.1000/a b")
    assert not ids.DOI_EXACT.match("10.\u0661\u0662\u0663\u0664/x")
    assert ids.DOI_WHOLE.match("10.\u0661\u0662\u0663\u0664/x")


@pytest.mark.parametrize(
    ("piece", "text", "found"),
    [
        (ids.DOI_PREFIX, "10.1000", True),
        (ids.DOI_PREFIX, "10.123456789", True),
        (ids.DOI_PREFIX, "10.123", False),
        (ids.DOI_PREFIX, "10.\u0661\u0662\u0663\u0664", False),
        (ids.DOI_PREFIX_ANY_DIGITS, "10.\u0661\u0662\u0663\u0664", True),
        (ids.DOI_PREFIX_ANY_DIGITS, "10.123", False),
        (ids.DOI_PREFIX + ids.DOI_SUBDIVISIONS, "10.1000.10.2", True),
        (ids.DOI_IN_PROSE, f"{SICI}.", True),  # punctuation and all, up to white space
        (ids.DOI_IN_PROSE, "10.1000/", False),
        (ids.DOI_IN_PROSE, "10.1000.10/abc", False),  # no subdivided registrant code
    ],
)
def test_pattern_pieces(piece: str, text: str, found: bool) -> None:
    assert (re.fullmatch(piece, text) is not None) is found


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("10.1000/abc", True),
        (SICI, True),
        ("10.1000.5/x", True),
        ("10.1234567890/x", True),  # any number of registrant digits
        ("10.1000/a b", True),  # any suffix, as asked
        ("10.123/x", False),
        ("10.\u0661\u0662\u0663\u0664/x", False),
        ("doi:10.1000/x", False),  # validated as asked: no prefix taken off
        ("10.1000/", False),
    ],
)
def test_crossref_doi(value: str, valid: bool) -> None:
    assert (ids.CROSSREF_DOI.match(value) is not None) is valid


def test_crossref_doi_prefix() -> None:  # a `prefix:` filter's value: no subdivision
    assert re.fullmatch(ids.CROSSREF_DOI_PREFIX, "10.1234567890")
    assert not re.fullmatch(ids.CROSSREF_DOI_PREFIX, "10.1000.5")
    assert not re.fullmatch(ids.CROSSREF_DOI_PREFIX, "10.\u0661\u0662\u0663\u0664")


def test_a_sici_doi_keeps_its_check_character() -> None:
    sici = "10.1002/(SICI)1098-2361(2000)19:1<65::AID-ZOO7>3.0.CO;2-#"
    assert ids.clean_doi(sici) == sici
    assert ids.clean_doi(f"https://doi.org/{sici}") == sici
    assert ids.clean_doi("https://doi.org/10.1000/abc#section-2") == "10.1000/abc"  # a URL fragment
