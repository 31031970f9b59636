"""Reference string → tokens with character offsets, for tagging and for training.

A token is a URL, a DOI, a DOI resolver prefix (`https://doi.org/`), a markup tag
(`<italic>`), a run of letters and digits (apostrophes inside kept: `L’État`), or one
other non-space character. Offsets index the input string (end exclusive), so a run of
tokens with one label maps back to the exact printed text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from refs.ids import DOI_PREFIX_ANY_DIGITS

__all__ = ["Token", "tokenize"]


class Token(NamedTuple):
    text: str
    start: int
    end: int


_TOKEN = re.compile(
    r"(?:https?://)?(?:dx\.)?doi\.org/"  # resolver prefix, kept apart from the DOI after it
    rf"|{DOI_PREFIX_ANY_DIGITS}/[^\s\"<>]*[^\s\"<>.,;:)\]}}]"  # a DOI, trailing punctuation left out
    r"|(?:https?://|ftp://|www\.)[^\s\"<>]*[^\s\"<>.,;:)\]}]"  # a URL, likewise
    r"|</?[A-Za-z][A-Za-z0-9-]{0,20}(?:\s[^<>]{0,60})?/?>"  # markup residue
    r"|[^\W_]+(?:['’][^\W_]+)*"  # letters and digits
    r"|\S",  # any other character, alone
    re.IGNORECASE,
)


_new = tuple.__new__  # skips the NamedTuple constructor's argument handling (hot path)


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, in order, with their offsets."""
    return [_new(Token, (m.group(), m.start(), m.end())) for m in _TOKEN.finditer(text)]
