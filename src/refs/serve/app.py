"""A Crossref REST API over the local index: the checklist of API_CONTRACT.md §7.

Routes: `/works/{doi}` (GET, HEAD), `/works/{doi}/agency`, and the work lists
`/works`, `/journals/{issn}/works`, `/members/{id}/works`, `/prefixes/{prefix}/works`,
`/types/{id}/works`, `/funders/{id}/works`. Envelopes, error bodies, content types
and pool headers are Crossref's as recorded; validation messages are Cayenne's
(Crossref's API server) word for word, typos included, since clients match on them.

The outermost layer (`CrossrefApp.__call__`) does what Crossref's gateway does:
pool headers on every response, optional rate/concurrency enforcement, fault
injection and an access log. The index is read in worker threads through a small
pool of read-only connections, so a slow search does not stall DOI lookups.
"""

from __future__ import annotations

import asyncio
import base64
import calendar
import datetime
import functools
import gzip
import hashlib
import hmac
import json
import queue
import random
import re
import secrets
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from refs.errors import SourceUnavailable
from refs.ids import doi_key
from refs.serve.faults import (
    ERROR_PAGES,
    NO_FAULTS,
    NON_JSON_PAGE,
    TOO_MANY_PAGE,
    FaultInjector,
    Faults,
    Kind,
)
from refs.serve.ratelimit import PoolGate, pool_headers, pool_of
from refs.sources.sqlite_index import SqliteIndex, match_expression

Record = dict[str, Any]
_R = TypeVar("_R")
Predicate = Callable[[Record], bool]

MAX_ROWS = 1000
MAX_OFFSET = 10_000
MAX_SAMPLE = 100
DEFAULT_ROWS = 20
# How many search hits a query with filters or a non-relevance sort looks through:
# Elasticsearch's default result window, which bounds Crossref's offsets too.
SEARCH_CAP = 10_000
_SCAN_BATCH = 1000

_JSON = "application/json"
_JSON_UTF8 = "application/json;charset=utf-8"  # Crossref's type for 400s and agency
_NOT_FOUND_BODY = b"Resource not found."
_CORS = [
    (b"access-control-allow-origin", b"*"),
    (
        b"access-control-allow-headers",
        b"X-Requested-With, Accept, Accept-Encoding, Accept-Charset, Accept-Language, "
        b"Accept-Ranges, Cache-Control",
    ),
    (b"access-control-expose-headers", b"Link"),
]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


VALID_FIELD_QUERIES = _words(
    "affiliation author bibliographic chair container-title contributor degree "
    "description editor event-acronym event-location event-name event-sponsor event-theme "
    "funder-name publisher-location publisher-name standards-body-acronym "
    "standards-body-name title translator"
)
SORT_FIELDS = _words(
    "score relevance updated deposited indexed created published-print published-online "
    "published issued is-referenced-by-count references-count"
)
WORK_TYPES = _words(
    "book-section monograph report-component report peer-review book-track "
    "journal-article book-part other book journal-volume book-set reference-entry "
    "proceedings-article journal component book-chapter proceedings-series report-series "
    "proceedings database standard reference-book posted-content journal-issue "
    "dissertation grant dataset book-series edited-book"
)


