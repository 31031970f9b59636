"""Numbers a parser read as the wrong field: a volume numbered by year, taken for the date.

Many journals number volumes by year (`Case Reports in Oncology 2014:123456`, `vol. 2020`).
A tagger that sees two years in a reference calls both dates and leaves the volume empty;
the one printed where a volume goes (after `vol.`, or before the pages) is the volume.
"""

from __future__ import annotations

import re
from dataclasses import replace

from refs.model import Date, Item

_YEAR = re.compile(r"(?<![\d./-])(?:1[6-9]|20)\d{2}(?![\d/-])")
_VOL_YEAR = re.compile(r"\bvol(?:ume)?\.?\s*((?:19|20)\d{2})\b", re.IGNORECASE)
# `2007:1–15`, `2018, 1–9`, `2018, pp. 1-4`, `2018(3)`: a year where the volume goes.
_YEAR_BEFORE_PAGES = re.compile(
    r"(?<![\d./-])((?:19|20)\d{2})(?:\s*[,:]\s*(?:pp?\.\s*)?[A-Za-z]?\d|\(\d)"
)


def year_volume(item: Item, text: str) -> Item:
    """The item with a year-numbered volume moved out of the date (when the print says so)."""
    if item.volume or item.issued is None:
        return item
    explicit = _VOL_YEAR.search(text)
    found = explicit or _YEAR_BEFORE_PAGES.search(text)
    if found is None:
        return item
    volume = found.group(1)
    others = {y for y in _YEAR.findall(text) if y != volume}
    if len(others) > 1 or (not others and not explicit):
        return item  # one year only is the date; several others: too unsure
    issued = item.issued
    if str(issued.year) == volume and others:
        issued = Date(int(others.pop()))
    return replace(item, volume=volume, issued=issued)
