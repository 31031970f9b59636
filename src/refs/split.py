"""Pasted text → reference strings with their line spans.

Forms understood, tried in this order:
- a whole document: its reference section (after a `References` heading) is used;
- a number alone on its line, the reference on the next lines (Med Sci, PMC pages);
- numbered on the same line: `1.`, `[1]`, `1)`;
- blocks separated by blank lines; `DOI :` / `URL :` lines (HAL exports) and bare
  DOI/URL lines join the reference before them, even across a blank line;
- otherwise one reference per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(
    r"^\s*(?:\d+\.?\s*)?(?:references?|bibliography|références(?: bibliographiques)?|bibliographie"
    r"|literature cited|works cited|literatur|referencias|bibliografía)\s*:?\s*$",
    re.IGNORECASE,
)
_NUMBER_ALONE = re.compile(r"^\s*\[?(\d{1,4})[.)\]]?\s*$")
_NUMBERED = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s+(?=\S)")
_TAIL = re.compile(
    r"^\s*(?:(?:DOI|URL|PMID|PMCID|HAL|ISBN|ISSN)\s*:|https?://\S+\s*$|doi\.org/|10\.\d{4,9}/\S+\s*$)",
    re.IGNORECASE,
)


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


def split_references(text: str) -> list[Chunk]:
    """Split a pasted list (or a whole document) into reference chunks."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = reference_section(lines)
    body = [(n + 1, line) for n, line in enumerate(lines) if n >= start]
    if _count(body, _NUMBER_ALONE) >= 2:
        return _numbered(body, alone=True)
    if _count(body, _NUMBERED) >= 2 and _count(body, _NUMBERED) * 2 >= _nonblank(body) * 0.5:
        return _numbered(body, alone=False)
    filled = [i for i, (_, line) in enumerate(body) if line.strip()]
    if filled and any(not line.strip() for _, line in body[filled[0] : filled[-1]]):
        return _blocks(body)
    return [_chunk([(n, line)]) for n, line in body if line.strip()]


def _count(body: list[tuple[int, str]], pattern: re.Pattern[str]) -> int:
    return sum(1 for _, line in body if pattern.match(line))


def _nonblank(body: list[tuple[int, str]]) -> int:
    return sum(1 for _, line in body if line.strip())


def _chunk(lines: list[tuple[int, str]], number: int | None = None) -> Chunk:
    kept = [(n, line.strip()) for n, line in lines if line.strip()]
    return Chunk("\n".join(t for _, t in kept), kept[0][0], kept[-1][0], number)


def _numbered(body: list[tuple[int, str]], *, alone: bool) -> list[Chunk]:
    chunks: list[Chunk] = []
    current: list[tuple[int, str]] = []
    number: int | None = None
    pattern = _NUMBER_ALONE if alone else _NUMBERED

    def flush() -> None:
        if any(t.strip() for _, t in current):
            chunks.append(_chunk(current, number))

    for n, line in body:
        match = pattern.match(line)
        if match:
            flush()
            number = int(next(g for g in match.groups() if g))
            rest = line[match.end() :] if not alone else ""
            current = [(n, rest)] if rest.strip() else []
        elif number is not None:
            current.append((n, line))
    flush()
    return chunks


def _blocks(body: list[tuple[int, str]]) -> list[Chunk]:
    groups: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for n, line in [*body, (0, "")]:
        if line.strip():
            # A tail line (`DOI : …`) belongs to the reference before it.
            if _TAIL.match(line) and not current and groups:
                groups[-1].append((n, line))
            else:
                current.append((n, line))
        elif current:
            groups.append(current)
            current = []
    return [_chunk(group) for group in groups]
