"""Bibliographies in any CSL style and locale, through citeproc-py (offline).

No I/O beyond reading the installed style and locale files; patches citeproc-py on first
use (`patches.install`, called when the first style is compiled, never at import).

`format_entries(items, style)` gives the entries in the style's order (cited order for a
numbered style, sorted for author-date), each with its label (`1.`, `[1]`) apart from
its body; `format_bibliography(...)` writes a whole document as text, HTML, Markdown or RTF.

- `styles`: style and locale names (aliases, files, dependent styles, suggestions);
- `patches`: the citeproc-py patches, each next to the defect it fixes;
- `format`: compiling a style, converting items, typographic fixes to each entry;
- `markup`: per-target markup and the HTML/RTF documents.

citeproc-py defects fixed or worked around here, each pinned by a test in
tests/format/test_citeproc_defects.py:

- the plain formatter glues the number to the entry (`1.Mirza MR…`): citeproc-py ignores
  `second-field-align`, so the label is split off and joined with a space (what
  citeproc-js prints) (`format`);
- localized dates print as `2016Dec1`: a locale date's parts were joined with the
  calling `<date>`'s delimiter (none) instead of the locale date's own (`patches`);
- resolving a dependent style leaks a file handle: styles are read by `styles`;
- `punctuation-in-quote` (en-US) is ignored: `“Title”,` becomes `“Title,”` here (`format`);
- every macro call re-runs an XPath query over the whole style (chicago-author-date took
  9 s for 50 entries): macro look-ups are cached per style (`patches`).
"""

from refs.export.csl.format import format_bibliography, format_entries, items_of
from refs.export.csl.markup import Entry, Target
from refs.export.csl.styles import (
    DEFAULT_STYLE,
    Style,
    installed_styles,
    resolve_locale,
    resolve_style,
    search_styles,
)

__all__ = [
    "DEFAULT_STYLE",
    "Entry",
    "Style",
    "Target",
    "format_bibliography",
    "format_entries",
    "installed_styles",
    "items_of",
    "resolve_locale",
    "resolve_style",
    "search_styles",
]
