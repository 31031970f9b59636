"""RIS → `Reference`s.

A record runs from `TY` to `ER`. Real files are sloppy, so: a record cut off at
the end of the file (no `ER`) is still read, a new `TY` closes an open record,
and a line that is not a tag continues the previous tag's value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from refs.model import Date, Item, Person, Reference, Span
from refs.normalize import normalize_item

__all__ = ["RIS_TYPES", "read_ris"]

# RIS type → CSL type; anything else is a "document".
RIS_TYPES: dict[str, str] = {
    "JOUR": "article-journal",
    "JFULL": "article-journal",
    "EJOUR": "article-journal",
    "MGZN": "article-magazine",
    "NEWS": "article-newspaper",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "THES": "thesis",
    "RPRT": "report",
    "ELEC": "webpage",
    "DATA": "dataset",
    "COMP": "software",
    "UNPB": "manuscript",
    "PAMP": "pamphlet",
    "GEN": "document",
}

# `TY  - JOUR`: two capitals/digits, spaces, a hyphen. Tolerate one space too.
_TAG = re.compile(r"^([A-Z][A-Z0-9])\s{1,2}-(?: (.*))?$")
_DATE = re.compile(r"^\s*(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?)?")


@dataclass
class _Record:
    """One record while it is read: its lines and its tags in order."""

    start: int
    lines: list[str] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)
    end: int = 0

    def add(self, line_no: int, line: str) -> None:
        self.lines.append(line)
        self.end = line_no

    def continue_last(self, text: str) -> None:
        tag, value = self.tags[-1]
        self.tags[-1] = (tag, f"{value} {text}".strip())

    def values(self, *tags: str) -> list[str]:
        return [v for t, v in self.tags if t in tags and v]

    def first(self, *tags: str) -> str | None:
        # Preference follows the order of `tags`, not the order in the record.
        for tag in tags:
            found = self.values(tag)
            if found:
                return found[0]
        return None


def read_ris(text: str) -> list[Reference]:
    """Every record of a RIS text, in order."""
    return [_reference(record, i) for i, record in enumerate(_records(text), start=1)]


def _records(text: str) -> list[_Record]:
    records: list[_Record] = []
    current: _Record | None = None
    for line_no, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = raw.rstrip()
        match = _TAG.match(line)
        if match and match.group(1) == "TY":
            current = _Record(start=line_no)
            records.append(current)
        if current is None or not line.strip():
            continue  # text before the first record; blank lines
        current.add(line_no, line)
        if match is None:
            if current.tags:
                current.continue_last(line.strip())
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "ER":
            current = None
        else:
            current.tags.append((tag, value))
    return records


def _reference(record: _Record, index: int) -> Reference:
    item, repairs = normalize_item(_item(record))
    return Reference(
        index=index,
        text="\n".join(record.lines),
        span=Span(record.start, record.end),
        item=item,
        style="ris",
        doi_input=record.first("DO"),
        key=record.first("ID", "AN"),
        repairs=repairs,
    )


def _item(r: _Record) -> Item:
    isbn, issn = _standard_numbers(r)
    return Item(
        type=RIS_TYPES.get((r.first("TY") or "").upper(), "document"),
        author=tuple(_person(v) for v in r.values("AU", "A1")),
        editor=tuple(_person(v) for v in r.values("A2", "ED")),
        issued=_issued(r),
        title=r.first("TI", "T1"),
        container_title=r.first("JF", "JO", "T2"),
        container_title_short=r.first("JA", "J2", "J1"),
        volume=r.first("VL"),
        issue=r.first("IS"),
        page=_page(r.first("SP"), r.first("EP")),
        publisher=r.first("PB"),
        publisher_place=r.first("CY"),
        edition=r.first("ET"),
        DOI=r.first("DO"),
        URL=r.first("UR"),
        ISBN=isbn,
        ISSN=issn,
        note=r.first("N1"),
    )


def _page(start: str | None, end: str | None) -> str | None:
    if start and end and start != end:
        return f"{start}-{end}"
    return start or end


def _standard_numbers(r: _Record) -> tuple[str | None, str | None]:
    """SN holds an ISBN or an ISSN: tell them apart by their number of digits."""
    isbn: str | None = None
    issn: str | None = None
    for value in r.values("SN"):
        digits = re.sub(r"[^0-9Xx]", "", value)
        if len(digits) in (10, 13):
            isbn = isbn or value
        elif len(digits) == 8:
            issn = issn or value
        elif r.first("TY") in ("BOOK", "CHAP", "EBOOK", "ECHAP", "EDBOOK"):
            isbn = isbn or value
        else:
            issn = issn or value
    return isbn, issn


def _issued(r: _Record) -> Date | None:
    """PY/Y1 give the year; DA (`2012/03/05`) adds month and day when it agrees."""
    year_date = _date(r.first("PY", "Y1"))
    full_date = _date(r.first("DA"))
    if year_date is None:
        return full_date
    if full_date is not None and full_date.year == year_date.year:
        return full_date if full_date.month else year_date
    return year_date


def _date(value: str | None) -> Date | None:
    match = _DATE.match(value or "")
    if match is None:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is None or not 1 <= month <= 12:
        return Date(year)
    return Date(year, month, day if day is not None and 1 <= day <= 31 else None)


def _person(value: str) -> Person:
    """`Family, Given[, Suffix]`; a name without a comma is an institution's."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 1:
        return Person(literal=value.strip())
    particle, family = _split_particle(parts[0])
    return Person(
        family=family or None,
        given=parts[1] or None,
        particle=particle,
        suffix=", ".join(parts[2:]) or None,
    )


def _split_particle(family: str) -> tuple[str | None, str]:
    """`van der Berg` → ("van der", "Berg"): leading lower-case words are a particle."""
    words = family.split()
    lead: list[str] = []
    while len(words) > 1 and words[0][:1].islower():
        lead.append(words.pop(0))
    return (" ".join(lead) or None), " ".join(words)
