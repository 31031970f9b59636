"""Pasted text → reference strings with their line spans.

A whole document is cut to its reference section: after the last `References` heading, up
to an `Appendix`, `Acknowledgements`, `Supplementary …` heading (or a `Figure 1`/`Table 1`
caption with no reference after it). Web-page link buttons (`Article  PubMed  Google
Scholar`, `[PubMed]`) are dropped. Then the forms understood, tried in this order:
- a number alone on its line, the reference on the next lines (Med Sci, PMC pages) — when
  the list starts with one or they are many (a few are page numbers);
- numbered on the same line: `1.`, `[1]`, `1)`, wrapped lines joining the reference above
  (a line starting `2005. ` out of sequence is not a label); numbered references run
  together on a line are cut apart first (`runon.py`); text before the first number is
  kept as a chunk of its own;
- blocks separated by blank lines; `DOI :` / `URL :` lines (HAL exports) and bare
  DOI/URL lines join the reference before them, even across a blank line; a block that is
  a lone number is a page number, dropped; blocks that are pieces of a longer list (a
  page break) are split further (`lines.py`);
- otherwise unnumbered lines: one reference per line, or wrapped references told apart
  by author patterns, line ends, indentation and line lengths (`lines.py`).
Unnumbered references that run together (`… 2011;1:1-9. Smith, J. …`) are cut apart.

Chunks keep their lines as they stood (joined by `\\n`); `join_lines` makes the one-line
reference string, undoing hyphenation and rejoining DOIs/URLs cut at a line end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from refs.split.join import join_lines
from refs.split.lines import Line, segment, split_blocks
from refs.split.runon import LABEL, YEARS, in_sequence, label, split_numbered_runs, split_runon
from refs.split.signals import BULLET, TAIL, author_score, open_end

__all__ = ["Chunk", "join_lines", "reference_section", "split_references"]

_HEADING = re.compile(
    r"^\s*(?:\d+\.?\s*)?(?:references?|bibliography|références(?: bibliographiques)?|bibliographie"
    r"|literature cited|works cited|literatur|referencias|bibliografía|references and notes"
    r"|notes and references|reference list|list of references|cited references)\s*:?\s*$",
    re.IGNORECASE,
)
# What follows a reference section: a heading, alone on its line or opening a paragraph
# (`Acknowledgements: We thank …`), as in articles and their web pages …
_SECTION_END = re.compile(
    r"^\s*(?:[A-Z]\.?\s+|\d+\.?\s*)?(?:"
    r"(?:appendix(?:\s+[A-Z0-9]{1,3})?|appendices|supplementary(?:\s+(?:materials?|information"
    r"|data|figures?|tables?))?|supporting information|figure legends|tables?|figures?"
    r"|author information|ethics declarations|additional information|rights and permissions"
    r"|about this article|footnotes|abbreviations)\s*[:.]?\s*$"
    r"|(?:appendix(?:\s+[A-Z0-9]{1,3})?|acknowledge?ments?|author contributions"
    r"|competing interests|conflicts? of interest|declaration of competing interest"
    r"|funding|data availability(?: statement)?)\s*(?:[:.]\s*\S.*|[:.]?\s*$))",
    re.IGNORECASE,
)
# … or a figure or table caption, which ends it only when no reference follows (a figure
# placed on a reference page puts its caption inside the list).
_CAPTION = re.compile(r"^\s*(?:figure|fig\.|table)\s+[A-Z]?\d+(?:\s*$|[.:|]\s)", re.IGNORECASE)
# Link buttons copied with a web page's list (`Article  ADS  CAS  PubMed  Google Scholar`,
# `[PubMed] [Google Scholar]`) are not part of the reference: the line, or its tail, goes.
_LINK = (
    r"(?:Article|ADS|CAS|PubMed(?: Central)?|PMC(?: free article)?|Google Scholar|MathSciNet"
    r"|Cross[Rr]ef|Web of Science|Scopus|MEDLINE|Medline|ISI|zbMATH|OpenURL|Full Text"
    r"|Free Full Text|View Article|Abstract|Download references|Download citation|Show more)"
)
_LINK_LINE = re.compile(rf"^\s*(?:\[?{_LINK}\]?[\s|/,;]*)+$")
_LINK_TAIL = re.compile(rf"(?:\s*\[{_LINK}\])+\s*$")
_NUMBER_ALONE = re.compile(r"^\s*\[?(\d+)[.)\]]?\s*$")
_LONG = 10_000  # a number alone from here on is a label only in sequence
_NUMBER_ALONE_SHARE = 0.2  # fewer number-only lines than this are page numbers, not labels
# A number alone between blank lines, in an unnumbered list: a page number, dropped.
_PAGE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")


@dataclass(frozen=True, slots=True)
class Chunk:
    """One reference's text as it stood in the input."""

    text: str  # its lines joined by "\n", label removed
    start_line: int  # 1-based
    end_line: int
    number: int | None = None  # the printed number, when the list is numbered


