"""The review report of a verified list, for `refs clean` and `refs check` alike.

Two renderings of one view: a self-contained HTML page (`render_html`: no network, no
external assets; rows rendered by inline script a page at a time, so 10,000 references
stay fast) and a Markdown summary for CI logs and pull requests (`render_markdown`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from refs.export.bibtex import to_bibtex
from refs.model import STATUSES, Item, Reference, Span
from refs.report.notices import STATUS_INFO, StatusInfo, is_severe, notice_label


def _flagged(record: Mapping[str, Any]) -> bool:
    return any(f.get("kind") != "cosmetic" for f in record.get("flags") or [])


def _severe(record: Mapping[str, Any]) -> bool:
    return any(is_severe(str(u.get("kind", ""))) for u in record.get("updates") or [])


@dataclass(frozen=True, slots=True)
class Count:
    status: str
    info: StatusInfo
    n: int
    percent: float


@dataclass(frozen=True, slots=True)
class View:
    """What both renderings show: counts, the retracted, and one row per reference."""

    title: str
    source: str | None
    total: int
    counts: list[Count]
    flagged: int
    retracted: list[Mapping[str, Any]]
    records: Sequence[Mapping[str, Any]]
    located: bool  # the records say where they are (`where`: a `refs check` report)


_INFO: dict[str, StatusInfo] = {str(s): i for s, i in STATUS_INFO.items()}  # as records spell them


def view(records: Sequence[Mapping[str, Any]], title: str) -> View:
    counts = Counter(str(r.get("doi_status", "unverified")) for r in records)
    total = len(records)
    ordered = [s for s in STATUSES if counts[s]] + sorted(s for s in counts if s not in STATUSES)
    return View(
        title=title,
        source=next((str(r["source"]) for r in records if r.get("source")), None),
        total=total,
        counts=[
            Count(s, _INFO.get(s, StatusInfo(s, "•", s, "")), counts[s], 100 * counts[s] / total)
            for s in ordered
        ],
        flagged=sum(1 for r in records if _flagged(r)),
        retracted=[r for r in records if _severe(r)],
        records=records,
        located=any(r.get("where") for r in records),
    )


# --- the corrected entry each row can copy -------------------------------------------


def _reference(record: Mapping[str, Any]) -> Reference:
    csl = record.get("corrected") or record.get("parsed") or {}
    lines = record.get("lines") or [0, 0]
    return Reference(
        index=int(record.get("index", 0)),
        text=str(record.get("text", "")),
        span=Span(int(lines[0]), int(lines[-1])),
        item=Item.from_csl(csl),
        style=str(record.get("style", "")),
        key=record.get("key"),
    )


def entries_to_copy(
    records: Sequence[Mapping[str, Any]], style: str | None = None, locale: str | None = None
) -> list[str]:
    """Per record, the corrected entry as BibTeX, or formatted in a CSL style when given."""
    if not records:
        return []
    refs = [_reference(r) for r in records]
    if style is None:
        return [to_bibtex([ref]).strip() for ref in refs]
    from refs.export.csl import format_entries, items_of

    texts = [""] * len(refs)
    for entry in format_entries(items_of(refs), style, locale=locale):
        texts[entry.position] = entry.text
    return texts


# --- HTML ---------------------------------------------------------------------------


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("refs.report", "templates"),
        autoescape=jinja2.select_autoescape(["html.j2"], default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _row(record: Mapping[str, Any], copy: str) -> dict[str, Any]:
    lines = record.get("lines") or [None, None]
    printed = record.get("doi_input")
    proposed = record.get("doi")
    return {
        "i": record.get("index"),
        "t": record.get("text", ""),
        "l": [lines[0], lines[-1]],
        "s": record.get("doi_status", "unverified"),
        "d": printed,
        "p": proposed,
        "c": record.get("confidence"),
        "w": record.get("why") or "",
        "f": [
            [f.get("field"), f.get("printed"), f.get("registry"), f.get("kind"), f.get("why")]
            for f in record.get("flags") or []
        ],
        "u": [
            [
                notice_label(str(u.get("kind", ""))),
                u.get("doi"),
                u.get("source"),
                u.get("date"),
                is_severe(str(u.get("kind", ""))),
            ]
            for u in record.get("updates") or []
        ],
        "g": list(record.get("diagnostics") or []),
        "e": copy,
        "x": record.get("corrected") is not None,
        "o": record.get("where"),
    }


def _script_json(data: Any) -> str:
    """JSON safe inside <script>: no `</script>`, no `<!--`, no HTML entity surprises."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(
    records: list[dict[str, Any]],
    title: str,
    *,
    style: str | None = None,
    locale: str | None = None,
    copy: bool = True,
) -> str:
    """One self-contained HTML page reviewing `records` (from `refs.report.record`, or the
    rows of a `refs check` report as `refs.report.records.check_record` makes them).

    `style` writes each row's copyable corrected entry in that CSL style instead of BibTeX;
    `copy=False` leaves the entries out (a DOI-list report has none to copy).
    """
    shown = view(records, title)
    copies = entries_to_copy(records, style, locale) if copy else [""] * len(records)
    data = {
        "statuses": {
            s: {"label": i.label, "icon": i.icon, "meaning": i.meaning}
            for s, i in STATUS_INFO.items()
        },
        "copyFormat": f"{style} style" if style else "BibTeX",
        "rows": [_row(r, c) for r, c in zip(records, copies, strict=True)],
    }
    template = _environment().get_template("report.html.j2")
    return template.render(
        view=shown,
        data_json=_script_json(data),
        notice_label=notice_label,
        is_severe=is_severe,
    )


# --- Markdown -------------------------------------------------------------------------

_CELL = re.compile(r"[\\|`*_<>\[\]]")


def md_cell(value: object, limit: int = 120) -> str:
    """Text safe inside a Markdown table cell: one line, escaped, shortened."""
    text = " ".join(str(value if value is not None else "").split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return _CELL.sub(lambda m: "\\" + m.group(0), text) if text else "—"


def _fields(record: Mapping[str, Any]) -> str:
    parts = []
    for f in record.get("flags") or []:
        if f.get("kind") == "cosmetic" or f.get("field") == "DOI":
            continue
        parts.append(f"{f.get('field')}: {f.get('printed') or '∅'} → {f.get('registry') or '∅'}")
    return "; ".join(parts) or str(record.get("why") or "")


ATTENTION = ("wrong", "unknown", "invalid", "supplement", "ambiguous", "unavailable", "none")


def render_markdown(records: Sequence[Mapping[str, Any]], title: str, *, limit: int = 50) -> str:
    """A Markdown summary for CI logs and pull requests: counts, retractions, what to fix."""
    shown = view(records, title)
    order: dict[str, int] = {s: i for i, s in enumerate(STATUSES)}
    attention = sorted(
        (r for r in records if r.get("doi_status") in ATTENTION or _flagged(r) or _severe(r)),
        key=lambda r: (not _severe(r), order.get(str(r.get("doi_status")), 99), r.get("index", 0)),
    )
    template = _environment().get_template("report.md.j2")
    return template.render(
        view=shown,
        attention=attention[:limit],
        more=max(0, len(attention) - limit),
        fields=_fields,
        cell=md_cell,
        info=STATUS_INFO,
        notice_label=notice_label,
        is_severe=is_severe,
    )
