"""BibTeX → `Reference`s, through bibtexparser v2.

LaTeX is decoded here, on input only, by bibtexparser's own decoding middleware.
Names are split into parts before decoding, so that braces still protect
corporate names (`{World Health Organization}`) and particles (`van der`).
Identifier fields (DOI, URL…) are never LaTeX-decoded: `%` and `_` are literal there.
"""

from __future__ import annotations

import logging
import re

from bibtexparser.entrypoint import parse_string
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware
from bibtexparser.middlewares.names import (
    NameParts,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    Field,
    ParsingFailedBlock,
)

from refs.model import Date, Item, Person, Reference, Span
from refs.normalize import normalize_item

__all__ = ["ENTRY_TYPES", "read_bibtex"]

# bibtexparser logs every broken block as a warning. We report it as a diagnostic
# on the record; without a handler Python would also print it to stderr.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

# BibTeX/BibLaTeX entry type → CSL type; anything else is a "document".
ENTRY_TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "proceedings": "book",
    "collection": "book",
    "manual": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "dataset": "dataset",
    "software": "software",
    "misc": "document",
}

# `and others` is BibTeX's "et al."; some files spell it out.
_ET_AL = frozenset({"others", "et al.", "et al", "et. al."})
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Math to text: `TGF-$\beta$` reads as "TGF-β", which is what a bibliography wants.
_DECODER = LatexDecodingMiddleware(keep_math_mode=False)
# In a field value a bare `%` is a per cent sign, never a LaTeX comment.
_BARE_PERCENT = re.compile(r"(?<!\\)%")
# Markup the decoder acts on. Values without any skip it: decoding costs ~1 ms a value.
_LATEX_MARKUP = re.compile(r"[\\{}$~%]|--|``|''")
_ESCAPED_PUNCT = re.compile(r"\\([_%&#$])")
_URL_MACRO = re.compile(r"^\\(?:url|href)\s*")
_ENTRY_KEY = re.compile(r"^@\s*\w+\s*[{(]\s*([^,\s{}()]+)\s*,")
_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_YEAR = re.compile(r"\b(\d{4})\b")


def read_bibtex(text: str) -> list[Reference]:
    """Every entry of a .bib text, in order; a broken entry becomes a diagnostic record."""
    library = parse_string(text)
    refs: list[Reference] = []
    for block in library.blocks:
        ref = _block_reference(block, len(refs) + 1)
        if ref is not None:
            refs.append(ref)
    return refs


def _block_reference(block: Block, index: int) -> Reference | None:
    if isinstance(block, Entry):
        return _entry_reference(block, index, ())
    if not isinstance(block, ParsingFailedBlock):
        return None  # @string, @preamble, comments
    inner = block.ignore_error_block
    if isinstance(inner, Entry):
        # Duplicate keys or fields: the entry itself was read, keep it and say why.
        return _entry_reference(inner, index, (_failure_note(block),))
    if inner is not None:
        return None  # a duplicate @string: not a reference
    return _broken_reference(block, index)


def _failure_note(block: ParsingFailedBlock) -> str:
    line = _start_line(block)
    if isinstance(block, DuplicateBlockKeyBlock):
        return f"duplicate BibTeX key '{block.key}' at line {line}"
    if isinstance(block, DuplicateFieldKeyBlock):
        keys = ", ".join(sorted(block.duplicate_keys))
        return f"duplicate field ({keys}) in BibTeX entry at line {line}: the first is kept"
    return f"BibTeX entry at line {line} partly read: {_reason(block.error)}"


def _reason(error: Exception) -> str:
    message = error.abort_reason if isinstance(error, BlockAbortedException) else str(error)
    lines = [part.strip() for part in message.splitlines() if part.strip()]
    return lines[0] if lines else type(error).__name__


def _start_line(block: Block) -> int:
    # bibtexparser counts lines from 0.
    return (block.start_line or 0) + 1


def _span(block: Block) -> Span:
    start = _start_line(block)
    return Span(start, start + (block.raw or "").rstrip().count("\n"))


def _broken_reference(block: ParsingFailedBlock, index: int) -> Reference:
    note = f"broken BibTeX entry at line {_start_line(block)}: {_reason(block.error)}"
    key = _ENTRY_KEY.match((block.raw or "").lstrip())
    return Reference(
        index=index,
        text=(block.raw or "").strip(),
        span=_span(block),
        item=Item(),
        style="bibtex",
        key=key.group(1) if key else None,
        diagnostics=(note,),
    )


def _entry_reference(entry: Entry, index: int, diagnostics: tuple[str, ...]) -> Reference:
    fields = _fields(entry)
    item, repairs = normalize_item(_item(entry.entry_type, fields))
    return Reference(
        index=index,
        text=(entry.raw or "").strip(),
        span=_span(entry),
        item=item,
        style="bibtex",
        doi_input=fields.get("doi"),
        key=entry.key or None,
        repairs=repairs,
        diagnostics=diagnostics,
    )


def _fields(entry: Entry) -> dict[str, str]:
    """Lower-cased field names → raw values; the first of duplicated fields wins."""
    out: dict[str, str] = {}
    for field in entry.fields:
        value = str(field.value).strip()
        if value:
            out.setdefault(field.key.lower(), value)
    return out


