"""The batch driver and its journal, against the local index and sources written here."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from check_support import (
    COMPONENT,
    RETRACTED,
    RETRACTED_BY_RELATION,
    doi,
    shared_index,
    write_lines,
)

from refs import pipeline
from refs.check.inputs import InputRecord, expand_inputs, read_records
from refs.check.journal import Journal
from refs.check.run import CheckOptions, Job, JournalAnswers, open_index
from refs.errors import InputError
from refs.model import Verdict
from refs.resolve.source import Absent, Candidate, Closing, Description, Query
from refs.sources.sqlite_index import SqliteIndex
from refs.work import Work


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_index(tmp_path_factory)


class Counting(Closing):
    """A source over the index that records every `works` call and can fail some DOIs."""

    def __init__(self, index_path: Path, fail: Iterable[str] = ()) -> None:
        self.index = SqliteIndex(index_path, readonly=True)
        self.name = "index"
        self.calls: list[list[str]] = []
        self.searches = 0
        self.fail = {d.lower() for d in fail}

    def works(self, dois: Iterable[str]) -> dict[str, Work | Absent]:
        keys = [d.lower() for d in dois]
        self.calls.append(keys)
        out = self.index.works([k for k in keys if k not in self.fail])
        out.update(dict.fromkeys((k for k in keys if k in self.fail), Absent.UNAVAILABLE))
        return out

    def search(self, query: Query) -> list[Candidate]:
        self.searches += 1
        return self.index.search(query)

    def agency(self, doi: str) -> str | None:
        return None

    def describe(self) -> Description:
        return self.index.describe()

    def close(self) -> None:
        self.index.close()


def check_dois(
    records: list[InputRecord], source: Counting
) -> tuple[list[Verdict], dict[str, dict[str, Any]]]:
    """What `refs check` answers for these records: the verdicts, and the answers it keeps."""
    answers = JournalAnswers(source, lambda keys: {})
    refs = [r.as_reference(n) for n, r in enumerate(records, 1)]
    return pipeline.verify(refs, answers), answers.learnt()


def dois_of(path: Path) -> list[Any]:
    [source] = expand_inputs([str(path)])
    return list(read_records(source))


def test_doi_only_statuses(tmp_path: Path, index_path: Path) -> None:
    path = write_lines(tmp_path / "dois.txt", [
        doi(1), COMPONENT, "10.5555/check.9.s002", "10.5555/nowhere.1", doi(RETRACTED),
        "10.5555/nowhere.2.s001",
    ])  # fmt: skip
    source = Counting(index_path)
    try:
        verdicts, learnt = check_dois(dois_of(path), source)
    finally:
        source.close()
    got = [(v.doi_status, v.doi) for v in verdicts]
    assert got == [
        ("confirmed", doi(1)),
        ("supplement", doi(7)),  # a registered component: its article
        ("supplement", doi(9)),  # an unregistered .s002 of a registered article
        ("unknown", None),
        ("confirmed", doi(RETRACTED)),
        # Neither it nor its article is registered: the suffix alone says it is a
        # supplementary file's, as `refs clean` says (the article is suggested in the flag).
        ("supplement", None),
    ]
    assert verdicts[5].flags[0].registry == "10.5555/nowhere.2"
    assert verdicts[4].updates[0].kind == "retraction"
    assert verdicts[4].updates[0].date == "2021-03-04"
    assert verdicts[3].flags[0].kind == "missing"
    assert source.searches == 0  # DOI-only records are never searched
    # One look-up for the printed DOIs and the articles their suffixes name; the
    # registered component's article is among them, so no second call is needed.
    [asked] = source.calls
    assert {doi(9), "10.5555/nowhere.2", doi(7)} <= set(asked)
    assert set(learnt) >= {doi(1), COMPONENT, "10.5555/nowhere.1"}


def test_a_transport_failure_is_unavailable_never_unknown(tmp_path: Path, index_path: Path) -> None:
    path = write_lines(tmp_path / "dois.txt", [doi(1), doi(2), "10.5555/nowhere.3"])
    source = Counting(index_path, fail=[doi(2), "10.5555/nowhere.3"])
    try:
        verdicts, learnt = check_dois(dois_of(path), source)
    finally:
        source.close()
    assert [v.doi_status for v in verdicts] == ["confirmed", "unavailable", "unavailable"]
    assert set(learnt) == {doi(1)}  # a failure is never remembered as an answer


def test_extra_fields_of_a_doi_record_are_compared(tmp_path: Path, index_path: Path) -> None:
    path = tmp_path / "refs.jsonl"
    path.write_text(
        json.dumps({"doi": doi(5), "year": "1995", "volume": "6", "pages": "105-115"}) + "\n"
        + json.dumps({"doi": doi(5), "year": "1995", "volume": "41"}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    source = Counting(index_path)
    try:
        verdicts, _ = check_dois(dois_of(path), source)
    finally:
        source.close()
    assert [v.doi_status for v in verdicts] == ["confirmed", "confirmed"]
    assert verdicts[0].flags == ()
    assert [f.field for f in verdicts[1].flags] == ["volume"]


def run_job(tmp_path: Path, inputs: list[str], source: Any, *, resume: bool = False,
            chunk: int = 4) -> Job:  # fmt: skip
    job = Job.start(CheckOptions(inputs=tuple(inputs) if not resume else (),
                                 job=tmp_path / "job", resume=resume))  # fmt: skip
    job.run(source=source, chunk=chunk)
    return job


def test_dois_are_asked_once_per_job_in_one_call_per_chunk(
    tmp_path: Path, index_path: Path
) -> None:
    repeated = [doi(n % 6 + 1) for n in range(20)]  # 6 distinct DOIs over 5 chunks of 4
    path = write_lines(tmp_path / "dois.txt", repeated)
    source = Counting(index_path)
    job = run_job(tmp_path, [str(path)], source)
    try:
        rows = list(job.journal.rows())
    finally:
        job.close()
        source.close()
    assert len(rows) == 20 and all(r["doi_status"] == "confirmed" for r in rows)
    assert len(source.calls) <= 5
    asked = [k for call in source.calls for k in call]
    assert sorted(asked) == sorted({d.lower() for d in repeated})  # each DOI once


def test_resume_retries_only_unavailable_records(tmp_path: Path, index_path: Path) -> None:
    path = write_lines(tmp_path / "dois.txt", [doi(n) for n in range(1, 13)])
    failing = Counting(index_path, fail=[doi(3), doi(8)])
    job = run_job(tmp_path, [str(path)], failing)
    statuses = [r["doi_status"] for r in job.journal.rows()]
    job.close()
    failing.close()
    assert statuses.count("unavailable") == 2
    healthy = Counting(index_path)
    job = run_job(tmp_path, [], healthy, resume=True)
    try:
        rows = list(job.journal.rows())
    finally:
        job.close()
        healthy.close()
    assert [k for call in healthy.calls for k in call] == [doi(3), doi(8)]
    assert [r["line"] for r in rows] == list(range(1, 13))
    assert all(r["doi_status"] == "confirmed" for r in rows)


def test_mixed_records_go_to_the_resolver_or_the_look_up(tmp_path: Path, index_path: Path) -> None:
    from check_support import work

    w = work(21)
    fields = (f'"{w["title"][0]}",{w["author"][0]["family"]} A.,'
              f'{w["issued"]["date-parts"][0][0]},{w["container-title"][0]},{w["volume"]},{w["page"]}')  # fmt: skip
    path = tmp_path / "refs.csv"
    path.write_text(
        "doi,title,authors,year,journal,volume,pages\n"
        f"{doi(21)},{fields}\n{doi(22)},{fields}\n,{fields}\n{doi(23)},,,,,,\nnot-a-doi,,,,,,\n",
        encoding="utf-8",
    )
    source = Counting(index_path)
    job = run_job(tmp_path, [str(path)], source, chunk=10)
    try:
        rows = list(job.journal.rows())
    finally:
        job.close()
        source.close()
    assert [(r["doi_status"], r["doi"]) for r in rows] == [
        ("confirmed", doi(21)),
        ("wrong", doi(21)),  # work 22's DOI on work 21's fields
        ("found", doi(21)),
        ("confirmed", doi(23)),
        ("invalid", None),
    ]
    assert rows[4]["why"] == "not a DOI: 'not-a-doi'"
    assert [r["entry"] for r in rows] == [1, 2, 3, 4, 5]


def test_job_settings_and_inputs_are_guarded(tmp_path: Path, index_path: Path) -> None:
    path = write_lines(tmp_path / "dois.txt", [doi(1)])
    other = write_lines(tmp_path / "other.txt", [doi(2)])
    source = Counting(index_path)
    run_job(tmp_path, [str(path)], source).close()
    with pytest.raises(InputError, match="holds a job already"):
        Job.start(CheckOptions(inputs=(str(path),), job=tmp_path / "job"))
    with pytest.raises(InputError, match="not the job's"):
        Job.start(CheckOptions(inputs=(str(other),), job=tmp_path / "job", resume=True))
    with pytest.raises(InputError, match="--source"):
        Job.start(CheckOptions(job=tmp_path / "job", resume=True, source="crossref"))
    job = Job.start(CheckOptions(job=tmp_path / "job", resume=True))
    with pytest.raises(InputError, match="another `refs check` is running"):
        Job.start(CheckOptions(job=tmp_path / "job", resume=True))
    job.close()
    path.write_text(f"{doi(3)}\n", encoding="utf-8")
    with pytest.raises(InputError, match="changed since the job started"):
        Job.start(CheckOptions(job=tmp_path / "job", resume=True))
    with pytest.raises(InputError, match="no job to resume"):
        Job.start(CheckOptions(job=tmp_path / "elsewhere", resume=True))
    source.close()


def test_journal_refuses_what_is_not_one(tmp_path: Path) -> None:
    (tmp_path / "journal.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputError, match="not a refs job journal"):
        Journal(tmp_path)
    with pytest.raises(InputError, match="no job there"):
        Journal(tmp_path / "nothing")


def test_a_job_without_job_dir_is_automatic_and_removed_when_done(
    tmp_path: Path, index_path: Path
) -> None:
    path = write_lines(tmp_path / "dois.txt", [doi(1), doi(2)])
    source = Counting(index_path)
    job = Job.start(CheckOptions(inputs=(str(path),)))
    assert job.auto and job.directory.exists()
    job.run(source=source)
    assert job.finish() is False
    assert not job.directory.exists()
    source.close()


def test_workers_in_processes_give_the_same_answers(tmp_path: Path, index_path: Path) -> None:
    """One chunk big enough that both the look-ups and the resolver are split across
    two worker processes, each with its own connection to the index."""
    from check_support import work

    lines = [doi(n) for n in range(1, 301)] + [f"10.5555/nowhere.{n}" for n in range(150)]
    dois = write_lines(tmp_path / "dois.txt", lines)
    table = tmp_path / "refs.csv"
    rows = ["doi,title,year,journal,volume,pages"]
    for n in range(40, 52):
        w = work(n)
        rows.append(f'{doi(n + 1)},"{w["title"][0]}",{w["issued"]["date-parts"][0][0]},'
                    f'{w["container-title"][0]},{w["volume"]},{w["page"]}')  # fmt: skip
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    reports = []
    for workers in (1, 2):
        source = SqliteIndex(index_path, readonly=True)
        job = Job.start(CheckOptions(inputs=(str(dois), str(table)), job=tmp_path / f"j{workers}"))
        try:
            job.run(source=source, opener=functools.partial(open_index, str(index_path)),
                    workers=workers, chunk=1000)  # fmt: skip
            reports.append(list(job.journal.lines()))
        finally:
            job.close()
            source.close()
    assert len(reports[0]) == 462
    assert reports[0] == reports[1]


def test_a_retraction_linked_only_as_a_relation_is_a_notice(
    tmp_path: Path, index_path: Path
) -> None:
    path = write_lines(tmp_path / "dois.txt", [doi(RETRACTED_BY_RELATION), doi(1)])
    source = Counting(index_path)
    try:
        verdicts, _ = check_dois(dois_of(path), source)
    finally:
        source.close()
    [notice] = verdicts[0].updates  # the review link is no notice
    assert (notice.kind, notice.doi, notice.source) == (
        "retraction",
        "10.5555/notice.13",
        "relation",
    )
    assert verdicts[1].updates == ()


def test_relation_notices_are_deduplicated_and_not_read_from_a_notices_own_record() -> None:
    work = Work.from_message({
        "DOI": "10.5555/original",
        "updated-by": [{"DOI": "10.5555/notice", "type": "retraction", "source": "retraction-watch"}],
        "relation": {
            "is-retracted-by": [
                {"id-type": "doi", "id": "10.5555/NOTICE", "asserted-by": "subject"},
                {"id-type": "uri", "id": "https://doi.org/10.5555/notice", "asserted-by": "object"},
                {"id-type": "doi", "id": "10.5555/second", "asserted-by": "object"},
                {"id-type": "doi", "id": "10.5555/second", "asserted-by": "subject"},
            ],
        },
    })  # fmt: skip
    assert [(n.kind, n.doi, n.source) for n in work.notices()] == [
        ("retraction", "10.5555/notice", "retraction-watch"),
        ("retraction", "10.5555/second", "relation"),
    ]
    notice = Work.from_message({
        "DOI": "10.5555/notice",
        "update-to": [{"DOI": "10.5555/original", "type": "retraction"}],
        "relation": {"retraction": [{"id-type": "doi", "id": "10.5555/original"}]},
    })  # fmt: skip
    assert notice.notices() == ()
