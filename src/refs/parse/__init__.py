"""Reference strings → `Reference` records. Never raises on bad input.

`parse_list(text)` splits a pasted list (or a whole document), recognises each
entry's style, runs the rule parser for it, reads identifier lines and inline
DOIs/URLs, and normalises the fields. A string nothing can be read from is
still a record, with a diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields, replace

from refs import ids
from refs.model import Item, Person, Reference, Span
from refs.normalize import normalize_item
from refs.parse.authordate import looks_like_authordate, parse_authordate, parse_fallback
from refs.parse.hal import looks_like_hal, parse_hal
from refs.parse.learned import available as learned_available
from refs.parse.learned import parse_learned
from refs.parse.numbers import year_volume
from refs.parse.vancouver import looks_like_vancouver, parse_vancouver
from refs.split import join_lines, split_references

__all__ = ["detect_style", "parse_list", "parse_reference"]

# `DOI : 10.x/y`, `URL : http…` lines (HAL exports put them under the reference).
_ID_LINE = re.compile(r"^\s*(?P<tag>DOI|URL|PMID|PMCID)\s*:\s*(?P<value>\S.*?)\s*$", re.IGNORECASE)
# An inline DOI with its label or resolver prefix, as printed.
_INLINE_DOI = re.compile(
    rf"(?:\bdoi\s*:?\s*|https?://(?:dx\.)?doi\.org/)?"
    rf"{ids.DOI_PREFIX_ANY_DIGITS}{ids.DOI_SUBDIVISIONS_ANY_DIGITS}/\S+",
    re.IGNORECASE,
)
_INLINE_URL = re.compile(r"(?:\bURL\s*:?\s*|\bAvailable (?:from|at):?\s*)?https?://\S+")
_PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b")
_PMCID = re.compile(r"\bPMCID:?\s*(PMC\d+)\b")
_LEAD_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\d+[.)])\s+")  # a label of any length (10,000 and past)


def detect_style(text: str) -> str:
    """The rule parser for this reference: hal, vancouver, authordate or generic."""
    if looks_like_hal(text):
        return "hal"
    if looks_like_vancouver(text):
        return "vancouver"
    if looks_like_authordate(text):
        return "authordate"
    return "generic"


NO_LETTERS = "no letter or digit: not a reference"


def parse_reference(text: str, index: int = 1, span: Span | None = None) -> Reference:
    """Parse one reference string (its DOI/URL lines included)."""
    span = span or Span(1, text.count("\n") + 1)
    if not any(c.isalnum() for c in text):  # `;;; ---`, a rule: a record, but no fields
        return Reference(index, text, span, Item(), "generic", diagnostics=(NO_LETTERS,))
    try:
        return _parse(text, index, span)
    except Exception as error:  # a parser bug must not cost the user the rest of the list
        return Reference(index, text, span, Item(), "unparsed",
                         diagnostics=(f"could not parse: {type(error).__name__}: {error}",))  # fmt: skip


def parse_list(text: str) -> list[Reference]:
    """Split and parse a pasted list or a whole document.

    A list whose chunks hold no letter or digit at all (`... ;;; ---`) has no reference:
    an empty list (the caller says "no references found"). Among real references such a
    chunk stays a record with no fields and its diagnostic: nothing is dropped.
    """
    refs = list(iter_references(text))
    return refs if any(NO_LETTERS not in r.diagnostics for r in refs) else []


def iter_references(text: str) -> Iterator[Reference]:
    """Split a list, then parse each reference only when it is asked for.

    A long list streams: `refs check` answers its first references while the rest are
    still text, instead of parsing a whole 60 MB file first.
    """
    for i, chunk in enumerate(split_references(text), 1):
        yield parse_reference(chunk.text, i, Span(chunk.start_line, chunk.end_line))


# `???` where an export lost characters (`ne???olysis`, `???enefits`): the tagger would
# read the `?`s as punctuation and cut the word (and often the title) there. Runs touching
# a letter are masked with a letter of the same length while tagging, then put back in
# every field for the normaliser to mark as lost. `?` beside digits (`1??(3)`) is left be.
_LOST_IN_WORD = re.compile(r"(?<=[^\W\d_])\?+(?=[^\W\d_])|(?<=[^\W\d_])\?{2,}|\?{2,}(?=[^\W\d_])")
_MASK = "\u01c2"  # ǂ, a letter no reference prints


_LOW_CONFIDENCE = "low confidence"  # in the trained parser's diagnostic when it is unsure


def _refines(rule: Item, learned: Item) -> bool:
    """Whether the grammar's title lies within the tagger's title or journal (or the tagger
    read none): the grammar then cuts the tagger's reading finer (`Cancer statistics, 2016.
    CA: A Cancer Journal…` → title and journal) rather than reading another stretch
    (`…, Nr. 10, S. 891–921` is no title)."""
    if learned.title is None:
        return True
    key = _letters(rule.title or "")
    return bool(key) and any(
        key in _letters(value) for value in (learned.title, learned.container_title) if value
    )


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _parse_learned_keeping_lost(text: str) -> tuple[Item, list[str]]:
    if "?" not in text or _MASK in text:
        return parse_learned(text)
    masked = _LOST_IN_WORD.sub(lambda m: _MASK * len(m.group()), text)
    if masked == text:
        return parse_learned(text)
    item, diagnostics = parse_learned(masked)
    return _unmask(item), diagnostics


def _unmask(item: Item) -> Item:
    """The item with every masked character, in any text field or name, back to `?`."""
    changes: dict[str, object] = {}
    for spec in fields(item):
        value = getattr(item, spec.name)
        if isinstance(value, str) and _MASK in value:
            changes[spec.name] = value.replace(_MASK, "?")
        elif isinstance(value, tuple) and any(isinstance(p, Person) for p in value):
            changes[spec.name] = tuple(map(_unmask_person, value))
    return replace(item, **changes) if changes else item  # type: ignore[arg-type]


def _unmask_person(person: Person) -> Person:
    return person.map_names(lambda name: name.replace(_MASK, "?"))


def _parse(text: str, index: int, span: Span) -> Reference:
    main_lines: list[str] = []
    tagged: dict[str, str] = {}
    for line in text.split("\n"):
        match = _ID_LINE.match(line) if ":" in line else None  # `DOI : …` needs its colon
        if match and match.group("tag").upper() not in tagged:
            tagged[match.group("tag").upper()] = match.group("value")
        else:
            main_lines.append(line)
    # Lines join with spaces, except where a break cut a word, a range, a DOI or a URL.
    main = join_lines(main_lines).strip()
    if main[:1] == "[" or main[:1].isdecimal():  # what a leading number starts with (\d)
        main = _LEAD_NUMBER.sub("", main)
    doi_input = tagged.get("DOI")
    url = tagged.get("URL")
    # Identifiers printed inside the reference are taken out before parsing. The
    # searches are costly where they fail, on most references: they run only when
    # the text holds what a match must (`10.`, `http`).
    inline_doi = _INLINE_DOI.search(main) if "10." in main else None
    if inline_doi:
        doi_input = doi_input or inline_doi.group(0)
        main = (main[: inline_doi.start()] + main[inline_doi.end() :]).strip()
    inline_url = _INLINE_URL.search(main) if "http" in main else None
    if inline_url:
        url = url or re.sub(r"^\S*?(?=https?://)", "", inline_url.group(0).split()[-1])
        main = (main[: inline_url.start()] + main[inline_url.end() :]).strip()
    pmid = _PMID.search(main) if "PMID" in main else None
    pmcid = _PMCID.search(main) if "PMC" in main else None
    if pmid or pmcid:
        main = _PMCID.sub("", _PMID.sub("", main)).strip()

    style = detect_style(main + ("\nDOI : x" if "DOI" in tagged or "URL" in tagged else ""))
    rule_read: tuple[Item, list[str]] | None = None
    if style == "hal":
        rule_read = parse_hal(main)
    elif style == "vancouver":
        rule_read = parse_vancouver(main)
    # The rule parsers are trusted when their grammar read the whole reference (no
    # diagnostic); a HAL or Vancouver look-alike they could not read goes to the tagger.
    if rule_read is not None and (not rule_read[1] or not learned_available()):
        item, diagnostics = rule_read
    elif learned_available() and any(c.isalnum() for c in main):  # other styles: trained parser
        item, diagnostics = _parse_learned_keeping_lost(main)
        unsure = item.title is None or any(_LOW_CONFIDENCE in d for d in diagnostics)
        rule = parse_authordate(main) if unsure and style == "authordate" else None
        if rule and rule[0].title and not rule[1] and _refines(rule[0], item):
            # The trained parser read no title or is unsure of its reading, and the APA
            # grammar read the whole reference, its title where the tagger saw one: the
            # grammar's reading is the better bet.
            item, diagnostics = rule
        else:
            style = "learned"
        item = year_volume(item, main)
    elif style == "authordate":
        item, diagnostics = parse_authordate(main)
    else:
        item, diagnostics = parse_fallback(main)

    item, repairs = normalize_item(  # the identifiers go in with the repairs: one copy
        item,
        DOI=doi_input.strip().rstrip(".") if doi_input else None,
        URL=url.rstrip(".,;") if url else None,
        PMID=(pmid.group(1) if pmid else tagged.get("PMID")) or None,
        PMCID=(pmcid.group(1) if pmcid else tagged.get("PMCID")) or None,
    )
    alt = [
        d
        for d in ids.find_dois(url or "")
        if not item.DOI or ids.doi_key(d) != ids.doi_key(item.DOI)
    ]
    return Reference(
        index=index,
        text=text,
        span=span,
        item=item,
        style=style,
        doi_input=doi_input.strip() if doi_input else None,
        alt_dois=tuple(alt),
        repairs=repairs,
        diagnostics=tuple(diagnostics),
    )
