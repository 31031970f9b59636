"""References that run together on one line or in one paragraph.

- numbered: `… 2005;12:33-45. 2. Smith J, …` or `… [3] … [4] …`: cut where the next number of
  the sequence appears, in the list's label style, after a reference-like end and before a
  capital;
- unnumbered: cut after a DOI/URL, a page range and a full stop, or `(2015).`, when a
  strong author pattern follows and both sides carry a year. A false cut is worse than a
  missed one, so every condition must hold.
"""

from __future__ import annotations

import re
from itertools import pairwise

from refs.ids import DOI_PREFIX_ANY_DIGITS
from refs.split.lines import Line
from refs.split.signals import author_score

# A label at the start of a line: `1.`, `[1]`, `1)`, and one inside a line.
LABEL = re.compile(r"^\s*(?:\[(\d+)\]|(\d+)([.)]))\s+(?=\S)")
_INLINE_LABEL = re.compile(r"(?<=\S)\s+(\[(\d+)\]|(\d+)([.)]))(?=\s+\S)")
_LABEL_END = re.compile(rf"(?:[.;)\]}}\"”'’\d]|(?:{DOI_PREFIX_ANY_DIGITS}/|https?://)\S+)$")
YEARS = 1000  # a "label" from here on starting a line, out of sequence, is a year (`2005. Title`)
_SKIP = 2  # a label in sequence is the next number, or the one after a missed label
_MIN_REFERENCE = 20  # characters a reference has at least, before the next label is looked for

_RUN_END = re.compile(
    rf"(?:(?:\b{DOI_PREFIX_ANY_DIGITS}/|https?://)\S*[^\s.,;]\.?"  # a DOI or URL
    r"|\d+\s*[-–]\s*\d+\."  # a page range and a full stop
    r"|\((?:1[6-9]|20)\d\d[a-z]?\)\.)"  # `(2015).`
    r"\s+(?=\S)"
)
_YEAR = re.compile(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)")
_YEAR_EARLY = re.compile(r"^[^\d]{1,60}?[\s(,]\(?(?:1[6-9]|20)\d\d[a-z]?\b\)?[.,:](?:\s|$)")
_MIN_RUNON = 40
_AUTHOR_LOOK = 1000  # characters after a candidate cut where an author is looked for


def label(match: re.Match[str]) -> tuple[int, str]:
    """The number and style (`[]`, `.`, `)`) of a `LABEL` match."""
    if match.group(1):
        return int(match.group(1)), "[]"
    return int(match.group(2)), match.group(3)


def in_sequence(found: int, last: int) -> bool:
    """`found` follows the label `last`: the next number, or the one after a missed label.
    (Numbers have any length: a list of 10,200 entries goes on past `9999.`.)"""
    return last < found <= last + _SKIP


def split_numbered_runs(body: list[Line]) -> list[Line]:
    """Lines holding more than one numbered reference become one line per reference (with
    the same line number), each starting with its label, for the numbered splitter."""
    out: list[Line] = []
    last: int | None = None
    style = ""
    run = 0  # characters of the current reference so far
    for n, line in body:
        match = LABEL.match(line)
        if match and (
            last is None or label(match)[0] < YEARS or in_sequence(label(match)[0], last)
        ):
            last, style = label(match)
            run = 0
        if last is None:
            out.append((n, line))
            continue
        piece = 0  # where the current piece of this line starts
        for inline in _INLINE_LABEL.finditer(line, match.end() if match else 0):
            number = int(inline.group(2) or inline.group(3))
            mark = "[]" if inline.group(2) else inline.group(4)
            before = line[piece : inline.start()]
            if (
                in_sequence(number, last)
                and mark == style
                and run + len(before) >= _MIN_REFERENCE
                and _starts_reference(line[inline.end() :].lstrip(), style)
                and (
                    style == "[]"
                    or _LABEL_END.search(before.rsplit(None, 1)[-1] if before.strip() else "")
                    or (number == last + 1 and author_score(line[inline.end() :].lstrip()) >= 2)
                )
            ):
                out.append((n, before))
                piece = inline.start(1)
                last, run = number, 0
        run += len(line) - piece
        out.append((n, line[piece:]))
    return out


def _starts_reference(text: str, style: str) -> bool:
    """A reference after an inline label starts with a capital, a quote, `———` or a name
    particle (`van Beresteijn EC`), or in lower case with a year near the start (a title
    cut short, `on the Market. Int. J. Nanomedicine 2014, 9, …`); after `[n]`, with
    anything but a lower-case word."""
    first = text[:1]
    if not first or first.islower():
        return bool(first) and (author_score(text) > 0 or bool(_YEAR_EARLY.match(text)))
    return style == "[]" or first.isalpha() or first in "\"“‘'«—―-"


def split_runon(lines: list[Line]) -> list[list[Line]]:
    """Cut one reference's lines where unnumbered references run together."""
    flat = "\n".join(t for _, t in lines)
    # (Each test reads a bounded stretch of the text, so a long text is cut in linear time.)
    candidates = [
        m.end()
        for m in _RUN_END.finditer(flat)
        if author_score(flat[m.end() : m.end() + _AUTHOR_LOOK]) >= 3
    ]
    if not candidates:
        return [lines]
    cuts: list[int] = []
    start = 0
    # The text since the last cut only grows until the next cut: once long enough and
    # holding a year it stays so, and a year is looked for only in what was added (every
    # candidate follows a space, so no year straddles one).
    long_left = year_left = False
    searched = 0
    for i, cut in enumerate(candidates):
        if not long_left:
            long_left = len(flat[start:cut].strip()) >= _MIN_RUNON
        if not year_left:
            year_left = bool(_YEAR.search(flat, max(start, searched), cut))
            searched = cut
        right = flat[cut : candidates[i + 1] if i + 1 < len(candidates) else len(flat)]
        if long_left and year_left and len(right.strip()) >= _MIN_RUNON and _YEAR.search(right):
            cuts.append(cut)
            start = cut
            long_left = year_left = False
    return _pieces(lines, cuts) if cuts else [lines]


def _pieces(lines: list[Line], cuts: list[int]) -> list[list[Line]]:
    """`lines` cut at offsets of their `\\n`-joined text."""
    offsets = []
    at = 0
    for _, text in lines:
        offsets.append(at)
        at += len(text) + 1
    bounds = [0, *cuts, at]
    pieces: list[list[Line]] = []
    first = 0  # the first line that can hold part of the next piece
    for a, b in pairwise(bounds):
        piece = []
        j = first
        while j < len(lines) and offsets[j] < b:
            n, text = lines[j]
            o = offsets[j]
            part = text[max(a - o, 0) : max(min(b - o, len(text)), 0)]
            if part.strip():
                piece.append((n, part))
            j += 1
        first = max(first, j - 1)  # the last line read may go on past `b`
        if piece:
            pieces.append(piece)
    return pieces
