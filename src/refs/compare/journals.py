"""Journal titles: abbreviations (ISO 4, NLM) against full titles.

ISO 4 abbreviates a title word by truncation or contraction keeping its first
letter and letter order (`Natl` ← National, `Proc` ← Proceedings), drops
articles and prepositions, and NLM writes qualifiers as initialisms (`USA`).
So an abbreviation matches a title when its words are, in order, letter-
subsequences of the title's significant words, or initialisms of runs of them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from refs.compare.text import fold

_DROPPED = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "in",
        "on",
        "at",
        "to",
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "et",
        "und",
        "fur",
        "der",
        "die",
        "das",
        "di",
        "del",
        "della",
        "y",
        "e",
        "und",
        "&",
    ]
)


def significant(title: str) -> list[str]:
    return [w for w in fold(title).split() if w not in _DROPPED]


def _subsequence(short: str, word: str) -> bool:
    if not short or not word or short[0] != word[0]:
        return False
    it = iter(word)
    return all(c in it for c in short)


@lru_cache(maxsize=65536)
def journal_similarity(printed: str, registry: str) -> float:
    """1.0 when `printed` is `registry` or an abbreviation of it; the share of words matched otherwise."""
    # NLM adds a place to tell namesakes apart: `Med Sci (Paris)`.
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", printed)
    # Registries add a series or a subtitle the print leaves out:
    # `Frontiers in Bioscience-Landmark`, `Blood: The Journal of …`.
    # Not for a print that names a series itself (`J Phys A`, `Proc IEEE Part B`).
    main = _QUALIFIER.sub("", registry)
    series = _SERIES.search(printed)
    if series and fold(series.group()).split()[-1] not in fold(main).split():
        main = registry
    return max(_similarity(p, r) for p in {printed, bare} for r in {registry, main} if p and r)


_SERIES = re.compile(r"\s(?:[A-Z]|Part\s+\w+|Section\s+\w+|Sect\.?\s+\w+)\.?$")
_QUALIFIER = re.compile(r"(?:\s*:\s.*|-[A-Z][a-z]+)$")


def _similarity(printed: str, registry: str) -> float:
    a, b = significant(printed), significant(registry)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    i = j = matched = 0
    while i < len(a) and j < len(b):
        word = a[i]
        if word == b[j] or (len(word) < len(b[j]) and _subsequence(word, b[j])):
            matched += 1
            i += 1
            j += 1
        elif (
            len(word) > 1
            and j + len(word) <= len(b)
            and all(b[j + k][0] == word[k] for k in range(len(word)))
        ):
            matched += 1  # an initialism: USA ← United States (of) America
            i += 1
            j += len(word)
        else:
            j += 1
    # Both sides count: a short title must not match a long one by one shared word.
    return matched / max(len(a), min(len(b), len(a) + 1))