def _item(entry_type: str, f: dict[str, str]) -> Item:
    authors, et_al = _people(f.get("author"))
    editors, _ = _people(f.get("editor"))
    return Item(
        type=ENTRY_TYPES.get(entry_type.lower(), "document"),
        author=authors,
        editor=editors,
        et_al=et_al,
        issued=_issued(f),
        title=_text(f.get("title")),
        container_title=_text(f.get("journal") or f.get("journaltitle") or f.get("booktitle")),
        container_title_short=_text(f.get("shortjournal") or f.get("journalabbrev")),
        volume=_text(f.get("volume")),
        issue=_text(f.get("number") or f.get("issue")),
        page=_pages(f.get("pages")),
        publisher=_text(
            f.get("publisher") or f.get("institution") or f.get("school") or f.get("organization")
        ),
        publisher_place=_text(f.get("address") or f.get("location")),
        edition=_text(f.get("edition")),
        DOI=_plain(f.get("doi")),
        URL=_plain(f.get("url")),
        PMID=_plain(f.get("pmid") or _pubmed_eprint(f)),
        PMCID=_plain(f.get("pmcid")),
        ISBN=_plain(f.get("isbn")),
        ISSN=_plain(f.get("issn")),
        note=_text(f.get("note")),
        hal_id=_plain(f.get("hal_id")),
    )


def _pubmed_eprint(f: dict[str, str]) -> str | None:
    if f.get("eprinttype", "").lower() in ("pubmed", "pmid"):
        return f.get("eprint")
    return None


def _latex(value: str) -> str:
    """LaTeX → Unicode, through bibtexparser's public decoding middleware.

    The middleware works on entries, so the value travels in a one-field entry.
    If decoding fails the raw value is kept: a LaTeX-ish title beats no title.
    """
    if not _LATEX_MARKUP.search(value):
        return " ".join(value.split())
    entry = Entry("misc", "decode", [Field("value", _BARE_PERCENT.sub(r"\\%", value))])
    block = _DECODER.transform_entry(entry, Library())
    decoded = block.fields_dict["value"].value if isinstance(block, Entry) else value
    # `~` decodes to a no-break space; in a bibliography field it is just a space.
    return " ".join(str(decoded).replace("\u00a0", " ").split())


def _text(value: str | None) -> str | None:
    return (_latex(value) or None) if value else None


def _plain(value: str | None) -> str | None:
    """An identifier as written, minus BibTeX markup: `\\url{…}`, braces, `\\_`."""
    if not value:
        return None
    bare = _URL_MACRO.sub("", value.strip())
    bare = _ESCAPED_PUNCT.sub(r"\1", bare).replace("{", "").replace("}", "")
    return "".join(bare.split()) or None


def _pages(value: str | None) -> str | None:
    plain = _plain(value)
    # `--` is LaTeX for the range dash; the page normaliser reads a hyphen.
    return re.sub(r"-{2,3}", "-", plain) if plain else None


# --- dates -------------------------------------------------------------------


def _issued(f: dict[str, str]) -> Date | None:
    if "date" in f:
        date = _iso_date(_plain(f["date"]) or "")
        if date is not None:
            return date
    year = _YEAR.search(_plain(f.get("year")) or "")
    if year is None:
        return None
    return Date(int(year.group(1)), _month(f.get("month")))


def _iso_date(value: str) -> Date | None:
    """BibLaTeX `date`: 2012, 2012-03, 2012-03-05 (a range reads as its start)."""
    match = _ISO_DATE.match(value)
    if match is None:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is None or not 1 <= month <= 12:
        return Date(year)
    return Date(year, month, day if day is not None and 1 <= day <= 31 else None)


def _month(value: str | None) -> int | None:
    """`3`, `{03}`, `mar`, `March` → 3; anything else → None."""
    plain = (_plain(value) or "").lower()
    if plain.isdigit():
        number = int(plain)
        return number if 1 <= number <= 12 else None
    return _MONTHS.index(plain[:3]) + 1 if plain[:3] in _MONTHS else None


# --- names -------------------------------------------------------------------


def _people(value: str | None) -> tuple[tuple[Person, ...], bool]:
    """An author/editor field → people, and whether it ended in `and others`."""
    if not value:
        return (), False
    people: list[Person] = []
    et_al = False
    for name in split_multiple_persons_names(value):
        if name.strip().lower() in _ET_AL:
            et_al = True
        elif name.strip():
            people.append(_person(parse_single_name_into_parts(name, strict=False)))
    return tuple(people), et_al


def _person(parts: NameParts) -> Person:
    last = parts.last
    if len(last) == 1 and not (parts.first or parts.von or parts.jr) and _braced(last[0]):
        return Person(literal=_text(last[0]))  # `{World Health Organization}`

    def part(words: list[str]) -> str | None:
        return _text(" ".join(words)) if words else None

    return Person(
        family=part(last),
        given=part(parts.first),
        particle=part(parts.von),
        suffix=part(parts.jr),
    )


def _braced(word: str) -> bool:
    """A whole name in one brace group, `{Acme Corp}`, but not an accent group `{\\"U}`."""
    if not (word.startswith("{") and word.endswith("}")) or word.startswith("{\\"):
        return False
    depth = 0
    for position, char in enumerate(word):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return position == len(word) - 1
    return False
