"""`refs check` against `refs serve` over real HTTP, with faults injected: every record is
answered or unavailable (never `unknown` for a transport failure), the pools' rate limits
hold (the server's access log), and --resume asks again for the unavailable ones only."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from check_support import doi, shared_index, work, write_lines
from typer.testing import CliRunner

from refs.check.run import CheckOptions, Job
from refs.cli import app
from refs.serve import Faults, limit_violations, read_access_log, running_server
from refs.sources.crossref_api import MAX_BATCH, CrossrefApi

pytestmark = pytest.mark.slow

REGISTERED = [doi(n) for n in range(1, 201)]
UNREGISTERED = [f"10.5555/nowhere.{n}" for n in range(1, 21)]
SEARCHED = [31, 32, 33, 34, 35, 36]


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_index(tmp_path_factory)


def client(base_url: str) -> CrossrefApi:
    """Few attempts and short back-off, so some batches do fail within the test's time."""
    return CrossrefApi(base_url, mailto="checks@example.org", batch_size=20, max_attempts=2,
                       backoff=0.01, max_wait=1.0, timeout=(2.0, 5.0))  # fmt: skip


def asked(log: Path) -> list[str]:
    """The DOIs the client asked for, from the server's access log."""
    out = []
    for entry in read_access_log(log):
        value = parse_qs(entry["query"]).get("filter", [""])[0]
        out += [part.removeprefix("doi:") for part in value.split(",") if part]
    return out


def test_faults_give_unavailable_never_unknown_and_resume_retries_only_those(
    index_path: Path, tmp_path: Path
) -> None:
    path = write_lines(tmp_path / "dois.txt", [*REGISTERED, *UNREGISTERED])
    table = tmp_path / "refs.csv"  # records with fields and no DOI: searched for
    lines = ["title,authors,year,journal,volume,pages"]
    for n in SEARCHED:
        w = work(n)
        lines.append(f'"{w["title"][0]}",{w["author"][0]["family"]} A.,{w["issued"]["date-parts"][0][0]},'
                     f'{w["container-title"][0]},{w["volume"]},{w["page"]}')  # fmt: skip
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    faults = Faults(rate_5xx=0.5, rate_drop=0.15, rate_429=0.1, retry_after=1, seed=5)
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    with running_server(index_path, faults=faults, access_log=first_log) as url:
        api = client(url)
        job = Job.start(CheckOptions(inputs=(str(path), str(table)), job=tmp_path / "job"))
        try:
            job.run(source=api)
            rows = list(job.journal.rows())
        finally:
            job.close()
            api.close()
    status = {r["doi_input"]: r["doi_status"] for r in rows if r["doi_input"]}
    searched = {r["line"]: r["doi_status"] for r in rows if r["file"] == str(table)}
    assert len(rows) == 220 + len(SEARCHED)
    assert set(searched.values()) <= {"found", "unavailable"}  # never `none` for no answer
    assert {status[d] for d in REGISTERED} <= {"confirmed", "unavailable"}
    assert {status[d] for d in UNREGISTERED} <= {"unknown", "unavailable"}
    unavailable = {d for d, s in status.items() if s == "unavailable"}
    assert unavailable, "the faults should have made some batches fail"
    assert any(s == "confirmed" for s in status.values())
    entries = read_access_log(first_log)
    assert any(e["fault"] for e in entries)
    assert limit_violations(entries) == []

    with running_server(index_path, access_log=second_log) as url:
        api = client(url)
        job = Job.start(CheckOptions(job=tmp_path / "job", resume=True))
        try:
            job.run(source=api)
            rows = list(job.journal.rows())
        finally:
            job.close()
            api.close()
    assert sorted(asked(second_log)) == sorted(unavailable)  # only those, each once
    searches = [e for e in read_access_log(second_log) if "query.bibliographic" in e["query"]]
    assert len(searches) == sum(s == "unavailable" for s in searched.values())
    assert limit_violations(read_access_log(second_log)) == []
    final = {r["doi_input"]: r["doi_status"] for r in rows if r["doi_input"]}
    assert [r["line"] for r in rows] == [*range(1, 221), *range(2, 2 + len(SEARCHED))]
    assert [r["doi"] for r in rows[220:]] == [doi(n) for n in SEARCHED]
    assert all(final[d] == "confirmed" for d in REGISTERED)
    assert all(final[d] == "unknown" for d in UNREGISTERED)


def test_the_command_over_http_batches_its_requests(index_path: Path, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "dois.txt", [*REGISTERED, *UNREGISTERED, REGISTERED[0]])
    log = tmp_path / "access.log"
    with running_server(index_path, access_log=log) as url:
        result = CliRunner().invoke(app, ["check", str(path), "--source", url, "--mailto",
                                          "checks@example.org", "--fail-on", "wrong"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 221 and {r["source"] for r in rows} == {url}
    assert sum(r["doi_status"] == "unknown" for r in rows) == 20
    entries = read_access_log(log)
    batches = -(-220 // MAX_BATCH)  # 220 distinct DOIs, the repeated one asked once
    assert len(entries) == batches
    assert f"{batches} HTTP requests" in result.stderr
    assert limit_violations(entries) == []
    assert all(e["pool"] == "polite-array" for e in entries)
