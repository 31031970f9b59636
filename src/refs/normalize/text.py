"""Text repairs: mojibake, whitespace, characters lost in an export (`???`)."""

from __future__ import annotations

import re
import unicodedata

import ftfy

# U+FFFD is Unicode's own mark for "a character that could not be represented":
# a lost character becomes one, so matching can treat it as a wildcard instead
# of comparing literal question marks.
LOST = "\ufffd"

# Curly quotes and ligatures are the author's typography, not damage: keep them.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=False, explain=False)

# Two or more '?' in a row never occur in a real title: an encoder lost a character
# (Greek letters, non-breaking spaces, en dashes). A single '?' glued between
# letters (`TNF?alpha`) or after an acronym before a lower-case word
# (`TNF? cross-regulatory`) is lost too; `therapies? .` and `bullet? Science` are not.
_LOST_RUN = re.compile(r"\?{2,}|(?<=[A-Za-z0-9-])\?(?=[A-Za-z0-9])|(?<=[A-Z0-9-])\?(?= [a-z])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1/Windows-1252 (`Ã©` → `é`) and similar damage."""
    fixed: str = ftfy.fix_text(text, config=_FTFY)
    return unicodedata.normalize("NFC", fixed)


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def mark_lost_characters(text: str) -> str:
    """Replace each run of characters lost in an export by one U+FFFD."""
    return _LOST_RUN.sub(LOST, text)


def has_lost_characters(text: str) -> bool:
    return LOST in text
