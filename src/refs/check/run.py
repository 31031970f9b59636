"""The batch driver: a job streams its inputs in chunks, resolves each chunk, journals it.

For each chunk of records (1,000 by default):
- records already answered in the journal are skipped (a resumed job), except
  `unavailable` ones, which are asked again;
- records that are only a DOI (perhaps with a year, volume or pages) are checked
  by look-up alone, with one `Source.works` call for the chunk's DOIs that the job
  has not already seen (no search): `confirmed` when the DOI is registered,
  `supplement` when it is a component's (a supplementary file's), `unknown` when
  the source says it is not registered, `unavailable` when the source did not answer;
- records with a title or authors (or no DOI) go to the `Resolver`, in this
  process, or split across `workers` (processes over the local index; threads
  sharing one HTTP client otherwise, so one set of rate limits holds for all);
- the chunk's rows and DOI answers are committed in one transaction.

A job killed at any moment therefore loses at most the chunk in flight, and a
resumed job answers each record exactly once. The report is rendered from the
journal at the end (see `render`).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import multiprocessing
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from refs import config, ids, pipeline
from refs.check.inputs import (
    Input,
    InputRecord,
    Kind,
    Unusable,
    count_records,
    expand_inputs,
    parse_columns,
    read_records,
)
from refs.check.journal import JOURNAL, JobLock, Journal, JournalRow, StoredInput
from refs.check.render import (
    REPORT_STATUSES,
    Display,
    QuietProgress,
    Summary,
    report_row,
)
from refs.errors import InputError, SourceUnavailable
from refs.model import Reference, Status, Verdict
from refs.report.notices import is_severe
from refs.resolve.source import Absent, Candidate, Closing, Description, Query, Source
from refs.sources.sqlite_index import slim_record
from refs.work import Work

__all__ = ["CHUNK", "CheckOptions", "Job", "JournalAnswers", "RunStats", "fail_on", "open_index"]

CHUNK = 1000  # records per chunk: per transaction, per `works` call
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What a `refs check` run was asked to do. None: the job's stored setting, else the default."""

    inputs: tuple[str, ...] = ()
    source: str | None = None
    index: str | None = None
    mailto: str | None = None
    refresh: bool = False
    kind: Kind | None = None
    columns: str | None = None
    job: Path | None = None
    resume: bool = False
    workers: int = 1
    chunk: int = CHUNK


@dataclass(frozen=True, slots=True)
class RunStats:
    checked: int  # records answered by this run
    elapsed: float
    requests: int | None  # HTTP requests this run made (None: not an HTTP source)
    source: str


_SETTINGS = ("source", "index", "kind", "columns")  # fixed for a job's life


