"""The job journal: one SQLite file (WAL) in the job directory, the job's only state.

It records the job's settings, its inputs (with a fingerprint each, so a resumed
job refuses inputs that changed), every answered record (one row each, keyed by
input and position, written in one transaction per chunk), and every DOI a
source answered for (so a DOI is asked once per job, whichever record prints it).

Crash safety comes from SQLite: a chunk's rows and DOI answers are committed
together or not at all (WAL), so `kill -9` at any moment leaves
the journal as it was after the last whole chunk. A resumed job skips the
records answered and retries the `unavailable` ones. A transport failure is
never stored as a DOI answer.

    meta    (key, value)                    settings, as JSON
    inputs  (number, name, key, kind, fingerprint, problem)
    rows    (input, seq, line, status, flags, notices, retracted, row)   row: zlib'd JSON
    dois    (key, answer)                   a source's answer for one DOI, as zlib'd JSON
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from refs.errors import InputError

__all__ = ["JOURNAL", "Journal", "JournalRow", "StoredInput", "row_json"]

JOURNAL = "journal.sqlite"
SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inputs (
    number INTEGER PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL,
    fingerprint TEXT NOT NULL, problem TEXT
);
CREATE TABLE IF NOT EXISTS rows (
    input INTEGER NOT NULL, seq INTEGER NOT NULL, line INTEGER NOT NULL,
    status TEXT NOT NULL, flags TEXT NOT NULL, notices TEXT NOT NULL,
    retracted INTEGER NOT NULL, row TEXT NOT NULL,
    PRIMARY KEY (input, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dois (key TEXT PRIMARY KEY, answer TEXT NOT NULL) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class StoredInput:
    number: int
    name: str
    key: str
    kind: str
    fingerprint: str
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class JournalRow:
    """One answered record, as the report shows it, with what the summary counts."""

    input: int
    seq: int
    line: int
    status: str
    flags: tuple[str, ...]  # "field:kind" of each flag
    notices: tuple[str, ...]  # kinds of the notices (retraction, correction…)
    retracted: bool
    row: Mapping[str, Any]


class Journal:
    """A job's journal. `Journal(dir, create=True)` makes a new one; else it must exist.

    `readonly` opens it for reading while another process may be writing
    (partial reports). Not shared across threads.
    """

    def __init__(self, directory: Path, *, readonly: bool = False) -> None:
        self.directory = directory
        self.path = directory / JOURNAL
        if not self.path.exists():
            raise InputError(f"{directory}: no job there (no {JOURNAL})")
        try:
            if readonly:
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            else:
                self.db = _connect(self.path)
            version = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError as error:
            raise InputError(f"{self.path}: not a refs job journal ({error})") from None
        if version is None or version[0] != SCHEMA_VERSION:
            self.db.close()
            raise InputError(f"{self.path}: a journal of another refs version; start a new job")

    @classmethod
    def create(
        cls, directory: Path, settings: Mapping[str, Any], inputs: Sequence[StoredInput]
    ) -> Journal:
        """A new journal with its settings and inputs, in place only once complete.

        It is built under a temporary name and renamed, so a job killed while
        starting leaves no half-made journal behind.
        """
        path = directory / JOURNAL
        if path.exists():
            raise InputError(f"{directory}: holds a job already")
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / (JOURNAL + ".new")
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        db = _connect(tmp)
        try:
            with db:
                db.executescript(_SCHEMA)
            with db:
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                db.execute("INSERT INTO meta VALUES ('settings', ?)", (json.dumps(dict(settings)),))
                db.executemany(
                    "INSERT INTO inputs VALUES (?, ?, ?, ?, ?, ?)",
                    [(i.number, i.name, i.key, i.kind, i.fingerprint, i.problem) for i in inputs],
                )
        finally:
            db.close()  # the last connection: the WAL is checkpointed into the file
        os.replace(tmp, path)
        return cls(directory)

    # --- settings and inputs ------------------------------------------------------
    def meta(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def inputs(self) -> list[StoredInput]:
        rows = self.db.execute(
            "SELECT number, name, key, kind, fingerprint, problem FROM inputs ORDER BY number"
        )
        return [StoredInput(*row) for row in rows]

    def set_problem(self, number: int, problem: str | None) -> None:
        with self.db:
            self.db.execute("UPDATE inputs SET problem = ? WHERE number = ?", (problem, number))

    def problems(self) -> list[tuple[str, str]]:
        rows = self.db.execute(
            "SELECT name, problem FROM inputs WHERE problem IS NOT NULL ORDER BY number"
        )
        return [(str(name), str(problem)) for name, problem in rows]

    # --- answers --------------------------------------------------------------------
    def answered(self, keys: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
        """Which of these (input, seq) have an answer that needs no retry."""
        wanted = list(keys)
        found: set[tuple[int, int]] = set()
        by_input: dict[int, list[int]] = {}
        for number, seq in wanted:
            by_input.setdefault(number, []).append(seq)
        for number, seqs in by_input.items():
            rows = self.db.execute(
                "SELECT seq FROM rows WHERE input = ? AND seq BETWEEN ? AND ? "
                "AND status != 'unavailable'",
                (number, min(seqs), max(seqs)),
            )
            wanted_here = set(seqs)
            found.update((number, seq) for (seq,) in rows if seq in wanted_here)
        return found

    def doi_answers(self, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self.db.execute(f"SELECT key, answer FROM dois WHERE key IN ({marks})", part)
            found.update((key, _decoded(answer)) for key, answer in rows)
        return found

    def save(self, rows: Sequence[JournalRow], dois: Mapping[str, Mapping[str, Any]]) -> None:
        """A chunk's rows and DOI answers, in one transaction."""
        encoded: dict[int, bytes] = {}  # many keys share one answer (not registered, here)

        def text(answer: Mapping[str, Any]) -> bytes:
            if id(answer) not in encoded:
                # A slim record is ~600 bytes of JSON, ~380 compressed: per distinct DOI.
                encoded[id(answer)] = zlib.compress(
                    json.dumps(answer, separators=(",", ":")).encode()
                )
            return encoded[id(answer)]

        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO dois VALUES (?, ?)",
                [(key, text(answer)) for key, answer in dois.items()],
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (r.input, r.seq, r.line, r.status, " ".join(r.flags), " ".join(r.notices),
                     int(r.retracted), _packed(r.row))
                    for r in rows
                ],
            )  # fmt: skip

    # --- reading back ----------------------------------------------------------------
    def rows(self) -> Iterator[dict[str, Any]]:
        """Every answered record's report row, in input order (streamed)."""
        for line in self.lines():
            yield json.loads(line)

    def lines(self) -> Iterator[str]:
        """The same rows as JSON text, exactly the JSON Lines report's lines (no newline)."""
        cursor = self.db.execute("SELECT row FROM rows ORDER BY input, seq")
        for (row,) in cursor:
            yield _unpacked(row)

    def count(self, *, settled: bool = False) -> int:
        query = "SELECT count(*) FROM rows" + (" WHERE status != 'unavailable'" if settled else "")
        return int(self.db.execute(query).fetchone()[0])

    def status_counts(self) -> Counter[str]:
        rows = self.db.execute("SELECT status, count(*) FROM rows GROUP BY status")
        return Counter({str(status): int(n) for status, n in rows})

    def flag_counts(self) -> Counter[str]:
        """Rows per flag ("field:kind"), counted once per row."""
        return self._token_counts("flags")

    def notice_counts(self) -> Counter[str]:
        """Rows per kind of notice."""
        return self._token_counts("notices")

    def _token_counts(self, column: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        groups = self.db.execute(
            f"SELECT {column}, count(*) FROM rows WHERE {column} != '' GROUP BY {column}"
        )
        for tokens, n in groups:
            for token in set(str(tokens).split(" ")):
                counts[token] += int(n)
        return counts

    def retracted(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM rows WHERE retracted").fetchone()[0])

    def worst(self, order: Sequence[str], limit: int) -> list[dict[str, Any]]:
        """The rows a reader should look at first: retracted, then by status in `order`."""
        marks = ",".join("?" * len(order))
        rank = " ".join("WHEN ? THEN ?" for _ in order)
        ranks = [value for i, status in enumerate(order) for value in (status, i)]
        rows = self.db.execute(
            f"SELECT row FROM rows WHERE status IN ({marks}) OR retracted "
            f"ORDER BY retracted DESC, CASE status {rank} ELSE 99 END, input, seq LIMIT ?",
            (*order, *ranks, limit),
        )
        return [json.loads(_unpacked(row)) for (row,) in rows]

    # --- lifetime -----------------------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def row_json(row: Mapping[str, Any]) -> str:
    """A row as one line of the JSON Lines report: how the journal keeps it, compressed."""
    return json.dumps(row, ensure_ascii=False)


def _packed(row: Mapping[str, Any]) -> bytes:
    """A report row as kept: its JSON Lines text, zlib'd (~600 bytes of JSON, ~half that)."""
    return zlib.compress(row_json(row).encode())


def _unpacked(row: str | bytes) -> str:
    """A kept row's JSON text (a journal of an earlier release kept it plain)."""
    return zlib.decompress(row).decode() if isinstance(row, bytes) else row


def _decoded(answer: str | bytes) -> dict[str, Any]:
    """A stored DOI answer: compressed JSON (a journal of an earlier release: plain JSON)."""
    data: dict[str, Any] = json.loads(
        zlib.decompress(answer) if isinstance(answer, bytes) else answer
    )
    return data


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL survives any crash of the process (kill -9): a committed chunk
    # is in the WAL. Only a power cut may roll back the last commits, and those
    # records are then answered again on resume: never lost, never twice.
    db.execute("PRAGMA synchronous=NORMAL")
    return db


class JobLock:
    """An exclusive lock on a job directory, so two runs never work on one job at once."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise InputError(
                f"{self.path.parent}: another `refs check` is running this job"
            ) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None
