"""Bibliographies in any CSL style and locale, through citeproc-py (offline). Pure.

`format_entries(items, style)` gives the entries in the style's order (cited order for a
numbered style, sorted for author-date), each with its label (`1.`, `[1]`) apart from
its body; `render(...)` writes a whole document as text, HTML, Markdown or RTF.

citeproc-py defects fixed or worked around here, each pinned by a test in
tests/format/test_citeproc_defects.py:

- the plain formatter glues the number to the entry (`1.Mirza MR…`): citeproc-py ignores
  `second-field-align`, so the label is split off and joined with a space (what
  citeproc-js prints);
- localized dates print as `2016Dec1`: a locale date's parts were joined with the
  calling `<date>`'s delimiter (none) instead of the locale date's own (patched);
- resolving a dependent style leaks a file handle: styles are read by `refs.export.styles`;
- `punctuation-in-quote` (en-US) is ignored: `“Title”,` becomes `“Title,”` here;
- every macro call re-runs an XPath query over the whole style (chicago-author-date took
  9 s for 50 entries): macro look-ups are cached per style (patched).
"""

from __future__ import annotations

import html
import io
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
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
from citeproc.source import VariableError as _VariableError
from citeproc.source.json import CiteProcJSON

from refs.errors import InputError
from refs.export.styles import (
    _NS,
    CSL_NS,
    DEFAULT_STYLE,
    Style,
    resolve_locale,
    resolve_style,
)
from refs.model import Item, Reference

__all__ = [
    "DEFAULT_STYLE",
    "Entry",
    "Target",
    "format_bibliography",
    "format_entries",
    "items_of",
    "render",
]


class Target(StrEnum):
    text = "text"
    html = "html"
    markdown = "markdown"
    rtf = "rtf"


@dataclass(frozen=True, slots=True)
class Entry:
    """One formatted entry, in the target's markup."""

    position: int  # 0-based index of the item in the input
    label: str | None  # the number as the style prints it ("1.", "[1]"); None for author-date
    body: str

    @property
    def text(self) -> str:
        return f"{self.label} {self.body}" if self.label else self.body


# --- citeproc-py patches ---------------------------------------------------------------
# Each patch replaces one citeproc-py method; `_patch_citeproc` applies them once. They
# run under `_LOCK`, so the little state they share (`_RENDERING`) is never contended.


@dataclass(slots=True)
class _Rendering:
    """What the patched methods need to know about the entry being rendered."""

    substituted: list[list[str]] = field(default_factory=list)  # one list per <substitute>
    dates: list[Any] = field(default_factory=list)  # the items whose <date> is rendering
    suffixed: set[str] = field(default_factory=set)  # items whose year-suffix is printed
    implicit_suffix: bool = True  # the style leaves printing the year-suffix to the engine


_RENDERING = _Rendering()
_TEXT_TAG = f"{{{CSL_NS}}}text"


def _get_macro(self: Any, name: str) -> Any:
    """Macro look-up from a dict instead of an XPath query per call (chicago: 9 s -> 1.4 s).

    The cache lives on the root element's Python proxy, which the compiled style keeps
    alive; were the proxy ever rebuilt, the cache would just be rebuilt with it.
    """
    root = self.get_root()
    macros = vars(root).get("_refs_macros")
    if macros is None:
        macros = {m.get("name"): m for m in root.xpath_search("cs:macro")}
        vars(root)["_refs_macros"] = macros
    return macros[name]


def _make_calls_variable(original: Callable[[Any], Any]) -> Callable[[Any], bool]:
    def calls_variable(self: Any) -> bool:
        if "macro" not in self.attrib:
            return bool(original(self))
        known = vars(self.get_root()).setdefault("_refs_calls", {})
        name = self.get("macro")
        if name not in known:
            known[name] = bool(self.get_macro(name).calls_variable())
        return bool(known[name])

    return calls_variable


