"""Client-side pacing: a rate and a concurrency limit per Crossref pool.

The limits start from what the API documents (Dec 2025 / Jul 2026 pools) and
follow the `x-rate-limit-*` and `x-concurrency-limit` headers of each answer, so a
change on Crossref's side is obeyed without a release. Limits the caller sets
explicitly (`Limits(overrides)`: a test, a benchmark, a Plus contract) are kept as
given: the headers never replace them.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

# The share of a pool's advertised rate the client uses. Requests are spaced by the
# client's clock when they leave, but counted by the server's when they arrive: the
# first one also carries the connection (and TLS) set-up, so the next arrives early by
# that much. At 1 request/s (public lists) the service banks a single token, so
# spacing exactly 1/rate is refused now and then; 10% headroom absorbs ~100 ms.
HEADROOM = 0.9

# (requests per second, concurrent requests) per pool, as documented in 2026. The one
# copy of these numbers: `refs serve` advertises and enforces the same (serve/ratelimit.py).
DEFAULTS: dict[str, tuple[float, int]] = {
    "polite-single": (10.0, 3),
    "polite-array": (3.0, 3),
    "public-single": (5.0, 1),
    "public-array": (1.0, 1),
}


@dataclass
class PoolLimit:
    """A token bucket for the rate and a bounded count for concurrency.

    `pinned`: set by the caller, so `follow` leaves it alone.
    """

    rate: float
    concurrency: int
    pinned: bool = False

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        self._tokens = 1.0
        self._stamp = time.monotonic()
        self._active = 0
        self._not_before = 0.0

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for a free slot and a token, then hold the slot for one request."""
        with self._lock:
            while True:
                now = time.monotonic()
                pace = self.rate * HEADROOM
                self._tokens = min(1.0, self._tokens + (now - self._stamp) * pace)
                self._stamp = now
                wait = max(self._not_before - now, 0.0)
                if self._active < self.concurrency and self._tokens >= 1.0 and wait == 0.0:
                    self._tokens -= 1.0
                    self._active += 1
                    break
                if wait == 0.0 and self._tokens < 1.0:
                    wait = (1.0 - self._tokens) / pace
                self._lock.wait(timeout=wait if wait > 0 else None)
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                self._lock.notify_all()

    def pause(self, seconds: float) -> None:
        """Nobody in this pool sends before `seconds` from now (a 429's Retry-After)."""
        with self._lock:
            self._not_before = max(self._not_before, time.monotonic() + seconds)
            self._lock.notify_all()

    def follow(self, headers: Mapping[str, str]) -> None:
        """Adopt the limits the server advertises (unless the caller pinned this pool's)."""
        if self.pinned:
            return
        limit = headers.get("x-rate-limit-limit")
        interval = headers.get("x-rate-limit-interval", "1s")
        concurrency = headers.get("x-concurrency-limit")
        seconds = _seconds(interval)
        with self._lock:
            if limit and limit.isdigit() and seconds:
                self.rate = max(int(limit) / seconds, 0.1)
            if concurrency and concurrency.isdigit():
                self.concurrency = max(int(concurrency), 1)
            self._lock.notify_all()


def _seconds(interval: str) -> float:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*", interval)
    if not match:
        return 1.0
    value = float(match.group(1))
    return {"ms": value / 1000, "m": value * 60}.get(match.group(2) or "s", value)


class Limits:
    """The pools of one client, by name."""

    def __init__(self, overrides: Mapping[str, tuple[float, int]] | None = None) -> None:
        overrides = overrides or {}
        table = {**DEFAULTS, **overrides}
        self.pools = {
            name: PoolLimit(rate, conc, pinned=name in overrides)
            for name, (rate, conc) in table.items()
        }

    def pool(self, name: str) -> PoolLimit:
        return self.pools[name]
