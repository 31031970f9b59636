"""Unnumbered, unlabelled lines → references: one per line, or wrapped over several lines.

How a list is set is decided from the whole list, then each line is decided:
- bullets (`•`, `*`) mark the starts when the list has them;
- hanging indent (continuations indented more than starts, or the reverse): indentation
  alone decides, it was typeset on purpose;
- a list whose lines nearly all hold a year and end as references end is one per line;
- else the list is one reference per line, as before, unless it looks wrapped: some lines
  are certain continuations (a lower-case or digit start, or the line before ending in `,`
  `&` `-` `and` …), and many are, or few lines start with an author, or every line fits a
  column width (`_wrapped`);
- a wrapped list: a line starts a reference when its score reaches `_START` —
  the author pattern it starts with, how the line before ends (`.` a DOI/URL, pages or a
  year: yes; mid-phrase: no) and whether that line stopped short of the column width,
  leaving room for this line's first word (`_fit`), and whether it starts the way this
  list's references surely start (`_start_shapes`). A certain continuation (a digit or
  lower-case start, the line before ending in `,` …) never starts one, unless the line
  before ended a reference well short of the margin (`_after_a_short_end`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from refs.split.signals import (
    BULLET,
    NUMBERED,
    SEPARATED_END,
    author_score,
    continues,
    end_score,
    open_end,
)

Line = tuple[int, str]  # (1-based line number, text)

_START = 2.0  # score from which a line starts a reference in a wrapped list
_WRAPPED_SHARE = 0.25  # share of certain continuations from which a list is wrapped
_AUTHOR_SHARE = 0.5  # or, with any certain continuation, share of author starts below which
_OVER_WIDTH = 1.15  # a line this much longer than the column width was not wrapped …
_OVER_SHARE = 0.1  # … and a list with this share of such lines is not wrapped
_LEVEL_SHARE = 0.35  # author starts among the lines of an indentation level that starts
_WHOLE_SHARE = 0.85  # share of lines with a year and a reference's end: one per line
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d{2}[a-z]?\b")
_FIT_LINES = 8  # a list this long whose lines all fit a width is wrapped, if any line continues
# `_fit`, in shares of the column width: a line shorter than `_SHORT`, or leaving room for
# the next word with `_FIT_SURE` to spare, surely ended its reference; with `_FIT_LIKELY`
# likely; one of `_FULL` or more ran to the margin.
_SHORT = 0.7
_FIT_SURE = 0.08
_FIT_LIKELY = 0.03
_FULL = 0.93
_LONGEST = 0.85  # share of the longest line's length from which a line is a long one
_SURE = 1.5  # `_fit` when the line before surely stopped short
_SHAPE = 1.0  # score for a line shaped as this list's references start (`_start_shapes`)
_SHAPE_SEEN = 3
_SHAPE_SHARE = 0.75
_SHAPE_CHARS = 40  # a line's first characters, where its shape is read


@dataclass(frozen=True, slots=True)
class _Features:
    indent: int
    length: int
    author: float
    continues: bool  # cannot start a reference
    open_end: bool  # cannot end one
    end: float
    year: bool  # holds a four-digit year
    first: int  # length of its first word
    span: float  # its length in glyph widths (`_span`)
    numbered: bool  # opens with a list number, a dash or a year (`NUMBERED`)
    separated: bool  # ends as a reference ends, then `,` or `;` (`SEPARATED_END`)


def _features(text: str) -> _Features:
    expanded = text.expandtabs(4)
    stripped = expanded.strip()
    cont, open_ = continues(stripped), open_end(stripped)
    space = stripped.find(" ")
    return _Features(
        indent=len(expanded) - len(expanded.lstrip()),
        length=len(stripped),
        author=author_score(stripped),
        continues=cont,
        open_end=open_,
        end=end_score(stripped),
        year=bool(_YEAR.search(stripped)),
        first=space if space >= 0 else len(stripped),
        span=_span(stripped),
        # (a list number or a dash is a certain continuation; `,`/`;` an open end)
        numbered=cont and bool(NUMBERED.match(stripped)),
        separated=open_ and bool(SEPARATED_END.search(stripped[-4:])),
    )


def segment(lines: list[Line]) -> list[list[Line]]:
    """Group consecutive non-blank lines into references."""
    if not lines:
        return []
    feats = [_features(t) for _, t in lines]
    bullets = [bool(BULLET.match(t)) for _, t in lines]
    level = _start_level(feats)
    if bullets[0] and sum(bullets) >= 2:  # a bulleted list: the bullets mark the starts
        starts = bullets
    elif level is not None:
        low = _min_indent(feats)
        starts = [i == 0 or (f.indent > low) == level for i, f in enumerate(feats)]
    else:
        certain = [_certain_continuation(feats, i) for i in range(1, len(feats))]
        if not _wrapped(feats, certain):
            return [[line] for line in lines]
        col = _column(feats)
        scores = [_score(feats[i - 1], feats[i], col) for i in range(1, len(feats))]
        bonus = _learnt_starts(lines, feats, certain, col, scores)
        starts = [True] + [
            (not certain[i - 1] or _after_a_short_end(feats[i - 1], feats[i], col))
            and scores[i - 1] + _SHAPE * bonus[i] >= _START
            for i in range(1, len(feats))
        ]
    return _group(lines, starts)


def _learnt_starts(
    lines: list[Line],
    feats: list[_Features],
    certain: list[bool],
    col: _Column,
    scores: list[float],
) -> list[bool]:
    """Which lines start the way this list's references surely start (`_start_shapes`);
    worked out only when some line could be swayed by it."""
    swayed = any(_START - _SHAPE <= score < _START for score in scores)
    if not swayed:
        return [False] * len(lines)
    shapes = [_shape(t.strip()) for _, t in lines]
    learnt = _start_shapes(feats, shapes, certain, col)
    return [shape in learnt for shape in shapes]


def _start_shapes(
    feats: list[_Features], shapes: list[str], certain: list[bool], col: _Column
) -> set[str]:
    """How this list's references start, learnt from the list: the shapes (`_shape`) of
    the lines that surely start one — the first line, and each line after one that ended a
    reference well short of the margin — when a shape is seen there at least
    `_SHAPE_SEEN` times and makes up most (`_SHAPE_SHARE`) of the lines of that shape.
    A list is set in one style, so its other references start the same way, also after a
    reference whose last line ran to the margin; a shape that wrapped lines start with
    as often (`U U`, two capitalised words) is not learnt."""
    sure: Counter[str] = Counter()
    for i, f in enumerate(feats):
        if i == 0 or (
            not certain[i - 1] and feats[i - 1].end >= 1 and _fit(feats[i - 1], f, col) >= _SURE
        ):
            sure[shapes[i]] += 1
    every = Counter(shapes)
    return {s for s, n in sure.items() if n >= _SHAPE_SEEN and n >= _SHAPE_SHARE * every[s]}


def _token_class(token: str) -> str:
    """A word's class for `_shape`: `U` capitalised, `C` capitals, `I` initials (`J.`,
    `J.-P.`, `AB`), `l` lower case, `o` a letter without case, `d` a digit, `q` a quote,
    `p` other; then its trailing `,` `.` `;` `:`."""
    core = token.rstrip(",.;:")
    end = token[len(core) : len(core) + 1]
    first = core[:1]
    if not first:
        return "p" + end
    if first.isdigit():
        return "d" + end
    if not first.isalpha():
        return ("q" if first in "\"“”‘’'«" else "p") + end
    if first.islower():
        return "l" + end
    if not first.isupper():
        return "o" + end
    if core.isupper():
        if len(core) == 1 or ("." in token and len(core) <= 5):
            return "I"
        return "C" + end
    return "U" + end


def _shape(text: str) -> str:
    """The classes of a line's first two words: `Smith, J. A.` → `U, I`, `Georg Feuser:
    Editorial` → `U U:`, `김영상, 김영익,` → `o, o,`."""
    return " ".join(_token_class(t) for t in text[:_SHAPE_CHARS].split(None, 2)[:2])


def split_blocks(blocks: list[list[Line]]) -> list[list[Line]]:
    """Blank-line separated blocks: each is one reference, unless the blocks are pieces of
    wrapped or one-per-line lists (a page break, a blank line between groups). Lines inside
    blocks are scored as in a wrapped list; the splits are kept only when they are many
    (at least one per block), so a stray author-like line in a wrapped reference is not cut.
    """
    every = [_features(t) for block in blocks for _, t in block]
    if not every:
        return blocks
    col, level, low = _column(every), _start_level(every), _min_indent(every)
    inside = 0
    at = 0
    for block in blocks:
        feats = every[at : at + len(block)]
        at += len(block)
        for i in range(1, len(feats)):
            if level is not None:
                inside += (feats[i].indent > low) == level
            else:
                inside += (
                    not _certain_continuation(feats, i)
                    or _after_a_short_end(feats[i - 1], feats[i], col)
                ) and _score(feats[i - 1], feats[i], col) >= _START
    if inside < len(blocks):
        return blocks
    # Blank lines are incidental here: the lines are one list, a page break may even fall
    # inside a reference.
    return segment([line for block in blocks for line in block])


def _wrapped(feats: list[_Features], certain: list[bool]) -> bool:
    """Whether a list is wrapped rather than one reference per line: some lines are certain
    continuations, few lines overrun the column width, and many lines are certain
    continuations, or few start with an author, or none overruns the width in a list of
    some length. (On real strings one per line, certain continuations are ≤ 16% of lines,
    author starts ≥ 58%, and 95% of 20-line lists have a line 15% longer than the width;
    wrapped at 70–90 columns: ≥ 29%, ≤ 44%, and such a line in one list in 25.)"""
    if not any(certain) or _whole_lines(feats, certain):
        return False
    width = _width(feats)
    over = sum(f.length > _OVER_WIDTH * width for f in feats)
    if over >= _OVER_SHARE * len(feats):
        return False
    strong = sum(f.author >= 2 for f in feats[1:]) / len(certain)
    return (
        sum(certain) / len(certain) >= _WRAPPED_SHARE
        or strong < _AUTHOR_SHARE
        or (over == 0 and len(feats) >= _FIT_LINES)
    )


def _whole_lines(feats: list[_Features], certain: list[bool]) -> bool:
    """Nearly every line holds a year and ends as a reference ends: one reference per line,
    however messy a few of them are. (A wrapped list's inner lines rarely do both.) A line
    that the next one certainly continues, and as long as the longest lines, is not whole
    however it ends (`… Fiz. 49 (1965) 1042 [Sov. Phys. JETP 22` + `( 1966) 725 ].`): a
    wrapped list's longest lines are at its margin, a list one per line has no margin."""
    longest = max(f.length for f in feats)
    whole = sum(
        f.year
        and f.end > 0
        and not (i < len(certain) and certain[i] and f.length >= _LONGEST * longest)
        for i, f in enumerate(feats)
    )
    return whole >= _WHOLE_SHARE * len(feats)


def _min_indent(feats: list[_Features]) -> int:
    return min(f.indent for f in feats)


def _certain_continuation(feats: list[_Features], i: int) -> bool:
    return feats[i].continues or feats[i - 1].open_end


def _after_a_short_end(prev: _Features, cur: _Features, col: _Column) -> bool:
    """A certain continuation starts a reference after all when the line before ended one
    well short of the margin (`_fit` sure), and: this line opens with a list number, a dash
    or a year-first date (stray labels, `- ` lists), or the line before ends a reference
    then `,`/`;` and this line starts with an author. A wrapped line's predecessor runs to
    the margin, so a number or a separator there does not show a reference going on."""
    if _fit(prev, cur, col) < _SURE:
        return False
    if cur.numbered:
        return prev.end >= 1.0 and not prev.open_end
    return prev.separated and not cur.continues and cur.author >= 2.5


def _start_level(feats: list[_Features]) -> bool | None:
    """Whether starts are the indented lines (True) or the flush ones (False), when the list
    is set with a hanging or first-line indent; None when indentation tells nothing."""
    low = _min_indent(feats)
    flush = [f for f in feats if f.indent == low]
    indented = [f for f in feats if f.indent > low]
    if not indented:
        return None

    def share(group: list[_Features]) -> float:
        return sum(f.author >= 2 for f in group) / len(group)

    # The level that starts references is the one whose lines mostly start with authors.
    flush_share, indented_share = share(flush), share(indented)
    if flush_share >= _LEVEL_SHARE and indented_share <= flush_share / 3:
        return False
    first_indented = feats[0].indent != low  # a first-line indent starts with one
    if first_indented and indented_share >= _LEVEL_SHARE and flush_share <= indented_share / 3:
        return True
    return None


@dataclass(frozen=True, slots=True)
class _Column:
    width: int  # characters in a full line (`_width`)
    scale: float  # characters per glyph width, over the list (`_span`)


def _column(feats: list[_Features]) -> _Column:
    spans = sum(f.span for f in feats)
    return _Column(_width(feats), sum(f.length for f in feats) / spans if spans else 1.0)


# Glyphs wider and narrower than most in proportional fonts (Helvetica, Times, …): most
# capitals, `m`, `w` about 1.3 times a small letter; `i l j t f r I`, spaces and stops
# about 0.6 times. (As the bytes that are not them, to count them fast.)
_NOT_WIDE = bytes(set(range(256)) - set(b"ABCDEFGHKMNOPQRSUVWXYZmw"))
_NOT_NARROW = bytes(set(range(256)) - set(b"iljtfrI.,;:'!|()[] -"))


def _span(text: str) -> float:
    """`text`'s width in a proportional font, in small letters."""
    raw = text.encode()
    wide = len(raw.translate(None, _NOT_WIDE))
    return len(text) + 0.3 * wide - 0.4 * len(raw.translate(None, _NOT_NARROW))


def _width(feats: list[_Features]) -> int:
    """The column width the text was wrapped at: most lines but the last of each reference
    come close to it, so a high percentile of the line lengths."""
    lengths = sorted(f.length for f in feats)
    return max(1, lengths[math.ceil(0.8 * (len(lengths) - 1))])


def _score(prev: _Features, cur: _Features, col: _Column) -> float:
    return cur.author + prev.end + _fit(prev, cur, col)


def _fit(prev: _Features, cur: _Features, col: _Column) -> float:
    """Whether the line before stopped short: a wrapped line ends only where its next word
    would not fit, so room left for the next line's first word means the reference ended
    there. Characters stand for widths: in a proportional font a full line holds a few
    more or fewer, so the line is measured both in characters and in glyph widths
    (`_span`, scaled to the list's characters), and the longer taken — a line of
    capitals is full with fewer characters; a word that fits by less than `_FIT_SURE` of
    the width is weak evidence, and one that does not fit only a little against (a
    reference can end on a long line)."""
    width = col.width
    margin = (width - max(prev.length, col.scale * prev.span) - 1 - cur.first) / width
    if prev.length < _SHORT * width or margin >= _FIT_SURE:
        return _SURE
    if margin >= _FIT_LIKELY:
        return 1.0
    if margin >= 0:
        return 0.5
    return -1.0 if prev.length >= _FULL * width else -0.5


def _group(lines: list[Line], starts: list[bool]) -> list[list[Line]]:
    groups: list[list[Line]] = []
    for line, start in zip(lines, starts, strict=True):
        if start or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups
