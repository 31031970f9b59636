"""The default normalisation stack: small named steps, each idempotent, each logged.

A step maps one field's value to its normal form. `normalize_item` runs every
step on the fields it owns and records a `Repair` (field, step, before, after)
whenever a value changes, so a user can see what was touched and why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from refs import ids
from refs.model import ATTR, Item, Person, Repair
from refs.normalize.pages import (
    normalize_issue,
    normalize_pages,
    normalize_volume,
    split_volume_issue,
)
from refs.normalize.text import collapse_spaces, fix_mojibake, mark_lost_characters

__all__ = ["DEFAULT_STEPS", "Step", "normalize_item", "normalize_person"]


@dataclass(frozen=True, slots=True)
class Step:
    """One normaliser: a name for the repair log, the fields it owns, the function."""

    name: str
    fields: tuple[str, ...]
    apply: Callable[[str], str | None]


def repair_mojibake(text: str) -> str:
    """ftfy, then spaces collapsed, until nothing changes.

    One pass is not enough: ftfy reads "Â " as a mangled no-break space, so a
    space the collapse step makes can be repaired on the next pass.
    """
    for _ in range(4):
        fixed = collapse_spaces(fix_mojibake(text))
        if fixed == text:
            break
        text = fixed
    return text


def _doi(value: str) -> str | None:
    return ids.clean_doi(value) or value


def _article_doi(value: str) -> str:
    return ids.split_component(value)[0]


def _strip_title_end(value: str) -> str:
    # A title ends where the reference's punctuation starts: drop the separator
    # period, keep a question or exclamation mark that belongs to the title.
    return value.rstrip(" .,;:") if not value.endswith("...") else value


_TEXT = ("title", "container-title", "container-title-short", "publisher", "publisher-place",
         "note")  # fmt: skip

DEFAULT_STEPS: tuple[Step, ...] = (
    Step("mojibake", _TEXT, repair_mojibake),
    Step("whitespace", (*_TEXT, "volume", "issue", "page", "DOI", "URL"), collapse_spaces),
    Step("lost-characters", ("title", "container-title"), mark_lost_characters),
    Step("title-end", ("title",), _strip_title_end),
    Step("doi-form", ("DOI",), _doi),
    Step("doi-component", ("DOI",), _article_doi),
    Step("pages", ("page",), normalize_pages),
    Step("issue", ("issue",), normalize_issue),
    Step("volume", ("volume",), normalize_volume),
)


def normalize_person(person: Person) -> Person:
    return person.map_names(_normalize_name)


def _normalize_name(name: str) -> str:
    return collapse_spaces(fix_mojibake(name))


# Every field some step owns, for reading them all once per item.
_OWNED = tuple(dict.fromkeys(key for step in DEFAULT_STEPS for key in step.fields))


def normalize_item(
    item: Item, steps: Sequence[Step] = DEFAULT_STEPS
) -> tuple[Item, tuple[Repair, ...]]:
    """Run every step on the fields it owns; return the new item and what changed."""
    repairs: list[Repair] = []
    # The fields' current values, by CSL key. Changes are written to the item once at
    # the end: each `replace` copies all of Item's fields, and most items need none.
    keys = _OWNED if steps is DEFAULT_STEPS else {k for step in steps for k in step.fields}
    values: dict[str, str | None] = {k: v for k in keys if (v := item.get(k)) is not None}
    changed: dict[str, str | None] = {}  # by CSL key
    for step in steps:
        for key in step.fields:
            before = values.get(key)
            if before is None:
                continue
            after = step.apply(before)
            after = after if after else None
            if after != before:
                repairs.append(Repair(key, step.name, before, after or ""))
                values[key] = changed[key] = after
    if changed:
        attrs: dict[str, Any] = {ATTR[key]: value for key, value in changed.items()}
        item = replace(item, **attrs)
    item, issue_repairs = _issue_from_volume(item)
    repairs.extend(issue_repairs)
    item, id_repairs = _ids_from_url(item)
    repairs.extend(id_repairs)
    people = tuple(map(normalize_person, item.author))
    if people != item.author:
        before_names = "; ".join(p.display() for p in item.author)
        repairs.append(Repair("author", "mojibake", before_names,
                              "; ".join(p.display() for p in people)))  # fmt: skip
        item = replace(item, author=people)
    return item, tuple(repairs)


def _issue_from_volume(item: Item) -> tuple[Item, list[Repair]]:
    """`volume: 39(2-3)` → volume 39, issue 2-3, when the parser left the issue in the volume."""
    if not item.volume:
        return item, []
    volume, issue = split_volume_issue(item.volume)
    if issue is None or (item.issue and item.issue != issue):
        return item, []
    repairs = [Repair("volume", "issue-in-volume", item.volume, volume)]
    if not item.issue:
        repairs.append(Repair("issue", "issue-in-volume", "", issue))
    return replace(item, volume=volume, issue=issue), repairs


def _ids_from_url(item: Item) -> tuple[Item, list[Repair]]:
    """PMCID, PMID, HAL id from the URL; the DOI too when none was printed."""
    url = item.URL
    if not url:
        return item, []
    found = (  # (field named in the repair, attribute, value found)
        ("PMCID", "PMCID", ids.find_pmcid(url)),
        ("PMID", "PMID", ids.find_pmid(url)),
        ("DOI", "DOI", None if item.DOI else ids.clean_doi(url)),
        ("hal-id", "hal_id", ids.find_hal_id(url)),
    )
    repairs: list[Repair] = []
    changes: dict[str, Any] = {}  # by attribute, for one `replace`
    for field, attr, value in found:
        if value and getattr(item, attr) is None:
            repairs.append(Repair(field, "id-from-url", "", value))
            changes[attr] = value
    return (replace(item, **changes) if changes else item), repairs
