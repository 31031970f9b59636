"""`refs serve` over real HTTP: a live uvicorn server on 127.0.0.1 and a tiny index."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from refs.errors import InputError, SourceUnavailable
from refs.serve import (
    Faults,
    ServerThread,
    limit_violations,
    read_access_log,
    running_server,
    serve,
)
from refs.serve.faults import FaultInjector
from refs.serve.ratelimit import PoolGate, TokenBucket, pool_of
from refs.sources.sqlite_index import SqliteIndex

N = 45
POLITE_UA = "refs-tests/1.0 (https://example.org; mailto:you@example.org)"
SUBJECTS = ["zebrafish fin regeneration", "ovarian cancer stroma", "tumour microenvironment"]


def work(n: int) -> dict[str, Any]:
    """Work n: two prefixes, three types, years 2000-2014, some with funders and abstracts."""
    record: dict[str, Any] = {
        "indexed": {"date-parts": [[2026, 1, 1 + n % 28]], "timestamp": 1767225600000 + n},
        "reference-count": n % 7,
        "publisher": "Test Publisher",
        "DOI": f"10.5555/Test.{n}" if n % 3 else f"10.1234/other.{n}",
        "type": ("journal-article", "book-chapter", "proceedings-article")[n % 3],
        "created": {"date-parts": [[2000 + n % 15, 1, 1]]},
        "title": [f"Study {n} of {SUBJECTS[n % 3]}"],
        "prefix": "10.5555" if n % 3 else "10.1234",
        "author": [{"family": f"Author{n}", "given": "A."}],
        "member": "7822" if n % 3 else "311",
        "deposited": {"date-parts": [[2025, 1 + n % 12, 1]], "timestamp": 1735689600000 + n},
        "issued": {"date-parts": [[2000 + n % 15, 1 + n % 12]]},
        "is-referenced-by-count": (n * 7) % 31,
        "container-title": ["Journal of Tests"],
        "ISSN": ["1234-5678"] if n % 2 else ["8765-4321"],
        "URL": f"https://doi.org/10.5555/test.{n}",
    }
    if n % 5 == 0:
        record["funder"] = [{"DOI": "10.13039/100000001", "name": "NSF"}]
    if n % 4 == 0:
        record["abstract"] = "<jats:p>An abstract.</jats:p>"
    return record


def doi(n: int) -> str:
    return str(work(n)["DOI"]).lower()


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "index.sqlite"
    index = SqliteIndex(path, create=True)
    index.upsert(work(n) for n in range(1, N + 1))
    index.db.commit()
    index.close()
    return path


@pytest.fixture(scope="module")
def base_url(index_path: Path) -> Iterator[str]:
    with running_server(index_path) as url:
        yield url


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def items(response: requests.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return list(response.json()["message"]["items"])


# --- /works/{doi} ----------------------------------------------------------------
def test_work_envelope_and_headers(base_url: str, http: requests.Session) -> None:
    r = http.get(f"{base_url}/works/{doi(4)}")
    assert r.status_code == 200
    body = r.json()
    assert list(body) == ["status", "message-type", "message-version", "message"]
    assert (body["status"], body["message-type"], body["message-version"]) == (
        "ok",
        "work",
        "1.0.0",
    )
    message = body["message"]
    assert message["DOI"] == "10.5555/test.4"  # lower-cased, as Crossref sends it
    assert message["score"] == 1 and isinstance(message["score"], int)
    assert list(message).index("score") == list(message).index("deposited") + 1
    assert r.headers["content-type"] == "application/json"
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["x-api-pool"] == "public-single"
    assert r.headers["x-rate-limit-limit"] == "5"
    assert r.headers["x-rate-limit-interval"] == "1s"
    assert r.headers["x-concurrency-limit"] == "1"


@pytest.mark.parametrize(
    "path", ["10.5555/TEST.4", "10.5555%2Ftest.4", "10.5555%2FTest.4", "10.5555/Test.4"]
)
def test_work_doi_is_case_insensitive_and_may_be_url_encoded(
    base_url: str, http: requests.Session, path: str
) -> None:
    r = http.get(f"{base_url}/works/{path}")
    assert r.status_code == 200
    assert r.json()["message"]["DOI"] == "10.5555/test.4"


def test_unknown_doi_is_a_plain_text_404(base_url: str, http: requests.Session) -> None:
    r = http.get(f"{base_url}/works/10.5555/notarealdoi")
    assert r.status_code == 404
    assert r.headers["content-type"] == "text/plain"
    assert r.text == "Resource not found."
    assert r.headers["x-api-pool"] == "public-single"


def test_head_says_exists_or_not_without_a_body(base_url: str, http: requests.Session) -> None:
    found = http.head(f"{base_url}/works/{doi(4)}")
    missing = http.head(f"{base_url}/works/10.5555/notarealdoi")
    assert (found.status_code, found.content) == (200, b"")
    assert (missing.status_code, missing.content) == (404, b"")


def test_agency(base_url: str, http: requests.Session) -> None:
    r = http.get(f"{base_url}/works/{doi(4).upper()}/agency")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json;charset=utf-8"
    assert r.json() == {
        "status": "ok",
        "message-type": "work-agency",
        "message-version": "1.0.0",
        "message": {"DOI": doi(4), "agency": {"id": "crossref", "label": "Crossref"}},
    }
    assert http.get(f"{base_url}/works/10.5555/nope/agency").status_code == 404


def test_field_query_on_a_doi_route_is_refused(base_url: str, http: requests.Session) -> None:
    r = http.get(f"{base_url}/works/{doi(4)}", params={"query.author": "carl boettiger"})
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/json;charset=utf-8"
    assert r.json() == {
        "status": "failed",
        "message-type": "validation-failure",
        "message": [
            {
                "type": "parameter-not-allowed",
                "value": "query.*",
                "message": "This route does not support field query parameters",
            }
        ],
    }


def test_unknown_route_is_a_plain_text_404(base_url: str, http: requests.Session) -> None:
    r = http.get(f"{base_url}/nothing/here")
    assert (r.status_code, r.headers["content-type"], r.text) == (
        404,
        "text/plain",
        "Resource not found.",
    )


# --- /works lists --------------------------------------------------------------------
def test_bibliographic_query(base_url: str, http: requests.Session) -> None:
    r = http.get(
        f"{base_url}/works",
        params={"query.bibliographic": "Author17 Study 17 ovarian cancer stroma", "rows": "2"},
    )
    body = r.json()
    assert body["message-type"] == "work-list"
    message = body["message"]
    assert list(message) == ["facets", "total-results", "items", "items-per-page", "query"]
    assert message["facets"] == {}
    assert message["items-per-page"] == 2
    assert message["query"] == {"start-index": 0, "search-terms": None}
    assert message["total-results"] >= 2
    found = message["items"]
    assert found[0]["DOI"] == doi(17)
    assert found[0]["score"] > found[1]["score"]
    assert r.headers["x-api-pool"] == "public-array"
    assert (r.headers["x-rate-limit-limit"], r.headers["x-concurrency-limit"]) == ("1", "1")


def test_plain_query_is_echoed_and_joined_with_field_queries(
    base_url: str, http: requests.Session
) -> None:
    r = http.get(f"{base_url}/works", params={"query": "zebrafish", "query.author": "Author10"})
    message = r.json()["message"]
    assert message["query"]["search-terms"] == "zebrafish"
    assert message["items"][0]["DOI"] == doi(10)
    scores = [item["score"] for item in message["items"]]
    assert scores == sorted(scores, reverse=True)


def test_doi_filter_keeps_the_order_asked_and_skips_the_missing(
    base_url: str, http: requests.Session
) -> None:
    asked = [doi(9), "10.5555/missing", doi(2).upper(), doi(30)]
    r = http.get(
        f"{base_url}/works",
        params={"filter": ",".join(f"doi:{d}" for d in asked), "rows": "10"},
    )
    message = r.json()["message"]
    assert [i["DOI"] for i in message["items"]] == [doi(9), doi(2), doi(30)]
    assert message["total-results"] == 3
    assert {i["score"] for i in message["items"]} == {0.0}


def test_a_hundred_dois_in_one_request(base_url: str, http: requests.Session) -> None:
    asked = [doi(n) for n in range(1, N + 1)] + [f"10.5555/absent.{n}" for n in range(55)]
    r = http.get(
        f"{base_url}/works",
        params={"filter": ",".join(f"doi:{d}" for d in asked), "rows": "100"},
    )
    assert [i["DOI"] for i in items(r)] == [doi(n) for n in range(1, N + 1)]


def test_filters_and_within_or_across(base_url: str, http: requests.Session) -> None:
    r = http.get(
        f"{base_url}/works",
        params={
            "filter": "type:journal-article,type:book-chapter,from-pub-date:2005,"
            "until-pub-date:2009-12,prefix:10.5555,issn:12345678,member:7822",
            "rows": "100",
        },
    )
    expected = [
        doi(n)
        for n in range(1, N + 1)
        # book chapters are n % 3 == 1; journal articles (n % 3 == 0) have the other prefix
        if n % 3 == 1 and 2005 <= 2000 + n % 15 <= 2009 and n % 2
    ]
    assert expected and [i["DOI"] for i in items(r)] == expected
    assert r.json()["message"]["total-results"] == len(expected)


def test_more_filters(base_url: str, http: requests.Session) -> None:
    def dois(spec: str) -> set[str]:
        r = http.get(f"{base_url}/works", params={"filter": spec, "rows": "100"})
        return {i["DOI"] for i in items(r)}

    assert dois("funder:100000001") == {doi(n) for n in range(5, N + 1, 5)}
    assert dois("has-abstract:true") == {doi(n) for n in range(4, N + 1, 4)}
    assert len(dois("has-abstract:false")) == N - N // 4
    assert dois("doi:" + doi(7) + ",type:book-chapter") == {doi(7)}
    assert dois("doi:" + doi(7) + ",type:journal-article") == set()


def test_scoped_list_routes(base_url: str, http: requests.Session) -> None:
    journal = http.get(f"{base_url}/journals/1234-5678/works", params={"rows": "100"})
    assert {i["DOI"] for i in items(journal)} == {doi(n) for n in range(1, N + 1, 2)}
    assert journal.headers["x-api-pool"] == "public-array"
    member = http.get(f"{base_url}/members/311/works", params={"query": "stroma"})
    assert {i["DOI"] for i in items(member)} <= {doi(n) for n in range(3, N + 1, 3)}
    assert http.get(f"{base_url}/prefixes/not-a-prefix/works").status_code == 404


def test_unknown_filter_and_bad_values(base_url: str, http: requests.Session) -> None:
    r = http.get(f"{base_url}/works", params={"filter": "colour:blue,type:article"})
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/json;charset=utf-8"
    body = r.json()
    assert (body["status"], body["message-type"]) == ("failed", "validation-failure")
    assert list(body) == ["status", "message-type", "message"]
    assert [(f["type"], f["value"]) for f in body["message"]] == [
        ("filter-not-available", "colour"),
        ("type-not-valid", "article"),
    ]
    assert body["message"][0]["message"].startswith(
        "Filter colour specified but there is no such filter for this route."
    )
    dates = http.get(f"{base_url}/works", params={"filter": "from-pub-date:2020-13"}).json()
    assert dates["message"][0]["type"] == "date-not-legitimate"


@pytest.mark.parametrize(
    ("params", "value", "message"),
    [
        (
            {"rows": "1001"},
            "1001",
            "Integer specified as 1001 but must be a positive integer less than or equal to 1000. ",
        ),
        (
            {"rows": "things"},
            "things",
            "Integer specified as things but must be a positive integer less than or equal to"
            " 1000. ",
        ),
        (
            {"sample": "101"},
            "101",
            "Integer specified as 101 but must be a positive integer less than or equal to 100. ",
        ),
        (
            {"offset": "9990", "rows": "20"},
            "9990",
            "Integer specified as 9990 but must be a positive integer less than or equal to"
            " 9980.  Use the cursor parameter to page further into result sets.",
        ),
    ],
)
def test_integer_not_valid(
    base_url: str, http: requests.Session, params: dict[str, str], value: str, message: str
) -> None:
    r = http.get(f"{base_url}/works", params=params)
    assert r.status_code == 400
    assert r.json()["message"] == [
        {"type": "integer-not-valid", "value": value, "message": message}
    ]


def test_rows_offset_and_rows_zero(base_url: str, http: requests.Session) -> None:
    everything = [i["DOI"] for i in items(http.get(f"{base_url}/works", params={"rows": "1000"}))]
    assert len(everything) == N
    page = http.get(f"{base_url}/works", params={"rows": "5", "offset": "10"}).json()["message"]
    assert [i["DOI"] for i in page["items"]] == everything[10:15]
    assert page["query"]["start-index"] == 10
    assert page["total-results"] == N
    default = http.get(f"{base_url}/works").json()["message"]
    assert (default["items-per-page"], len(default["items"])) == (20, 20)
    none = http.get(f"{base_url}/works", params={"rows": "0"}).json()["message"]
    assert (none["items"], none["total-results"]) == ([], N)


def test_select_drops_unselected_keys_and_score(base_url: str, http: requests.Session) -> None:
    r = http.get(f"{base_url}/works", params={"query": "zebrafish", "select": "DOI,title"})
    assert all(set(i) == {"DOI", "title"} for i in items(r))
    r = http.get(f"{base_url}/works", params={"query": "zebrafish", "select": "DOI,score"})
    assert all(set(i) == {"DOI", "score"} for i in items(r))


@pytest.mark.parametrize("field", ["issued", "published", "deposited", "indexed"])
def test_sort_by_date(base_url: str, http: requests.Session, field: str) -> None:
    key = "deposited" if field == "deposited" else "indexed" if field == "indexed" else "issued"

    def parts(item: dict[str, Any]) -> list[int]:
        return list(item[key]["date-parts"][0])

    for order in ("asc", "desc"):
        r = http.get(f"{base_url}/works", params={"sort": field, "order": order, "rows": "100"})
        dates = [parts(i) for i in items(r)]
        assert dates == sorted(dates, reverse=order == "desc")


def test_sort_by_citations_and_score(base_url: str, http: requests.Session) -> None:
    r = http.get(f"{base_url}/works", params={"sort": "is-referenced-by-count", "rows": "100"})
    counts = [i["is-referenced-by-count"] for i in items(r)]
    assert counts == sorted(counts, reverse=True)
    r = http.get(
        f"{base_url}/works", params={"query": "ovarian", "sort": "relevance", "order": "desc"}
    )
    scores = [i["score"] for i in items(r)]
    assert scores == sorted(scores, reverse=True)
    bad = http.get(f"{base_url}/works", params={"sort": "colour"}).json()
    assert bad["message"][0]["type"] == "sort-field-not-valid"


def _page_through(
    http: requests.Session, base_url: str, params: dict[str, Any]
) -> tuple[list[str], list[dict[str, Any]]]:
    seen: list[str] = []
    messages = []
    cursor = "*"
    for _ in range(100):
        r = http.get(f"{base_url}/works", params={**params, "cursor": cursor})
        message = r.json()["message"]
        messages.append(message)
        seen += [i["DOI"] for i in message["items"]]
        cursor = message["next-cursor"]
        if len(message["items"]) < int(params["rows"]):
            break
    return seen, messages


@pytest.mark.parametrize(
    "params",
    [
        {"rows": "7"},
        {"rows": "5", "filter": "type:journal-article,from-pub-date:2003"},
        {"rows": "4", "query": "zebrafish"},
        {"rows": "6", "sort": "issued", "order": "asc"},
        {"rows": "9", "filter": ",".join(f"doi:{doi(n)}" for n in range(1, 30, 2))},
    ],
)
def test_cursor_pages_through_everything_exactly_once(
    base_url: str, http: requests.Session, params: dict[str, Any]
) -> None:
    seen, messages = _page_through(http, base_url, params)
    full = http.get(f"{base_url}/works", params={**params, "rows": "1000"}).json()["message"]
    assert len(seen) == len(set(seen)) == full["total-results"]
    assert set(seen) == {i["DOI"] for i in full["items"]}
    assert all(m["total-results"] == full["total-results"] for m in messages)
    assert list(messages[0]) == [
        "facets",
        "next-cursor",
        "total-results",
        "items",
        "items-per-page",
        "query",
    ]
    # Past the end, pages stay empty.
    last = http.get(f"{base_url}/works", params={**params, "cursor": messages[-1]["next-cursor"]})
    assert items(last) == []


def test_bad_cursors(base_url: str, http: requests.Session) -> None:
    r = http.get(f"{base_url}/works", params={"query": "widget", "cursor": "thing"})
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {
        "status": "failed",
        "message-type": "resource-failure",
        "message": [
            {
                "type": "cursor-invalid",
                "value": "thing",
                "message": "Cursor specified but it is invalid",
            }
        ],
    }
    first = http.get(f"{base_url}/works", params={"query": "zebrafish", "cursor": "*", "rows": "2"})
    token = first.json()["message"]["next-cursor"]
    # A cursor belongs to its query.
    other = http.get(f"{base_url}/works", params={"query": "ovarian", "cursor": token})
    assert other.status_code == 404
    both = http.get(f"{base_url}/works", params={"cursor": "*", "offset": "5"})
    assert both.json()["message"][0]["type"] == "cursor-with-offset-or-sample"


def test_cursors_expire(index_path: Path, http: requests.Session) -> None:
    with running_server(index_path, cursor_ttl=0) as url:
        first = http.get(f"{url}/works", params={"cursor": "*", "rows": "2"})
        token = first.json()["message"]["next-cursor"]
        time.sleep(1.1)
        assert http.get(f"{url}/works", params={"cursor": token, "rows": "2"}).status_code == 404


def test_sample(base_url: str, http: requests.Session) -> None:
    message = http.get(f"{base_url}/works", params={"sample": "5"}).json()["message"]
    dois = [i["DOI"] for i in message["items"]]
    assert len(dois) == len(set(dois)) == 5
    filtered = http.get(f"{base_url}/works", params={"sample": "3", "filter": "prefix:10.1234"})
    assert all(i["DOI"].startswith("10.1234/") for i in items(filtered))


# --- pools, gzip ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "params", "agent", "pool", "rate", "concurrency"),
    [
        ("/works/10.5555/test.1", {}, "python-requests", "public-single", "5", "1"),
        (
            "/works/10.5555/test.1",
            {"mailto": "you@example.org"},
            "curl/8.0",
            "polite-single",
            "10",
            "3",
        ),
        ("/works/10.5555/test.1", {}, POLITE_UA, "polite-single", "10", "3"),
        ("/works", {}, "python-requests", "public-array", "1", "1"),
        ("/works", {"mailto": "you@example.org"}, "curl/8.0", "polite-array", "3", "3"),
        ("/works", {}, "habanero/2.9.2 (mailto:you@example.org)", "polite-array", "3", "3"),
        ("/works", {"mailto": ""}, "curl/8.0", "public-array", "1", "1"),
    ],
)
def test_pools(
    base_url: str,
    http: requests.Session,
    path: str,
    params: dict[str, str],
    agent: str,
    pool: str,
    rate: str,
    concurrency: str,
) -> None:
    r = http.get(base_url + path, params=params, headers={"User-Agent": agent})
    assert r.headers["x-api-pool"] == pool
    assert r.headers["x-rate-limit-limit"] == rate
    assert r.headers["x-concurrency-limit"] == concurrency
    assert r.headers["x-rate-limit-interval"] == "1s"


def test_gzip_when_accepted(base_url: str, http: requests.Session) -> None:
    r = http.get(f"{base_url}/works", params={"rows": "40"}, stream=True)
    assert r.headers["content-encoding"] == "gzip"
    raw = r.raw.read(decode_content=False)
    r.close()
    assert gzip.decompress(raw).startswith(b'{"status":"ok"')
    plain = http.get(f"{base_url}/works", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers


# --- limits ------------------------------------------------------------------------
def test_token_bucket_and_gate() -> None:
    now = [0.0]
    bucket = TokenBucket(3, clock=lambda: now[0])
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take() == pytest.approx(1 / 3)
    now[0] = 1 / 3
    assert bucket.take() == 0.0
    gate = PoolGate(enforce=True, clock=lambda: now[0])
    first = gate.admit("public-single")
    second = gate.admit("public-single")
    assert first.admitted and not second.admitted
    assert (second.over, second.retry_after) == ("concurrency", 1)
    gate.release("public-single")
    assert pool_of("/journals/1/works", "", "") == "public-array"
    assert pool_of("/works/10.1/x/agency", "mailto=a%40b.c", "") == "polite-single"


def test_a_burst_is_refused_with_retry_after(index_path: Path, tmp_path: Path) -> None:
    log = tmp_path / "access.jsonl"
    with (
        running_server(index_path, enforce_limits=True, access_log=log) as url,
        requests.Session() as http,
    ):
        statuses = [http.get(f"{url}/works", params={"rows": "1"}) for _ in range(4)]
    assert [r.status_code for r in statuses] == [200, 429, 429, 429]
    refused = statuses[1]
    assert refused.headers["content-type"] == "text/plain"
    assert refused.text == "Too Many Requests"
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["x-api-pool"] == "public-array"
    entries = read_access_log(log)
    assert [e["status"] for e in entries] == [200, 429, 429, 429]
    assert [e["over"] for e in limit_violations(entries)] == ["rate"] * 3
    assert set(entries[0]) >= {"time", "method", "path", "status", "pool", "duration"}


def test_concurrency_over_the_limit_is_refused(index_path: Path, tmp_path: Path) -> None:
    log = tmp_path / "access.jsonl"
    slow = Faults(latency_ms=300)
    with running_server(index_path, enforce_limits=True, faults=slow, access_log=log) as url:
        results: list[int] = []

        def fetch() -> None:
            with requests.Session() as http:
                results.append(http.get(f"{url}/works/{doi(1)}").status_code)

        threads = [threading.Thread(target=fetch) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results) == [200, 429, 429]
    assert {e["over"] for e in limit_violations(read_access_log(log))} == {"concurrency"}


def test_a_paced_client_is_never_refused(index_path: Path, tmp_path: Path) -> None:
    log = tmp_path / "access.jsonl"
    with (
        running_server(index_path, enforce_limits=True, access_log=log) as url,
        requests.Session() as http,
    ):
        for n in range(15):
            r = http.get(f"{url}/works/{doi(1 + n)}", headers={"User-Agent": POLITE_UA})
            assert r.status_code == 200
            time.sleep(0.1)
    entries = read_access_log(log)
    assert len(entries) == 15 and limit_violations(entries) == []


def test_limits_are_only_logged_when_not_enforced(index_path: Path, tmp_path: Path) -> None:
    log = tmp_path / "access.jsonl"
    with running_server(index_path, access_log=log) as url, requests.Session() as http:
        assert {http.get(f"{url}/works").status_code for _ in range(3)} == {200}
    assert [e["over"] for e in read_access_log(log)] == [None, "rate", "rate"]


# --- faults --------------------------------------------------------------------------
def test_fault_shares_follow_the_seed(index_path: Path) -> None:
    faults = Faults(rate_429=0.2, retry_after=3, rate_5xx=0.15, rate_non_json=0.05, seed=7)
    replica = FaultInjector(faults)
    expected = [replica.decide().status or 200 for _ in range(200)]
    with running_server(index_path, faults=faults) as url, requests.Session() as http:
        responses = [http.get(f"{url}/works/{doi(1)}") for _ in range(200)]
    assert [r.status_code for r in responses] == expected
    counts = Counter(r.status_code for r in responses)
    assert 25 <= counts[429] <= 55
    assert 15 <= counts[500] + counts[503] + counts[504] <= 45
    too_many = next(r for r in responses if r.status_code == 429)
    assert too_many.headers["retry-after"] == "3"
    assert too_many.headers["content-type"] == "text/html"
    assert "429 Too Many Requests" in too_many.text
    timeout = next(r for r in responses if r.status_code == 504)
    assert timeout.headers["content-type"] == "text/html"
    assert "<title>504 Gateway Time-out</title>" in timeout.text
    non_json = [
        r for r in responses if r.status_code == 200 and "html" in r.headers["content-type"]
    ]
    assert non_json and all(r.text.startswith("<html>") for r in non_json)


def test_a_dropped_connection_is_a_connection_error(index_path: Path) -> None:
    with (
        running_server(index_path, faults=Faults(rate_drop=1.0)) as url,
        requests.Session() as http,
        pytest.raises(requests.exceptions.ConnectionError),
    ):
        http.get(f"{url}/works/{doi(1)}")


def test_the_server_survives_drops(index_path: Path, tmp_path: Path) -> None:
    log = tmp_path / "access.jsonl"
    faults = Faults(rate_drop=0.5, seed=1)
    outcomes = []
    with running_server(index_path, faults=faults, access_log=log) as url:
        for _ in range(20):
            with requests.Session() as http:
                try:
                    outcomes.append(http.get(f"{url}/works/{doi(1)}").status_code)
                except requests.exceptions.ConnectionError:
                    outcomes.append(0)
    assert 0 in outcomes and 200 in outcomes
    assert [e["fault"] for e in read_access_log(log)].count("drop") == outcomes.count(0)


def test_latency(index_path: Path) -> None:
    with (
        running_server(index_path, faults=Faults(latency_ms=150, latency_jitter_ms=50)) as url,
        requests.Session() as http,
    ):
        started = time.perf_counter()
        assert http.get(f"{url}/works/{doi(1)}").status_code == 200
        assert 0.15 <= time.perf_counter() - started < 1.0
        with pytest.raises(requests.exceptions.Timeout):
            http.get(f"{url}/works/{doi(1)}", timeout=0.05)


def test_faults_parse_and_check() -> None:
    assert Faults.parse("429=0.1,5xx=0.05,drop=0.01,latency=200,jitter=50,seed=7") == Faults(
        rate_429=0.1, rate_5xx=0.05, rate_drop=0.01, latency_ms=200, latency_jitter_ms=50, seed=7
    )
    assert Faults.parse("") == Faults()
    for bad in ("colour=1", "429=lots", "429=0.7,5xx=0.7"):
        with pytest.raises(InputError):
            Faults.parse(bad)


# --- starting and stopping ---------------------------------------------------------------
def test_serve_refuses_a_public_host_unless_asked(index_path: Path) -> None:
    with pytest.raises(InputError, match=r"0\.0\.0\.0"):
        serve(index_path, host="0.0.0.0")


def test_a_missing_index_fails_before_serving(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable):
        ServerThread(tmp_path / "absent.sqlite")


def test_server_thread_starts_and_stops_cleanly(index_path: Path) -> None:
    before = set(threading.enumerate())
    server = ServerThread(index_path)
    url = server.start()
    with requests.Session() as http:
        assert http.get(f"{url}/works/{doi(1)}").status_code == 200
    server.stop()
    assert not (set(threading.enumerate()) - before)
    with requests.Session() as http, pytest.raises(requests.exceptions.ConnectionError):
        http.get(f"{url}/works/{doi(1)}", timeout=2)
