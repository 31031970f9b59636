"""`refs serve` against Crossref's recorded exchanges (../shared/data/crossref/envelopes).

The index is built at test time from the works that appear in the recorded
responses; each recorded request is replayed against the local server, which
must answer with the same status, content type, message type, envelope keys and
pool. Nothing from ../shared is copied into the repository.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from refs.serve import Faults, running_server
from refs.serve.faults import FaultInjector
from refs.sources.sqlite_index import SqliteIndex

ENVELOPES = Path(__file__).resolve().parents[2].parent / "shared/data/crossref/envelopes"
if not ENVELOPES.is_dir():
    pytest.skip(
        f"needs ../shared beside the checkout ({ENVELOPES} not found)", allow_module_level=True
    )

pytestmark = pytest.mark.shared

FILES = sorted(ENVELOPES.glob("*.json"))
# Recorded exchanges with no counterpart in the local server.
NO_COUNTERPART = {
    "works_transform_xml_200_public-single_2026-07-23.json": "no /transform (content negotiation)",
}
OVERLOAD = "journals_works_504_gateway_timeout_2022-11-09.json"  # replayed through faults


def load(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def recorded_works() -> list[dict[str, Any]]:
    """Every work in the recorded responses, the fullest copy of each DOI."""
    works: dict[str, dict[str, Any]] = {}
    for path in FILES:
        body = load(path)["response"]["body"]
        if not isinstance(body, dict) or body.get("status") != "ok":
            continue
        message = body["message"]
        if body["message-type"] == "work":
            found = [message]
        elif body["message-type"] == "work-list":
            found = message["items"]
        else:  # work-agency: only the DOI is known, which is all the route needs
            found = [{"DOI": message["DOI"]}]
        for work in found:
            key = str(work["DOI"]).lower()
            if len(work) > len(works.get(key, {})):
                works[key] = work
    return list(works.values())


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("envelopes") / "index.sqlite"
    index = SqliteIndex(path, create=True)
    index.upsert(recorded_works())
    index.db.commit()
    index.close()
    return path


@pytest.fixture(scope="module")
def base_url(index_path: Path) -> Iterator[str]:
    with running_server(index_path) as url:
        yield url


def replay(base_url: str, exchange: dict[str, Any]) -> requests.Response:
    request = exchange["request"]
    parts = urlsplit(request["uri"])
    url = base_url + parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {}
    agent = (request.get("headers") or {}).get("user-agent")
    if agent:
        headers["User-Agent"] = agent
    with requests.Session() as http:
        return http.request(request["method"], url, headers=headers, timeout=10)


def mime(value: str) -> str:
    return value.replace(" ", "").lower()


def check_headers(recorded: dict[str, Any], response: requests.Response) -> None:
    if not recorded:
        return  # the 2019 fixtures kept bodies only
    assert mime(response.headers["content-type"]) == mime(recorded["content-type"])
    pool = recorded.get("x-api-pool")
    if pool is None:
        return
    if "-" in pool:  # the current per-request-type pools: everything must agree
        for name in ("x-api-pool", "x-rate-limit-limit", "x-concurrency-limit"):
            assert response.headers[name] == recorded[name], name
    else:  # before the split: public/polite must still agree
        assert response.headers["x-api-pool"].startswith(pool + "-")
    assert response.headers["x-rate-limit-interval"] == "1s"
    assert response.headers["access-control-allow-origin"] == "*"


def check_body(recorded: Any, response: requests.Response, query: dict[str, list[str]]) -> None:
    if not isinstance(recorded, dict):
        assert response.text == recorded
        return
    body = response.json()
    assert body.get("message-type") == recorded["message-type"]
    assert set(body) == set(recorded)
    assert body["status"] == recorded["status"]
    ours, theirs = body["message"], recorded["message"]
    if isinstance(theirs, list):  # error bodies: Crossref's words, exactly
        assert ours == theirs
    elif recorded["message-type"] == "work":
        assert set(ours) == set(theirs)
        assert ours["score"] == 1
    elif recorded["message-type"] == "work-agency":
        assert ours == theirs
    elif recorded["message-type"] == "work-list":
        check_list(ours, theirs, query)


def check_list(ours: dict[str, Any], theirs: dict[str, Any], query: dict[str, list[str]]) -> None:
    assert set(ours) == set(theirs)
    assert ours["facets"] == theirs["facets"] == {}
    assert ours["items-per-page"] == theirs["items-per-page"]
    assert ours["query"] == theirs["query"]
    assert ours["items"], "the recorded works are in the index: something must match"
    if "select" in query:
        wanted = set(query["select"][0].split(","))
        assert all(set(i) == wanted for i in ours["items"])
        return
    scores = [i["score"] for i in ours["items"]]
    assert scores == sorted(scores, reverse=True)
    if not any(name == "query" or name.startswith("query.") for name in query):
        # A filter-only list: no relevance, and the same works Crossref listed.
        assert set(scores) == {0.0} == {i["score"] for i in theirs["items"]}
        assert {i["DOI"] for i in ours["items"]} == {i["DOI"] for i in theirs["items"]}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_replayed_exchange_matches_the_recording(base_url: str, path: Path) -> None:
    if path.name in NO_COUNTERPART:
        pytest.skip(NO_COUNTERPART[path.name])
    if path.name == OVERLOAD:
        pytest.skip("replayed in test_overload_is_the_gateway_page")
    exchange = load(path)
    recorded = exchange["response"]
    response = replay(base_url, exchange)
    assert response.status_code == recorded["status"]
    check_headers(recorded["headers"] or {}, response)
    if exchange["request"]["method"] != "HEAD":
        query = parse_qs(urlsplit(exchange["request"]["uri"]).query)
        check_body(recorded["body"], response, query)


def test_overload_is_the_gateway_page(index_path: Path) -> None:
    """The heavy facet query Crossref answered with its load balancer's 504."""
    exchange = load(ENVELOPES / OVERLOAD)
    recorded = exchange["response"]
    # The first seed whose first 5xx is a 504: the drill is reproducible.
    seed = next(
        s
        for s in range(100)
        if FaultInjector(Faults(rate_5xx=1.0, seed=s)).decide().status == recorded["status"]
    )
    with running_server(index_path, faults=Faults(rate_5xx=1.0, seed=seed)) as url:
        response = replay(url, exchange)
    assert response.status_code == 504
    assert response.headers["content-type"] == recorded["headers"]["content-type"]
    assert response.text == recorded["body"]
