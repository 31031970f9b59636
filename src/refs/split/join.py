"""A reference's lines → one string: spaces between lines, except where a line break cut a
word, a number range, a DOI or a URL.

Hyphen at a line end, decided without a word list:
- dropped between lower-case letters (`immuno-` + `logy` → `immunology`), the left part
  possibly capitalised (`Immuno-`);
- kept, with no space, otherwise: `IL-` + `6`, `non-` + `Small`, `1658-` + `1667`, a
  prefix before a vowel (`meta-` + `analysis`, `re-` + `examining`), when the
  parts are the same word (`protein-protein`), when a side is too short to be a
  hyphenation (`x-` + `ray`, `follow-` + `up`: hyphenation leaves at least 2 and 3 letters),
  and for common compound parts (`self-`, `non-`, `-based`, `-dependent`, … below).
An en or em dash at a line end (`191–` + `215`) joins with no space; a soft hyphen goes.
A DOI or URL cut after `/ . - _ = & ? #` is rejoined with no space (after a `.` only when the
next line starts in lower case or with a digit, `10.1016/j.cell.` + `2011.02.013`; never
before an author name), and one cut inside a word when the next line goes on with a path
(`…/annual` + `_2020.pdf`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from refs.ids import DOI_PREFIX_ANY_DIGITS
from refs.split.signals import LO, UP, author_score

_HYPHENS = "\u2010\u2011-"  # the ASCII one last: it is literal at the end of a class
_DASHES = "–—"
_SOFT_HYPHEN = "\u00ad"
_URL_END = re.compile(
    rf"(?:https?://|\bwww\.|\b{DOI_PREFIX_ANY_DIGITS}/|\bdoi:)\S*$", re.IGNORECASE
)  # last token
_URL_MORE = re.compile(r"^[\w%~]+[/._=&?#-]\S")  # `ource.html`, `abc/def`: more of a path
_LEFT = re.compile(rf"(?<![\w{_HYPHENS}])[{UP}]?([{LO}]+)[{_HYPHENS}]$")
_RIGHT = re.compile(rf"^([{LO}]+)(?![\w])")
# Parts of compounds that keep their hyphen when a line break falls on it.
# (Not `pre`, `post`, `anti`, `multi`: hyphenation breaks `pre-diction`, `multi-ple`.)
_KEEP_BEFORE = frozenset(
    {"self", "non", "cross", "long", "short", "high", "low", "well", "half", "quasi", "ex",
     "all", "full"}
)  # fmt: skip
_KEEP_AFTER = frozenset(
    {"based", "dependent", "independent", "specific", "related", "induced", "mediated",
     "associated", "derived", "driven", "free", "like", "wide", "term", "scale", "level",
     "year", "years", "old", "resistant", "positive", "negative", "rich", "type", "fold",
     "time", "step", "order", "making", "art", "life", "world", "sectional", "linked",
     "binding", "containing", "regulated", "expressing", "treated", "controlled", "sensitive",
     "targeted", "guided"}
)  # fmt: skip


def join_lines(lines: Iterable[str]) -> str:
    """One reference's lines as a single line (blank lines skipped)."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        if out.endswith(_SOFT_HYPHEN) or _drops_hyphen(out, line):
            out = out[:-1] + line
        else:
            out += _separator(out, line) + line
    return out


def _separator(left: str, right: str) -> str:
    """What goes between two lines: a space, or nothing when the break cut something."""
    last = left[-1]
    if _in_url(left):
        if last in "/-_=&?#~%":
            # a name after it is the next reference (`…/already/` + `Zbikowski, L.`)
            return " " if author_score(right) >= 2 else ""
        if last == "." and (right[0].islower() or right[0].isdigit()):
            return ""
        if last.isalnum() and _URL_MORE.match(right):
            return ""
        return " "
    attached = len(left) >= 2 and not left[-2].isspace()
    if last in _HYPHENS + _DASHES and attached:
        return ""  # `IL-` + `6`, `191–` + `215`, `title—` + `subtitle`
    return " "


def _in_url(text: str) -> bool:
    """`text` ends inside a DOI or URL."""
    return bool(_URL_END.search(text.rsplit(None, 1)[-1]))


def _drops_hyphen(left: str, right: str) -> bool:
    """A hyphenation: `immuno-` + `logy`, not a hyphen that belongs to the text."""
    if left[-1] not in _HYPHENS or _in_url(left):
        return False
    before = _LEFT.search(left)
    after = _RIGHT.match(right)
    if not before or not after:
        return False
    first, second = before.group(0)[:-1].lower(), after.group(1)
    return (
        len(first) >= 2
        and len(second) >= 3
        and first != second
        and first not in _KEEP_BEFORE
        and second not in _KEEP_AFTER
        # `meta-` + `analysis`, `re-` + `examining`: a prefix before a vowel keeps its hyphen
        # (`anti-` + `bodies`, `re-` + `sults` are hyphenations).
        and not (first in _PREFIXES and second[0] in "aeiou")
    )


_PREFIXES = frozenset(
    {"anti", "meta", "re", "co", "pre", "post", "semi", "multi", "de", "pro", "intra",
     "extra", "ultra", "micro", "macro", "auto", "bio", "neo", "inter", "over", "under"}
)  # fmt: skip
