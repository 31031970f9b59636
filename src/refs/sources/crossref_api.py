"""The Crossref REST API as a `Source` — the public API, or any compatible server.

Etiquette is correctness here:
- one kept-alive `requests.Session` for every request, agency look-ups included
  (habanero opens a new HTTP client per call, ~30 ms each, does not URL-encode
  DOIs, and neither paces nor retries);
- the polite pool through `mailto` (parameter and User-Agent);
- DOIs in batches of `filter=doi:…,doi:…` list requests (one request per
  `batch_size` DOIs instead of one per DOI), `select` to cut payloads;
- each pool's rate and concurrency limits obeyed, and updated from the headers;
- 429 waits for `Retry-After`, 5xx, read timeouts and dropped connections back off
  exponentially with jitter; timeouts on every request;
- a server that cannot be reached at all (connection refused, a host name that does
  not resolve, a connect timeout) is not retried: the first such failure marks the
  client down (`down` says why), and every later request fails at once, with no
  request made; back-off is for a server that answers, not for a port nobody
  listens on;
- answers cached on disk so no DOI or query is asked twice.
A request that still fails makes its DOIs `UNAVAILABLE`: never "not found" (a client
that is down too: a transport failure is never a verdict).
"""

from __future__ import annotations

import random
import socket
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError  # urllib3 1.26 and 2.x alike

from refs import __version__
from refs.errors import SourceUnavailable
from refs.ids import CROSSREF_DOI, doi_key
from refs.resolve.source import Absent, Candidate, Closing, Description, Query
from refs.sources.cache import AnswerCache
from refs.sources.limits import Limits
from refs.work import Work

PUBLIC_API = "https://api.crossref.org"
# The fields refs reads; `select` keeps payloads small (a full record can be 100 kB
# with its deposited reference list).
SELECT = (
    "DOI,type,title,subtitle,container-title,short-container-title,author,issued,"
    "published-print,published-online,volume,issue,page,article-number,ISSN,publisher,"
    "update-to,updated-by,relation,score,published,created"
)  # `published` and `created`: `work_date` falls back to them when `issued` has no date
# Fastest measured against `refs serve` (benchmarks, section "sources": 200 beat 20–100 and
# 500); larger batches are split anyway by MAX_FILTER_CHARS. Crossref caps rows at 1000.
MAX_BATCH = 200
# Encoded length of one `filter=` value at most: Crossref sits behind a load balancer
# whose request line is capped (16 kB on AWS), and long DOIs make long filters.
MAX_FILTER_CHARS = 8000


@dataclass
class Stats:
    """What the client did: for benchmarks and the etiquette tests."""

    requests: int = 0
    retries: int = 0
    cache_hits: int = 0
    unavailable: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    unreachable: int = 0  # requests that could not connect at all (refused, DNS, connect timeout)
    skipped: int = 0  # requests not made because the client was down


class TransportFailure(Exception):
    """A request that got no usable answer after every retry."""


