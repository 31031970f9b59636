"""Crossref's pools and their limits: which pool a request lands in, and whether it fits.

The limits are the ones observed from 23 Jul 2026 (API_CONTRACT.md §5): a DOI
lookup ("single") gets 5/s with concurrency 1 anonymously, 10/s with concurrency 3
when polite; a list ("array": queries, filters) gets 1/s or 3/s, concurrency 1 or 3.
The numbers are the client's table (`refs.sources.limits.DEFAULTS`), so the server
and the client that paces itself against it cannot drift apart.

`PoolGate` counts every request whether or not limits are enforced, so the access
log can say, for each request, whether the real service would have refused it.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from refs.sources.limits import DEFAULTS


@dataclass(frozen=True, slots=True)
class Limit:
    """What one pool may do: `rate` requests per second, `concurrency` at once."""

    rate: int
    concurrency: int


def _limit(pool: str, rate: float, concurrency: int) -> Limit:
    # Crossref advertises whole requests per interval (`x-rate-limit-limit: 5`).
    if not rate.is_integer() or rate < 1:
        raise ValueError(f"{pool}: the server advertises whole rates, not {rate}/s")
    return Limit(rate=int(rate), concurrency=concurrency)


POOL_LIMITS: Mapping[str, Limit] = {
    pool: _limit(pool, rate, concurrency) for pool, (rate, concurrency) in DEFAULTS.items()
}


def pool_of(path: str, query_string: str, user_agent: str) -> str:
    """The pool Crossref would put this request in.

    Polite: a non-empty `mailto=` parameter or `mailto:` in the User-Agent (either is
    enough). Array: the list routes (`/works`, `/journals/…/works`, …); everything
    else, `/works/{doi}` and its `/agency`, is single.
    """
    polite = "mailto:" in user_agent.lower() or any(
        name == "mailto" and value.strip()
        for name, value in parse_qsl(query_string, keep_blank_values=True)
    )
    kind = "array" if is_list_path(path) else "single"
    return f"{'polite' if polite else 'public'}-{kind}"


def is_list_path(path: str) -> bool:
    parts = [p for p in path.split("/") if p]
    if parts == ["works"]:
        return True
    return (
        len(parts) == 3
        and parts[0] in ("journals", "members", "prefixes", "types", "funders")
        and parts[2] == "works"
    )


def pool_headers(pool: str) -> list[tuple[bytes, bytes]]:
    """The headers Crossref advertises its limits with, on every response."""
    limit = POOL_LIMITS[pool]
    return [
        (b"x-api-pool", pool.encode()),
        (b"x-rate-limit-limit", str(limit.rate).encode()),
        (b"x-rate-limit-interval", b"1s"),
        (b"x-concurrency-limit", str(limit.concurrency).encode()),
    ]


class TokenBucket:
    """`rate` tokens a second, at most `rate` banked.

    A client that never sends more than `rate` requests in any one-second window
    always finds a token, so a well-paced client is never refused.
    """

    def __init__(self, rate: int, clock: Callable[[], float]) -> None:
        self.rate = float(rate)
        self.tokens = float(rate)
        self._clock = clock
        self._updated = clock()

    def take(self) -> float:
        """Take a token: 0.0 when granted, else the seconds until one is due."""
        now = self._clock()
        self.tokens = min(self.rate, self.tokens + (now - self._updated) * self.rate)
        self._updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


@dataclass(frozen=True, slots=True)
class Admission:
    """The gate's verdict on one request.

    `over` names the limit the request broke ("rate" or "concurrency"), enforced or
    not; `admitted` is False only when enforcement refused it.
    """

    admitted: bool
    over: str | None
    retry_after: int
    concurrent: int  # requests in flight in this pool, this one included


class PoolGate:
    """Per-pool token buckets and in-flight counters. Event-loop only: not thread-safe."""

    def __init__(self, *, enforce: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self.enforce = enforce
        self._buckets = {
            pool: TokenBucket(limit.rate, clock) for pool, limit in POOL_LIMITS.items()
        }
        self._inflight = dict.fromkeys(POOL_LIMITS, 0)

    def admit(self, pool: str) -> Admission:
        limit = POOL_LIMITS[pool]
        over: str | None = None
        retry_after = 0
        if self._inflight[pool] >= limit.concurrency:
            over, retry_after = "concurrency", 1
        else:
            wait = self._buckets[pool].take()
            if wait > 0:
                over, retry_after = "rate", max(1, math.ceil(wait))
        if over is not None and self.enforce:
            return Admission(False, over, retry_after, self._inflight[pool])
        self._inflight[pool] += 1
        return Admission(True, over, retry_after, self._inflight[pool])

    def release(self, pool: str) -> None:
        self._inflight[pool] -= 1


def read_access_log(path: Path) -> list[dict[str, Any]]:
    """The entries of an access log written by `refs serve --access-log`."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def limit_violations(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The logged requests that broke their pool's rate or concurrency limit.

    Counted by the server as the requests arrived, enforced or not: a client that
    paces itself correctly leaves this list empty.
    """
    return [entry for entry in entries if entry.get("over") is not None]