class Job:
    """A job directory: its journal, lock, settings and inputs.

    `Job.start(options)` creates a new job or resumes one; `run()` does the work;
    `close()` releases it. Without `--job` the directory is an automatic one
    under the cache directory, named after the inputs and settings, so the same
    command with `--resume` finds it again; it is removed once the job is done.
    """

    def __init__(self, directory: Path, journal: Journal, lock: JobLock | None, *, auto: bool,
                 inputs: list[Input], settings: Mapping[str, Any]) -> None:  # fmt: skip
        self.directory = directory
        self.journal = journal
        self.auto = auto
        self.inputs = inputs
        self.settings = dict(settings)
        self._lock = lock

    # --- opening ----------------------------------------------------------------------
    @classmethod
    def start(cls, options: CheckOptions, *, stdin: BinaryIO | None = None) -> Job:
        if options.workers < 1:
            raise InputError(f"--workers {options.workers}: must be at least 1")
        if options.chunk < 1:
            raise InputError(f"--chunk {options.chunk}: must be at least 1")
        parse_columns(options.columns)  # a bad --columns is a usage error, said now
        given: list[Input] | None = None
        if options.inputs:
            given = expand_inputs(options.inputs, options.kind or Kind.auto, stdin)
        directory = options.job
        auto = directory is None
        if directory is None:
            if given is None:
                raise InputError("no input: give files, directories, globs or - for standard input")
            directory = config.cache_dir() / "jobs" / _job_id(given, options)
        exists = (directory / JOURNAL).exists()
        if options.resume and not exists and given is None:
            raise InputError(f"{directory}: no job to resume there")
        if exists and not options.resume:
            if not auto:
                raise InputError(
                    f"{directory}: holds a job already; add --resume to finish it, "
                    "or give another --job directory"
                )
            busy = JobLock(directory)  # an automatic job left unfinished: start over,
            busy.acquire()  # unless it is running
            busy.release()
            shutil.rmtree(directory)
            exists = False
        if exists:
            return cls._resume(directory, options, given, stdin, auto=auto)
        if given is None:
            raise InputError("no input: give files, directories, globs or - for standard input")
        return cls._create(directory, options, given, auto=auto)

    @classmethod
    def _create(cls, directory: Path, options: CheckOptions, inputs: list[Input], *,
                auto: bool) -> Job:  # fmt: skip
        directory.mkdir(parents=True, exist_ok=True)
        lock = JobLock(directory)
        lock.acquire()
        settings = {
            "inputs": list(options.inputs),
            "source": options.source or "index",
            "index": options.index,
            "mailto": options.mailto,
            "kind": (options.kind or Kind.auto).value,
            "columns": options.columns,
        }
        stored = [
            StoredInput(i.number, i.name, i.key, i.kind.value, i.fingerprint()) for i in inputs
        ]
        try:
            journal = Journal.create(directory, settings, stored)
        except BaseException:
            lock.release()
            raise
        return cls(directory, journal, lock, auto=auto, inputs=inputs, settings=settings)

    @classmethod
    def _resume(cls, directory: Path, options: CheckOptions, given: list[Input] | None,
                stdin: BinaryIO | None, *, auto: bool) -> Job:  # fmt: skip
        lock = JobLock(directory)
        lock.acquire()
        journal: Journal | None = None
        try:
            journal = Journal(directory)
            settings = dict(journal.meta("settings") or {})
            for name in _SETTINGS:
                value = getattr(options, name)
                value = value.value if isinstance(value, Kind) else value
                if value is not None and value != settings.get(name):
                    raise InputError(
                        f"the job in {directory} was started with --{name} "
                        f"{settings.get(name)!r}; resume it with the same setting"
                    )
            inputs = _stored_inputs(journal, given, stdin)
        except BaseException:
            if journal is not None:
                journal.close()
            lock.release()
            raise
        return cls(directory, journal, lock, auto=auto, inputs=inputs, settings=settings)

    @staticmethod
    def read_only(directory: Path) -> Journal:
        """The journal of a job that may be running, for a partial report."""
        return Journal(directory, readonly=True)

    # --- running ------------------------------------------------------------------------
    def run(
        self,
        display: Display | None = None,
        *,
        source: Source | None = None,
        opener: Callable[[], Source] | None = None,
        workers: int = 1,
        chunk: int = CHUNK,
        mailto: str | None = None,
        refresh: bool = False,
    ) -> RunStats:
        """Check every record not answered yet. KeyboardInterrupt leaves the journal whole.

        `source`: one already open (tests, benchmarks); else the job's, opened here.
        `opener`: how a worker process opens its own (the local index).
        """
        display = display or QuietProgress()
        own = source is None
        if source is None:
            spec = str(self.settings.get("source") or "index")
            source = pipeline.open_source(pipeline.Settings(
                source=spec, index=self.settings.get("index"),
                mailto=mailto or self.settings.get("mailto"), refresh=refresh))  # fmt: skip
            if opener is None and spec == "index":
                opener = functools.partial(
                    open_index, str(config.index_path(self.settings.get("index")))
                )
        stats = getattr(source, "stats", None)
        requests_before = getattr(stats, "requests", None)
        columns = parse_columns(self.settings.get("columns"))
        answers = JournalAnswers(source, self.journal.doi_answers)
        pool = FieldPool(answers, workers, opener)
        started = time.monotonic()
        checked = 0
        try:
            estimate = sum(count_records(i) for i in self.inputs)
            display.start(estimate, self.journal.count(settled=True))
            for batch in _chunks(self._records(columns), chunk):
                done = self.journal.answered((r.source.number, r.seq) for r in batch)
                pending = [r for r in batch if (r.source.number, r.seq) not in done]
                if not pending:
                    continue
                rows, dois = resolve_chunk(pending, answers, pool)
                self.journal.save(rows, dois)
                checked += len(pending)
                display.advance(len(pending))
                down = source.describe().down  # an HTTP client that cannot connect
                if down is not None:
                    self._stop_unreachable(source.name, down)
        finally:
            display.stop()
            pool.close()
            if own:
                source.close()
        requests = None
        if requests_before is not None:
            requests = int(getattr(stats, "requests", 0)) - int(requests_before)
        return RunStats(checked, time.monotonic() - started, requests, source.name)

    def _stop_unreachable(self, name: str, why: str) -> None:
        """Stop a job whose source cannot be reached: its rows so far are saved, and resumable.

        The chunk that found it down is journaled (its unavailable rows are asked again by
        `--resume`); going on would only fill the journal with more of them.
        """
        done = self.journal.count(settled=True)
        raise SourceUnavailable(
            f"{name}: cannot be reached ({why}); {done:,} answered records are saved: "
            f"resume with refs check --resume --job {self.directory}"
        )

    def _records(self, columns: Mapping[str, str]) -> Iterator[InputRecord]:
        for source in self.inputs:
            problem: str | None = None
            try:
                yield from read_records(source, columns)
            except Unusable as unusable:
                problem = str(unusable)
            self.journal.set_problem(source.number, problem)

    # --- results --------------------------------------------------------------------------
    def summary(self, stats: RunStats | None = None, *, report: str | None = None,
                worst: int = 8) -> Summary:  # fmt: skip
        return summarize(self.journal, stats, report=report, worst=worst)

    def finish(self) -> bool:
        """Release the job; an automatic one with nothing left to retry is removed. True if kept."""
        keep = not self.auto or self.journal.status_counts().get("unavailable", 0) > 0
        self.close()
        if not keep:
            shutil.rmtree(self.directory, ignore_errors=True)
        return keep

    def close(self) -> None:
        self.journal.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def summarize(journal: Journal, stats: RunStats | None = None, *, report: str | None = None,
              worst: int = 8) -> Summary:  # fmt: skip
    order = [s for s in REPORT_STATUSES if s in ("wrong", "unknown", "invalid", "supplement",
                                                 "ambiguous", "unavailable")]  # fmt: skip
    return Summary(
        rows=journal.count(),
        statuses=journal.status_counts(),
        flags=journal.flag_counts(),
        notices=journal.notice_counts(),
        worst=journal.worst(order, worst),
        problems=journal.problems(),
        source=stats.source if stats else None,
        elapsed=stats.elapsed if stats else None,
        checked_now=stats.checked if stats else 0,
        requests=stats.requests if stats else None,
        report=report,
    )


