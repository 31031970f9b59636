"""A source nobody answers is a failure said once, not a list of `unavailable` that looks fine.

A real closed port (bound, then closed: nothing listens) stands for a server that is
down, and a failing name look-up for being offline. The client must stop at the first
connection it cannot make (no back-off for a refused connection), `refs clean` and
`refs check` must exit 3 with one `refs: error:` line naming the reason, and `refs check`
must leave its job resumable. How fast is asserted by counting connection attempts, not
seconds. A server that answers 5xx is still retried, with back-off, until it recovers.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from typer.testing import CliRunner

import refs.sources
from refs.check.run import CheckOptions, Job
from refs.cli import app
from refs.errors import SourceUnavailable
from refs.ids import doi_key
from refs.model import Status
from refs.pipeline import unanswered
from refs.resolve.source import Absent, Query
from refs.serve import Faults, running_server
from refs.sources.crossref_api import CrossrefApi, unreachable_reason
from refs.sources.limits import DEFAULTS, Limits
from refs.sources.sqlite_index import SqliteIndex
from refs.work import Work

runner = CliRunner()
DOIS = [f"10.5555/down.{n}" for n in range(12)]


def work(n: int) -> dict[str, Any]:
    return {
        "DOI": DOIS[n],
        "type": "journal-article",
        "title": [f"Study {n} of stromal remodelling in ovarian tumours"],
        "container-title": ["Journal of Tests"],
        "author": [{"family": f"Author{n}", "given": "A."}],
        "issued": {"date-parts": [[2001 + n]]},
    }


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("down") / "index.sqlite"
    index = SqliteIndex(path, create=True)
    try:
        index.upsert([work(n) for n in range(len(DOIS))])
        index.db.commit()
    finally:
        index.close()
    return path


@pytest.fixture
def closed_url() -> str:
    """The URL of a port nobody listens on: bound to learn a free one, then closed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def clients(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[CrossrefApi]]:
    """Every client the CLI opens, kept to read its stats (fast back-off: a regression
    that retries shows as extra attempts, not as a slow test)."""
    made: list[CrossrefApi] = []

    class Recorded(CrossrefApi):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("backoff", 0.01)
            kwargs.setdefault("max_wait", 0.05)
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(refs.sources, "CrossrefApi", Recorded)
    yield made


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("refs: error:")]


def assert_stopped_at_first_failure(api: CrossrefApi) -> None:
    """Each attempt was a first connection that failed: none retried, the rest skipped."""
    stats = api.stats
    assert api.down is not None
    assert stats.requests >= 1 and stats.requests == stats.unreachable
    assert stats.retries == 0
    # The concurrent look-ups already under way when the first failed, at most.
    assert stats.requests <= max(c for _, c in DEFAULTS.values())
    assert stats.statuses == {}


# --- the client -------------------------------------------------------------------------
def test_a_refused_connection_is_not_retried_and_the_client_stays_down(closed_url: str) -> None:
    api = CrossrefApi(closed_url, mailto="t@example.org", max_attempts=6, backoff=0.01)
    try:
        answers = api.works(DOIS)
        assert api.down == "connection refused"
        assert api.stats.requests == 1 and api.stats.retries == 0  # one batch, one attempt
        # Later calls answer at once, with no request made: still never a verdict.
        again = api.works(["10.5555/another"])
        with pytest.raises(SourceUnavailable, match="connection refused"):
            api.search(Query("stromal remodelling"))
        agency = api.agency(DOIS[0])
    finally:
        api.close()
    assert set(answers.values()) == {Absent.UNAVAILABLE}
    assert again == {"10.5555/another": Absent.UNAVAILABLE}
    assert agency is None
    assert api.stats.requests == 1 and api.stats.skipped == 3
    assert api.stats.unavailable == len(DOIS) + 1


