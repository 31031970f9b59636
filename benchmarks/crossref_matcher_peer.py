"""crossref-matcher (Crossref's "marple", PyPI) as a benchmark peer, on refs' own index.

Its `reference-sbmv` strategy asks the Crossref REST API through one helper,
`crossref_matcher.matching.http_utils.crossref_rest_api_call(route, params)`, which
hard-codes https://api.crossref.org and a 10 calls/s limiter. `MatcherPeer` rebinds
that one function — in `http_utils` and in every strategy module that imported it
by name — to a `requests.Session` on `refs serve` (127.0.0.1), so the peer searches
the same local index as refs, as fast as the server answers. Nothing else of the
package is changed. `close()` restores the original bindings.

Two things the harness has to supply, both said in the benchmark's notes:

- `ratelimit`: the package imports it but does not declare it; when it is not
  installed a no-op stand-in is put in `sys.modules` (the limiter it feeds is the
  one the rebinding removes anyway).
- the `isbn` filter of its `reference-parsed-isbn` step: `refs serve` has no such
  filter (400), so the helper answers `filter=isbn:X,type:book` from the server's
  `type:book` list, matching ISBNs digit for digit — what the public API would say
  for this index.

Its candidate cut (`score / len(query) ≥ 0.4`, a literal in
`SbmvUnstructured.select_candidates`) and the score terms of its similarity assume
Crossref's Elasticsearch scores. The package has no setting for either; `scale`
multiplies the scores the helper hands back (see `es_scale`), which moves both
into Elasticsearch's units without touching the package's code.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import re
import statistics
import sys
import time
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import requests

NAME = "crossref-matcher"
STRATEGY = "crossref_matcher.strategies.reference.sbmv.strategy"
HELPER = "crossref_matcher.matching.http_utils"
MISSING = f"n/a (pip install {NAME})"

_ISBN_FILTER = re.compile(r"^isbn:([0-9Xx-]+)")
Params = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Answer:
    """The peer's answer for one reference string."""

    doi: str | None  # lower-case, without https://doi.org/
    confidence: float | None
    strategy: str | None  # the innermost strategy that answered, e.g. reference-parsed-doi
    query_len: int | None = None  # its search, when it searched: len(query.bibliographic)
    top_score: float | None = None  # the server's score of the first hit (unscaled)
    error: str | None = None  # the exception the package raised on this string, if any


@dataclass
class Stats:
    requests: int = 0
    replayed: int = 0
    http_s: float = 0.0
    errors: int = 0  # strings on which the package raised
    statuses: dict[int, int] = field(default_factory=dict)


