"""The corrected item: the reference with the registry's values where a rule found them wrong."""

from __future__ import annotations

from dataclasses import replace

from refs.compare.fields import COSMETIC
from refs.model import Date, FieldDiff, Item
from refs.work import Work


def corrected_item(item: Item, work: Work, flags: tuple[FieldDiff, ...]) -> Item:
    """Apply the registry's value for every flagged field (not cosmetic ones); set the DOI."""
    fixed = replace(item, DOI=work.DOI)
    for flag in flags:
        if flag.kind == COSMETIC or flag.field == "DOI":
            continue
        if flag.field == "author" and work.author:
            fixed = replace(fixed, author=work.author, et_al=False)
        elif flag.field == "issued" and work.issued:
            fixed = replace(
                fixed, issued=Date(work.issued.year, work.issued.month, work.issued.day)
            )
        elif flag.field == "title" and work.title:
            fixed = replace(
                fixed,
                title=" ".join(p for p in (work.title, work.subtitle) if p)
                if flag.kind == "missing"
                else work.title,
            )
        elif flag.field in ("container-title", "volume", "issue", "page") and flag.registry:
            fixed = fixed.with_field(flag.field, flag.registry)
    return fixed


def without_wrong_doi(item: Item, printed: str, wrong: Work) -> Item:
    """The reference without a printed DOI that is another work's, the DOI kept in the note.

    For a DOI known to be wrong when the cited work's own was not found: the corrected
    entry must not carry it, and the note says what it was and why it is gone.
    """
    why = (
        f"refs: the printed DOI {printed} is that of another work, {work_label(wrong)}; "
        "no DOI found for this one"
    )
    note = f"{item.note}; {why}" if item.note else why
    return replace(item, DOI=None, note=note)


def work_label(work: Work) -> str:
    """A work as a message names it: `“Title” (Journal, 2002)`, with what the record has."""
    title = f"“{work.title}”" if work.title else "a record without a title"
    where = ", ".join(
        p for p in (work.container_title, str(work.issued.year) if work.issued else None) if p
    )
    return f"{title} ({where})" if where else title