# --- responses ------------------------------------------------------------------
def _bytes(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _response(status: int, body: bytes, content_type: str) -> Response:
    # Explicit header, not media_type: Starlette would add "; charset=utf-8" to
    # text/plain, and Crossref sends the bare type.
    return Response(body, status_code=status, headers={"content-type": content_type})


def _json_200(body: bytes, accept_encoding: str, content_type: str = _JSON) -> Response:
    """A 200 JSON answer, gzipped when the client accepts it (Crossref always does).

    Compressed here, in the worker thread that built the body, rather than by
    middleware on the event loop; level 1 because loopback cares for time, not bytes.
    """
    headers = {"content-type": content_type, "vary": "Accept-Encoding"}
    if len(body) >= 500 and "gzip" in accept_encoding.lower():
        body = gzip.compress(body, compresslevel=1)
        headers["content-encoding"] = "gzip"
    return Response(body, status_code=200, headers=headers)


def not_found() -> Response:
    return _response(404, _NOT_FOUND_BODY, "text/plain")


def _envelope(message_type: str, message: Any) -> bytes:
    return _bytes(
        {
            "status": "ok",
            "message-type": message_type,
            "message-version": "1.0.0",
            "message": message,
        }
    )


def _failure(value: str, kind: str, message: str) -> dict[str, str]:
    return {"type": kind, "value": value, "message": message}


def _validation_failure(failures: list[dict[str, str]]) -> Response:
    body = {"status": "failed", "message-type": "validation-failure", "message": failures}
    return _response(400, _bytes(body), _JSON_UTF8)


def _cursor_invalid(value: str) -> Response:
    failure = _failure(value, "cursor-invalid", "Cursor specified but it is invalid")
    body = {"status": "failed", "message-type": "resource-failure", "message": [failure]}
    return _response(404, _bytes(body), _JSON)


class _Rejected(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


# --- record fields --------------------------------------------------------------
def _date_of(record: Record, keys: Sequence[str]) -> tuple[int, int, int] | None:
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


def _timestamp_of(record: Record, key: str) -> int:
    value = record.get(key)
    stamp = value.get("timestamp") if isinstance(value, dict) else None
    return stamp if isinstance(stamp, int) else 0


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
_SORT_DATES: Mapping[str, tuple[str, ...]] = {
    "published": ("issued", "published"),
    "issued": ("issued", "published"),
    "published-print": ("published-print",),
    "published-online": ("published-online",),
    "created": ("created",),
    "deposited": ("deposited",),
    "updated": ("deposited",),
    "indexed": ("indexed",),
}


def _sort_key(record: Record, field: str) -> tuple[int, ...] | None:
    if field in ("is-referenced-by-count", "references-count"):
        value = record.get(field)
        if value is None and field == "references-count":
            value = record.get("reference-count")
        return (value,) if isinstance(value, int) else None
    keys = _SORT_DATES[field]
    date = _date_of(record, keys)
    return None if date is None else (*date, _timestamp_of(record, keys[0]))


def _sorted(pairs: list[tuple[Record, float]], field: str, descending: bool) -> list[Any]:
    """Sorted by `field`; records without it last either way (Elasticsearch's rule)."""
    keyed = [(_sort_key(r, field), r, s) for r, s in pairs]
    present = [k for k in keyed if k[0] is not None]
    present.sort(key=lambda k: k[0] or (), reverse=descending)
    return [(r, s) for _, r, s in present] + [(r, s) for k, r, s in keyed if k is None]


def _item(record: Record, score: float | int, select: frozenset[str] | None) -> Record:
    """The record as Crossref lists it: DOI lower-cased, `score` after `deposited`."""
    out: Record = {}
    for key, value in record.items():
        if key == "score":
            continue
        out[key] = value
        if key == "deposited":
            out["score"] = score
    out.setdefault("score", score)
    if isinstance(out.get("DOI"), str):
        out["DOI"] = out["DOI"].lower()
    if select is not None:
        out = {k: v for k, v in out.items() if k in select}
    return out


# --- filters ----------------------------------------------------------------------
# A DOI *parameter* read as Crossref reads it, on purpose not `refs.ids.clean_doi`:
# clean_doi repairs a DOI printed in a reference (trims a trailing `.` or `)`, URL
# tails such as `/full`, `?query`; decodes `%2F`; finds the DOI inside text), while the
# API looks up and validates the value as asked. Sharing it would change which records
# a `doi:`/`updates:` filter finds and which values get Cayenne's `doi-not-valid`.
_DOI = re.compile(r"^10\.\d{4,}(?:\.\d+)*/.+$", re.ASCII)
_DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_ISSN = re.compile(r"^\d{4}-?\d{3}[\dX]$", re.ASCII)
_PREFIX = re.compile(r"^10\.\d{4,}$", re.ASCII)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit accepts "²" and "٣"
_TRUE, _FALSE = ("t", "true", "1"), ("f", "false", "0")


def bare_doi(value: str) -> str:
    return _DOI_PREFIXES.sub("", value.strip())


def _norm_issn(value: str) -> str:
    value = value.strip().upper().removeprefix("HTTP://ID.CROSSREF.ORG/ISSN/")
    return value if "-" in value or len(value) != 8 else f"{value[:4]}-{value[4:]}"


def _check_doi(value: str) -> dict[str, str] | None:
    if _DOI.match(bare_doi(value)):
        return None
    return _failure(
        value,
        "doi-not-valid",
        f"DOI specified as {value} but must be of the form: 10.prefix/suffix where prefix is"
        " 4 or more digits and suffix  is a string",
    )


def _check_issn(value: str) -> dict[str, str] | None:
    if _ISSN.match(_norm_issn(value)):
        return None
    return _failure(
        value,
        "issn-not-valid",
        f"ISSN specified as {value} but must be of the form: aaaa-aaab where a is a digit,"
        " and b is a digit or 'X'",
    )


def _check_prefix(value: str) -> dict[str, str] | None:
    if _PREFIX.match(value.strip().removeprefix("http://id.crossref.org/prefix/")):
        return None
    return _failure(
        value,
        "prefix-not-valid",
        f"Prefix specified as {value} but must be of the form: 10.digits where digits is 4"
        " or more digits",
    )


def _check_integer(value: str) -> dict[str, str] | None:
    return None if _DIGITS.fullmatch(value) else integer_failure(value, None)


def _check_funder(value: str) -> dict[str, str] | None:
    if _DIGITS.fullmatch(value) or _DOI.match(bare_doi(value)):
        return None
    return _failure(
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
        return _failure(
            value, kind, f"{friendly} specified as {value} but must be one of: {', '.join(allowed)}"
        )

    return check


_check_type = _enum("type-not-valid", "Type", WORK_TYPES)
_check_boolean = _enum("boolean-not-valid", "Boolean", (*_TRUE, *_FALSE))


def _check_date(value: str) -> dict[str, str] | None:
    match = _DATE.match(value)
    if match is None:
        return _failure(
            value,
            "date-not-valid",
            f"Date specified as {value} but must be of the form: yyyy or yyyy-MM or yyyy-MM-dd",
        )
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return _failure(
            value,
            "date-not-legitimate",
            f"Date {value} specified in the correct format but represents an illegitimate date.",
        )
    return None


def integer_failure(value: str, maximum: int | None, note: str = "") -> dict[str, str]:
    bound = f" less than or equal to {maximum}" if maximum is not None else ""
    return _failure(
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
        date = _date_of(record, fields)
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
            _failure(
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


# --- cursors --------------------------------------------------------------------
class Cursors:
    """Opaque, signed cursor tokens: a position tied to one query, valid `ttl` seconds.

    Crossref's cursors expire after five minutes unused; so do these.
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._key = secrets.token_bytes(16)

    def issue(self, fingerprint: str, position: int) -> str:
        payload = _bytes([fingerprint, position, int(time.time())])
        mac = hmac.new(self._key, payload, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(mac + payload).decode().rstrip("=")

    def read(self, token: str, fingerprint: str) -> int | None:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            mac, payload = raw[:12], raw[12:]
            good = hmac.new(self._key, payload, hashlib.sha256).digest()[:12]
            if not hmac.compare_digest(mac, good):
                return None
            owner, position, issued = json.loads(payload)
        except (ValueError, TypeError):
            return None
        fresh = time.time() - issued <= self.ttl
        valid = owner == fingerprint and isinstance(position, int) and position >= 0
        return position if fresh and valid else None


# --- list requests ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ListQuery:
    """A validated `/works` request."""

    text: str | None  # every query text joined: the one FTS search
    search_terms: str | None  # the plain `query` value, None for field queries
    doi_keys: tuple[str, ...] | None
    predicates: tuple[Predicate, ...]
    rows: int
    offset: int
    sample: int
    select: frozenset[str] | None
    sort: str | None  # None: relevance (or index order without a query)
    descending: bool
    cursor: int | None  # position to resume from; None when not paging with a cursor
    fingerprint: str

    @property
    def scans(self) -> bool:
        """Pages through the index in row order: no query, no DOI list, no sort."""
        return self.text is None and self.doi_keys is None and self.sort is None


def _integer(
    params: QueryParams,
    name: str,
    maximum: int,
    default: int,
    failures: list[dict[str, str]],
    note: str = "",
) -> int:
    value = params.get(name)
    if value is None:
        return default
    if not _DIGITS.fullmatch(value) or int(value) > maximum:
        failures.append(integer_failure(value, maximum, note))
        return default
    return int(value)


_SINGLE_ONLY_NOT = (
    ("rows", "This route does not support rows"),
    ("sample", "This route does not support sample"),
    ("offset", "This route does not support offset"),
    ("cursor", "This route does not support cursor"),
    ("facet", "This route does not support facet"),
    ("filter", "This route does not support filter"),
    ("query", "This route does not support query"),
)


def single_route_failures(params: QueryParams) -> list[dict[str, str]]:
    """Cayenne's checks on a singleton route: no paging, filters or queries."""
    failures = [
        _failure(name, "parameter-not-allowed", message)
        for name, message in _SINGLE_ONLY_NOT
        if name in params
    ]
    if any(name.startswith("query.") for name in params):
        failures.append(
            _failure(
                "query.*",
                "parameter-not-allowed",
                "This route does not support field query parameters",
            )
        )
    return failures


def parse_list(
    params: QueryParams, cursors: Cursors, scope: tuple[str, str] | None = None
) -> ListQuery:
    """Validate a list request the way Cayenne does; `_Rejected` carries the answer."""
    failures: list[dict[str, str]] = []
    rows = _integer(params, "rows", MAX_ROWS, DEFAULT_ROWS, failures)
    sample = _integer(params, "sample", MAX_SAMPLE, 0, failures)
    offset_note = " Use the cursor parameter to page further into result sets."
    offset = _integer(params, "offset", MAX_OFFSET, 0, failures, offset_note)
    if offset + rows > MAX_OFFSET and not failures:
        failures.append(integer_failure(str(offset), MAX_OFFSET - rows, offset_note))
    cursor = params.get("cursor")
    if cursor is not None and ("offset" in params or "sample" in params):
        failures.append(
            _failure(
                "cursor",
                "cursor-with-offset-or-sample",
                "Cursor cannot be combined with offset or sample",
            )
        )
    order = params.get("order")
    if order is not None and order not in ("asc", "desc", "1", "-1"):
        failures.append(
            _failure(
                order,
                "sort-order-not-valid",
                f"Sort order specified as {order} but must be one of: asc, desc, 1, -1",
            )
        )
    sort = params.get("sort")
    if sort is not None and sort.strip().lower() not in SORT_FIELDS:
        failures.append(
            _failure(
                sort,
                "sort-field-not-valid",
                f"Sort field specified as {sort} but must be one of: {', '.join(SORT_FIELDS)}",
            )
        )
    pairs = parse_filter(",".join(params.getlist("filter"))) if "filter" in params else []
    doi_keys, predicates = compile_filters(pairs, failures)
    field_queries = [
        (k[len("query.") :], v) for k, v in params.multi_items() if k.startswith("query.")
    ]
    for name in dict.fromkeys(n for n, _ in field_queries if n not in VALID_FIELD_QUERIES):
        # "byt": Cayenne's spelling, kept because it is what the service says.
        failures.append(
            _failure(
                name,
                "field-query-not-available",
                f"Field query {name} specified byt there is no such field query for this"
                f" route. Valid field queries for this route are: {', '.join(VALID_FIELD_QUERIES)}",
            )
        )
    if failures:
        raise _Rejected(_validation_failure(failures))
    if scope is not None:
        # The resource in the path (/journals/{issn}/works…) is one more ANDed filter.
        scope_failures: list[dict[str, str]] = []
        _, scope_predicates = compile_filters([scope], scope_failures)
        if scope_failures:
            raise _Rejected(not_found())
        predicates = [*predicates, *scope_predicates]

    plain = " ".join(v.strip() for v in params.getlist("query") if v.strip()) or None
    texts = [plain] if plain else []
    texts += [v.strip() for _, v in field_queries if v.strip()]
    sort_name = sort.strip().lower() if sort is not None else None
    fingerprint = hashlib.sha256(
        _bytes(
            [
                plain,
                sorted(field_queries),
                sorted(pairs),
                scope,
                sort_name,
                order,
            ]
        )
    ).hexdigest()[:16]
    position: int | None = None
    if cursor is not None:
        position = 0 if cursor == "*" else cursors.read(cursor, fingerprint)
        if position is None:
            raise _Rejected(_cursor_invalid(cursor))
    selected = [s.strip() for s in ",".join(params.getlist("select")).split(",") if s.strip()]
    return ListQuery(
        text=" ".join(texts) or None,
        search_terms=plain,
        doi_keys=doi_keys,
        predicates=tuple(predicates),
        rows=rows,
        offset=0 if cursor is not None else offset,
        sample=sample,
        select=frozenset(selected) if selected else None,
        sort=None if sort_name in (None, "score", "relevance") else sort_name,
        descending=order not in ("asc", "1"),
        cursor=position,
        fingerprint=fingerprint,
    )


# --- the index ----------------------------------------------------------------------
class Readers:
    """Read-only connections to the index, one per worker thread at a time (at most `size`)."""

    def __init__(self, path: Path, size: int = 4) -> None:
        self._path, self._size = path, size
        self._lock = threading.Lock()
        # Opened now so that a missing or broken index fails at startup, not on a request.
        self._all = [SqliteIndex(path, readonly=True)]
        self._idle: queue.LifoQueue[SqliteIndex] = queue.LifoQueue()
        self._idle.put(self._all[0])
        self._closed = False

    @contextmanager
    def reader(self) -> Iterator[SqliteIndex]:
        try:
            index = self._idle.get_nowait()
        except queue.Empty:
            with self._lock:
                if self._closed:
                    raise SourceUnavailable(f"{self._path}: index closed") from None
                fresh = len(self._all) < self._size
                if fresh:
                    index = SqliteIndex(self._path, readonly=True)
                    self._all.append(index)
            if not fresh:
                index = self._idle.get()
        try:
            yield index
        finally:
            self._idle.put(index)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for index in self._all:
                index.close()
            self._all.clear()


def _count_matches(index: SqliteIndex, text: str, fallback: int) -> int:
    """How many works the search matches: Crossref's `total-results` for a query."""
    expression = match_expression(text)
    if expression is None:
        return 0
    try:
        # Reads the index's FTS table directly: search_records only returns the top rows.
        row = index.db.execute(
            "SELECT count(*) FROM works_fts WHERE works_fts MATCH ?", (expression,)
        ).fetchone()
    except sqlite3.Error:
        return fallback
    return max(int(row[0]), fallback)


class Lists:
    """Runs validated list requests against an index (in a worker thread)."""

    def __init__(self, cursors: Cursors) -> None:
        self._cursors = cursors
        self._totals: OrderedDict[str, int] = OrderedDict()  # scan totals, for cursor pages
        self._lock = threading.Lock()
        self._random = random.Random()

    def run(self, index: SqliteIndex, q: ListQuery) -> bytes:
        start = q.cursor if q.cursor is not None else q.offset
        next_position = start
        per_page = q.rows
        if q.sample:
            pairs = self._sample(index, q)
            total, per_page = len(pairs), q.sample
        elif q.scans:
            pairs, total, next_position = self._scan(index, q, start)
        elif q.text is not None and q.doi_keys is None and not q.predicates and q.sort is None:
            hits = index.search_records(q.text, start + q.rows) if q.rows else []
            pairs = hits[start:]
            total = _count_matches(index, q.text, len(hits))
            next_position = start + len(pairs)
        else:
            everything = self._everything(index, q)
            pairs = everything[start : start + q.rows]
            total = len(everything)
            next_position = start + len(pairs)
        message: Record = {"facets": {}}
        if q.cursor is not None:
            message["next-cursor"] = self._cursors.issue(q.fingerprint, next_position)
        message["total-results"] = total
        message["items"] = [_item(r, s, q.select) for r, s in pairs]
        message["items-per-page"] = per_page
        message["query"] = {"start-index": q.offset, "search-terms": q.search_terms}
        return _envelope("work-list", message)

    def _everything(self, index: SqliteIndex, q: ListQuery) -> list[tuple[Record, float]]:
        """Every matching work in answer order (for DOI lists, filtered queries, sorts)."""
        pairs: list[tuple[Record, float]]
        if q.doi_keys is not None:
            found = index.records(list(q.doi_keys))
            records = [found[k] for k in q.doi_keys if k in found]
            records = [r for r in records if all(p(r) for p in q.predicates)]
            if q.text is None:
                pairs = [(r, 0.0) for r in records]  # in the order asked
            else:
                scores = {
                    doi_key(str(r.get("DOI"))): s
                    for r, s in index.search_records(q.text, SEARCH_CAP)
                }
                pairs = [
                    (r, scores[doi_key(str(r.get("DOI")))])
                    for r in records
                    if doi_key(str(r.get("DOI"))) in scores
                ]
                pairs.sort(key=lambda pair: pair[1], reverse=True)
        elif q.text is not None:
            pairs = [
                (r, s)
                for r, s in index.search_records(q.text, SEARCH_CAP)
                if all(p(r) for p in q.predicates)
            ]
        else:
            pairs = [(r, 0.0) for _, r in self._matching(index, q, 0)]
        return _sorted(pairs, q.sort, q.descending) if q.sort is not None else pairs

    def _matching(
        self, index: SqliteIndex, q: ListQuery, after: int
    ) -> Iterator[tuple[int, Record]]:
        while True:
            batch = list(index.iter_records(after, _SCAN_BATCH))
            for row_id, record in batch:
                if all(p(record) for p in q.predicates):
                    yield row_id, record
            if len(batch) < _SCAN_BATCH:
                return
            after = batch[-1][0]

    def _scan(
        self, index: SqliteIndex, q: ListQuery, start: int
    ) -> tuple[list[tuple[Record, float]], int, int]:
        """A page in row order: (items, total, next position).

        With a cursor the position is a row id (resuming is a range scan); with
        an offset it counts matches.
        """
        if q.cursor is None:
            known = index.count() if not q.predicates else self._cached_total(q)
            page: list[tuple[Record, float]] = []
            seen = 0
            for _, record in self._matching(index, q, 0):
                if start <= seen < start + q.rows:
                    page.append((record, 0.0))
                seen += 1
                if known is not None and seen >= start + q.rows:
                    break  # the total is known: no need to count to the end
            else:
                self._remember_total(q, seen)
            return page, seen if known is None else known, start + len(page)
        page, last = [], start
        if q.rows:
            for row_id, record in self._matching(index, q, start):
                page.append((record, 0.0))
                last = row_id
                if len(page) == q.rows:
                    break
            else:
                last = 1 << 62  # the end: later pages are empty
        return page, self._total(index, q), last

    def _total(self, index: SqliteIndex, q: ListQuery) -> int:
        if not q.predicates:
            return index.count()
        total = self._cached_total(q)
        if total is None:
            total = sum(1 for _ in self._matching(index, q, 0))
            self._remember_total(q, total)
        return total

    def _cached_total(self, q: ListQuery) -> int | None:
        with self._lock:
            return self._totals.get(q.fingerprint)

    def _remember_total(self, q: ListQuery, total: int) -> None:
        with self._lock:
            self._totals[q.fingerprint] = total
            while len(self._totals) > 256:
                self._totals.popitem(last=False)

    def _sample(self, index: SqliteIndex, q: ListQuery) -> list[tuple[Record, float]]:
        if q.text is None and q.doi_keys is None and not q.predicates:
            count = index.count()
            with self._lock:
                afters = self._random.sample(range(count), min(q.sample, count))
            picked = [next(index.iter_records(after, 1), None) for after in afters]
            return [(r, 0.0) for _, r in filter(None, picked)]
        everything = self._everything(index, q)
        with self._lock:
            return self._random.sample(everything, min(q.sample, len(everything)))


# --- the app ------------------------------------------------------------------------
class AccessLog:
    """JSON lines, one per request, flushed as written (event-loop thread only)."""

    def __init__(self, path: Path | None) -> None:
        self._file: TextIO | None = (
            path.open("a", encoding="utf-8", buffering=1) if path is not None else None
        )

    def write(self, entry: Mapping[str, Any]) -> None:
        if self._file is not None and not self._file.closed:
            self._file.write(json.dumps(entry, separators=(",", ":")) + "\n")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class CrossrefApp:
    """The ASGI application: Crossref's gateway behaviour around the routes."""

    def __init__(
        self,
        index_path: Path,
        *,
        faults: Faults = NO_FAULTS,
        enforce_limits: bool = False,
        access_log: Path | None = None,
        cursor_ttl: float = 300.0,
        readers: int = 4,
    ) -> None:
        self.faults = faults
        self.readers = Readers(index_path, readers)
        # Our own threads, not AnyIO's: they are joined on close, so nothing outlives a server.
        self._executor = ThreadPoolExecutor(readers, thread_name_prefix="refs-serve")
        self.gate = PoolGate(enforce=enforce_limits)
        self._injector = FaultInjector(faults)
        self._cursors = Cursors(cursor_ttl)
        self._lists = Lists(self._cursors)
        self._log = AccessLog(access_log)
        self._closed = False

        def scoped(name: str) -> Callable[[Request], Any]:
            async def endpoint(request: Request) -> Response:
                return await self._list(request, (name, request.path_params["id"]))

            return endpoint

        routes = [
            Route("/works", self._list),
            Route("/works/{doi:path}", self._work),
            *(
                Route(f"/{resource}/{{id}}/works", scoped(name))
                for resource, name in (
                    ("journals", "issn"),
                    ("members", "member"),
                    ("prefixes", "prefix"),
                    ("types", "type"),
                    ("funders", "funder"),
                )
            ),
        ]
        self._router = Starlette(
            routes=routes, exception_handlers={HTTPException: self._http_error}
        )

    def close(self) -> None:
        """Close the index connections and the access log (idempotent)."""
        if not self._closed:
            self._closed = True
            self._executor.shutdown(wait=True)
            self.readers.close()
            self._log.close()

    # --- routes ---------------------------------------------------------------
    async def _http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return not_found()
        return _response(exc.status_code, str(exc.detail).encode(), "text/plain")

    async def _work(self, request: Request) -> Response:
        failures = single_route_failures(request.query_params)
        if failures:
            return _validation_failure(failures)
        key = doi_key(request.path_params["doi"])
        accept = request.headers.get("accept-encoding", "")
        return await self._in_thread(functools.partial(self._answer_work, key, accept))

    def _answer_work(self, key: str, accept: str) -> Response:
        agency_of = key.removesuffix("/agency") if key.endswith("/agency") else None
        keys = [key] if agency_of is None else [key, agency_of]
        with self.readers.reader() as index:
            found = index.records(keys)
        if key in found:  # a DOI that itself ends in /agency wins over the agency route
            return _json_200(_envelope("work", _item(found[key], 1, None)), accept)
        if agency_of is not None and agency_of in found:
            agency = {"id": "crossref", "label": "Crossref"}
            doi = str(found[agency_of].get("DOI") or agency_of).lower()
            message = {"DOI": doi, "agency": agency}
            return _response(200, _envelope("work-agency", message), _JSON_UTF8)
        return not_found()

    async def _in_thread(self, function: Callable[[], _R]) -> _R:
        return await asyncio.get_running_loop().run_in_executor(self._executor, function)

    async def _list(self, request: Request, scope: tuple[str, str] | None = None) -> Response:
        try:
            query = parse_list(request.query_params, self._cursors, scope)
        except _Rejected as rejected:
            return rejected.response
        accept = request.headers.get("accept-encoding", "")
        return await self._in_thread(functools.partial(self._answer_list, query, accept))

    def _answer_list(self, query: ListQuery, accept: str) -> Response:
        with self.readers.reader() as index:
            return _json_200(self._lists.run(index, query), accept)

    # --- the gateway ------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        else:
            await self._router(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        began, wall = time.monotonic(), time.time()
        headers = dict(scope.get("headers") or [])
        pool = pool_of(
            scope["path"],
            scope.get("query_string", b"").decode("latin-1"),
            headers.get(b"user-agent", b"").decode("latin-1"),
        )
        extra = [*pool_headers(pool), *_CORS]
        status: int | None = None

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        async def answer(code: int, body: bytes, kind: str, *more: tuple[bytes, bytes]) -> None:
            head = [(b"content-type", kind.encode()), (b"content-length", b"%d" % len(body))]
            await send_with_headers(
                {"type": "http.response.start", "status": code, "headers": [*head, *more]}
            )
            await send_with_headers({"type": "http.response.body", "body": body})

        admission = self.gate.admit(pool)
        fault = None
        try:
            if not admission.admitted:
                retry = (b"retry-after", str(admission.retry_after).encode())
                await answer(429, b"Too Many Requests", "text/plain", retry)
                return
            decision = self._injector.decide()
            fault = decision.kind.value if decision.kind is not Kind.NONE else None
            if decision.delay:
                await asyncio.sleep(decision.delay)
            if decision.kind is Kind.DROP:
                await _drop_connection(send)
            elif decision.kind is Kind.TOO_MANY:
                retry = (b"retry-after", str(self.faults.retry_after).encode())
                await answer(429, TOO_MANY_PAGE, "text/html", retry)
            elif decision.kind is Kind.SERVER_ERROR:
                await answer(decision.status, ERROR_PAGES[decision.status], "text/html")
            elif decision.kind is Kind.NON_JSON:
                await answer(200, NON_JSON_PAGE, "text/html")
            else:
                await self._router(scope, receive, send_with_headers)
        finally:
            if admission.admitted:
                self.gate.release(pool)
            self._log.write(
                {
                    "time": round(wall, 6),
                    "method": scope["method"],
                    "path": scope["path"],
                    "query": scope.get("query_string", b"").decode("latin-1"),
                    "status": status,
                    "pool": pool,
                    "duration": round(time.monotonic() - began, 6),
                    "concurrent": admission.concurrent,
                    "over": admission.over,
                    "fault": fault,
                }
            )


async def _drop_connection(send: Send) -> None:
    """Close the client's connection without a response, as a failing proxy does.

    ASGI has no message for this, so reach uvicorn's transport through the bound
    `send` of its request cycle (this must be the server's own `send`).
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise RuntimeError("cannot drop the connection: not served by uvicorn")
    transport.abort()
    # Let connection_lost run so uvicorn sees a disconnected client, not an app that
    # returned without answering (which it would answer with a 500).
    for _ in range(3):
        await asyncio.sleep(0)


def create_app(
    index_path: Path,
    *,
    faults: Faults = NO_FAULTS,
    enforce_limits: bool = False,
    access_log: Path | None = None,
    cursor_ttl: float = 300.0,
    readers: int = 4,
) -> CrossrefApp:
    """The ASGI app serving `index_path` (opened read-only) as Crossref's REST API."""
    return CrossrefApp(
        index_path,
        faults=faults,
        enforce_limits=enforce_limits,
        access_log=access_log,
        cursor_ttl=cursor_ttl,
        readers=readers,
    )
