"""Comparison keys for text: folded case and accents, punctuation as space."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

from refs.normalize.text import LOST

_NON_WORD = re.compile(r"[^\w\ufffd]+")
_LOST_RUN = re.compile("\ufffd+")
_NUMBER = re.compile(r"\d+")
_MARKUP = re.compile(r"</?(?:i|b|em|strong|sub|sup|scp|italic)>", re.IGNORECASE)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """`Écoles, the (Paris)` → `ecoles the paris`; a lost-character mark survives."""
    if "&" in text:  # registry titles may carry HTML entities: `&#x2014;`, `&amp;`
        text = html.unescape(text)
    text = _MARKUP.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", bare.lower().replace("_", " ")).strip()


def without_lost(text: str) -> str:
    return " ".join(_LOST_RUN.sub(" ", text).split())


def title_similarity(printed: str, registry: str) -> float:
    """0–100. Lost characters match anything; a registry subtitle the print omits is tolerated."""
    a, b = fold(printed), fold(registry)
    if not a or not b:
        return 0.0
    if LOST in a:
        if lost_pattern(a).fullmatch(b) or lost_pattern(a).match(b):
            return 100.0
        a = without_lost(a)
    full = fuzz.ratio(a, b)
    # "Title" vs "Title: the subtitle": compare with the registry's main title too.
    main = fold(re.split(r"[:.?]\s", registry, maxsplit=1)[0])
    score = float(max(full, fuzz.ratio(a, main) if main and main != b else 0.0))
    # "Cancer statistics, 2012" is not "Cancer statistics, 2016": numbers must agree.
    if _NUMBER.findall(a) != _NUMBER.findall(b) and _NUMBER.findall(a) != _NUMBER.findall(main):
        score = min(score, 75.0)
    return score


@lru_cache(maxsize=4096)
def lost_pattern(folded: str) -> re.Pattern[str]:
    """A folded title with U+FFFD as a wildcard for up to a few lost characters."""
    parts = [re.escape(p) for p in _LOST_RUN.split(folded)]
    return re.compile(r".{0,8}?".join(parts))