def _make_get_term(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_term(self: Any, name: str, form: Any = None, zero_padded: bool = False) -> Any:
        # Terms are static: cache each answer (and each miss) on the locale element.
        known = vars(self).setdefault("_refs_terms", {})
        key = (name, form, zero_padded)
        if key not in known:
            try:
                known[key] = original(self, name, form, zero_padded)
            except IndexError:
                known[key] = None
        if known[key] is None:
            raise IndexError(name)
        return known[key]

    return get_term


def _render_single_date(self: Any, date: Any, show_parts: Any = None, context: Any = None) -> Any:
    """A localized date's parts joined with its own delimiter (CSL 1.0.2, Dates).

    citeproc-py joined them with the calling <date>'s delimiter, which has none: `2016Dec1`.
    """
    if context != self:
        parts = self.parts(date, show_parts, context)
    else:
        parts = self.parts(date, show_parts)
    if not parts:
        return None
    if self.is_locale_date() and self.get("delimiter") is None:
        return context.join(parts)
    return self.join(parts)


def _make_text_variable(original: Callable[..., Any]) -> Callable[..., Any]:
    def _variable(self: Any, item: Any, context: Any) -> Any:
        text = original(self, item, context)
        if text and _RENDERING.substituted:
            _RENDERING.substituted[-1].append(self.get("variable"))
        return text

    return _variable


def _substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """The first child of <substitute> that renders, and its variables suppressed after.

    CSL: "Substituted variables are suppressed in the rest of the output". citeproc-py
    suppressed only a substituted <names>, so a title standing in for a missing author
    was printed twice (`Costs. Costs. JAMA.`).
    """
    for child in self.getchildren():
        _RENDERING.substituted.append([])
        try:
            if isinstance(child, _model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except _VariableError:
            continue
        finally:
            rendered = _RENDERING.substituted.pop()
        if text:
            self.add_to_repressed_list(child, context)
            repressed = context.get_layout().repressed
            repressed.setdefault(_TEXT_TAG, []).extend(rendered)
            return text
    return None


def _initialize(self: Any, given: str, mark: str, context: Any) -> str:
    """Initials as CSL says: honour `initialize="false"`, never invent a mark for a particle.

    citeproc-py initialized every given name even where the style says not to
    (chicago: `Bhatt, D. L.` for `Bhatt, Deepak L.`), and turned lower-case words into
    `. for . the` (from the given name `for the`).
    """
    value = self.get("initialize")
    if value is None:
        scope = (context if context is not None else self).xpath_search(
            "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"
        )
        value = (scope[0].get("initialize") if scope else None) or self.get_root().get("initialize")
    keep_full = str(value).lower() == "false"
    by_hyphen = self.get_option("initialize-with-hyphen", context)
    chunks = given.split("-") if by_hyphen else [given.replace("-", " ")]
    return "-".join(_initials(chunk, mark, keep_full) for chunk in chunks)


def _initials(chunk: str, mark: str, keep_full: bool) -> str:
    words: list[str] = []
    group: list[str] = []
    for part in [*chunk.replace(".", ". ").split(), ""]:  # "" flushes the last group
        bare = part.rstrip(".")
        if bare and bare[0].isupper() and ((len(bare) == 1) or not keep_full):
            group.append(bare[0])
            continue
        if group:
            words.append(mark.join(group) + mark)
            group = []
        if bare:
            words.append(part)
    return " ".join(" ".join(words).split())


def _make_date_process(original: Callable[..., Any]) -> Callable[..., Any]:
    def process(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        _RENDERING.dates.append(item)
        try:
            return original(self, item, *args, **kwargs)
        finally:
            _RENDERING.dates.pop()

    return process


def _make_date_part_process(original: Callable[..., Any]) -> Callable[..., Any]:
    def process(self: Any, date: Any, context: Any = None) -> Any:
        """The year-suffix after an entry's first rendered year (CSL: implicit year-suffix)."""
        text = original(self, date, context)
        if self.get("name") != "year" or not text or not _RENDERING.dates:
            return text
        if not _RENDERING.implicit_suffix:
            return text
        reference = _RENDERING.dates[-1].reference
        suffix = dict.get(reference, "year_suffix")
        if not suffix or reference.key in _RENDERING.suffixed:
            return text
        _RENDERING.suffixed.add(reference.key)
        return f"{text}{suffix}"

    return process


_SORT_LEAD = re.compile(r"^[\W_]+")


def _make_sort_keys(original: Callable[..., Any]) -> Callable[..., Any]:
    def sort_keys(self: Any, items: Any, context: Any) -> Any:
        """Text keys sort without leading quotes or brackets (`“Browning”…` under B)."""
        keys = original(self, items, context)
        return [
            k if k is None or isinstance(k, (int, float)) else _SORT_LEAD.sub("", str(k))
            for k in keys
        ]

    return sort_keys


def _make_last_page(original: Callable[..., Any]) -> Callable[..., Any]:
    def _format_last_page(self: Any, first: str, last: str) -> Any:
        """Shorten a range's last page only when it has as many digits as the first.

        citeproc-py dropped every shared leading digit: `1-13` printed `1–3`, `7-7` `7–`.
        """
        if len(first) != len(last) or first == last:
            return last
        return original(self, first, last)

    return _format_last_page


def _patch_citeproc() -> None:
    """Apply the patches above to citeproc-py's classes; idempotent."""
    if getattr(_model, "_refs_patched", False):
        return
    _model.CitationStylesElement.get_macro = _get_macro
    _model.Text.calls_variable = _make_calls_variable(_model.Text.calls_variable)
    _model.Locale.get_term = _make_get_term(_model.Locale.get_term)
    _model.Date.render_single_date = _render_single_date
    _model.Text._variable = _make_text_variable(_model.Text._variable)
    _model.Substitute.render = _substitute_render
    _model.Name.initialize = _initialize
    _model.Date.process = _make_date_process(_model.Date.process)
    _model.Date_Part.process = _make_date_part_process(_model.Date_Part.process)
    _model.Key.sort_keys = _make_sort_keys(_model.Key.sort_keys)
    _model.FormatNumber._format_last_page = _make_last_page(_model.FormatNumber._format_last_page)
    _model._refs_patched = True


_patch_citeproc()


# --- markup per target -----------------------------------------------------------------


def _same(text: str) -> str:
    return text


def _tag(name: str, attrs: str = "") -> Callable[[str], str]:
    return lambda text: f"<{name}{attrs}>{text}</{name}>" if text else text


def _around(mark: str) -> Callable[[str], str]:
    """Markdown emphasis: the marks hug the text, spaces stay outside."""

    def wrap(text: str) -> str:
        core = text.strip()
        if not core:
            return text
        start = text[: len(text) - len(text.lstrip())]
        end = text[len(text.rstrip()) :]
        return f"{start}{mark}{core}{mark}{end}"

    return wrap


def _rtf_group(control: str) -> Callable[[str], str]:
    return lambda text: f"{{\\{control} {text}}}" if text else text


_MD_SPECIAL = re.compile(r"[\\`*<>\[\]]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


class Markup:
    """A citeproc-py formatter: how text is escaped and how each font change is written."""

    def __init__(
        self,
        preformat: Callable[[str], str],
        italic: Callable[[str], str] = _same,
        bold: Callable[[str], str] = _same,
        light: Callable[[str], str] = _same,
        underline: Callable[[str], str] = _same,
        sup: Callable[[str], str] = _same,
        sub: Callable[[str], str] = _same,
        small_caps: Callable[[str], str] = _same,
    ) -> None:
        def typed(wrap: Callable[[str], str]) -> Callable[[Any], str]:
            return lambda text: wrap(str(text))

        self.preformat = typed(preformat)
        self.Italic = self.Oblique = typed(italic)
        self.Bold = typed(bold)
        self.Light = typed(light)
        self.Underline = typed(underline)
        self.Superscript = typed(sup)
        self.Subscript = typed(sub)
        self.SmallCaps = typed(small_caps)


MARKUPS: dict[Target, Markup] = {
    Target.text: Markup(_same),
    Target.html: Markup(
        lambda t: html.escape(t, quote=False),
        italic=_tag("i"),
        bold=_tag("b"),
        light=_tag("span", ' style="font-weight:lighter"'),
        underline=_tag("u"),
        sup=_tag("sup"),
        sub=_tag("sub"),
        small_caps=_tag("span", ' style="font-variant:small-caps"'),
    ),
    Target.markdown: Markup(
        lambda t: _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), t),
        italic=_around("*"),
        bold=_around("**"),
        sup=_tag("sup"),
        sub=_tag("sub"),
    ),
    Target.rtf: Markup(
        lambda t: t.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}"),
        italic=_rtf_group("i"),
        bold=_rtf_group("b"),
        underline=_rtf_group("ul"),
        sup=_rtf_group("super"),
        sub=_rtf_group("sub"),
        small_caps=_rtf_group("scaps"),
    ),
}


# --- compiled styles ---------------------------------------------------------------------


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


_LOCK = threading.Lock()  # a compiled style is mutable (its formatter): one render at a time


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
    style = CitationStylesStyle(io.BytesIO(xml), locale=locale, validate=False)
    root = style.root
    label = None
    layout = root.find("cs:bibliography/cs:layout", _NS)
    first = next(iter(layout), None) if layout is not None else None
    if first is not None and first.get("variable") == "citation-number":
        prefix, suffix = first.get("prefix", ""), first.get("suffix", "")
        label = re.compile(rf"{re.escape(prefix)}\d+{re.escape(suffix)}")
    piq = str(root.get_locale_option("punctuation-in-quote") or "false").lower() == "true"
    quotes = tuple(_term(root, name, default) for name, default in _QUOTE_TERMS)
    close = quotes[1] if piq else None
    citation = root.find("cs:citation", _NS)

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
        explicit_suffix=bool(root.xpath(".//cs:text[@variable='year-suffix']", namespaces=_NS)),
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
    data: dict[str, Any], item_id: str, escape: Callable[[str], str] = _same
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


def _name(person: dict[str, Any], escape: Callable[[str], str] = _same) -> dict[str, str]:
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
        _RENDERING.suffixed.clear()
        _RENDERING.implicit_suffix = not compiled.explicit_suffix
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


def render(
    entries: Sequence[Entry], target: Target, *, title: str = "Bibliography", lang: str = "en-US"
) -> str:
    if target is Target.text:
        return "".join(f"{e.text}\n" for e in entries)
    if target is Target.markdown:
        return "\n".join(f"{e.text}\n" for e in entries)
    if target is Target.html:
        return _html_document(entries, title, lang)
    if target is Target.rtf:
        return _rtf_document(entries)
    raise InputError(f"unknown output {target!r}")  # pragma: no cover - StrEnum is closed


def _html_document(entries: Sequence[Entry], title: str, lang: str) -> str:
    numbered = any(e.label for e in entries)
    rows = []
    for e in entries:
        if numbered:
            inner = (
                f'<div class="csl-left-margin">{html.escape(e.label or "")}</div>'
                f'<div class="csl-right-inline">{e.body}</div>'
            )
        else:
            inner = e.body
        rows.append(f'  <div class="csl-entry">{inner}</div>\n')
    layout = (
        ".csl-entry{display:flex;gap:.5em}.csl-left-margin{min-width:2.5em;text-align:right}"
        if numbered
        else ".csl-entry{padding-left:2em;text-indent:-2em}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:Georgia,serif;line-height:1.5;max-width:48em;margin:2em auto;"
        f"padding:0 1em}}.csl-entry{{margin:0 0 .6em}}{layout}</style>\n</head>\n<body>\n"
        f'<div class="csl-bib-body">\n{"".join(rows)}</div>\n</body>\n</html>\n'
    )


def _rtf_document(entries: Sequence[Entry]) -> str:
    lines = [
        "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1{\\fonttbl{\\f0\\froman Times New Roman;}}\\f0\\fs24"
    ]
    for e in entries:
        text = f"{e.label}\\tab {e.body}" if e.label else e.body
        lines.append(f"{{\\pard\\fi-567\\li567\\sa120 {_rtf_unicode(text)}\\par}}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _rtf_unicode(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if code < 128:
            out.append(char)
            continue
        units = char.encode("utf-16-be")
        for i in range(0, len(units), 2):
            unit = int.from_bytes(units[i : i + 2], "big")
            out.append(f"\\u{unit - 65536 if unit > 32767 else unit}?")
    return "".join(out)