def test_a_name_that_does_not_resolve_is_a_dns_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def offline(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    api = CrossrefApi("http://api.example.invalid", mailto="t@example.org", backoff=0.01)
    try:
        answers = api.works(DOIS[:3])
    finally:
        api.close()
    assert set(answers.values()) == {Absent.UNAVAILABLE}
    assert api.down == "DNS failure: cannot resolve api.example.invalid"
    assert (api.stats.requests, api.stats.retries) == (1, 0)


def test_a_connect_timeout_is_unreachable_but_a_read_timeout_is_retried() -> None:
    assert unreachable_reason(requests.ConnectTimeout("slow")) == "connection timed out"
    assert unreachable_reason(requests.ReadTimeout("slow")) is None
    assert unreachable_reason(requests.ConnectionError("Connection aborted.")) is None


def test_5xx_is_still_retried_until_the_server_recovers(index_path: Path) -> None:
    """Fast failure is for connections nobody accepts: a server that answers 503 is retried."""
    faults = Faults(rate_5xx=0.5, seed=7)
    limits = Limits(dict.fromkeys(DEFAULTS, (1000.0, 2)))
    with running_server(index_path, faults=faults) as url:
        api = CrossrefApi(url, mailto="t@example.org", batch_size=2, max_attempts=12,
                          backoff=0.01, max_wait=0.05, limits=limits)  # fmt: skip
        try:
            answers = api.works(DOIS)
        finally:
            api.close()
    assert all(isinstance(answers[doi_key(d)], Work) for d in DOIS)
    assert api.down is None and api.stats.unreachable == 0
    assert sum(n for s, n in api.stats.statuses.items() if s >= 500) > 0
    assert api.stats.retries > 0


def test_a_source_down_from_the_start_checked_nothing(closed_url: str) -> None:
    from refs import pipeline

    api = CrossrefApi(closed_url, mailto="t@example.org", backoff=0.01)
    try:
        verdicts = pipeline.verify([pipeline.doi_reference(1, DOIS[0], DOIS[0])], api)
        assert [v.doi_status for v in verdicts] == [Status.UNAVAILABLE]
        assert unanswered(api.describe(), verdicts) == ("connection refused", True)
    finally:
        api.close()


# --- the commands -----------------------------------------------------------------------
def test_refs_clean_against_a_closed_port_fails_fast_with_one_line(
    root: Path, closed_url: str, clients: list[CrossrefApi]
) -> None:
    source = str(root / "refs" / "hal-ovarian-cancer.txt")
    result = runner.invoke(
        app, ["clean", source, "--source", closed_url, "--mailto", "t@example.org"]
    )
    assert result.exit_code == 3, result.output
    assert errors(result.stderr) == [
        f"refs: error: {closed_url}: cannot be reached (connection refused)"
    ]
    assert result.stdout == ""  # no bibliography that looks verified
    [api] = clients
    assert_stopped_at_first_failure(api)
    assert api.stats.skipped > 0  # the searches that followed made no request


def test_refs_check_against_a_closed_port_stops_and_stays_resumable(
    tmp_path: Path, closed_url: str, clients: list[CrossrefApi], index_path: Path
) -> None:
    dois = tmp_path / "dois.txt"
    dois.write_text("\n".join(DOIS) + "\n", encoding="utf-8")
    job = tmp_path / "job"
    args = ["check", str(dois), "--source", closed_url, "--job", str(job), "--chunk", "4", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 3, result.output
    [line] = errors(result.stderr)
    assert f"{closed_url}: cannot be reached (connection refused)" in line
    assert f"--resume --job {job}" in line
    [api] = clients
    assert_stopped_at_first_failure(api)
    # Stopped after the first chunk: its rows are journaled as unavailable, the rest unread.
    resumed = Job.start(CheckOptions(source=closed_url, job=job, resume=True))
    try:
        assert resumed.journal.status_counts() == {"unavailable": 4}
        # --resume asks the unavailable ones again: here of a server that answers.
        with running_server(index_path) as url:
            healthy = CrossrefApi(url, mailto="t@example.org")
            resumed.run(source=healthy, chunk=4)
            healthy.close()
        assert resumed.journal.status_counts() == {"confirmed": len(DOIS)}
    finally:
        resumed.close()