def fail_on(journal: Journal, selectors: Sequence[str]) -> dict[str, int]:
    """How many rows match each --fail-on selector (statuses, and `retracted`)."""
    counts = journal.status_counts()
    out: dict[str, int] = {}
    for name in selectors:
        out[name] = journal.retracted() if name == "retracted" else counts.get(name, 0)
    return {k: v for k, v in out.items() if v}


FAIL_ON_NAMES = (*REPORT_STATUSES, "retracted")


def parse_fail_on(spec: str) -> list[str]:
    names = [p.strip().lower() for p in spec.split(",") if p.strip()]
    unknown = [n for n in names if n not in FAIL_ON_NAMES]
    if unknown:
        raise InputError(
            f"--fail-on {','.join(unknown)}: not a status; use any of {', '.join(FAIL_ON_NAMES)}"
        )
    return names


def _job_id(inputs: Sequence[Input], options: CheckOptions) -> str:
    parts = [i.fingerprint() if i.key == "-" else i.key for i in inputs]
    parts += [str(options.source or "index"), str(options.index), str(options.kind),
              str(options.columns)]  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _stored_inputs(
    journal: Journal, given: list[Input] | None, stdin: BinaryIO | None
) -> list[Input]:
    """The job's inputs as stored, checked against the files as they are now."""
    stored = journal.inputs()
    data: dict[str, bytes | None] = {}
    if given is not None:
        if [g.key for g in given] != [s.key for s in stored]:
            raise InputError(
                f"these inputs are not the job's ({', '.join(s.name for s in stored)}): "
                "resume without naming inputs, or start a new job"
            )
        data = {g.key: g.data for g in given}
    elif any(s.key == "-" for s in stored):
        data["-"] = (stdin if stdin is not None else sys.stdin.buffer).read()
    inputs = []
    for s in stored:
        current = Input(s.number, s.name, s.key, Kind(s.kind), data.get(s.key))
        try:
            fingerprint = current.fingerprint()
        except OSError:
            raise InputError(f"{s.name}: no longer exists; the job cannot be resumed") from None
        if fingerprint != s.fingerprint:
            raise InputError(
                f"{s.name}: changed since the job started, so its answered records may not "
                "match it any more; start a new job"
            )
        inputs.append(current)
    return inputs


