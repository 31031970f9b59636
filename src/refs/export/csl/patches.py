"""citeproc-py patches, each next to the defect it fixes. No I/O; nothing is patched at import.

`install()` applies them to citeproc-py's classes, once per process; the compile step in
`refs.export.csl.format` calls it on first use. They change citeproc-py for the whole
process from then on: any other citeproc-py user in it gets refs' behaviour.

The little state the patches share (`_RENDERING`) is reset per bibliography by `start()`;
`format_entries` renders under one lock, so it is never contended.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from citeproc import model as _model
from citeproc.source import VariableError as _VariableError

from refs.export.csl.styles import CSL_NS

__all__ = ["PATCHES", "install", "installed", "start"]


# --- shared state -------------------------------------------------------------------------


@dataclass(slots=True)
class _Rendering:
    """What the patched methods need to know about the entry being rendered."""

    substituted: list[list[str]] = field(default_factory=list)  # one list per <substitute>
    dates: list[Any] = field(default_factory=list)  # the items whose <date> is rendering
    suffixed: set[str] = field(default_factory=set)  # items whose year-suffix is printed
    implicit_suffix: bool = True  # the style leaves printing the year-suffix to the engine


_RENDERING = _Rendering()
_TEXT_TAG = f"{{{CSL_NS}}}text"


# --- speed: every macro call re-ran an XPath query over the whole style -------------------
# (chicago-author-date took 9 s for 50 entries); macro look-ups, the answer to "does this
# macro call a variable" and locale terms are cached per style.


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
        # Whether a macro calls a variable, asked once per macro name and style.
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


# --- localized dates printed as `2016Dec1` ------------------------------------------------


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


# --- a substituted title printed twice (`Costs. Costs. JAMA.`) ----------------------------


def _make_text_variable(original: Callable[..., Any]) -> Callable[..., Any]:
    def _variable(self: Any, item: Any, context: Any) -> Any:
        # Records the variables each open <substitute> renders, for `_substitute_render`.
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


# --- `initialize="false"` ignored; particles turned into initials -------------------------


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


# --- no year-suffix (2016a, 2016b): citeproc-py does not disambiguate ---------------------
# refs.export.csl.format works out the suffixes; these print them after the first year.


def _make_date_process(original: Callable[..., Any]) -> Callable[..., Any]:
    def process(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        # Which item the <date> being rendered belongs to, for its date parts.
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


# --- author-date entries sorted by a leading quote or bracket -----------------------------

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


# --- page ranges over-shortened (`1-13` -> `1–3`) -----------------------------------------


def _make_last_page(original: Callable[..., Any]) -> Callable[..., Any]:
    def _format_last_page(self: Any, first: str, last: str) -> Any:
        """Shorten a range's last page only when it has as many digits as the first.

        citeproc-py dropped every shared leading digit: `1-13` printed `1–3`, `7-7` `7–`.
        """
        if len(first) != len(last) or first == last:
            return last
        return original(self, first, last)

    return _format_last_page


# --- installing ---------------------------------------------------------------------------


def start(*, implicit_suffix: bool) -> None:
    """Before rendering a bibliography: no year-suffix printed yet, and who prints them."""
    _RENDERING.suffixed.clear()
    _RENDERING.implicit_suffix = implicit_suffix


# (class, method, patch): the patch takes the original method and returns its replacement.
PATCHES: tuple[tuple[Any, str, Callable[[Any], Any]], ...] = (
    (_model.CitationStylesElement, "get_macro", lambda _original: _get_macro),
    (_model.Text, "calls_variable", _make_calls_variable),
    (_model.Locale, "get_term", _make_get_term),
    (_model.Date, "render_single_date", lambda _original: _render_single_date),
    (_model.Text, "_variable", _make_text_variable),
    (_model.Substitute, "render", lambda _original: _substitute_render),
    (_model.Name, "initialize", lambda _original: _initialize),
    (_model.Date, "process", _make_date_process),
    (_model.Date_Part, "process", _make_date_part_process),
    (_model.Key, "sort_keys", _make_sort_keys),
    (_model.FormatNumber, "_format_last_page", _make_last_page),
)

_INSTALL_LOCK = threading.Lock()


def installed() -> bool:
    """Whether citeproc-py's classes carry the patches."""
    return bool(getattr(_model, "_refs_patched", False))


def install() -> None:
    """Apply `PATCHES` to citeproc-py's classes; idempotent and thread-safe.

    The mark is set on citeproc's own module, so the methods are never wrapped twice.
    """
    with _INSTALL_LOCK:
        if installed():
            return
        for cls, name, patch in PATCHES:
            setattr(cls, name, patch(getattr(cls, name)))
        _model._refs_patched = True
