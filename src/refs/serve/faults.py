"""Fault injection: the ways Crossref fails, on demand and reproducibly.

Each request draws once from a seeded RNG: it is answered normally or with a 429,
a 5xx page, a 200 that is not JSON, or its connection is dropped; added latency
applies to every request. Bodies are the ones Crossref's load balancer sends
(API_CONTRACT.md §4), so clients are tested against real shapes, not JSON they
will never see.
"""

from __future__ import annotations

import enum
import random
import threading
from dataclasses import dataclass, fields

from refs.errors import InputError


@dataclass(frozen=True, slots=True)
class Faults:
    """Shares of requests (0..1) answered badly, and latency added to each one.

    `rate_429` requests get 429 with `Retry-After: retry_after`; `rate_5xx` get 500,
    503 or 504 HTML pages; `rate_drop` have their connection closed with no answer;
    `rate_non_json` get a 200 HTML page (a proxy's or a maintenance page).
    Every request waits `latency_ms` plus up to `latency_jitter_ms` more.
    """

    rate_429: float = 0.0
    retry_after: int = 1
    rate_5xx: float = 0.0
    latency_ms: int = 0
    latency_jitter_ms: int = 0
    rate_drop: float = 0.0
    seed: int | None = None
    rate_non_json: float = 0.0

    def __post_init__(self) -> None:
        shares = (self.rate_429, self.rate_5xx, self.rate_drop, self.rate_non_json)
        if any(not 0.0 <= share <= 1.0 for share in shares) or sum(shares) > 1.0 + 1e-9:
            raise InputError(f"fault shares must lie in 0..1 and add up to at most 1: {self}")
        if self.retry_after < 1:
            raise InputError("retry_after must be at least 1 second")
        if self.latency_ms < 0 or self.latency_jitter_ms < 0:
            raise InputError("latency must not be negative")

    @property
    def active(self) -> bool:
        return any((self.rate_429, self.rate_5xx, self.rate_drop, self.rate_non_json)) or bool(
            self.latency_ms or self.latency_jitter_ms
        )

    @classmethod
    def parse(cls, spec: str) -> Faults:
        """From a CLI spec such as `429=0.1,5xx=0.05,drop=0.01,latency=200,seed=7`.

        Names: 429, 5xx, drop, non-json (shares); latency, jitter (ms);
        retry-after (s); seed. The field names themselves are accepted too.
        """
        aliases = {
            "429": "rate_429",
            "5xx": "rate_5xx",
            "drop": "rate_drop",
            "non-json": "rate_non_json",
            "latency": "latency_ms",
            "jitter": "latency_jitter_ms",
            "retry-after": "retry_after",
        }
        types = {f.name: f.type for f in fields(cls)}
        values: dict[str, float | int] = {}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            name, sep, raw = item.partition("=")
            key = aliases.get(name.strip(), name.strip().replace("-", "_"))
            if not sep or key not in types:
                raise InputError(f"unknown fault {item!r}: expected e.g. 429=0.1,latency=200")
            try:
                values[key] = float(raw) if key.startswith("rate_") else int(raw)
            except ValueError:
                raise InputError(f"fault {item!r}: {raw!r} is not a number") from None
        return cls(**values)  # type: ignore[arg-type]


NO_FAULTS = Faults()


class Kind(enum.Enum):
    NONE = "none"
    TOO_MANY = "429"
    SERVER_ERROR = "5xx"
    DROP = "drop"
    NON_JSON = "non-json"


@dataclass(frozen=True, slots=True)
class Decision:
    kind: Kind
    status: int  # the status to answer with (0 for NONE and DROP)
    delay: float  # seconds to wait first


class FaultInjector:
    """Draws one `Decision` per request from a seeded RNG (thread-safe)."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self._rng = random.Random(faults.seed)
        self._lock = threading.Lock()

    def decide(self) -> Decision:
        f = self.faults
        if not f.active:
            return Decision(Kind.NONE, 0, 0.0)
        with self._lock:
            # Always the same number of draws per request, so a seed replays exactly.
            roll, jitter, which = self._rng.random(), self._rng.random(), self._rng.randrange(3)
        delay = (f.latency_ms + jitter * f.latency_jitter_ms) / 1000.0
        for kind, share, status in (
            (Kind.TOO_MANY, f.rate_429, 429),
            (Kind.SERVER_ERROR, f.rate_5xx, (500, 503, 504)[which]),
            (Kind.DROP, f.rate_drop, 0),
            (Kind.NON_JSON, f.rate_non_json, 200),
        ):
            if roll < share:
                return Decision(kind, status, delay)
            roll -= share
        return Decision(Kind.NONE, 0, delay)


# The load balancer's pages (awselb/2.0), CRLF line ends as recorded.
_LB_PAGE = (
    "<html>\r\n<head><title>{code} {text}</title></head>\r\n<body>\r\n"
    "<center><h1>{code} {text}</h1></center>\r\n</body>\r\n</html>\r\n"
)
ERROR_PAGES: dict[int, bytes] = {
    500: _LB_PAGE.format(code=500, text="Internal Server Error").encode(),
    503: _LB_PAGE.format(code=503, text="Service Temporarily Unavailable").encode(),
    504: _LB_PAGE.format(code=504, text="Gateway Time-out").encode(),
}
# The only 429 body ever recorded from Crossref (rest-api-doc issues #159, #226…).
TOO_MANY_PAGE = (
    b"<html><body><h1>429 Too Many Requests</h1>\n"
    b"You have sent too many requests in a given amount of time.\n</body></html>"
)
NON_JSON_PAGE = (
    b"<html><head><title>Service maintenance</title></head>"
    b"<body><h1>We'll be back shortly</h1></body></html>"
)