def _chunks(records: Iterator[InputRecord], size: int) -> Iterator[list[InputRecord]]:
    while True:
        batch = list(itertools.islice(records, size))
        if not batch:
            return
        yield batch


# --- resolving one chunk ------------------------------------------------------------------
def resolve_chunk(
    records: Sequence[InputRecord], answers: JournalAnswers, pool: FieldPool
) -> tuple[list[JournalRow], dict[str, dict[str, Any]]]:
    """Answer every record of a chunk: journal rows, and the DOI answers learnt.

    Every readable record, a bare DOI line or a row with fields, goes through the one
    resolver (`refs.pipeline.verify`), so `refs check` and `refs clean` give the same
    verdict on the same reference.
    """
    verdicts: dict[int, Verdict] = {}
    readable: list[tuple[int, Reference]] = []
    for k, record in enumerate(records):
        if record.error is not None:
            verdicts[k] = Verdict(Status.INVALID, None, None, why=record.error)
        else:
            readable.append((k, record.as_reference(len(readable) + 1)))
    if readable:
        found = pool.resolve([ref for _, ref in readable])
        verdicts.update((k, v) for (k, _), v in zip(readable, found, strict=True))
    rows = [_journal_row(record, verdicts[k]) for k, record in enumerate(records)]
    return rows, answers.learnt()


def _journal_row(record: InputRecord, verdict: Verdict) -> JournalRow:
    row = report_row(record.source.name, record.line, record.entry, record.doi_input, verdict)
    notices = tuple(dict.fromkeys(u.kind for u in verdict.updates))
    return JournalRow(
        input=record.source.number,
        seq=record.seq,
        line=record.line,
        status=verdict.doi_status,
        flags=tuple(f"{f.field}:{f.kind}" for f in verdict.flags),
        notices=notices,
        retracted=any(is_severe(kind) for kind in notices),
        row=row,
    )


