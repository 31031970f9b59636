"""Page ranges, article numbers, volume and issue forms."""

from __future__ import annotations

import re

# Any dash a page range is printed with, with stray periods and spaces around it:
# `6698.–6702.`, `2154 - 64`, `A28.–A31.`, `pp. 1--10`.
_RANGE = re.compile(
    r"^(?P<first>[A-Za-z]{0,3}\d+[A-Za-z]?)\.?\s*(?:-{1,2}|[\u2010-\u2015\u2212])\s*"
    r"(?P<last>[A-Za-z]{0,3}\d+[A-Za-z]?)\.?$"
)
_SINGLE = re.compile(r"^(?P<page>[A-Za-z]{0,3}\d+[A-Za-z]?)\.*$")
_PAGE_LABEL = re.compile(r"^(?:pp?\.?\s*|pages?\s+)", re.IGNORECASE)
# A DOI or link the parser left after the pages: `1–4. doi.org/`, `e12 https://…`.
_TRAILING_LINK = re.compile(
    r"[\s.,;]+(?:(?:https?://|doi\b|doi\.org|www\.)\S*|e-?pub\b.*)$", re.IGNORECASE
)  # also `100-10. Epub 2013 Dec 5`
_LINK_GAP = re.compile(r"[\s.,;]")  # what `_TRAILING_LINK` starts with
_THOUSANDS = re.compile(r"\d{1,3},\d{3}(?:\s*[-\u2010-\u2015]\s*(?:\d{1,3},)?\d{3})?")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SUPPL = re.compile(r"\b(?:suppl(?:ement)?|supp)\b\.?", re.IGNORECASE)


def normalize_pages(text: str) -> str:
    """`2154-64` → `2154-2164`, `6698.–6702.` → `6698-6702`, `p.15313` → `15313`.

    Forms not understood are returned trimmed, never dropped.
    """
    value = _trim(text)
    # Each regex runs only when the value holds what its match must start with.
    while value[:1] in ("p", "P") and (stripped := _trim(_PAGE_LABEL.sub("", value))) != value:
        value = stripped
    if _LINK_GAP.search(value):
        value = _trim(_TRAILING_LINK.sub("", value)) or value
    if "," in value and _THOUSANDS.fullmatch(value):  # `1,234-1,240`: separators, not a list
        value = value.replace(",", "")
    if "," in value:  # `1–3, 10–1`: each part on its own, when each is a page or a range
        parts = [_one_range(_trim(part)) for part in value.split(",")]
        if all(parts):
            return ", ".join(p for p in parts if p)
    return _one_range(value) or _DASHES.sub("-", value)


def _one_range(value: str) -> str | None:
    match = _RANGE.match(value)
    if match:
        first, last = match.group("first"), match.group("last")
        return f"{first}-{expand_last_page(first, last)}"
    single = _SINGLE.match(value)
    return single.group("page") if single else None


def expand_last_page(first: str, last: str) -> str:
    """Write an abbreviated last page in full: (2154, 64) → 2164; (E2110, E2116) kept."""
    if not (first.isdigit() and last.isdigit()):
        return last
    # `163-63` is a one-page article (163-163): the shortened last page may equal the first's tail.
    if len(last) < len(first) and int(first[-len(last) :]) <= int(last):
        return first[: len(first) - len(last)] + last
    return last


def first_page(pages: str) -> str:
    return pages.split("-", 1)[0]


_EDGES = re.compile(r"^[\s.,;]+|[\s.,;]+$")


_SPACE_RUNS = re.compile(r"\s+")


def _trim(text: str) -> str:
    if (
        text.isprintable()
        and "  " not in text
        and text[:1] not in " .,;"
        and text[-1:] not in " .,;"
    ):
        return text  # the common case: nothing to trim
    return _EDGES.sub("", _SPACE_RUNS.sub(" ", text))


def normalize_issue(text: str) -> str:
    """`(Suppl 2)` → `Suppl 2`, `suppl 5` → `Suppl 5`, `15 Supplement` → `15 Suppl`."""
    value = _trim(text)
    while value.startswith("(") and value.endswith(")"):
        value = _trim(value[1:-1])
    # Every spelling `_SUPPL` reads holds `upp` (no other letter matches u or p, case ignored).
    return _trim(_SUPPL.sub("Suppl", value)) if "upp" in value.lower() else value


def normalize_volume(text: str) -> str:
    """`vol. 12` → `12`; anything else trimmed."""
    value = _trim(text)
    while value[:1] in ("v", "V") and (stripped := _trim(_VOL_LABEL.sub("", value))) != value:
        value = stripped
    return value


_VOL_LABEL = re.compile(r"^vol(?:ume)?\b\.?", re.IGNORECASE)


# A volume that carries its issue: `39(2-3)`, `11 (9)`, `2, nos. 3-4`, `12 no. 5`, `8:6`.
_VOLUME_ISSUE = re.compile(
    r"^(?P<volume>[A-Za-z]?\d+[A-Za-z]?)(?:\s*\((?P<paren>[^()]+)\)"
    r"|,?\s+(?:nos?\.?|n[°o]|numbers?|issues?|iss\.|h(?:eft)?\.)\s*(?P<cue>\S.*))$",
    re.IGNORECASE,
)


def split_volume_issue(volume: str) -> tuple[str, str | None]:
    """`39(2-3)` → (`39`, `2-3`); a volume with no issue in it comes back alone."""
    match = None if volume.isdecimal() else _VOLUME_ISSUE.match(volume)  # `39`: no issue
    if match is None:
        return volume, None
    return match.group("volume"), normalize_issue(match.group("paren") or match.group("cue"))
