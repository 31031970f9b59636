"""The local Crossref index: SQLite, one row per work, FTS5 over what references print.

Lower-cased DOI key; the record kept whole (zlib-compressed JSON) so `refs serve`
can answer exactly what Crossref would. The full-text table covers title,
container titles (full and short), authors' family names, year, volume and
pages, so that a reference string finds its work.
"""

from __future__ import annotations

import json
import re
import sqlite3
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refs.errors import SourceUnavailable
from refs.ids import doi_key
from refs.resolve.source import Absent, Candidate, Closing, Description, Query
from refs.work import Work, work_date

SCHEMA_VERSION = "1"
COMMON_SHARE = 0.02  # words in more than 2% of records are left out of the search query
# The rarest words of a reference find its work; each further word makes bm25 score more
# documents for little gain (10 kept: same accuracy on the labelled set, searches ~1.3x faster).
MAX_TERMS = 10
_SCHEMA = """
CREATE TABLE IF NOT EXISTS works (
    id INTEGER PRIMARY KEY,
    doi TEXT NOT NULL UNIQUE,          -- lower-cased
    record BLOB NOT NULL,              -- zlib(JSON of the Crossref work), for `refs serve`
    slim TEXT                          -- JSON of the fields refs reads: fast look-ups
);
CREATE VIRTUAL TABLE IF NOT EXISTS works_fts USING fts5(
    title, container, authors, year, volume, pages,
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ingested (
    file TEXT PRIMARY KEY, size INTEGER, mtime REAL,
    records_done INTEGER NOT NULL, complete INTEGER NOT NULL
);
"""
# bm25 column weights: title words carry most of a reference's identity.
_WEIGHTS = "8.0, 2.0, 3.0, 1.0, 1.0, 1.5"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "de",
        "des",
        "du",
        "et",
        "for",
        "from",
        "in",
        "into",
        "is",
        "la",
        "le",
        "les",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "vol",
        "issue",
        "pp",
        "p",
        "al",
    ]
)


def fts_row(work: Mapping[str, Any]) -> tuple[str, str, str, str, str, str]:
    """The searchable text of a work, one string per FTS column."""

    def joined(key: str) -> str:
        value = work.get(key) or []
        return " ".join(v for v in value if isinstance(v, str)) if isinstance(value, list) else ""

    authors = " ".join(
        str(a.get("family") or a.get("name") or "")
        for a in work.get("author") or []
        if isinstance(a, dict)
    )
    date = work_date(work)
    return (
        " ".join(p for p in (joined("title"), joined("subtitle")) if p),
        " ".join(p for p in (joined("container-title"), joined("short-container-title")) if p),
        authors,
        str(date.year) if date else "",
        str(work.get("volume") or ""),
        " ".join(str(work.get(k) or "") for k in ("page", "article-number")).replace("-", " "),
    )


# The fields refs reads (the API source asks for the same with `select`); a full record
# averages 4.6 kB with its deposited reference list, and decoding it dominated look-ups.
SLIM_FIELDS = (
    "DOI", "type", "title", "subtitle", "container-title", "short-container-title", "author",
    "issued", "published-print", "published-online", "published", "created", "volume", "issue",
    "page", "article-number", "ISSN", "publisher", "update-to", "updated-by", "relation",
)  # fmt: skip
_AUTHOR_KEYS = ("given", "family", "name", "sequence", "suffix", "non-dropping-particle")


def slim_record(work: Mapping[str, Any]) -> dict[str, Any]:
    """The record with only SLIM_FIELDS, authors without affiliations."""
    slim = {k: work[k] for k in SLIM_FIELDS if k in work}
    if isinstance(slim.get("author"), list):
        slim["author"] = [
            {k: a[k] for k in _AUTHOR_KEYS if k in a} for a in slim["author"] if isinstance(a, dict)
        ]
    return slim