class CrossrefApi(Closing):
    """A `Source` over the Crossref REST API or a compatible server (`refs serve`)."""

    def __init__(
        self,
        base_url: str = PUBLIC_API,
        *,
        mailto: str | None = None,
        session: requests.Session | None = None,
        cache: AnswerCache | None = None,
        batch_size: int = MAX_BATCH,
        timeout: tuple[float, float] = (5.0, 30.0),
        max_attempts: int = 6,
        backoff: float = 0.5,
        max_wait: float = 60.0,
        limits: Limits | None = None,
        warn: bool = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.name = "crossref" if self.base_url == PUBLIC_API else self.base_url
        self.mailto = mailto
        self.cache = cache
        self.batch_size = max(1, min(batch_size, 1000))
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self.limits = limits or Limits()
        self.stats = Stats()
        self._stats_lock = threading.Lock()  # `works` runs requests in several threads
        self._random = random.Random()
        # Why the server cannot be reached (set by the first connection-level failure), and
        # the reason of the last request that failed for good: for the one-line error.
        self.down: str | None = None
        self.failure: str | None = None
        self.session = session or requests.Session()
        self.session.mount("http://", HTTPAdapter(pool_maxsize=8))
        self.session.mount("https://", HTTPAdapter(pool_maxsize=8))
        contact = f"; mailto:{mailto}" if mailto else ""
        self.session.headers["User-Agent"] = f"refs/{__version__} (reference checker{contact})"
        if warn and not mailto and self.base_url == PUBLIC_API:
            print(
                "refs: no --mailto (or REFS_MAILTO): using Crossref's public pool, "
                "which is slower; give an e-mail address to use the polite pool",
                file=sys.stderr,
            )

    # --- Source protocol -------------------------------------------------------
    def works(self, dois: Iterable[str]) -> dict[str, Work | Absent]:
        keys = list(dict.fromkeys(doi_key(d.strip()) for d in dois if d.strip()))
        out: dict[str, Work | Absent] = {}
        cached = self.cache.get_many(self.base_url, "work", keys) if self.cache else {}
        self._count("cache_hits", len(cached))
        for key, record in cached.items():
            out[key] = Work.from_message(record) if record is not None else Absent.MISSING
        todo = [k for k in keys if k not in cached]
        # A comma would split the filter value, and a value that is not DOI-shaped gets
        # the whole batch a 400: such DOIs are asked one by one (`/works/{doi}`: 404).
        single = [k for k in todo if not _batchable(k)]
        batches = _chunks([k for k in todo if _batchable(k)], self.batch_size)
        jobs: list[list[str]] = batches + [[k] for k in single]
        workers = max(1, min(self.limits.pool(self._pool("array")).concurrency, len(jobs)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for answers in pool.map(self._lookup, jobs):
                out.update(answers)
        return {k: out[k] for k in keys}

    def search(self, query: Query) -> list[Candidate]:
        if not query.text.strip() or query.rows < 1:
            # An empty `query.bibliographic` is no query at all: the server would list
            # works in index order, which are not candidates for anything.
            return []
        key = f"{query.rows}|{query.text}"
        if self.cache:
            cached = self.cache.get_many(self.base_url, "query", [key])
            if key in cached:
                self._count("cache_hits", 1)
                return [
                    Candidate(Work.from_message(i), float(i.get("score") or 0)) for i in cached[key]
                ]
        params = {"query.bibliographic": query.text, "rows": str(query.rows), "select": SELECT}
        try:
            body = self._get("/works", params, pool="array")
        except TransportFailure as error:
            # No answer is not "no candidates": the resolver reports the reference unavailable.
            raise SourceUnavailable(f"{self.name}: search failed: {error}") from None
        items = [i for i in (body or {}).get("message", {}).get("items", []) if isinstance(i, dict)]
        if self.cache:
            self.cache.put_many(self.base_url, "query", {key: items})
        return [Candidate(Work.from_message(i), float(i.get("score") or 0)) for i in items]

    def agency(self, doi: str) -> str | None:
        key = doi_key(doi.strip())
        if not key:
            return None
        if self.cache:
            cached = self.cache.get_many(self.base_url, "agency", [key])
            if key in cached:
                self._count("cache_hits", 1)
                return str(cached[key]) if cached[key] is not None else None
        try:
            # The DOI URL-encoded whole: `#`, `?` and `;` belong to it, not to the URL.
            body = self._get(f"/works/{quote(key, safe='')}/agency", {}, pool="single")
        except TransportFailure:
            return None  # not cached: no answer is not an answer
        message = (body or {}).get("message")
        agency = message.get("agency") if isinstance(message, dict) else None
        name = (agency.get("id") or agency.get("label")) if isinstance(agency, dict) else None
        answer = str(name).lower() if name else None
        if self.cache:
            self.cache.put_many(self.base_url, "agency", {key: answer})
        return answer

    def describe(self) -> Description:
        return Description(self.name, down=self.down, failure=self.failure, reached=self.reached)

    @property
    def reached(self) -> bool:
        """Whether the server (or the cache) answered anything yet."""
        return bool(self.stats.statuses) or self.stats.cache_hits > 0

    def close(self) -> None:
        self.session.close()
        if self.cache:
            self.cache.close()

    # --- requests -----------------------------------------------------------------
    def _lookup(self, keys: list[str]) -> dict[str, Work | Absent]:
        try:
            if len(keys) == 1 and not _batchable(keys[0]):
                body = self._get(f"/works/{quote(keys[0], safe='')}", {}, pool="single")
                items = [body["message"]] if body else []
            else:
                params = {
                    "filter": ",".join(f"doi:{k}" for k in keys),
                    "rows": str(len(keys)),
                    "select": SELECT,
                }
                body = self._get("/works", params, pool="array")
                items = list((body or {}).get("message", {}).get("items", []))
        except TransportFailure:
            self._count("unavailable", len(keys))
            return dict.fromkeys(keys, Absent.UNAVAILABLE)
        found = {doi_key(str(i.get("DOI", ""))): i for i in items if isinstance(i, dict)}
        answers: dict[str, Any] = {k: found.get(k) for k in keys}
        if self.cache:
            self.cache.put_many(self.base_url, "work", answers)
        return {
            k: Work.from_message(v) if v is not None else Absent.MISSING for k, v in answers.items()
        }

    def _count(self, name: str, n: int = 1, status: int | None = None) -> None:
        with self._stats_lock:
            setattr(self.stats, name, getattr(self.stats, name) + n)
            if status is not None:
                self.stats.statuses[status] = self.stats.statuses.get(status, 0) + 1

    def _pool(self, kind: str) -> str:
        return f"{'polite' if self.mailto else 'public'}-{kind}"

    def _get(self, path: str, params: dict[str, str], *, pool: str) -> dict[str, Any] | None:
        """GET with pacing and retries. None means a definitive 404."""
        if self.mailto:
            params = {**params, "mailto": self.mailto}
        limit = self.limits.pool(self._pool(pool))
        last = "no attempt"
        for attempt in range(self.max_attempts):
            if self.down is not None:  # no request to a server that cannot be reached
                self._count("skipped")
                raise TransportFailure(self.down)
            if attempt:
                self._count("retries")
            try:
                with limit.slot():
                    if self.down is not None:  # went down while this request waited its turn
                        self._count("skipped")
                        raise TransportFailure(self.down)
                    self._count("requests")
                    response = self.session.get(
                        self.base_url + path, params=params, timeout=self.timeout
                    )
            except requests.RequestException as error:
                reason = unreachable_reason(error)
                if reason is not None:  # refused, no such host: retrying in seconds cannot help
                    self._count("unreachable")
                    self.down = self.down or reason
                    self.failure = reason
                    raise TransportFailure(reason) from None
                last = _describe(error)
                time.sleep(self._delay(attempt))
                continue
            self._count("requests", 0, status=response.status_code)
            limit.follow(response.headers)
            if response.status_code == 200:
                try:
                    data: dict[str, Any] = response.json()
                except ValueError:
                    last = "200 without JSON"
                    time.sleep(self._delay(attempt))
                    continue
                return data
            if response.status_code == 404 and response.headers.get("content-type", "").startswith(
                "text/plain"
            ):
                return None
            if response.status_code == 429:
                wait = _retry_after(response.headers.get("retry-after")) or self._delay(attempt)
                limit.pause(min(wait, self.max_wait))
                last = "429"
                continue
            if response.status_code >= 500 or response.status_code == 408:
                last = str(response.status_code)
                time.sleep(self._delay(attempt))
                continue
            # Another 4xx is our request's fault: retrying cannot help.
            self.failure = f"HTTP {response.status_code}"
            raise TransportFailure(f"{response.status_code} for {path}: {response.text[:200]}")
        self.failure = f"no answer after {self.max_attempts} attempts: {last}"
        raise TransportFailure(self.failure)

    def _delay(self, attempt: int) -> float:
        """Exponential back-off with full jitter."""
        return self._random.uniform(0, min(self.max_wait, self.backoff * 2**attempt))


def unreachable_reason(error: requests.RequestException) -> str | None:
    """Why `error` means the server cannot be reached at all; None if it is worth retrying.

    Connection refused, a host name that does not resolve, a network that is not there,
    a connect timeout: no connection was made, and none will be in the next seconds. A read
    timeout or a connection dropped mid-answer reached a server: those are retried.
    """
    if isinstance(error, requests.ConnectTimeout):
        return "connection timed out"
    if not isinstance(error, requests.ConnectionError) or isinstance(error, requests.ReadTimeout):
        return None
    cause: object = error.args[0] if error.args else None
    cause = getattr(cause, "reason", cause)  # urllib3's MaxRetryError wraps the real one
    if not isinstance(cause, NewConnectionError):  # a connection made, then dropped: retry
        return None
    os_error = cause.__cause__ or cause.__context__
    if isinstance(os_error, socket.gaierror):
        url = error.request.url if error.request is not None else None
        host = urlsplit(url).hostname if isinstance(url, str) else None
        return f"DNS failure: cannot resolve {host}" if host else "DNS failure"
    if isinstance(os_error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(os_error, OSError) and os_error.strerror:  # network unreachable, no route…
        return os_error.strerror[0].lower() + os_error.strerror[1:]
    return "cannot connect"


def _describe(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return "timed out"
    if isinstance(error, requests.ConnectionError):
        return "connection dropped"
    return type(error).__name__


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None


def _batchable(key: str) -> bool:
    # Crossref's filter validation rejects any other value, and the whole batch with a 400.
    return "," not in key and CROSSREF_DOI.match(key) is not None


def _chunks(items: list[str], size: int) -> list[list[str]]:
    """Batches of at most `size` DOIs whose encoded filter stays under MAX_FILTER_CHARS."""
    out: list[list[str]] = []
    batch: list[str] = []
    length = 0
    for item in items:
        cost = len(quote_plus(f"doi:{item}")) + 3  # the encoded comma between values
        if batch and (len(batch) >= size or length + cost > MAX_FILTER_CHARS):
            out.append(batch)
            batch, length = [], 0
        batch.append(item)
        length += cost
    if batch:
        out.append(batch)
    return out
