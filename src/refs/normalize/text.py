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
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


# Mojibake of UTF-8 read as Latin-1/Windows-1252 always contains a character of
# U+0080–U+00FF (`Ã`, `â`…); ftfy also handles HTML entities, control and
# full-width characters and surrogates. Text with none of these has nothing for
# ftfy to fix, and skipping it is most of parsing speed.
_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\xff&\ud800-\udfff\uff00-\uffef]")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1/Windows-1252 (`Ã©` → `é`) and similar damage."""
    if text.isascii() and text.isprintable() and "&" not in text:
        return text  # printable ASCII holds no `_SUSPECT` character but `&`: skip the regex
    if _SUSPECT.search(text) is None:
        return text if text.isascii() else unicodedata.normalize("NFC", text)
    fixed: str = ftfy.fix_text(text, config=_FTFY)
    return unicodedata.normalize("NFC", fixed)


def collapse_spaces(text: str) -> str:
    if "  " not in text and text.isprintable() and text == text.strip():
        return text  # nothing to collapse: skip the regex
    return _SPACES.sub(" ", text).strip()


def mark_lost_characters(text: str) -> str:
    """Replace each run of characters lost in an export by one U+FFFD."""
    return _LOST_RUN.sub(LOST, text) if "?" in text else text


def has_lost_characters(text: str) -> bool:
    return LOST in text
