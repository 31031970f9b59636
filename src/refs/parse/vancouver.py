"""Vancouver/NLM references, including the Med Sci variant.

    Fridman R , Giaccone G , Kanemoto T , et al. Reconstituted basement membrane …
    cell lines . Proc Natl Acad Sci USA. 1990; ; 87 : :6698.–6702.

The Med Sci print puts a space before every separator and doubles `;` and `:`.
Those are undone first (`tidy`), and the standard grammar is read:
`Authors. Title. Journal. Year[ Mon[ Day]];Volume(Issue):Pages.`
"""

from __future__ import annotations

import re
from functools import lru_cache

from refs.model import Date, Item
from refs.normalize.names import parse_vancouver_name

_NAME = r"(?:[^\W\d_][\w'’\-]*\s+){1,4}?[A-Z]{1,4}\.?"
_AUTHOR = re.compile(rf"\s*(?P<name>{_NAME}|et\s+al\.?)(?=\s*(?:,|\.|$))")
_DATE_TAIL = re.compile(
    # The Lancet prints the year after the journal with no period: `Arch Dermatol 1977; 113: 749–54`.
    r"(?:^|[.?!]\s+|\s+(?=(?:1[6-9]|20)\d{2}[a-z]?\s*;))(?P<year>(?:1[6-9]|20)\d{2})[a-z]?(?:\s+(?P<month>[A-Z][a-z]{2,8})\.?"
    r"(?:\s+(?P<day>\d{1,2}))?)?(?:\s*;\s*(?P<volume>[^(:;]*?)\s*(?:\((?P<issue>[^)]*)\))?)?"
    r"(?:\s*:\s*(?P<page>[^;]+?))?\s*\.?\s*$"
)
_ET_AL = re.compile(r"et\s+al")
_SENTENCE_END = re.compile(r"[.?!]\s+(?=[A-Z])")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}  # fmt: skip
_SMALL_WORDS = frozenset(
    {"of", "and", "the", "de", "des", "du", "la", "le", "et", "für", "&", "in"}
)

SIGNALS = re.compile(r"\b(?:1[6-9]|20)\d{2}[a-z]?(?:\s+\w+){0,2}\s*;[\s;]*\w*\s*[(:]")


def looks_like_vancouver(text: str) -> bool:
    return bool(SIGNALS.search(tidy(text)))


# The last text only: the parser detects the style, then parses, the same reference.
@lru_cache(maxsize=1)
def tidy(text: str) -> str:
    """Undo the Med Sci spacing: ` , ` ` . ` `; ;` ` : :` `6698.–6702.` `58..`."""
    # Each step is skipped, or done by plain string methods, where it can: this runs
    # on every reference that is not HAL's.
    value = text.strip()
    if ";" in value:
        value = _collapse_doubled(value, _DOUBLE_SEMICOLON, ";")
    if ":" in value:
        value = _collapse_doubled(value, _DOUBLE_COLON, ":")
    # French typography keeps a space before ":" "?" "!"; only ",", "." and ";" are glued.
    if value.isprintable():  # the only whitespace is " ": `str.replace` does the regex's work
        for mark in ",.;":
            while " " + mark in value:
                value = value.replace(" " + mark, mark)
    else:
        value = _SPACE_BEFORE.sub(r"\1", value)
    if "." in value:
        value = _DOT_DASH.sub("", value)  # 6698.–6702 → 6698–6702
    return _DOTS_END.sub(".", value) if ".." in value[-3:] else value


def _collapse_doubled(text: str, doubled: re.Pattern[str], mark: str) -> str:
    r"""`a ; ; b` → `a;b`: a run of `mark`s (spaces between) → one, spaces around it dropped.

    That is `re.sub(r"\s*;(?:\s*;)+\s*", ";", text)`; `doubled` starts at the mark
    (a pattern starting with `\s*` is tried at every position of the text, which is slow)
    and the spaces before it are stripped from the text in between.
    """
    out: list[str] = []
    last = 0
    for match in doubled.finditer(text):
        out += (text[last : match.start()].rstrip(), mark)
        last = match.end()
    return "".join((*out, text[last:])) if out else text


