"""CSL-JSON items -> formatted entries and bibliographies, through citeproc-py (offline).

No I/O; patches citeproc-py on first use (`patches.install`, from the compile step). The
style and locale files are read by `refs.export.csl.styles` and by citeproc-py.
Here: style compilation, item conversion (field text made typographic and escaped for the
target), the year-suffixes citeproc-py does not work out, and the typographic fixes made
to each rendered entry (label split off, punctuation moved inside quotes, double stops).
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from citeproc import (
    VARIABLES,
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
)
from citeproc import model as _model
from citeproc.source.json import CiteProcJSON

from refs.export.csl import patches
from refs.export.csl.markup import MARKUPS, Entry, Target, render
from refs.export.csl.styles import DEFAULT_STYLE, NS, Style, resolve_locale, resolve_style
from refs.model import Item, Reference

__all__ = ["format_bibliography", "format_entries", "items_of"]


# --- compiled styles ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Compiled:
    style: Any  # citeproc.CitationStylesStyle
    label: re.Pattern[str] | None  # matches the number field that opens an entry
    close_quote: str | None  # set when the locale puts punctuation inside quotes
    quotes: tuple[str, str, str, str]  # open, close, open-inner, close-inner
    year_suffix: bool  # citations disambiguate with a year-suffix (2012a, 2012b)
    add_names: bool  # ... after trying more names,
    add_givenname: bool  # ... and given names or initials
    explicit_suffix: bool  # the style prints year-suffix itself (else after the first year)
    primary_name: bool = False  # givenname-disambiguation-rule looks at the first name only


# A compiled style is mutable (its formatter) and the patches share state: one render at a time.
_LOCK = threading.Lock()


_QUOTE_TERMS = (("open-quote", "“"), ("close-quote", "”"), ("open-inner-quote", "‘"),
                ("close-inner-quote", "’"))  # fmt: skip


def _term(root: Any, name: str, default: str) -> str:
    try:
        term = root.get_term(name)
    except IndexError:
        return default
    return str(term.text) if term is not None and term.text else default


@lru_cache(maxsize=8)
def _compile(xml: bytes, locale: str) -> _Compiled:
    patches.install()  # first use: before citeproc-py reads the style
    style = CitationStylesStyle(io.BytesIO(xml), locale=locale, validate=False)
    root = style.root
    label = None
    layout = root.find("cs:bibliography/cs:layout", NS)
    first = next(iter(layout), None) if layout is not None else None
    if first is not None and first.get("variable") == "citation-number":
        prefix, suffix = first.get("prefix", ""), first.get("suffix", "")
        label = re.compile(rf"{re.escape(prefix)}\d+{re.escape(suffix)}")
    piq = str(root.get_locale_option("punctuation-in-quote") or "false").lower() == "true"
    quotes = tuple(_term(root, name, default) for name, default in _QUOTE_TERMS)
    close = quotes[1] if piq else None
    citation = root.find("cs:citation", NS)

    def option(name: str) -> bool:
        return citation is not None and citation.get(name, "false").lower() == "true"

    return _Compiled(
        style,
        label,
        close or None,
        (quotes[0], quotes[1], quotes[2], quotes[3]),
        year_suffix=option("disambiguate-add-year-suffix"),
        add_names=option("disambiguate-add-names"),
        add_givenname=option("disambiguate-add-givenname"),
        explicit_suffix=bool(root.xpath(".//cs:text[@variable='year-suffix']", namespaces=NS)),
        primary_name=citation is not None
        and citation.get("givenname-disambiguation-rule", "by-cite").startswith("primary-name"),
    )


# --- formatting ----------------------------------------------------------------------------

_CSL_VARIABLES = frozenset(VARIABLES) | {"id", "type"}
_NAME_KEYS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix")
_NAMES = frozenset(_model.NAMES)
_DATES = frozenset(_model.DATES)
_SPACES = re.compile(r"[ \t]{2,}")


def _citeproc_item(
    data: dict[str, Any], item_id: str, escape: Callable[[str], str]
) -> dict[str, Any]:
    """A CSL-JSON item citeproc-py takes without warnings: known variables only.

    Field text is escaped for the target here: citeproc-py's formatters escape the
    style's own text but pass field values through (a title's `<` reached HTML as is).
    """
    out: dict[str, Any] = {"id": item_id, "type": str(data.get("type") or "article-journal")}
    for key, value in data.items():
        attr = key.replace("-", "_")
        if attr not in _CSL_VARIABLES or key in ("id", "type") or value in (None, "", []):
            continue
        if attr in _NAMES:
            people = value if isinstance(value, list) else []
            names = [_name(p, escape) for p in people if isinstance(p, dict)]
            if names := [n for n in names if n]:
                out[key] = names
        elif attr in _DATES:
            if date := _date(value):
                out[key] = date
        elif isinstance(value, (str, int, float)):
            text = str(value) if key in _VERBATIM else _typographic(str(value))
            if key == "page" and (pages := _ONE_PAGE.fullmatch(text)):
                text = pages.group(1)  # "472-472": citeproc-py printed "472–"
            out[key] = escape(text)
    return out


def _typographic(text: str) -> str:
    """What citeproc-js does to field text: ’ for apostrophes, quote markers for "…"."""
    parts = _TAG.split(text)  # markup in registry titles (`<i>`, JATS) is left alone
    for at in range(0, len(parts), 2):
        part = _APOSTROPHE.sub("’", parts[at])
        if part.count('"') % 2 == 0:
            part = _STRAIGHT_QUOTES.sub(f"{_OPEN_MARK}\\1{_CLOSE_MARK}", part)
        parts[at] = part
    return "".join(parts)


def _name(person: dict[str, Any], escape: Callable[[str], str]) -> dict[str, str]:
    if person.get("literal"):
        return {"literal": escape(_APOSTROPHE.sub("’", str(person["literal"])))}
    return {k: escape(_APOSTROPHE.sub("’", str(person[k]))) for k in _NAME_KEYS if person.get(k)}


def _smart_quotes(text: str, quotes: tuple[str, str, str, str]) -> str:
    """Quote markers from field text -> the locale's quotes, inner ones inside quotes."""
    if _OPEN_MARK not in text:
        return text
    open_, close, inner_open, inner_close = quotes
    depth = 0  # how many quotations the next character is inside
    out = []
    for at, char in enumerate(text):
        if char == _OPEN_MARK:
            out.append(inner_open if depth else open_)
            depth += 1
            continue
        if char == _CLOSE_MARK:
            depth = max(0, depth - 1)
            out.append(inner_close if depth else close)
            continue
        if char == open_:
            depth += 1
        elif char == close and depth and not text[at + 1 : at + 2].isalnum():  # not `Users’ `
            depth -= 1
        out.append(char)
    return "".join(out)


