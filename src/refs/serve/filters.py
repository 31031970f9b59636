"""Cayenne's `filter` parameter: parsing, validation with its exact messages, and predicates.

A `filter` value is read as Cayenne reads it (`parse_filter`), each name:value pair
checked against the value's form (the failure entries clients match on, word for
word), then compiled into one record predicate per filter name (`compile_filters`).
Also the record-date reader (`date_of`) the date filters and the list sorts share.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Mapping, Sequence

from refs.ids import CROSSREF_DOI, CROSSREF_DOI_PREFIX, doi_key
from refs.serve.envelopes import Predicate, Record, failure


def words(text: str) -> tuple[str, ...]:
    """A table of names written as one string (Cayenne's lists, in Cayenne's order)."""
    return tuple(text.split())


WORK_TYPES = words(
    "book-section monograph report-component report peer-review book-track "
    "journal-article book-part other book journal-volume book-set reference-entry "
    "proceedings-article journal component book-chapter proceedings-series report-series "
    "proceedings database standard reference-book posted-content journal-issue "
    "dissertation grant dataset book-series edited-book"
)


def date_of(record: Record, keys: Sequence[str]) -> tuple[int, int, int] | None:
    """The first of `keys` holding a usable date, missing month/day as 1 (as Crossref)."""
    for key in keys:
        value = record.get(key)
        if not isinstance(value, dict):
            continue
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list):
            nums = [p for p in parts[0] if isinstance(p, int)]
            if nums:
                return (nums[0], nums[1] if len(nums) > 1 else 1, nums[2] if len(nums) > 2 else 1)
    return None


_DATE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "pub": ("issued", "published"),
    "issued": ("issued",),
    "online-pub": ("published-online",),
    "print-pub": ("published-print",),
    "posted": ("posted",),
    "accepted": ("accepted",),
    "created": ("created",),
    "deposit": ("deposited",),
    "update": ("deposited",),
    "index": ("indexed",),
}


# A DOI *parameter* read as Crossref reads it, on purpose not `refs.ids.clean_doi`:
# clean_doi repairs a DOI printed in a reference (trims a trailing `.` or `)`, URL
# tails such as `/full`, `?query`; decodes `%2F`; finds the DOI inside text), while the
# API looks up and validates the value as asked. Sharing it would change which records
# a `doi:`/`updates:` filter finds and which values get Cayenne's `doi-not-valid`.
_DOI = CROSSREF_DOI  # Crossref's own DOI validation, which the client holds to too
_DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_ISSN = re.compile(r"^\d{4}-?\d{3}[\dX]$", re.ASCII)
_PREFIX = re.compile(rf"^{CROSSREF_DOI_PREFIX}$", re.ASCII)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit accepts "²" and "٣"
_TRUE, _FALSE = ("t", "true", "1"), ("f", "false", "0")


def bare_doi(value: str) -> str:
    return _DOI_PREFIXES.sub("", value.strip())


def _norm_issn(value: str) -> str:
    value = value.strip().upper().removeprefix("HTTP://ID.CROSSREF.ORG/ISSN/")
    return value if "-" in value or len(value) != 8 else f"{value[:4]}-{value[4:]}"


def _check_doi(value: str) -> dict[str, str] | None:
    if _DOI.match(bare_doi(value)):
        return None
    return failure(
        value,
        "doi-not-valid",
        f"DOI specified as {value} but must be of the form: 10.prefix/suffix where prefix is"
        " 4 or more digits and suffix  is a string",
    )


def _check_issn(value: str) -> dict[str, str] | None:
    if _ISSN.match(_norm_issn(value)):
        return None
    return failure(
        value,
        "issn-not-valid",
        f"ISSN specified as {value} but must be of the form: aaaa-aaab where a is a digit,"
        " and b is a digit or 'X'",
    )


def _check_prefix(value: str) -> dict[str, str] | None:
    if _PREFIX.match(value.strip().removeprefix("http://id.crossref.org/prefix/")):
        return None
    return failure(
        value,
        "prefix-not-valid",
        f"Prefix specified as {value} but must be of the form: 10.digits where digits is 4"
        " or more digits",
    )


def _check_integer(value: str) -> dict[str, str] | None:
    return None if DIGITS.fullmatch(value) else integer_failure(value, None)


def _check_funder(value: str) -> dict[str, str] | None:
    if DIGITS.fullmatch(value) or _DOI.match(bare_doi(value)):
        return None
    return failure(
        value,
        "funder-id-not-valid",
        f"Funder ID specified as {value} but must be a DOI or positive integer",
    )


def _enum(
    kind: str, friendly: str, allowed: Sequence[str]
) -> Callable[[str], dict[str, str] | None]:
    def check(value: str) -> dict[str, str] | None:
        if value in allowed:
            return None
        return failure(
            value, kind, f"{friendly} specified as {value} but must be one of: {', '.join(allowed)}"
        )

    return check


_check_type = _enum("type-not-valid", "Type", WORK_TYPES)
_check_boolean = _enum("boolean-not-valid", "Boolean", (*_TRUE, *_FALSE))


def _check_date(value: str) -> dict[str, str] | None:
    match = _DATE.match(value)
    if match is None:
        return failure(
            value,
            "date-not-valid",
            f"Date specified as {value} but must be of the form: yyyy or yyyy-MM or yyyy-MM-dd",
        )
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return failure(
            value,
            "date-not-legitimate",
            f"Date {value} specified in the correct format but represents an illegitimate date.",
        )
    return None


def integer_failure(value: str, maximum: int | None, note: str = "") -> dict[str, str]:
    bound = f" less than or equal to {maximum}" if maximum is not None else ""
    return failure(
        value,
        "integer-not-valid",
        f"Integer specified as {value} but must be a positive integer{bound}. {note}",
    )


def _date_test(fields: tuple[str, ...], value: str, until: bool) -> Predicate:
    match = _DATE.match(value)
    assert match is not None  # validated first
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if until:
        last_month = month or 12
        bound = (year, last_month, day or calendar.monthrange(year, last_month)[1])
    else:
        bound = (year, month or 1, day or 1)

    def test(record: Record) -> bool:
        date = date_of(record, fields)
        return date is not None and (date <= bound if until else date >= bound)

    return test


def _issns(record: Record) -> set[str]:
    values = [v for v in record.get("ISSN") or [] if isinstance(v, str)]
    for entry in record.get("issn-type") or []:
        if isinstance(entry, dict) and isinstance(entry.get("value"), str):
            values.append(entry["value"])
    return {_norm_issn(v) for v in values}


def _funder_matches(record: Record, value: str) -> bool:
    wanted = doi_key(bare_doi(value))
    for funder in record.get("funder") or []:
        doi = str(funder.get("DOI") or "").lower() if isinstance(funder, dict) else ""
        if doi and (doi == wanted or doi.endswith("/" + wanted)):
            return True
    return False


def _has(key: str) -> Callable[[Record], bool]:
    return lambda record: bool(record.get(key))


def _authors_have(key: str) -> Callable[[Record], bool]:
    return lambda record: any(
        isinstance(a, dict) and bool(a.get(key)) for a in record.get("author") or []
    )


def _has_references(record: Record) -> bool:
    count = record.get("references-count") or record.get("reference-count") or 0
    return bool(record.get("reference")) or (isinstance(count, int) and count > 0)


_BOOLEAN_FILTERS: Mapping[str, Callable[[Record], bool]] = {
    "has-abstract": _has("abstract"),
    "has-references": _has_references,
    "has-orcid": _authors_have("ORCID"),
    "has-affiliation": _authors_have("affiliation"),
    "has-funder": _has("funder"),
    "has-license": _has("license"),
    "has-full-text": _has("link"),
    "has-update": _has("updated-by"),
    "is-update": _has("update-to"),
}


def _value_test(name: str, value: str) -> Predicate:
    """The test one `name:value` filter pair makes of a record (value already valid)."""
    if name in _BOOLEAN_FILTERS:
        has, wanted = _BOOLEAN_FILTERS[name], value in _TRUE
        return lambda record: has(record) == wanted
    if name.startswith(("from-", "until-")) and name.endswith("-date"):
        until = name.startswith("until-")
        field = name.removeprefix("until-" if until else "from-").removesuffix("-date")
        return _date_test(_DATE_FIELDS[field], value, until)
    if name == "type":
        return lambda record: record.get("type") == value
    if name == "issn":
        issn = _norm_issn(value)
        return lambda record: issn in _issns(record)
    if name == "prefix":
        prefix = value.strip().removeprefix("http://id.crossref.org/prefix/")
        return lambda record: (
            record.get("prefix") == prefix or str(record.get("DOI", "")).startswith(prefix + "/")
        )
    if name == "member":
        return lambda record: str(record.get("member")) == value
    if name == "funder":
        return lambda record: _funder_matches(record, value)
    if name == "updates":
        key = doi_key(bare_doi(value))
        return lambda record: any(
            isinstance(u, dict) and str(u.get("DOI", "")).lower() == key
            for u in record.get("update-to") or []
        )
    raise KeyError(name)


_CHECKS: dict[str, Callable[[str], dict[str, str] | None]] = {
    "doi": _check_doi,
    "type": _check_type,
    "issn": _check_issn,
    "prefix": _check_prefix,
    "member": _check_integer,
    "funder": _check_funder,
    "updates": _check_doi,
    **{f"{edge}-{field}-date": _check_date for field in _DATE_FIELDS for edge in ("from", "until")},
    **dict.fromkeys(_BOOLEAN_FILTERS, _check_boolean),
}
SUPPORTED_FILTERS = tuple(_CHECKS)


def parse_filter(text: str) -> list[tuple[str, str]]:
    """`a:1,b:2,3` → [(a, 1), (b, "2,3")]: a part without a colon continues the last
    value, as Cayenne reads it (so DOIs with commas survive)."""
    parts: list[str] = []
    for part in text.split(","):
        if ":" in part or not parts:
            parts.append(part)
        else:
            parts[-1] += "," + part
    pairs = []
    for part in parts:
        name, _, value = part.partition(":")
        pairs.append((name.strip(), value.strip()))
    return pairs


def compile_filters(
    pairs: Sequence[tuple[str, str]], failures: list[dict[str, str]]
) -> tuple[tuple[str, ...] | None, list[Predicate]]:
    """DOI keys to look up (None without a `doi` filter) and one predicate per other name.

    A repeated name is ORed, different names ANDed (Crossref's rule). Failures are
    appended in Cayenne's order: unknown names first, then bad values.
    """
    known = [(n, v) for n, v in pairs if n in _CHECKS]
    for name in dict.fromkeys(n for n, _ in pairs if n not in _CHECKS):
        failures.append(
            failure(
                name,
                "filter-not-available",
                f"Filter {name} specified but there is no such filter for this route. Valid"
                f" filters for this route are: {', '.join(SUPPORTED_FILTERS)}",
            )
        )
    for name, value in known:
        problem = _CHECKS[name](value)
        if problem is not None:
            failures.append(problem)
    if failures:
        return None, []
    grouped: dict[str, list[str]] = {}
    for name, value in known:
        grouped.setdefault(name, []).append(value)
    dois = grouped.pop("doi", None)
    keys = tuple(dict.fromkeys(doi_key(bare_doi(v)) for v in dois)) if dois else None
    predicates = []
    for name, values in grouped.items():
        tests = [_value_test(name, v) for v in values]
        predicates.append(tests[0] if len(tests) == 1 else _any_of(tests))
    return keys, predicates


def _any_of(tests: list[Predicate]) -> Predicate:
    return lambda record: any(test(record) for test in tests)
