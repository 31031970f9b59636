"""The local index: building from every record form, idempotent, resumable, searchable."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from refs.errors import InputError, SourceUnavailable
from refs.resolve.source import Absent, Query
from refs.sources.index_build import build_index, sample_records
from refs.sources.records import Record, Skipped, read_records
from refs.sources.sqlite_index import SqliteIndex


def work(n: int, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "DOI": f"10.5555/Test.{n}",
        "type": "journal-article",
        "title": [f"Study number {n} of zebrafish fin regeneration"],
        "container-title": ["Journal of Tests"],
        "short-container-title": ["J Tests"],
        "author": [{"family": f"Author{n}", "given": "A."}],
        "issued": {"date-parts": [[2000 + n % 20]]},
        "volume": str(n % 50),
        "page": f"{n}-{n + 9}",
    }
    record.update(extra)
    return record


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SqliteIndex]:
    opened = SqliteIndex(tmp_path / "index.sqlite", create=True)
    yield opened
    opened.close()


def write_jsonl(path: Path, works: list[dict[str, Any]]) -> Path:
    text = "".join(json.dumps(w) + "\n" for w in works)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def test_every_record_form_is_read(tmp_path: Path, index: SqliteIndex) -> None:
    write_jsonl(tmp_path / "a.jsonl", [work(1), work(2)])
    write_jsonl(tmp_path / "b.jsonl.gz", [work(3)])
    chunk = {"items": [work(4), work(5)]}
    (tmp_path / "c.json.gz").write_bytes(gzip.compress(json.dumps(chunk).encode()))
    single = {"status": "ok", "message-type": "work", "message": work(6)}
    (tmp_path / "d.json").write_text(json.dumps(single))
    listing = {"status": "ok", "message": {"items": [work(7)], "total-results": 1}}
    (tmp_path / "e.json").write_text(json.dumps(listing, indent=2))
    report = build_index(index, [str(tmp_path)])
    assert report.added == 7
    assert report.skipped == []
    found = index.works([f"10.5555/TEST.{n}" for n in range(1, 9)])
    assert [k for k, v in found.items() if v is Absent.MISSING] == ["10.5555/test.8"]


def test_damage_is_skipped_and_counted(tmp_path: Path, index: SqliteIndex) -> None:
    lines = [json.dumps(work(1)), '{"DOI": "10.5555/trunc', json.dumps({"title": ["no doi"]})]
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n" + json.dumps(work(2)) + "\n")
    corrupt = tmp_path / "corrupt.jsonl.gz"
    corrupt.write_bytes(
        gzip.compress(b"".join(json.dumps(work(n)).encode() + b"\n" for n in range(3, 400)))[:300]
    )
    report = build_index(index, [str(tmp_path / "bad.jsonl"), str(corrupt)])
    reasons = " | ".join(report.skipped)
    assert "not valid JSON" in reasons
    assert "no DOI" in reasons
    assert "unreadable" in reasons
    assert index.count() >= 2


def test_missing_input_and_missing_index(tmp_path: Path, index: SqliteIndex) -> None:
    with pytest.raises(InputError):
        build_index(index, [str(tmp_path / "nope.jsonl")])
    with pytest.raises(SourceUnavailable, match="refs index build"):
        SqliteIndex(tmp_path / "absent.sqlite")
    not_db = tmp_path / "not.sqlite"
    not_db.write_text("hello")
    with pytest.raises(SourceUnavailable, match="not a refs index"):
        SqliteIndex(not_db)


def test_rebuilding_is_idempotent_and_updates(tmp_path: Path, index: SqliteIndex) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [work(1), work(2)])
    build_index(index, [str(path)])
    build_index(index, [str(path)])
    assert index.count() == 2
    write_jsonl(tmp_path / "a.jsonl", [work(1, volume="99"), work(2)])
    os.utime(path, (time.time() + 5, time.time() + 5))
    build_index(index, [str(path)])
    assert index.count() == 2
    found = index.works(["10.5555/test.1"])["10.5555/test.1"]
    assert not isinstance(found, Absent) and found.volume == "99"
    # The search index follows the update: one row per work, not two.
    assert len(index.search(Query("Study number 1 zebrafish Author1", rows=10))) <= 10
    assert index.db.execute("SELECT count(*) FROM works_fts").fetchone()[0] == 2


def test_search_finds_the_work_from_a_reference_string(index: SqliteIndex) -> None:
    index.upsert([work(n) for n in range(1, 60)])
    index.db.commit()
    hits = index.search(
        Query(
            "Author17 A. Study number 17 of zebrafish fin regeneration. J Tests. 2017;17:17-26", 3
        )
    )
    assert hits[0].work.DOI == "10.5555/Test.17"
    assert hits[0].score > hits[1].score
    assert index.search(Query("", 3)) == []
    assert index.search(Query("%%% ??? ((", 3)) == []


def test_agency(index: SqliteIndex) -> None:
    index.upsert([work(1)])
    index.db.commit()
    assert index.agency("10.5555/TEST.1") == "crossref"
    assert index.agency("10.5555/none") is None


def test_sample_records_ship_with_the_package(tmp_path: Path) -> None:
    records = [r for r in read_records(sample_records()) if isinstance(r, Record)]
    assert len(records) >= 50
    assert not [r for r in read_records(sample_records()) if isinstance(r, Skipped)]


BUILD_SCRIPT = """
import sys
from pathlib import Path
from refs.sources.index_build import build_index
from refs.sources import index_build
from refs.sources.sqlite_index import SqliteIndex
index_build.BATCH = 50
build_index(SqliteIndex(Path(sys.argv[1]), create=True), [sys.argv[2]], progress=lambda f, n: print(n, flush=True))
"""


def test_a_killed_build_resumes_to_the_same_index(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "many.jsonl", [work(n) for n in range(3000)])
    db = tmp_path / "killed.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-c", BUILD_SCRIPT, str(db), str(source)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for _ in range(5):  # let a few batches commit, then kill mid-build
        proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    index = SqliteIndex(db)
    assert 0 < index.count() < 3000 or index.count() == 3000
    assert not index.info().complete or index.count() == 3000
    report = build_index(index, [str(source)])
    assert index.count() == 3000
    assert index.info().complete
    assert report.resumed_files == 1
    assert index.db.execute("SELECT count(*) FROM works_fts").fetchone()[0] == 3000


def test_cached_candidates_never_drop_a_hit_and_follow_updates(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from refs.sources import sqlite_index

    monkeypatch.setattr(sqlite_index, "_CANDIDATE_CACHE", 2)  # smaller than a page of hits
    index.upsert([work(n) for n in range(1, 30)])
    index.db.commit()
    query = Query("Author17 Study number 17 of zebrafish fin regeneration J Tests 17", 5)
    first = [c.work.DOI for c in index.search(query)]
    assert len(first) == 5 and first[0] == "10.5555/Test.17"
    again = [c.work.DOI for c in index.search(query)]  # partly cached, partly read again
    assert again == first
    assert len(index._candidates) <= 2
    index.upsert([work(17, volume="99")])
    index.db.commit()
    [best] = index.search(Query("Author17 Study number 17 of zebrafish fin regeneration", 1))
    assert best.work.volume == "99"  # not the cached record from before the update
