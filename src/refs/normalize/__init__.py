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


Getter = Callable[[str], Any]  # an item's attribute, as changed so far


def _plan(steps: Sequence[Step]) -> tuple[tuple[Step, str, str], ...]:
    """(step, CSL key, attribute), in the order they run."""
    return tuple((step, key, ATTR[key]) for step in steps for key in step.fields)


_DEFAULT_PLAN = _plan(DEFAULT_STEPS)


def normalize_item(
    item: Item, steps: Sequence[Step] = DEFAULT_STEPS, **fields: str | None
) -> tuple[Item, tuple[Repair, ...]]:
    """Run every step on the fields it owns; return the new item and what changed.

    `fields` (attribute → value, e.g. `DOI=…`) are set on the item before the steps
    run: the parser's identifiers go in with the repairs, in one copy of the item.
    """
    repairs: list[Repair] = []
    # What changed, by attribute, written into the item once at the end: each
    # `replace` copies all of Item's fields and costs more than most steps.
    changed: dict[str, Any] = {a: v for a, v in fields.items() if v != getattr(item, a)}

    def get(attr: str) -> Any:
        return changed[attr] if attr in changed else getattr(item, attr)

    plan = _DEFAULT_PLAN if steps is DEFAULT_STEPS else _plan(steps)
    values = {attr: getattr(item, attr) for _, _, attr in plan}  # the steps' fields, as they go
    values.update(changed)
    for step, key, attr in plan:
        before = values[attr]
        if before is None:
            continue
        after = step.apply(before)
        after = after if after else None
        if after != before:
            repairs.append(Repair(key, step.name, before, after or ""))
            values[attr] = changed[attr] = after
    _issue_from_volume(get, changed, repairs)
    _ids_from_url(get, changed, repairs)
    author: tuple[Person, ...] = get("author")
    people = tuple(map(normalize_person, author))
    if people != author:
        repairs.append(Repair("author", "mojibake", "; ".join(p.display() for p in author),
                              "; ".join(p.display() for p in people)))  # fmt: skip
        changed["author"] = people
    return (replace(item, **changed) if changed else item), tuple(repairs)


def _issue_from_volume(get: Getter, changed: dict[str, Any], repairs: list[Repair]) -> None:
    """`volume: 39(2-3)` → volume 39, issue 2-3, when the parser left the issue in the volume."""
    volume, issue = get("volume"), get("issue")
    if not volume:
        return
    volume_alone, issue_in_volume = split_volume_issue(volume)
    if issue_in_volume is None or (issue and issue != issue_in_volume):
        return
    repairs.append(Repair("volume", "issue-in-volume", volume, volume_alone))
    if not issue:
        repairs.append(Repair("issue", "issue-in-volume", "", issue_in_volume))
    changed.update(volume=volume_alone, issue=issue_in_volume)


def _ids_from_url(get: Getter, changed: dict[str, Any], repairs: list[Repair]) -> None:
    """PMCID, PMID, HAL id from the URL; the DOI too when none was printed."""
    url = get("URL")
    if not url:
        return
    found = (  # (field named in the repair, attribute, value found)
        ("PMCID", "PMCID", ids.find_pmcid(url)),
        ("PMID", "PMID", ids.find_pmid(url)),
        ("DOI", "DOI", None if get("DOI") else ids.clean_doi(url)),
        ("hal-id", "hal_id", ids.find_hal_id(url)),
    )
    for field, attr, value in found:
        if value and get(attr) is None:
            repairs.append(Repair(field, "id-from-url", "", value))
            changed[attr] = value
