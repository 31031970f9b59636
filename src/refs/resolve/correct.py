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
