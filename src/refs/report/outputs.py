"""Every output of a reviewed list, chosen in one place: `render(reviews, to)`.

BibTeX, CSL-JSON and RIS of the corrected entries (BibTeX with comments saying what
changed and why), the JSON records, the bibliography in a CSL style, and the review
page and Markdown summary. A list that was not verified renders its parsed entries.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from refs.export.bibtex import to_bibtex
from refs.export.csljson import to_csl_json
from refs.export.ris import to_ris
from refs.formats import OutputFormat
from refs.report.records import Reviewed

__all__ = ["json_lines", "render"]


def json_lines(records: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def render(
    reviews: Sequence[Reviewed],
    to: OutputFormat,
    *,
    title: str = "refs review",
    style: str | None = None,
    parsed_only: bool = False,
) -> str:
    """The text of `reviews` in the format `to`.

    `parsed_only`: `refs parse`'s JSON (the parse, no verdict fields). `style`: the CSL
    style of `text` and of the entries the HTML page shows.
    """
    if to is OutputFormat.json:
        return json_lines([r.reference.to_json() if parsed_only else r.as_dict() for r in reviews])
    fixed = [r.corrected for r in reviews]
    if to is OutputFormat.bibtex:
        return to_bibtex(fixed, [r.notes() for r in reviews])
    if to is OutputFormat.csl_json:
        return to_csl_json(fixed)
    if to is OutputFormat.ris:
        return to_ris(fixed)
    if to is OutputFormat.text:
        from refs.export.csl import DEFAULT_STYLE, format_bibliography, items_of

        return format_bibliography(items_of(fixed), style or DEFAULT_STYLE)
    from refs.report.html import render_html, render_markdown

    records = [r.as_dict() for r in reviews]
    if to is OutputFormat.html:
        return render_html(records, title, style=style)
    return render_markdown(records, title)
