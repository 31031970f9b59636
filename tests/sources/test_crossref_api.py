"""The Crossref API client against `refs serve`: faults, pacing, cache, pools, batching.

A real server on 127.0.0.1 over an index written here; faults are the server's
(seeded, so a failure replays). What must hold whatever the network does: a DOI
that exists is answered or UNAVAILABLE, never MISSING.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests

from refs.errors import SourceUnavailable
from refs.ids import doi_key
from refs.resolve.source import Absent, Query
from refs.serve import Faults, ServerThread, limit_violations, read_access_log, running_server
from refs.sources.cache import AnswerCache
from refs.sources.crossref_api import MAX_FILTER_CHARS, CrossrefApi
from refs.sources.limits import DEFAULTS, Limits
from refs.sources.sqlite_index import SqliteIndex
from refs.work import Work

N = 1000
MAILTO = "api-tests@example.org"
COMMA = "10.5555/api,comma"
SICI = "10.1002/(SICI)1097-4636(199603)30:3<273::AID-JBM1>3.0.CO;2-N"


def doi(n: int) -> str:
    return f"10.5555/API.{n}"


def work(n: int) -> dict[str, Any]:
    return {
        "DOI": doi(n),
        "type": "journal-article",
        "title": [f"Study {n} of zebrafish fin regeneration"],
        "container-title": ["Journal of Tests"],
        "author": [{"family": f"Author{n}", "given": "A."}],
        "issued": {"date-parts": [[2000 + n % 20]]},
        "volume": str(n % 50),
        "page": f"{n}-{n + 9}",
    }


EXISTING = [doi(n) for n in range(N)]
ABSENT = [f"10.5555/absent.{n}" for n in range(50)]


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "index.sqlite"
    index = SqliteIndex(path, create=True)
    try:
        extra = [{**work(N), "DOI": COMMA}, {**work(N + 1), "DOI": SICI}]
        index.upsert([*(work(n) for n in range(N)), *extra])
        index.db.commit()
    finally:
        index.close()
    return path


def fast_limits() -> Limits:
    """High rates, pinned against the headers: for tests of answers, not of pacing."""
    return Limits(dict.fromkeys(DEFAULTS, (1000.0, 4)))


def client(base_url: str, **options: Any) -> CrossrefApi:
    settings: dict[str, Any] = {
        "mailto": MAILTO,
        "backoff": 0.01,
        "max_wait": 0.05,  # caps a 429's Retry-After too
        "limits": fast_limits(),
    }
    settings.update(options)
    return CrossrefApi(base_url, **settings)


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "access.jsonl"


@pytest.fixture
def healthy(index_path: Path) -> Iterator[str]:
    with running_server(index_path) as url:
        yield url


class Logged:
    """A running server and its access log, read once the server has stopped.

    The server logs a request after answering it, so a log read while it runs may
    miss the last lines; `stop` lets in-flight requests finish and closes the log.
    """

    def __init__(self, server: ServerThread, log_path: Path) -> None:
        self.server, self.log_path = server, log_path
        self.url = server.base_url

    def entries(self) -> list[dict[str, Any]]:
        self.server.stop()
        return read_access_log(self.log_path)


@pytest.fixture
def logged(index_path: Path, log_path: Path) -> Iterator[Logged]:
    server = ServerThread(index_path, access_log=log_path)
    server.start()
    try:
        yield Logged(server, log_path)
    finally:
        server.stop()


def kinds(answers: dict[str, Work | Absent]) -> Counter[str]:
    return Counter(a.value if isinstance(a, Absent) else "work" for a in answers.values())


def assert_never_wrongly_missing(answers: dict[str, Work | Absent]) -> None:
    for key in map(doi_key, EXISTING):
        assert answers[key] is not Absent.MISSING, f"{key} exists but was answered MISSING"
        if isinstance(answers[key], Work):
            assert doi_key(answers[key].DOI) == key  # type: ignore[union-attr]
    for key in map(doi_key, ABSENT):
        assert answers[key] in (Absent.MISSING, Absent.UNAVAILABLE)


# --- (a) faults ---------------------------------------------------------------------
@pytest.mark.parametrize("attempts", [1, 6])
def test_429_and_5xx_never_make_a_doi_missing(
    index_path: Path, log_path: Path, attempts: int
) -> None:
    faults = Faults(
        rate_429=0.15, rate_5xx=0.15, retry_after=1, latency_ms=2, latency_jitter_ms=6, seed=11
    )
    with running_server(index_path, faults=faults, access_log=log_path) as url:
        api = client(url, batch_size=20, max_attempts=attempts)
        try:
            answers = api.works([*EXISTING, *ABSENT])
        finally:
            api.close()
    assert_never_wrongly_missing(answers)
    counts = kinds(answers)
    assert counts["unavailable"] == api.stats.unavailable
    log = read_access_log(log_path)
    assert len(log) == api.stats.requests  # every attempt reached the server, counted once
    assert {e["fault"] for e in log} >= {"429", "5xx"}
    assert api.stats.statuses.get(429, 0) > 0
    assert sum(n for s, n in api.stats.statuses.items() if s >= 500) > 0
    if attempts == 1:
        assert api.stats.retries == 0 and counts["unavailable"] > 0
    else:
        # 30% faults, six attempts: a batch fails for good with odds 0.3^6 < 0.1%.
        assert api.stats.retries > 0
        assert counts["work"] >= 0.95 * N
        assert counts["missing"] >= 0.95 * len(ABSENT)


def test_non_json_answers_are_retried(index_path: Path) -> None:
    faults = Faults(rate_non_json=0.3, seed=5)
    with running_server(index_path, faults=faults) as url:
        api = client(url, batch_size=50, max_attempts=8)
        try:
            answers = api.works([*EXISTING[:300], *ABSENT])
        finally:
            api.close()
    assert all(isinstance(answers[doi_key(d)], Work) for d in EXISTING[:300])
    assert all(answers[doi_key(d)] is Absent.MISSING for d in ABSENT)
    assert api.stats.retries > 0


def test_a_server_that_never_answers_gives_unavailable(index_path: Path) -> None:
    with running_server(index_path, faults=Faults(rate_5xx=1.0)) as url:
        api = client(url, batch_size=100, max_attempts=3)
        try:
            answers = api.works([*EXISTING[:250], *ABSENT, COMMA])
            with pytest.raises(SourceUnavailable):
                api.search(Query("zebrafish fin regeneration"))
            agency = api.agency(doi(1))
        finally:
            api.close()
    assert set(answers.values()) == {Absent.UNAVAILABLE}
    assert api.stats.unavailable == len(answers)
    assert agency is None
    # 3 batches + 1 single, a search and an agency look-up: three attempts each.
    assert api.stats.requests == 6 * 3 and api.stats.retries == 6 * 2


# --- (b) pacing ------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(("mailto", "batches"), [(MAILTO, 6), (None, 3)])
def test_default_limits_are_never_exceeded(
    index_path: Path, log_path: Path, mailto: str | None, batches: int
) -> None:
    """A burst paced by the default limits: the server, enforcing, never refuses it."""
    asked = [*EXISTING[: batches * 10 - 1], COMMA, "not-a-doi"]
    with running_server(index_path, enforce_limits=True, access_log=log_path) as url:
        api = CrossrefApi(url, mailto=mailto, batch_size=10, backoff=0.01)
        try:
            answers = api.works(asked)
            api.search(Query("Study 5 of zebrafish fin regeneration"))
        finally:
            api.close()
    log = read_access_log(log_path)
    assert limit_violations(log) == []
    assert 429 not in api.stats.statuses and api.stats.retries == 0
    assert kinds(answers) == {"work": len(asked) - 1, "missing": 1}
    pool = "polite" if mailto else "public"
    assert Counter(e["pool"] for e in log) == {f"{pool}-array": batches + 1, f"{pool}-single": 2}


def test_the_violation_check_sees_an_unpaced_burst(index_path: Path, log_path: Path) -> None:
    """The control for the test above: the same server flags a client that does not pace."""
    with running_server(index_path, access_log=log_path) as url:
        api = client(url, batch_size=10)
        try:
            api.works(EXISTING[:200])
        finally:
            api.close()
    over = limit_violations(read_access_log(log_path))
    assert over and {e["over"] for e in over} <= {"rate", "concurrency"}


# --- (c) cache -------------------------------------------------------------------------
def test_a_cached_answer_is_not_asked_again(healthy: str, tmp_path: Path) -> None:
    cache_path = tmp_path / "answers.sqlite"
    asked = [*EXISTING[:120], *ABSENT[:10], COMMA, SICI.upper()]
    api = client(healthy, cache=AnswerCache(cache_path), batch_size=50)
    try:
        first = api.works(asked)
        sent = api.stats.requests
        assert sent == math.ceil(131 / 50) + 1  # the comma DOI goes alone
        second = api.works(reversed(asked))
        assert api.stats.requests == sent
        assert api.stats.cache_hits == len(asked)
        hits = api.search(Query("Study 7 of zebrafish fin regeneration"))
        again = api.search(Query("Study 7 of zebrafish fin regeneration"))
        assert api.agency(SICI) == api.agency(SICI.lower()) == "crossref"
        assert api.stats.requests == sent + 2
    finally:
        api.close()
    assert first == {k: second[k] for k in first}
    assert [c.work for c in hits] == [c.work for c in again] and hits
    assert kinds(first) == {"work": 122, "missing": 10}

    # On disk: a new client on the same file asks nothing.
    reopened = client(healthy, cache=AnswerCache(cache_path))
    try:
        assert reopened.works(asked) == first
        assert reopened.stats.requests == 0
    finally:
        reopened.close()


def test_refresh_asks_again(healthy: str, tmp_path: Path) -> None:
    cache_path = tmp_path / "answers.sqlite"
    asked = [*EXISTING[:60], *ABSENT[:5]]
    for refresh, expected in ((False, 2), (False, 0), (True, 2), (False, 0)):
        api = client(healthy, cache=AnswerCache(cache_path, refresh=refresh), batch_size=50)
        try:
            answers = api.works(asked)
        finally:
            api.close()
        assert api.stats.requests == expected, refresh
        assert kinds(answers) == {"work": 60, "missing": 5}


def test_a_transport_failure_is_not_cached(index_path: Path, tmp_path: Path) -> None:
    asked = [*EXISTING[:30], ABSENT[0], COMMA]
    with running_server(index_path, faults=Faults(rate_drop=1.0)) as url:
        cache = AnswerCache(tmp_path / "answers.sqlite")
        api = client(url, cache=cache, max_attempts=2)
        try:
            assert set(api.works(asked).values()) == {Absent.UNAVAILABLE}
            with pytest.raises(SourceUnavailable):  # no answer is not "no candidates"
                api.search(Query("zebrafish"))
            assert api.agency(doi(3)) is None
            for kind in ("work", "query", "agency"):
                assert cache.get_many(url, kind, [doi_key(d) for d in asked]) == {}
            sent = api.stats.requests
            assert set(api.works(asked).values()) == {Absent.UNAVAILABLE}
            assert api.stats.requests == 2 * sent - 2 * 2  # asked again (no search/agency)
            assert api.stats.cache_hits == 0
        finally:
            api.close()


# --- (d) the polite pool ------------------------------------------------------------------
@pytest.mark.parametrize("mailto", [MAILTO, None])
def test_mailto_puts_requests_in_the_polite_pool(logged: Logged, mailto: str | None) -> None:
    agents: list[str] = []

    def seen(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        agents.append(str(response.request.headers.get("User-Agent")))

    api = client(logged.url, mailto=mailto, batch_size=10)
    api.session.hooks["response"].append(seen)
    try:
        api.works([*EXISTING[:15], COMMA])
        api.search(Query("zebrafish"))
        api.agency(SICI)
    finally:
        api.close()
    log = logged.entries()
    pool = "polite" if mailto else "public"
    assert [e["pool"] for e in log].count(f"{pool}-array") == 3
    assert [e["pool"] for e in log].count(f"{pool}-single") == 2
    assert len(log) == len(agents) == 5
    params = [parse_qs(e["query"]) for e in log]
    if mailto:
        assert all(p.get("mailto") == [MAILTO] for p in params)
        assert all(f"mailto:{MAILTO}" in agent for agent in agents)
    else:
        assert not any("mailto" in p for p in params)
        assert not any("mailto" in agent for agent in agents)
    assert all(agent.startswith("refs/") for agent in agents)


# --- (e) batching ----------------------------------------------------------------------
@pytest.mark.parametrize("n", [1, 19, 20, 21, 57, 200])
def test_n_dois_take_ceil_n_over_batch_size_requests(logged: Logged, n: int) -> None:
    api = client(logged.url, batch_size=20)
    try:
        answers = api.works(EXISTING[:n])
    finally:
        api.close()
    assert kinds(answers) == {"work": n}
    log = logged.entries()
    assert api.stats.requests == len(log) == math.ceil(n / 20)
    sizes = sorted(len(parse_qs(e["query"])["filter"][0].split(",")) for e in log)
    assert sum(sizes) == n and max(sizes) <= 20
    assert all(e["path"] == "/works" for e in log)


def test_commas_and_malformed_dois_go_alone(logged: Logged) -> None:
    api = client(logged.url, batch_size=20)
    try:
        answers = api.works([*EXISTING[:40], COMMA, "10.5555/absent,comma", "not-a-doi"])
    finally:
        api.close()
    assert kinds(answers) == {"work": 41, "missing": 2}
    paths = Counter(e["path"] for e in logged.entries())
    assert paths["/works"] == 2 and sum(paths.values()) == 5


def test_long_dois_are_split_by_length(logged: Logged) -> None:
    long_dois = [f"10.5555/{'long-suffix-' * 6}{n}" for n in range(300)]
    api = client(logged.url, batch_size=1000)
    try:
        answers = api.works(long_dois)
    finally:
        api.close()
    assert set(answers.values()) == {Absent.MISSING}
    log = logged.entries()
    assert len(log) > 1
    assert all(len(e["query"].split("filter=")[1].split("&")[0]) <= MAX_FILTER_CHARS for e in log)


# --- (f) dropped connections ---------------------------------------------------------------
def test_dropped_connections_are_retried(index_path: Path, log_path: Path) -> None:
    faults = Faults(rate_drop=0.3, latency_ms=1, seed=3)
    with running_server(index_path, faults=faults, access_log=log_path) as url:
        api = client(url, batch_size=25, max_attempts=8)
        try:
            answers = api.works([*EXISTING[:500], *ABSENT])
        finally:
            api.close()
    assert kinds(answers) == {"work": 500, "missing": len(ABSENT)}
    log = read_access_log(log_path)
    drops = sum(1 for e in log if e["fault"] == "drop")
    assert drops > 0 and api.stats.retries == drops
    assert api.stats.requests == len(log)
    assert sum(api.stats.statuses.values()) == len(log) - drops  # a drop has no status


def test_always_dropped_connections_are_transport_failures(index_path: Path) -> None:
    with running_server(index_path, faults=Faults(rate_drop=1.0)) as url:
        api = client(url, batch_size=50, max_attempts=4)
        try:
            answers = api.works([*EXISTING[:100], *ABSENT[:20]])
        finally:
            api.close()
    assert set(answers.values()) == {Absent.UNAVAILABLE}
    assert (api.stats.requests, api.stats.retries) == (3 * 4, 3 * 3)
    assert api.stats.statuses == {} and api.stats.unavailable == 120
