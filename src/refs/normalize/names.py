"""Author strings → `Person` (family/given), for the forms reference lists print.

- Vancouver/NLM: `Fridman R`, `Mitsiades CS`, `Radons J.`, `Sautès-Fridman C`
- initials first: `R. Siegel`, `J.-P. Abastado`, `M. Ben-baruch`
- inverted: `Siegel, R.` / `Siegel, Rebecca L.`
- natural order: `Rebecca L. Siegel`, `Ludwig van Beethoven`
"""

from __future__ import annotations

import re
from functools import lru_cache

from refs.model import Person

_LETTER = r"[^\W\d_]"
# An initial, optionally hyphen-joined (`J.-P.`), with or without its period.
_INITIAL = r"[A-Z](?:[a-z]?\.|(?!\w))(?:-[A-Z](?:\.|(?!\w)))?"
_INITIALS_BLOCK = re.compile(r"^(?:[A-Z]{1,4}|(?:[A-Z]\.?-?){1,4})$")
_GIVEN_INITIALS = re.compile(rf"^(?:{_INITIAL}\s*)+$")
PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "des", "la", "le", "ter",
     "ten", "dos", "das", "do", "af", "al", "el", "bin", "ibn", "st", "mac"}
)  # fmt: skip
_SPACE_RUN = re.compile(r"\s+")
_INITIAL_TOKEN = re.compile(_INITIAL)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "2nd", "3rd"})


def format_initials(letters: str) -> str:
    """`CS` → `C. S.`, `J.-P.` → `J.-P.`, `R` → `R.`."""
    compact = letters.replace(" ", "")
    if "-" in compact:
        parts = [p.strip(".") for p in compact.split("-") if p.strip(".")]
        return "-".join(f"{p}." for p in parts)
    return " ".join(f"{c}." for c in compact.replace(".", ""))


def _split_particle(family: str) -> tuple[str | None, str]:
    return _split_particle_words(family.split())


def _split_particle_words(words: list[str]) -> tuple[str | None, str]:
    lead: list[str] = []
    while len(words) > 1 and words[0].lower() in PARTICLES and words[0][0].islower():
        lead.append(words.pop(0))
    return (" ".join(lead) or None), " ".join(words)


def parse_vancouver_name(text: str) -> Person:
    """`Fridman R`, `Mitsiades CS`, `Radons J.` → family + formatted initials."""
    value = text.strip().rstrip(",")
    words = value.split()
    if len(words) >= 2 and _INITIALS_BLOCK.match(words[-1].rstrip(".") or "-"):
        return _vancouver(words)
    return parse_name(value)


def _vancouver(words: list[str]) -> Person:
    """Words of a Vancouver name, the last a block of initials: family words (a suffix
    among them), then the initials."""
    *family, initials = words
    suffix = family.pop() if len(family) > 1 and family[-1].lower() in _SUFFIXES else None
    particle, family_name = _split_particle_words(family)
    return Person(family=family_name, given=format_initials(initials), particle=particle,
                  suffix=suffix)  # fmt: skip


# Cached: a list names the same people again and again, and a Person is immutable.
@lru_cache(maxsize=4096)
def parse_name(text: str) -> Person:
    """Any single author string; falls back to a literal name."""
    value = text.strip().strip(",;")
    if "  " in value or not value.isprintable():  # all whitespace but " " is unprintable
        value = _SPACE_RUN.sub(" ", value)  # (most names need no regex pass)
    if not value:
        return Person(literal="")
    if "," in value:  # inverted: "Family, Given"
        family, _, given = value.partition(",")
        particle, family = _split_particle(family.strip())
        return Person(family=family, given=_tidy_given(given.strip()) or None, particle=particle)
    if _GIVEN_INITIALS.match(value):  # initials alone: a name whose family was lost
        return Person(given=_tidy_given(value))
    words = value.split(" ")
    if len(words) == 1:
        return Person(family=value)
    # Vancouver order: the last word is a block of capitals.
    if _INITIALS_BLOCK.match(words[-1]) and not _GIVEN_INITIALS.match(words[0]):
        # The words are parse_vancouver_name's unless a stray space led (`, Smith J`).
        return _vancouver(words) if words[0] else parse_vancouver_name(value)
    # Natural order: given names (and initials) first, particles, then the family name.
    split = len(words) - 1
    while split > 1 and words[split - 1].lower() in PARTICLES and words[split - 1][0].islower():
        split -= 1
    given = " ".join(words[:split])
    particle, family = _split_particle(" ".join(words[split:]))
    return Person(family=family, given=_tidy_given(given), particle=particle)


def _tidy_given(given: str) -> str:
    """`R.` stays; `C.S.` → `C. S.`; full given names are kept as printed."""
    if _GIVEN_INITIALS.match(given):
        tokens = _INITIAL_TOKEN.findall(given)
        return " ".join(t if t.endswith(".") else f"{t}." for t in tokens)
    return given