def reference_section(lines: list[str]) -> int:
    """Index of the first line after the last `References` heading, or 0."""
    for i in range(len(lines) - 1, -1, -1):
        if _HEADING.match(lines[i]) and any(line.strip() for line in lines[i + 1 :]):
            return i + 1
    return 0


def _section_end(lines: list[str], start: int) -> int:
    """Index of the first line after the reference section that follows it, or len(lines)."""
    seen = False
    after = start  # the first line after the last caption that starts a reference (or len)
    for i in range(start, len(lines)):
        if seen and _SECTION_END.match(lines[i]):
            return i
        if seen and _CAPTION.match(lines[i]):
            # (where the next reference starts is remembered: each line is read once)
            after = max(after, i + 1)
            while after < len(lines) and not _starts_reference(lines[after]):
                after += 1
            if after == len(lines):
                return i
        seen = seen or bool(lines[i].strip())
    return len(lines)


def _starts_reference(line: str) -> bool:
    return bool(LABEL.match(line)) or author_score(line) >= 3


def split_references(text: str) -> list[Chunk]:
    """Split a pasted list (or a whole document) into reference chunks."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = reference_section(lines)
    end = _section_end(lines, start) if start else len(lines)
    body = split_numbered_runs([(n + 1, _unlinked(lines[n])) for n in range(start, end)])
    filled = [line for _, line in body if line.strip()]
    alone = _count(body, _NUMBER_ALONE)
    # Numbers alone on their lines are labels when the list starts with one, or when they
    # are many; a few in a list are page numbers.
    if (
        alone >= 2
        and (_NUMBER_ALONE.match(filled[0]) or alone >= _NUMBER_ALONE_SHARE * len(filled))
        and not _several_per_number(filled)
    ):
        return _numbered(body, alone=True)
    if _count(body, LABEL) >= 2 and _count(body, LABEL) * 2 >= len(filled) * 0.5:
        return _numbered(body, alone=False)
    full = [i for i, (_, line) in enumerate(body) if line.strip()]
    if full and any(not line.strip() for _, line in body[full[0] : full[-1]]):
        groups = split_blocks(_blocks(body))
    else:
        groups = segment([(n, line) for n, line in body if line.strip()]) if full else []
    return [_chunk(_unbullet(piece)) for group in groups for piece in split_runon(group)]


def _several_per_number(filled: list[str]) -> bool:
    """Between the numbers alone on their lines stand several references each: the numbers
    are page numbers (`12` … four references … `13`), not labels."""
    groups: list[int] = []
    for line in filled:
        if _NUMBER_ALONE.match(line):
            groups.append(0)
        elif groups and author_score(line.strip()) >= 3:
            groups[-1] += 1
    return bool(groups) and sum(groups) > 1.5 * len(groups)


def _unlinked(line: str) -> str:
    if _LINK_LINE.match(line):
        return ""
    return _LINK_TAIL.sub("", line) if "[" in line else line


def _count(body: list[Line], pattern: re.Pattern[str]) -> int:
    return sum(1 for _, line in body if pattern.match(line))


def _chunk(lines: list[Line], number: int | None = None) -> Chunk:
    kept = [(n, line.strip()) for n, line in lines if line.strip()]
    return Chunk("\n".join(t for _, t in kept), kept[0][0], kept[-1][0], number)


def _unbullet(lines: list[Line]) -> list[Line]:
    """A bullet is a label: removed, like a list number."""
    (n, first), *rest = lines
    return [(n, BULLET.sub("", first, count=1)), *rest]


def _numbered(body: list[Line], *, alone: bool) -> list[Chunk]:
    chunks: list[Chunk] = []
    current: list[Line] = []
    number: int | None = None

    def flush() -> None:
        if any(t.strip() for _, t in current):
            chunks.append(_chunk(current, number))

    for n, line in body:
        if alone:
            match = _NUMBER_ALONE.match(line)
            found = int(match.group(1)) if match else None
            # A long number alone (a PMID, an article number) is a label only in sequence.
            if found is not None and found >= _LONG and number is not None:
                found = found if in_sequence(found, number) else None
        else:
            match = LABEL.match(line)
            found = label(match)[0] if match else None
            # A wrapped line starting `2005. ` or after `pp. 33-` is not a label.
            previous = current[-1][1] if current else ""
            if (
                found is not None
                and number is not None
                and found != number + 1
                and (open_end(previous) or (found >= YEARS and not in_sequence(found, number)))
            ):
                found = None
        if match and found is not None:
            flush()
            number = found
            rest = line[match.end() :] if not alone else ""
            current = [(n, rest)] if rest.strip() else []
        else:
            current.append((n, line))  # text before the first label is kept as its own chunk
    flush()
    return chunks


def _blocks(body: list[Line]) -> list[list[Line]]:
    groups: list[list[Line]] = []
    current: list[Line] = []
    for n, line in [*body, (0, "")]:
        if line.strip():
            # A tail line (`DOI : …`) belongs to the reference before it.
            if TAIL.match(line) and not current and groups:
                groups[-1].append((n, line))
            else:
                current.append((n, line))
        elif current:
            if not (len(current) == 1 and _PAGE_NUMBER.match(current[0][1])):
                groups.append(current)
            current = []
    return groups
