"""List requests: Cayenne's validation of a `/works` query into a `ListQuery`, and signed cursors.

`validate_list_request` checks every parameter of a list route the way Cayenne does
(paging bounds, sort, filters, field queries, cursor) and either returns the
`ListQuery` that `lists.Lists` runs or raises `Rejected` with the exact answer.
`Cursors` issues and reads the opaque deep-paging tokens tied to one query.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from starlette.datastructures import QueryParams

from refs.serve.envelopes import (
    Predicate,
    Rejected,
    cursor_invalid,
    failure,
    json_bytes,
    not_found,
    validation_failure,
)
from refs.serve.filters import DIGITS, compile_filters, integer_failure, parse_filter, words

MAX_ROWS = 1000
MAX_OFFSET = 10_000
MAX_SAMPLE = 100
DEFAULT_ROWS = 20

VALID_FIELD_QUERIES = words(
    "affiliation author bibliographic chair container-title contributor degree "
    "description editor event-acronym event-location event-name event-sponsor event-theme "
    "funder-name publisher-location publisher-name standards-body-acronym "
    "standards-body-name title translator"
)
SORT_FIELDS = words(
    "score relevance updated deposited indexed created published-print published-online "
    "published issued is-referenced-by-count references-count"
)


class Cursors:
    """Opaque, signed cursor tokens: a position tied to one query, valid `ttl` seconds.

    Crossref's cursors expire after five minutes unused; so do these.
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._key = secrets.token_bytes(16)

    def issue(self, fingerprint: str, position: int) -> str:
        payload = json_bytes([fingerprint, position, int(time.time())])
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
    if not DIGITS.fullmatch(value) or int(value) > maximum:
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
        failure(name, "parameter-not-allowed", message)
        for name, message in _SINGLE_ONLY_NOT
        if name in params
    ]
    if any(name.startswith("query.") for name in params):
        failures.append(
            failure(
                "query.*",
                "parameter-not-allowed",
                "This route does not support field query parameters",
            )
        )
    return failures


def validate_list_request(
    params: QueryParams, cursors: Cursors, scope: tuple[str, str] | None = None
) -> ListQuery:
    """Validate a list request the way Cayenne does; `Rejected` carries the answer."""
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
            failure(
                "cursor",
                "cursor-with-offset-or-sample",
                "Cursor cannot be combined with offset or sample",
            )
        )
    order = params.get("order")
    if order is not None and order not in ("asc", "desc", "1", "-1"):
        failures.append(
            failure(
                order,
                "sort-order-not-valid",
                f"Sort order specified as {order} but must be one of: asc, desc, 1, -1",
            )
        )
    sort = params.get("sort")
    if sort is not None and sort.strip().lower() not in SORT_FIELDS:
        failures.append(
            failure(
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
            failure(
                name,
                "field-query-not-available",
                f"Field query {name} specified byt there is no such field query for this"
                f" route. Valid field queries for this route are: {', '.join(VALID_FIELD_QUERIES)}",
            )
        )
    if failures:
        raise Rejected(validation_failure(failures))
    if scope is not None:
        # The resource in the path (/journals/{issn}/works…) is one more ANDed filter.
        scope_failures: list[dict[str, str]] = []
        _, scope_predicates = compile_filters([scope], scope_failures)
        if scope_failures:
            raise Rejected(not_found())
        predicates = [*predicates, *scope_predicates]

    plain = " ".join(v.strip() for v in params.getlist("query") if v.strip()) or None
    texts = [plain] if plain else []
    texts += [v.strip() for _, v in field_queries if v.strip()]
    sort_name = sort.strip().lower() if sort is not None else None
    fingerprint = hashlib.sha256(
        json_bytes(
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
            raise Rejected(cursor_invalid(cursor))
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
