"""The field types of the CSL data schema, and a check of one item against them.

The tables below were derived, once, by reading the CSL-JSON input schema v1.0
(`csl-data.json`, `$id` https://resource.citationstyles.org/schema/v1.0/input/json/csl-data.json,
JSON Schema draft-07). The schema file is not shipped with `refs`;
tests/unit/test_readers_csl_validation.py checks that these tables still agree with it
when `../shared` is present.

`check_item` is deliberately narrower than the schema on two points, both lossless:
keys the schema does not know (top level or inside a name) are ignored rather than
reported (Crossref, Zotero and pandoc all add some), and `null` is read as "absent".
`type` and `id`, which the schema requires, may be missing: `type` then defaults to
`article-journal` and the item has no key. What is reported is a known field whose
value has the wrong type: that field (or the bad names of a name list) is dropped,
and the rest of the item is kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

__all__ = [
    "DATE_FIELDS",
    "DATE_PARTS_PER_DATE",
    "DATE_RANGES",
    "FIELDS",
    "ITEM_TYPES",
    "NAME_FIELDS",
    "Kind",
    "check_item",
    "json_kind",
]


class Kind(StrEnum):
    """What a CSL-JSON key may hold."""

    STRING = "string"  # {"type": "string"}
    STRING_OR_NUMBER = "string or number"  # {"type": ["string", "number"]}
    SCALAR = "string, number or boolean"  # {"type": ["string", "number", "boolean"]}
    STRINGS = "list of strings"  # {"type": "array", "items": {"type": "string"}}
    OBJECT = "object"  # {"type": "object"}: `custom`, free key-value pairs
    NAMES = "names"  # an array of #/definitions/name-variable
    DATE = "date"  # #/definitions/date-variable
    DATE_PARTS = "date-parts"  # 1–2 arrays of 1–3 strings or numbers


# Every property of an item (schema `items.properties`), in the schema's order.
FIELDS: dict[str, Kind] = {
    "type": Kind.STRING,  # one of ITEM_TYPES
    "id": Kind.STRING_OR_NUMBER,
    "citation-key": Kind.STRING,
    "categories": Kind.STRINGS,
    "language": Kind.STRING,
    "journalAbbreviation": Kind.STRING,
    "shortTitle": Kind.STRING,
    **dict.fromkeys(
        (
            "author",
            "chair",
            "collection-editor",
            "compiler",
            "composer",
            "container-author",
            "contributor",
            "curator",
            "director",
            "editor",
            "editorial-director",
            "executive-producer",
            "guest",
            "host",
            "interviewer",
            "illustrator",
            "narrator",
            "organizer",
            "original-author",
            "performer",
            "producer",
            "recipient",
            "reviewed-author",
            "script-writer",
            "series-creator",
            "translator",
        ),
        Kind.NAMES,
    ),
    **dict.fromkeys(
        ("accessed", "available-date", "event-date", "issued", "original-date", "submitted"),
        Kind.DATE,
    ),
    "abstract": Kind.STRING,
    "annote": Kind.STRING,
    "archive": Kind.STRING,
    "archive_collection": Kind.STRING,
    "archive_location": Kind.STRING,
    "archive-place": Kind.STRING,
    "authority": Kind.STRING,
    "call-number": Kind.STRING,
    "chapter-number": Kind.STRING_OR_NUMBER,
    "citation-number": Kind.STRING_OR_NUMBER,
    "citation-label": Kind.STRING,
    "collection-number": Kind.STRING_OR_NUMBER,
    "collection-title": Kind.STRING,
    "container-title": Kind.STRING,
    "container-title-short": Kind.STRING,
    "dimensions": Kind.STRING,
    "division": Kind.STRING,
    "DOI": Kind.STRING,
    "edition": Kind.STRING_OR_NUMBER,
    "event": Kind.STRING,  # deprecated in 1.0 for `event-title`
    "event-title": Kind.STRING,
    "event-place": Kind.STRING,
    "first-reference-note-number": Kind.STRING_OR_NUMBER,
    "genre": Kind.STRING,
    "ISBN": Kind.STRING,
    "ISSN": Kind.STRING,
    "issue": Kind.STRING_OR_NUMBER,
    "jurisdiction": Kind.STRING,
    "keyword": Kind.STRING,
    "locator": Kind.STRING_OR_NUMBER,
    "medium": Kind.STRING,
    "note": Kind.STRING,
    "number": Kind.STRING_OR_NUMBER,
    "number-of-pages": Kind.STRING_OR_NUMBER,
    "number-of-volumes": Kind.STRING_OR_NUMBER,
    "original-publisher": Kind.STRING,
    "original-publisher-place": Kind.STRING,
    "original-title": Kind.STRING,
    "page": Kind.STRING_OR_NUMBER,
    "page-first": Kind.STRING_OR_NUMBER,
    "part": Kind.STRING_OR_NUMBER,
    "part-title": Kind.STRING,
    "PMCID": Kind.STRING,
    "PMID": Kind.STRING,
    "printing": Kind.STRING_OR_NUMBER,
    "publisher": Kind.STRING,
    "publisher-place": Kind.STRING,
    "references": Kind.STRING,
    "reviewed-genre": Kind.STRING,
    "reviewed-title": Kind.STRING,
    "scale": Kind.STRING,
    "section": Kind.STRING,
    "source": Kind.STRING,
    "status": Kind.STRING,
    "supplement": Kind.STRING_OR_NUMBER,
    "title": Kind.STRING,
    "title-short": Kind.STRING,
    "URL": Kind.STRING,
    "version": Kind.STRING,
    "volume": Kind.STRING_OR_NUMBER,
    "volume-title": Kind.STRING,
    "volume-title-short": Kind.STRING,
    "year-suffix": Kind.STRING,
    "custom": Kind.OBJECT,
}

# The `type` enum.
ITEM_TYPES: frozenset[str] = frozenset(
    {
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "event",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    }
)

# The properties of #/definitions/name-variable (an object).
NAME_FIELDS: dict[str, Kind] = {
    "family": Kind.STRING,
    "given": Kind.STRING,
    "dropping-particle": Kind.STRING,
    "non-dropping-particle": Kind.STRING,
    "suffix": Kind.STRING,
    "comma-suffix": Kind.SCALAR,
    "static-ordering": Kind.SCALAR,
    "literal": Kind.STRING,
    "parse-names": Kind.SCALAR,
}

# The properties of #/definitions/date-variable (an object).
DATE_FIELDS: dict[str, Kind] = {
    "date-parts": Kind.DATE_PARTS,
    "season": Kind.STRING_OR_NUMBER,
    "circa": Kind.SCALAR,
    "literal": Kind.STRING,
    "raw": Kind.STRING,
}
DATE_RANGES = (1, 2)  # `date-parts` holds one date, or two for a range
DATE_PARTS_PER_DATE = (1, 3)  # year, month, day


def json_kind(value: Any) -> str:
    """What a JSON value is, for a message: "a string", "an array", "null"…"""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _scalar_problem(kind: Kind, value: Any) -> str | None:
    """Why `value` is not of a scalar `kind`, or None when it is."""
    if isinstance(value, str):
        return None
    if kind is Kind.STRING_OR_NUMBER and _is_number(value):
        return None
    if kind is Kind.SCALAR and (_is_number(value) or isinstance(value, bool)):
        return None
    expected = {
        Kind.STRING: "a string",
        Kind.STRING_OR_NUMBER: "a string or a number",
        Kind.SCALAR: "a string, a number or a boolean",
    }[kind]
    return f"expected {expected}, got {json_kind(value)}"


def _name_problem(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"expected a name object (family/given or literal), got {json_kind(value)}"
    for key, kind in NAME_FIELDS.items():
        part = value.get(key)
        problem = None if part is None else _scalar_problem(kind, part)
        if problem is not None:
            return f"{key}: {problem}"
    return None


def _date_parts_problem(value: Any) -> str | None:
    (low, high), (fewest, most) = DATE_RANGES, DATE_PARTS_PER_DATE
    expected = (
        f"expected {low} or {high} lists of {fewest} to {most} numbers or strings "
        "(year, month, day)"
    )
    if not isinstance(value, list):
        return f"{expected}, got {json_kind(value)}"
    got = json.dumps(value, ensure_ascii=False)
    got = got if len(got) <= 40 else got[:39] + "…"
    if not low <= len(value) <= high:
        return f"{expected}, got {got}"
    for date in value:
        if (
            not isinstance(date, list)
            or not fewest <= len(date) <= most
            or any(not isinstance(p, str) and not _is_number(p) for p in date)
        ):
            return f"{expected}, got {got}"
    return None


def _date_problem(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"expected a date object (date-parts, raw or literal), got {json_kind(value)}"
    for key, kind in DATE_FIELDS.items():
        part = value.get(key)
        if part is None:
            continue
        problem = (
            _date_parts_problem(part) if kind is Kind.DATE_PARTS else _scalar_problem(kind, part)
        )
        if problem is not None:
            return f"{key}: {problem}"
    return None


def _field(key: str, kind: Kind, value: Any) -> tuple[Any, str | None]:
    """(the value to keep or None to drop it, the problem or None)."""
    if kind is Kind.NAMES:
        if not isinstance(value, list):
            return None, f"expected a list of names, got {json_kind(value)}"
        problems = [(n, _name_problem(name)) for n, name in enumerate(value, 1)]
        bad = [f"name {n}: {why}" for n, why in problems if why is not None]
        if not bad:
            return value, None
        kept = [name for name, (_, why) in zip(value, problems, strict=True) if why is None]
        return kept, "; ".join(bad) + f" (dropped; {len(kept)} of {len(value)} names kept)"
    if kind is Kind.DATE:
        problem = _date_problem(value)
    elif kind is Kind.STRINGS:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        problem = None if ok else f"expected a list of strings, got {_describe(value)}"
    elif kind is Kind.OBJECT:
        ok = isinstance(value, dict)
        problem = None if ok else f"expected an object, got {json_kind(value)}"
    else:
        problem = _scalar_problem(kind, value)
        if problem is None and key == "type" and value not in ITEM_TYPES:
            problem = f"{json.dumps(value, ensure_ascii=False)} is not a CSL item type"
    return (value, None) if problem is None else (None, problem)


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "an array holding " + ", ".join(sorted({json_kind(v) for v in value}))
    return json_kind(value)


def check_item(obj: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The item with its ill-typed fields dropped, and one `field: why` line per such field.

    A name list keeps its good names: only the bad ones are dropped.
    """
    kept: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in obj.items():
        kind = FIELDS.get(key)
        if kind is None or value is None:
            kept[key] = value
            continue
        good, problem = _field(key, kind, value)
        if problem is not None:
            problems.append(f"{key}: {problem}")
        if good is not None:
            kept[key] = good
    return kept, problems
