"""Stable citation keys: the input's own key, else `family` + `year` + `titleword`."""

from __future__ import annotations

import itertools
import re
import string
import unicodedata
from collections.abc import Callable, Iterator, Sequence

from refs.model import Item, Person, Reference

__all__ = ["cite_keys"]

# Words too common to tell titles apart (English, French, German, Spanish).
_STOPWORDS = frozenset(
    {
        "a", "an", "the", "of", "on", "in", "and", "or", "for", "to", "with", "at", "by",
        "from", "is", "are", "as", "its", "into", "via", "about",
        "le", "la", "les", "de", "des", "du", "un", "une", "et", "en", "au", "aux", "sur",
        "pour", "par", "dans",
        "der", "die", "das", "ein", "eine", "und", "im", "mit", "von", "zur", "zum",
        "el", "los", "las", "y", "del", "para",
    }
)  # fmt: skip
# Letters NFKD does not decompose into a base letter and an accent.
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# Characters that end or break a key in BibTeX (and read badly anywhere else).
_KEY_BREAKERS = re.compile(r"[\s,{}()\"#%'=\\~]")
_WORD_SPLIT = re.compile(r"[\s\-\u2010-\u2015/:;,.!?()\[\]\"'\u2018\u2019\u201c\u201d]+")


def cite_keys(refs: Sequence[Reference]) -> list[str]:
    """One unique key per reference, in list order; the same input gives the same keys.

    A reference's own key is kept (cleaned of characters BibTeX cannot hold).
    Others get `siegel2012cancer`. Clashes take suffixes a, b, c… in list order;
    generated keys also step around the own keys of later references.
    """
    own = [_clean_key(ref.key) for ref in refs]
    reserved = {key for key in own if key}
    used: set[str] = set()
    keys: list[str] = []
    for ref, own_key in zip(refs, own, strict=True):

        def taken(key: str, generated: bool = own_key is None) -> bool:
            return key in used or (generated and key in reserved)

        key = _unique(own_key or generated_key(ref.item), taken)
        used.add(key)
        keys.append(key)
    return keys


def generated_key(item: Item) -> str:
    """`siegel2012cancer`: first author's family name, year, first significant title word."""
    people = item.author or item.editor
    family = _person_word(people[0]) if people else ""
    year = str(item.issued.year) if item.issued else ""
    return f"{family or 'anon'}{year}{_title_word(item.title or '')}"


def _person_word(person: Person) -> str:
    if person.family:
        return fold(person.family)
    words = (person.literal or person.given or "").split()
    return fold(words[0]) if words else ""


def _title_word(title: str) -> str:
    for word in _WORD_SPLIT.split(title):
        folded = fold(word)
        if folded and folded not in _STOPWORDS:
            return folded
    return ""


def fold(text: str) -> str:
    """ASCII, lower-case, letters only: `Müller-Łącki` → `mullerlacki`."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(c for c in decomposed if c in string.ascii_lowercase)


def _clean_key(key: str | None) -> str | None:
    return (_KEY_BREAKERS.sub("", key) or None) if key else None


def _unique(base: str, taken: Callable[[str], bool]) -> str:
    if not taken(base):
        return base
    return next(base + suffix for suffix in _suffixes() if not taken(base + suffix))


def _suffixes() -> Iterator[str]:
    """a … z, aa … zz, aaa …"""
    for length in itertools.count(1):
        for letters in itertools.product(string.ascii_lowercase, repeat=length):
            yield "".join(letters)