# Each starts with its literal, which the regex engine finds fast (see `_collapse_doubled`).
_DOUBLE_SEMICOLON = re.compile(r";(?:\s*;)+\s*")
_DOUBLE_COLON = re.compile(r":(?:\s*:)+\s*")
_SPACE_BEFORE = re.compile(r"\s+([,.;])")
_DOT_DASH = re.compile(r"\.(?<=\w\.)(?=[\u2010-\u2015-])")  # a period after \w, before a dash
_DOTS_END = re.compile(r"\.{2,}$")


def parse_vancouver(text: str) -> tuple[Item, list[str]]:
    diagnostics: list[str] = []
    clean = tidy(text)
    authors, et_al, pos = _authors(clean)
    body = clean[pos:].strip()
    date = _date_tail(body)
    fields: dict[str, str | None] = {}
    issued: Date | None = None
    if date:
        fields = {k: (date.group(k) or "").strip() or None for k in ("volume", "issue", "page")}
        month = _MONTHS.get((date.group("month") or "")[:3].lower())
        day = int(date.group("day")) if date.group("day") and month else None
        issued = Date(int(date.group("year")), month, day)
        body = body[: date.start()]
    else:
        diagnostics.append("Vancouver: no year;volume:pages tail found")
    title, container = _title_and_journal(body)
    if not authors:
        diagnostics.append("Vancouver: no author list found")
    item = Item(
        author=tuple(parse_vancouver_name(a) for a in authors),
        et_al=et_al,
        title=title,
        container_title=container,
        issued=issued,
        volume=fields.get("volume"),
        issue=fields.get("issue"),
        page=fields.get("page"),
    )
    return item, diagnostics


def _date_tail(body: str) -> re.Match[str] | None:
    """`_DATE_TAIL.search(body)`, started where a match can first start.

    Tried at every position, the pattern costs more than the rest of the parse. A match
    starts at the string's start or at the run of spaces (and `.?!`) before its year, so
    it cannot start before the run that precedes the first year-like number.
    """
    year = _YEAR.search(body)
    if year is None:
        return None
    start = year.start()
    while start and (body[start - 1].isspace() or body[start - 1] in ".?!"):
        start -= 1
    return _DATE_TAIL.search(body, start)


_YEAR = re.compile(r"(?:1[6-9]|20)\d{2}")  # the year group of `_DATE_TAIL`


def _authors(text: str) -> tuple[list[str], bool, int]:
    """Read `Name I, Name I, et al.` from the start; return names, et al., end offset."""
    names: list[str] = []
    pos = 0
    while True:
        match = _AUTHOR.match(text, pos)
        if match is None:
            return names, False, pos
        name = match.group("name")
        after = match.end()
        if _ET_AL.match(name):
            return names, True, after + (1 if text[after : after + 1] == "." else 0)
        names.append(name)
        rest = text[after:]
        if rest.startswith(","):
            pos = after + 1
            continue
        # The list ends at a period (the name's own, or the separator).
        return names, False, after + (1 if rest.startswith(".") else 0)


def _title_and_journal(body: str) -> tuple[str | None, str | None]:
    """Split `Title. Journal.` at the earliest point after which all looks like a journal."""
    body = body.strip().rstrip(".").strip()
    if not body:
        return None, None
    for match in _SENTENCE_END.finditer(body):
        journal = body[match.end() :]
        if _journal_like(journal):
            title = body[: match.start() + 1].rstrip(".").strip()
            return title or None, journal.strip()
    return body, None


def _journal_like(text: str) -> bool:
    words = text.split()  # = re.findall(r"[^\s]+", text): `\s` is `str.isspace`
    if not words or len(text) > 120:
        return False
    for word in words:
        bare = word.strip("().,:;")
        if not bare or bare.lower() in _SMALL_WORDS:
            continue
        if not (bare[0].isupper() or bare[0].isdigit()):
            return False
    return True