def _date(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and all(isinstance(p, list) and p for p in parts):
        try:
            return {"date-parts": [[int(x) for x in p[:3]] for p in parts[:2]]}
        except (TypeError, ValueError):
            pass
    literal = value.get("literal") or value.get("raw")
    return {"literal": str(literal)} if literal else None


def items_of(refs: Sequence[Reference]) -> list[Item]:
    """The items to format: an entry nothing could be read from keeps its printed text."""
    return [r.item if r.parsed else Item(type="article", title=r.text) for r in refs]


def format_entries(
    items: Sequence[Item | dict[str, Any]],
    style: Style | str = DEFAULT_STYLE,
    *,
    locale: str | None = None,
    target: Target = Target.text,
) -> list[Entry]:
    """The entries in the style's order, formatted for `target`."""
    spec = style if isinstance(style, Style) else resolve_style(style)
    compiled = _compile(spec.xml, resolve_locale(locale, spec))
    markup = MARKUPS[target]
    data = [
        _citeproc_item(item.to_csl() if isinstance(item, Item) else item, f"i{n}", markup.preformat)
        for n, item in enumerate(items)
    ]
    if not data:
        return []
    with _LOCK:
        source = CiteProcJSON(data)
        # Sort keys and disambiguating citations are compared as plain text, whatever
        # the target: `<i>A</i>` must not sort after `B`.
        bibliography = CitationStylesBibliography(compiled.style, source, MARKUPS[Target.text])
        citations = {entry["id"]: Citation([CitationItem(entry["id"])]) for entry in data}
        for citation in citations.values():
            bibliography.register(citation)
        bibliography.sort()
        keys = list(bibliography.keys)
        if compiled.year_suffix:
            by_id = {entry["id"]: entry for entry in data}
            for key, suffix in _year_suffixes(keys, bibliography, citations, by_id, compiled):
                source[key]["year_suffix"] = suffix
        bibliography.formatter = compiled.style.root.formatter = markup
        patches.start(implicit_suffix=not compiled.explicit_suffix)
        rendered = [str(text) for text in bibliography.bibliography()]
    return [_entry(int(key[1:]), text, compiled) for key, text in zip(keys, rendered, strict=True)]


def _year_suffixes(
    keys: Sequence[str],
    bibliography: Any,
    citations: dict[str, Any],
    data: dict[str, dict[str, Any]],
    compiled: _Compiled,
) -> Iterator[tuple[str, str]]:
    """(key, "a"/"b"…) for entries whose citations would read the same (CSL disambiguation).

    citeproc-py does not disambiguate. This follows CSL's order of methods approximately:
    citations that differ once every name (add-names) or the initials (add-givenname) are
    shown are not ambiguous; the rest get year-suffixes in bibliography order.
    """
    groups: dict[tuple[Any, ...], list[str]] = {}
    for key in keys:
        try:
            cite = str(bibliography.cite(citations[key], lambda _item: None))
        except Exception:  # one odd item must not stop the bibliography: no suffix for it
            continue
        people = data[key].get("author") or data[key].get("editor") or []
        family = tuple(p.get("family") or p.get("literal") or "" for p in people)
        initials = tuple(
            "".join(w[0] for w in (p.get("given") or "").replace(".", " ").split()) for p in people
        )
        signature: tuple[Any, ...] = (cite,)
        if compiled.add_names:
            signature += (family,)
        if compiled.add_givenname:
            primary_only = compiled.primary_name or not compiled.add_names
            signature += (initials[:1] if primary_only else initials,)
        groups.setdefault(signature, []).append(key)
    for members in groups.values():
        if len(members) > 1:
            yield from zip(members, _letters(), strict=False)


def _letters() -> Iterator[str]:
    """a … z, aa, ab … (CSL year-suffixes)."""
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    yield from alphabet
    for first in alphabet:
        for second in alphabet:
            yield first + second


def _entry(position: int, text: str, compiled: _Compiled) -> Entry:
    label = None
    if compiled.label is not None and (match := compiled.label.match(text)):
        label, text = match.group(0).strip(), text[match.end() :]
    body = _DOUBLE_STOP.sub(r"\1\2", _SPACES.sub(" ", text.strip()))
    body = _smart_quotes(body, compiled.quotes)
    if compiled.close_quote:
        body = _punctuation_in_quote(body, compiled.close_quote)
    return Entry(position, label, body)


def _punctuation_in_quote(text: str, close: str) -> str:
    """`“Title”,` -> `“Title,”`; `“Why?”.` -> `“Why?”`; `“Why?”,` -> `“Why?,”` (as citeproc-js)."""
    pattern = re.compile(rf"([.,?!]?){re.escape(close)}([.,])")

    def move(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        if not before:
            return f"{after}{close}"
        if after == "," and before in "?!":
            return f"{before},{close}"
        return f"{before}{close}"

    return pattern.sub(move, text)


# A period right after ? ! : or another period (across closing markup): `Know?.`, `Erratum:.`
_DOUBLE_STOP = re.compile(r"([?!:]|(?<!\.)\.)((?:</[a-z]+>|\*+|\})*)\.(?=\s|$|<|\*|\})")
# A straight apostrophe inside a word: citeproc-js prints the typographic one.
_APOSTROPHE = re.compile(r"(?<=\w)'")
_STRAIGHT_QUOTES = re.compile(r'"([^"]*)"')
_TAG = re.compile(r"(<[^<>]*>)")
_OPEN_MARK, _CLOSE_MARK = "\ue000", "\ue001"  # private-use: "…" in field text, until rendered
_ONE_PAGE = re.compile(r"\s*(\w+)\s*[-–]\s*\1\s*")
_VERBATIM = frozenset({"DOI", "URL", "ISBN", "ISSN", "PMID", "PMCID"})


def format_bibliography(
    items: Sequence[Item | dict[str, Any]],
    style: Style | str = DEFAULT_STYLE,
    *,
    locale: str | None = None,
    target: Target = Target.text,
    title: str = "Bibliography",
) -> str:
    """A whole document: the formatted entries in the target's format."""
    spec = style if isinstance(style, Style) else resolve_style(style)
    entries = format_entries(items, spec, locale=locale, target=target)
    return render(entries, target, title=title, lang=resolve_locale(locale, spec))
