"""APA/Harvard (author–date) references, and the last-resort fallback.

    Siegel, R. L., Miller, K. D., & Jemal, A. (2016). Cancer statistics, 2016.
    CA: A Cancer Journal for Clinicians, 66(1), 7–30. https://doi.org/10.3322/caac.21332

The fallback reads what any style prints recognisably (year, DOI, URL) and takes
the longest sentence as the title; it says so in a diagnostic. A trained parser
replaces it for unknown styles (see the learned-parser issue).
"""

from __future__ import annotations

import re

from refs.model import Date, Item
from refs.normalize.names import parse_name

_APA = re.compile(
    r"^(?P<authors>.+?)\s*\((?P<year>(?:1[6-9]|20)\d{2})[a-z]?(?:,[^)]*)?\)\.?\s*"
    r"(?P<title>.+?[.?!])\s+(?P<rest>.*)$"
)
_HARVARD = re.compile(
    r"^(?P<authors>.+?)\s*,?\s*(?P<year>(?:1[6-9]|20)\d{2})[a-z]?\.\s+"
    r"(?P<title>.+?[.?!])\s+(?P<rest>.*)$"
)
_CONTAINER = re.compile(
    r"^(?:In:?\s+)?(?P<container>[^,]+?),\s*(?P<volume>\d+[A-Za-z]?)?\s*(?:\((?P<issue>[^)]+)\))?"
    r"(?:,\s*(?:pp?\.\s*)?(?P<page>[A-Za-z]?\d+[A-Za-z]?(?:\s*[-\u2010-\u2015]+\s*[A-Za-z]?\d+)?))?"
)
_URL = re.compile(r"https?://\S+")
_YEAR = re.compile(r"\b((?:1[6-9]|20)\d{2})\b")
# APA separates authors with ", " after initials and "&" before the last.
_APA_SPLIT = re.compile(r"(?<=\.),\s*(?:&\s*|and\s+)?|\s*&\s*|\s+and\s+")
_ET_AL = re.compile(r",?\s*(?:et al\.?|\.\.\.)\s*$")

SIGNALS = re.compile(r"\((?:1[6-9]|20)\d{2}[a-z]?(?:,[^)]*)?\)")


def looks_like_authordate(text: str) -> bool:
    return bool(SIGNALS.search(text))


def parse_authordate(text: str) -> tuple[Item, list[str]]:
    body = _URL.sub("", text).strip()
    match = _APA.match(body) or _HARVARD.match(body)
    if match is None:
        return parse_fallback(text)
    authors_text = match.group("authors").strip().rstrip(",")
    et_al = bool(_ET_AL.search(authors_text))
    authors_text = _ET_AL.sub("", authors_text)
    names = [n for n in _APA_SPLIT.split(authors_text) if n and n.strip(" ,.")]
    container = _CONTAINER.match(match.group("rest").strip())
    fields: dict[str, str | None] = {}
    if container:
        fields = {k: container.group(k) for k in ("container", "volume", "issue", "page")}
    item = Item(
        author=tuple(parse_name(n) for n in names),
        et_al=et_al,
        issued=Date(int(match.group("year"))),
        title=match.group("title").strip(),
        container_title=(fields.get("container") or "").strip(" .") or None,
        volume=fields.get("volume"),
        issue=fields.get("issue"),
        page=fields.get("page"),
    )
    return item, []


def parse_fallback(text: str) -> tuple[Item, list[str]]:
    """Read what is unambiguous; the title is the longest sentence-like segment."""
    body = _URL.sub("", text).strip()
    years = _YEAR.findall(body)
    segments = [s.strip() for s in re.split(r"(?<=[.?!])\s+", body) if len(s.strip()) > 15]
    title = max(segments, key=len).rstrip(".") if segments else None
    diagnostics = ["style not recognised: only year, identifiers and a guessed title were read"]
    if not body:
        diagnostics = ["empty reference"]
    return Item(title=title, issued=Date(int(years[0])) if years else None), diagnostics