class JournalAnswers(Closing):
    """A source whose DOI answers are kept in the job's journal: a DOI is asked once per job.

    Registered DOIs are kept as slim records (what the resolver reads), unregistered ones as
    `{"missing": true}`; a transport failure is never kept, so it is asked again. Searches
    go to the source.
    """

    def __init__(
        self, source: Source, known: Callable[[Sequence[str]], dict[str, dict[str, Any]]]
    ) -> None:
        self.source = source
        self.name = source.name
        self.known = known  # the answers kept already: `Journal.doi_answers`
        self._learnt: dict[str, dict[str, Any]] = {}

    def works(self, dois: Iterable[str]) -> dict[str, Work | Absent]:
        keys = list(dict.fromkeys(ids.doi_key(d.strip()) for d in dois if d.strip()))
        known = self.known([k for k in keys if k not in self._learnt])
        known.update((k, self._learnt[k]) for k in keys if k in self._learnt)
        out: dict[str, Work | Absent] = {k: _decode(v) for k, v in known.items()}
        ask = [k for k in keys if k not in out]
        if ask:
            for key, answer in self.source.works(ask).items():
                out[key] = answer
                if isinstance(answer, Work):
                    self._learnt[key] = (
                        slim_record(answer.raw) if answer.raw else {"DOI": answer.DOI}
                    )
                elif answer is Absent.MISSING:
                    self._learnt[key] = _MISSING
        return out

    def learnt(self) -> dict[str, dict[str, Any]]:
        """The answers asked since the last call, to save with the chunk's rows."""
        learnt, self._learnt = self._learnt, {}
        return learnt

    def search(self, query: Query) -> list[Candidate]:
        return self.source.search(query)

    def agency(self, doi: str) -> str | None:
        return self.source.agency(doi)

    def describe(self) -> Description:
        return self.source.describe()

    def close(self) -> None:
        self.source.close()


_MISSING: dict[str, Any] = {"missing": True}


def _decode(answer: Mapping[str, Any]) -> Work | Absent:
    return Absent.MISSING if answer.get("missing") else Work.from_message(answer)


# --- records with fields: the resolver, in workers ---------------------------------------------
def open_index(path: str) -> Source:
    """Open the local index read-only (a worker process's own connection)."""
    from refs.sources.sqlite_index import SqliteIndex

    return SqliteIndex(Path(path), readonly=True)


_WORKER: dict[str, Source] = {}  # a worker process's own source


def _init_worker(opener: Callable[[], Source]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does
    _WORKER["source"] = opener()


def _resolve_in_worker(refs: list[Reference]) -> list[Verdict]:
    return pipeline.verify(refs, _WORKER["source"])


class FieldPool:
    """Where the CPU work of a chunk runs: inline, or split across workers.

    With an `opener` (a picklable way to open the source: the local index), the
    workers are processes, each with its own connection. Without one they are
    threads sharing `source`, so an HTTP client's rate limits (and the journal's
    answers) hold across them.
    """

    def __init__(self, source: Source, workers: int = 1,
                 opener: Callable[[], Source] | None = None) -> None:  # fmt: skip
        self.source = source
        self.workers = max(1, workers)
        self.opener = opener
        self._executor: Executor | None = None

    def resolve(self, refs: list[Reference]) -> list[Verdict]:
        if self.workers == 1 or len(refs) < 2 * self.workers:
            return pipeline.verify(refs, self.source)
        executor = self._pool()
        parts = _split(refs, self.workers)
        if isinstance(executor, ProcessPoolExecutor):
            results = executor.map(_resolve_in_worker, parts)
        else:
            results = executor.map(functools.partial(pipeline.verify, source=self.source), parts)
        return [v for part in results for v in part]

    def _pool(self) -> Executor:
        if self._executor is None:
            if self.opener is not None:
                self._executor = ProcessPoolExecutor(
                    self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_init_worker,
                    initargs=(self.opener,),
                )
            else:
                self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="refs-check")
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _split(items: list[_T], parts: int) -> list[list[_T]]:
    size = -(-len(items) // parts)
    return [items[i : i + size] for i in range(0, len(items), size)]
