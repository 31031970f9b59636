"""HAL export grammar.

    R. Siegel, D. Naishadham, and A. Jemal, Cancer statistics, 2012,
    CA: A Cancer Journal for Clinicians, vol.287, issue.suppl 5, pp.10-29, 2012.

Authors (initials first, `and` before the last, or `et al.`), title, container,
then `vol.`, `issue.`, `pp.`/`p.` and the year; `DOI :`/`URL :` lines are read by
the caller. Titles may hold commas; container titles (almost) never do, so the
container is the last comma-separated segment before the numbers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from refs.model import Date, Item
from refs.normalize.names import parse_name

_TAIL = re.compile(
    r",\s*(?:vol\.\s*(?P<volume>[^,]+?),\s*)?(?:issue\.\s*(?P<issue>[^,]+?),\s*)?"
    r"(?:pp?\.\s*(?P<page>[^,]+?),\s*)?(?P<year>\d{4})[a-z]?\.?\s*$"
)
# "R. Siegel", "J.-P. Abastado", "M. Ben-baruch", and "N." (family lost in export).
_AUTHOR = re.compile(
    r"^(?:[A-Z][a-z]?\.\s?-?)+(?:\s*(?:[^\W\d_][\w'’\-]*)(?:\s+[^\W\d_][\w'’\-]*){0,3})?$"
)
_ET_AL = re.compile(r"\s+et\s+al\.?$")

# Two patterns, not one alternation: a pattern starting with a literal (`,`) is found
# fast, one that may start at any line start is tried at every position of the text.
SIGNALS = re.compile(r",\s*(?:vol\.\s*\S|issue\.\s*\S|pp?\.\s*\d)")
ID_LINES = re.compile(r"^\s*(?:DOI|URL)\s*:", re.MULTILINE)


# A whole title segment in quotes, `Z. Huang, “Relation between…”, Journal, vol. 3, no. 2`,
# is IEEE's; a HAL export never quotes its titles (quotes inside one are kept) and
# writes `issue.`, where IEEE writes `no.`.
_QUOTED_TITLE = re.compile(r",\s*[\u201c\u201d\"][^\u201c\u201d\"]{10,}[\u201c\u201d\"]")


def looks_like_hal(text: str) -> bool:
    # The cheapest tests first: most references fail the signals.
    if not (SIGNALS.search(text) or (("DOI" in text or "URL" in text) and ID_LINES.search(text))):
        return False
    first = text.split("\n", 1)[0]
    ieee = "issue." not in first and bool(_QUOTED_TITLE.search(first))
    return not ieee and bool(_tail(first))


# The last text only: the parser detects the style, then parses, the same reference.
@lru_cache(maxsize=1)
def _tail(text: str) -> re.Match[str] | None:
    return _TAIL.search(text)


def parse_hal(line: str) -> tuple[Item, list[str]]:
    """Parse the main line of a HAL reference into an Item (no DOI/URL)."""
    diagnostics: list[str] = []
    text = line.strip()
    tail = _tail(text)
    fields: dict[str, str | None] = {}
    year: int | None = None
    if tail:
        fields = {k: tail.group(k) for k in ("volume", "issue", "page")}
        year = int(tail.group("year"))
        text = text[: tail.start()]
    else:
        diagnostics.append("HAL: no vol./issue./pp./year tail found")
    tokens = [t.strip() for t in text.split(", ")]
    # Two authors alone are joined by "and" with no comma: "A. Caplan and S. Bruder".
    if tokens and " and " in tokens[0]:
        pair = tokens[0].split(" and ", 1)
        if all(_AUTHOR.match(p) for p in pair):
            tokens[:1] = [pair[0], "and " + pair[1]]
    authors, et_al, rest = _authors(tokens)
    if not authors:
        diagnostics.append("HAL: no author list found")
    title = ", ".join(rest[:-1]) if len(rest) > 1 else (rest[0] if rest else None)
    container = rest[-1] if len(rest) > 1 else None
    item = Item(
        author=tuple(parse_name(a) for a in authors),
        et_al=et_al,
        title=title or None,
        container_title=container or None,
        issued=Date(year) if year else None,
        volume=fields.get("volume"),
        issue=fields.get("issue"),
        page=fields.get("page"),
    )
    return item, diagnostics


def _authors(tokens: list[str]) -> tuple[list[str], bool, list[str]]:
    authors: list[str] = []
    for i, token in enumerate(tokens):
        last = token.startswith("and ")
        name = token[4:] if last else token
        et_al_match = _ET_AL.search(name)  # one search; the match, at the end, is cut out
        et_al = et_al_match is not None
        if et_al_match:
            name = name[: et_al_match.start()] + name[et_al_match.end() :]
        if not _AUTHOR.match(name) or len(tokens) - i < 2:
            return authors, False, tokens[i:]
        authors.append(name)
        if last or et_al:
            return authors, et_al, tokens[i + 1 :]
    return authors, False, []