class MatcherPeer:
    """crossref-matcher's `reference-sbmv`, its HTTP helper rebound to `base_url`."""

    def __init__(self, base_url: str, *, stand_in: bool) -> None:
        self.base_url = base_url.rstrip("/")
        self.version = importlib.metadata.version(NAME)
        self.stand_in_ratelimit = stand_in
        self.stats = Stats()
        self.scale = 1.0
        self.replay = False  # answer repeated requests from what was fetched before
        self._session = requests.Session()
        self._answers: dict[tuple[str, Params], tuple[int, Any]] = {}
        self._books: list[dict[str, Any]] | None = None
        self._last_search: tuple[int, float | None] | None = None
        module = importlib.import_module(STRATEGY)
        self._strategy = module.Sbmv()
        if self._strategy.id != "reference-sbmv":
            raise RuntimeError(f"unexpected strategy id {self._strategy.id!r}")
        helper = importlib.import_module(HELPER)
        self._original: Callable[..., Any] = helper.crossref_rest_api_call
        self._rebound: list[types.ModuleType] = []
        for name, mod in list(sys.modules.items()):
            if (
                name.startswith("crossref_matcher")
                and getattr(mod, "crossref_rest_api_call", None) is self._original
            ):
                mod.crossref_rest_api_call = self._call  # type: ignore[attr-defined]
                self._rebound.append(mod)

    @property
    def rebound_modules(self) -> list[str]:
        return sorted(m.__name__ for m in self._rebound)

    def match(self, text: str) -> Answer:
        """The peer's DOI for one reference string (its `reference-sbmv` strategy, as is)."""
        self._last_search = None
        try:
            found: list[dict[str, Any]] = self._strategy.match(text)
        except Exception as error:  # its bug, not the harness's: no answer, counted
            self.stats.errors += 1
            return Answer(None, None, None, error=f"{type(error).__name__}: {error}")
        searched = self._last_search
        query_len, top = searched if searched else (None, None)
        if not found:
            return Answer(None, None, None, query_len, top)
        best = found[0]
        doi = str(best.get("id") or "").removeprefix("https://doi.org/").lower() or None
        strategies = best.get("strategies") or [None]
        conf = best.get("confidence")
        return Answer(
            doi, float(conf) if conf is not None else None, strategies[-1], query_len, top
        )

    def close(self) -> None:
        for mod in self._rebound:
            mod.crossref_rest_api_call = self._original  # type: ignore[attr-defined]
        self._rebound = []
        self._session.close()

    # --- the rebound helper ------------------------------------------------------------
    def _call(self, route: str, params: dict[str, Any]) -> tuple[int, Any]:
        """`crossref_rest_api_call(route, params) -> (status, message)`, against `base_url`."""
        wanted = {k: str(v) for k, v in params.items() if k != "mailto"}
        key = (route, tuple(sorted(wanted.items())))
        if self.replay and key in self._answers:
            self.stats.replayed += 1
            code, message = self._answers[key]
        else:
            isbn = _ISBN_FILTER.match(wanted.get("filter", ""))
            code, message = self._isbn(isbn.group(1)) if isbn else self._get(route, wanted)
            self._answers[key] = (code, message)
        query = wanted.get("query.bibliographic")
        if code == 200 and query is not None and isinstance(message, dict):
            items = message.get("items") or []
            top = float(items[0]["score"]) if items and "score" in items[0] else None
            self._last_search = (len(query), top)
            if self.scale != 1.0:
                scaled = [{**item, "score": float(item["score"]) * self.scale} for item in items]
                message = {**message, "items": scaled}
        return code, message

    def _get(self, route: str, params: dict[str, str]) -> tuple[int, Any]:
        start = time.perf_counter()
        response = self._session.get(f"{self.base_url}/{route}", params=params, timeout=60)
        self.stats.http_s += time.perf_counter() - start
        self.stats.requests += 1
        code = response.status_code
        self.stats.statuses[code] = self.stats.statuses.get(code, 0) + 1
        return (code, response.json()["message"]) if code == 200 else (code, response.text)

    def _isbn(self, isbn: str) -> tuple[int, Any]:
        if self._books is None:
            code, message = self._get("works", {"filter": "type:book", "rows": "1000"})
            self._books = list(message.get("items") or []) if code == 200 else []
        digits = isbn.upper().replace("-", "")
        items = [
            book
            for book in self._books
            if any(re.sub(r"[^0-9X]", "", str(i).upper()) == digits for i in book.get("ISBN") or [])
        ]
        return 200, {"items": items, "total-results": len(items)}


def load(base_url: str) -> tuple[MatcherPeer | None, str]:
    """The peer on `base_url`, or None and why not (the reason goes in the table's cells)."""
    if importlib.util.find_spec("crossref_matcher") is None:
        return None, MISSING
    stand_in = importlib.util.find_spec("ratelimit") is None
    if stand_in:
        sys.modules["ratelimit"] = _ratelimit_stand_in()
    try:
        return MatcherPeer(base_url, stand_in=stand_in), ""
    except Exception as error:  # a missing dependency of one of its imports, an API change…
        return None, f"n/a ({type(error).__name__}: {error})"


def _ratelimit_stand_in() -> types.ModuleType:
    module = types.ModuleType("ratelimit")

    def limits(calls: int = 15, period: float = 900, **_: Any) -> Callable[[Any], Any]:
        return lambda function: function

    def sleep_and_retry(function: Any) -> Any:
        return function

    module.limits = limits  # type: ignore[attr-defined]
    module.sleep_and_retry = sleep_and_retry  # type: ignore[attr-defined]
    return module


def es_scale(pairs: Iterable[tuple[float, int, float, int]]) -> tuple[float, int]:
    """The factor that puts refs serve's scores in Crossref's Elasticsearch units.

    `pairs`: (Elasticsearch top score, its query's length, refs serve's top score, its
    query's length) for the same reference strings. The factor is the ratio of the
    medians of top score ÷ query length; returns (factor, strings used).
    """
    es: list[float] = []
    ours: list[float] = []
    for es_score, es_len, our_score, our_len in pairs:
        if es_len > 0 and our_len > 0 and our_score > 0:
            es.append(es_score / es_len)
            ours.append(our_score / our_len)
    if not ours:
        return 1.0, 0
    return statistics.median(es) / statistics.median(ours), len(ours)