def _count_expression(text: str, limit: int = 40) -> str | None:
    """The FTS5 OR-query `count_matches` counts: the text's words but stop words and
    one-letter words (digits kept), at most `limit`."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if word not in _STOP and (len(word) > 1 or word.isdigit()) and word not in seen:
            seen[word] = None
    words = list(seen)[:limit]
    return " OR ".join(f'"{w}"' for w in words) if words else None


@dataclass(frozen=True, slots=True)
class IndexInfo:
    path: Path
    works: int
    size_bytes: int
    complete: bool
    files: int


@dataclass(frozen=True, slots=True)
class FileProgress:
    """How far a build has read one record file (a row of the `ingested` table).

    `size` and `mtime` identify the file's version: a changed file is read again.
    """

    file: str
    size: int
    mtime: float
    records_done: int
    complete: bool


SMALL_INDEX = 10_000  # works below which `unknown` more likely means "not in it"
_CANDIDATE_CACHE = 4_000  # decoded works kept per connection (~5 kB each)


class SqliteIndex(Closing):
    """A `Source` over a local SQLite index. One connection; not shared across threads."""

    name = "index"

    def __init__(self, path: Path, *, create: bool = False, readonly: bool = False) -> None:
        self.path = path
        self._df: dict[str, int] = {}  # term -> document frequency, for this connection's life
        self._candidates: OrderedDict[int, Work] = OrderedDict()  # row id -> work, LRU first
        self._vocab = False
        self._count: int | None = None
        if not create and not path.exists():
            raise SourceUnavailable(
                f"no index at {path}: build one with `refs index build FILES… --index {path}`"
            )
        try:
            if readonly:
                uri = f"file:{path}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path, check_same_thread=False)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(_SCHEMA)
                self.db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,)
                )
                self.db.commit()
            self.db.execute("SELECT 1 FROM works LIMIT 1").fetchall()
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(works)")}
            if "slim" not in columns and not readonly:  # an index built before slim records
                self.db.execute("ALTER TABLE works ADD COLUMN slim TEXT")
                self.db.commit()
                columns.add("slim")
            self._slim_column = "slim" if "slim" in columns else "NULL"
        except sqlite3.DatabaseError as error:
            raise SourceUnavailable(f"{path}: not a refs index ({error})") from None

    # --- Source protocol -------------------------------------------------------
    def works(self, dois: Iterable[str]) -> dict[str, Work | Absent]:
        keys = list(dict.fromkeys(doi_key(d.strip()) for d in dois if d.strip()))
        out: dict[str, Work | Absent] = dict.fromkeys(keys, Absent.MISSING)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT doi, {self._slim_column} FROM works WHERE doi IN ({marks})"
            for doi, slim in self.db.execute(query, chunk):
                out[doi] = Work.from_message(self._decode(doi, slim))
        return out

    def search(self, query: Query) -> list[Candidate]:
        hits = self._hits(query.text, query.rows)
        if not hits:
            return []
        # The same candidates come back for many references of a list (a journal's
        # letters and replies): each record is read and decoded once per connection.
        cached = self._candidates
        found: dict[int, Work] = {}
        for i, _ in hits:
            if i in cached:
                cached.move_to_end(i)  # least recently used goes first
                found[i] = cached[i]
        ids = [i for i, _ in hits if i not in found]
        if ids:
            marks = ",".join("?" * len(ids))
            for i, doi, slim in self.db.execute(
                f"SELECT id, doi, {self._slim_column} FROM works WHERE id IN ({marks})", ids
            ):
                found[i] = cached[i] = Work.from_message(self._decode(doi, slim))
            while len(cached) > _CANDIDATE_CACHE:
                cached.popitem(last=False)
        return [Candidate(found[i], round(score, 3)) for i, score in hits if i in found]

    def _decode(self, doi: str, slim: str | None) -> dict[str, Any]:
        """The slim record, or the full one for rows written before slim records existed."""
        if slim is not None:
            data: dict[str, Any] = json.loads(slim)
            return data
        return self.records([doi])[doi]

    def agency(self, doi: str) -> str | None:
        return "crossref" if self.records([doi_key(doi)]) else None

    def describe(self) -> Description:
        works = self.count()
        hint = None
        if works < SMALL_INDEX:
            hint = ('refs: note: the index is small, so `unknown` means "not in it", not '
                    '"not registered"; build a fuller one with `refs index build` or use --source crossref')  # fmt: skip
        return Description(f"the local index ({works:,} works)", hint)

    def close(self) -> None:
        self.db.close()

    # --- raw records (for `refs serve`) ---------------------------------------
    def records(self, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Raw work records by lower-cased DOI, in chunks under SQLite's variable limit."""
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT doi, record FROM works WHERE doi IN ({marks})", chunk)
            for doi, blob in rows:
                found[doi] = json.loads(zlib.decompress(blob))
        return found

    def _hits(self, text: str, rows: int) -> list[tuple[int, float]]:
        """(row id, relevance) of the best matches, best first."""
        expression = self._expression(text)
        if expression is None:
            return []
        return [(int(i), float(score)) for i, score in self.db.execute(
            f"SELECT rowid, -bm25(works_fts, {_WEIGHTS}) AS score FROM works_fts "
            "WHERE works_fts MATCH ? ORDER BY bm25(works_fts, " + _WEIGHTS + ") LIMIT ?",
            (expression, rows),
        )]  # fmt: skip

    def search_records(self, text: str, rows: int) -> list[tuple[dict[str, Any], float]]:
        """Full records of the best matches, for `refs serve`."""
        hits = self._hits(text, rows)
        if not hits:
            return []
        ids = [h[0] for h in hits]
        marks = ",".join("?" * len(ids))
        blobs = dict(self.db.execute(f"SELECT id, record FROM works WHERE id IN ({marks})", ids))
        return [(json.loads(zlib.decompress(blobs[i])), round(s, 3)) for i, s in hits if i in blobs]

    def _expression(self, text: str) -> str | None:
        """The OR-query of the text's words, without those common enough to match everything.

        bm25 must score every document that holds any query word, so a word found in
        thousands of records ("journal", "2019") costs much and ranks nothing. The
        `MAX_TERMS` rarest words are kept (at least the three rarest, however common).
        """
        words = list(dict.fromkeys(w for w in _WORD.findall(text.lower()) if w not in _STOP))
        if not words:
            return None
        frequency = self._document_frequency(words)
        words = [w for w in words if frequency.get(w, 0) > 0]
        if not words:
            return None
        cap = max(50, int(self._size() * COMMON_SHARE))
        rare = sorted(words, key=lambda w: frequency[w])
        kept = [w for w in rare if frequency[w] <= cap] or rare[:3]
        return " OR ".join(f'"{w}"' for w in kept[:MAX_TERMS])

    def _size(self) -> int:
        if self._count is None:
            self._count = self.count()
        return self._count

    def _document_frequency(self, words: list[str]) -> dict[str, int]:
        unknown = [w for w in words if w not in self._df]
        if unknown:
            if not self._vocab:
                self.db.execute(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.works_vocab USING fts5vocab(main, works_fts, 'row')"
                )
                self._vocab = True
            marks = ",".join("?" * len(unknown))
            found = dict(
                self.db.execute(
                    f"SELECT term, doc FROM temp.works_vocab WHERE term IN ({marks})", unknown
                )
            )
            for w in unknown:
                self._df[w] = int(found.get(w, 0))
        return {w: self._df[w] for w in words}

    def iter_records(
        self, after_id: int = 0, limit: int = 1000
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        rows = self.db.execute(
            "SELECT id, record FROM works WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit)
        )
        for row_id, blob in rows:
            yield row_id, json.loads(zlib.decompress(blob))

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM works").fetchone()[0])

    def count_matches(self, text: str, *, at_least: int = 0) -> int:
        """How many works hold any word of `text`: the `total-results` of a search.

        Counted over the whole FTS table, since `search_records` returns only the top
        rows. The words counted are not `_expression`'s: stop words and one-letter
        words are dropped, common words kept, up to 40 (so 0 for a text with no such
        word). Never below `at_least` (the hits the caller holds), which is also the
        answer when SQLite cannot count.
        """
        expression = _count_expression(text)
        if expression is None:
            return 0
        try:
            row = self.db.execute(
                "SELECT count(*) FROM works_fts WHERE works_fts MATCH ?", (expression,)
            ).fetchone()
        except sqlite3.Error:
            return at_least
        return max(int(row[0]), at_least)

    # --- writing ----------------------------------------------------------------
    def upsert(self, works: Iterable[Mapping[str, Any]]) -> int:
        """Add or replace works (caller commits). Returns how many were written."""
        self._df.clear()
        self._candidates.clear()  # a record may have changed
        self._count = None
        n = 0
        for work in works:
            key = doi_key(str(work["DOI"]).strip())
            blob = zlib.compress(json.dumps(work, separators=(",", ":")).encode(), 6)
            slim = json.dumps(slim_record(work), separators=(",", ":"))
            old = self.db.execute("SELECT id FROM works WHERE doi = ?", (key,)).fetchone()
            if old:
                self.db.execute("DELETE FROM works_fts WHERE rowid = ?", (old[0],))
                self.db.execute(
                    "UPDATE works SET record = ?, slim = ? WHERE id = ?", (blob, slim, old[0])
                )
                row_id = old[0]
            else:
                row_id = self.db.execute(
                    "INSERT INTO works (doi, record, slim) VALUES (?, ?, ?)", (key, blob, slim)
                ).lastrowid
            self.db.execute(
                "INSERT INTO works_fts (rowid, title, container, authors, year, volume, pages) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (row_id, *fts_row(work)),
            )
            n += 1
        return n

    def progress_of(self, file: str) -> FileProgress | None:
        """What a build recorded of `file` (None if it never started on it)."""
        row = self.db.execute(
            "SELECT size, mtime, records_done, complete FROM ingested WHERE file = ?", (file,)
        ).fetchone()
        if row is None:
            return None
        return FileProgress(file, row[0], row[1], int(row[2]), bool(row[3]))

    def ingest(self, works: Iterable[Mapping[str, Any]], progress: FileProgress) -> int:
        """`upsert` the works and record the file's progress in one transaction.

        A build killed at any moment thus leaves records and progress consistent.
        Returns how many works were written.
        """
        with self.db:
            added = self.upsert(works)
            self._write_progress(progress)
        return added

    def record_progress(self, progress: FileProgress) -> None:
        """Record (and commit) how far a build has read one file."""
        with self.db:
            self._write_progress(progress)

    def _write_progress(self, progress: FileProgress) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO ingested VALUES (?, ?, ?, ?, ?)",
            (
                progress.file,
                progress.size,
                progress.mtime,
                progress.records_done,
                int(progress.complete),
            ),
        )

    def info(self) -> IndexInfo:
        with closing(self.db.execute("SELECT count(*), sum(complete) FROM ingested")) as cur:
            files, done = cur.fetchone()
        size = sum(
            p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file()
        )
        return IndexInfo(
            self.path, self.count(), size, complete=(files or 0) == (done or 0), files=files or 0
        )
