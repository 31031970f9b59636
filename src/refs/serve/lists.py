"""Running list requests against the index: the reader pool and the answer to a `ListQuery`.

`Readers` lends read-only index connections to worker threads (a slow search must
not stall DOI lookups); `Lists` turns a validated `ListQuery` into a `work-list`
envelope: relevance pages, row-order scans resumable by cursor, filtered or sorted
result sets, samples, and their `total-results`.
"""

from __future__ import annotations

import queue
import random
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from refs.errors import SourceUnavailable
from refs.ids import doi_key
from refs.serve.envelopes import Record, envelope, item
from refs.serve.filters import date_of
from refs.serve.query import Cursors, ListQuery
from refs.sources.sqlite_index import SqliteIndex

# How many search hits a query with filters or a non-relevance sort looks through:
# Elasticsearch's default result window, which bounds Crossref's offsets too.
SEARCH_CAP = 10_000
_SCAN_BATCH = 1000


def _timestamp_of(record: Record, key: str) -> int:
    value = record.get(key)
    stamp = value.get("timestamp") if isinstance(value, dict) else None
    return stamp if isinstance(stamp, int) else 0


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
    date = date_of(record, keys)
    return None if date is None else (*date, _timestamp_of(record, keys[0]))


def _sorted(pairs: list[tuple[Record, float]], field: str, descending: bool) -> list[Any]:
    """Sorted by `field`; records without it last either way (Elasticsearch's rule)."""
    keyed = [(_sort_key(r, field), r, s) for r, s in pairs]
    present = [k for k in keyed if k[0] is not None]
    present.sort(key=lambda k: k[0] or (), reverse=descending)
    return [(r, s) for _, r, s in present] + [(r, s) for k, r, s in keyed if k is None]


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
            total = index.count_matches(q.text, at_least=len(hits))
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
        message["items"] = [item(r, s, q.select) for r, s in pairs]
        message["items-per-page"] = per_page
        message["query"] = {"start-index": q.offset, "search-terms": q.search_terms}
        return envelope("work-list", message)

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
