"""Build or update the local index from Crossref record files: streaming, idempotent, resumable.

Each file's progress is committed in the same transaction as its records, so a
build killed at any moment leaves a consistent index; running the same build
again skips what was done and goes on. Re-adding a record replaces it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from refs.sources.records import Record, Skipped, expand, read_records
from refs.sources.sqlite_index import FileProgress, SqliteIndex

BATCH = 2000  # records per transaction: large enough to be fast, small enough to resume


@dataclass
class BuildReport:
    files: int = 0
    added: int = 0
    resumed_files: int = 0
    skipped: list[str] = field(default_factory=list)  # "file:record: reason"


def build_index(
    index: SqliteIndex,
    paths: list[str],
    *,
    progress: Callable[[str, int], None] | None = None,
) -> BuildReport:
    """Add every work record in `paths` (files or directories) to `index`."""
    report = BuildReport()
    for path in expand(paths):
        report.files += 1
        stat = path.stat()
        name = str(path.resolve())
        known = index.progress_of(name)
        done = 0
        if known and (known.size, known.mtime) == (stat.st_size, stat.st_mtime):
            if known.complete:
                report.resumed_files += 1
                continue
            done = known.records_done
        position = done
        stream: Iterator[Record | Skipped] = read_records(path)
        if done:
            stream = itertools.islice(stream, done, None)
            report.resumed_files += 1
        while True:
            batch = list(itertools.islice(stream, BATCH))
            if not batch:
                break
            works: list[dict[str, Any]] = []
            for entry in batch:
                if isinstance(entry, Skipped):
                    where = f"{path}:{entry.position}" if entry.position else str(path)
                    report.skipped.append(f"{where}: {entry.reason}")
                else:
                    works.append(entry.work)
            position += len(batch)
            # One transaction: records and progress together.
            done_so_far = FileProgress(name, stat.st_size, stat.st_mtime, position, False)
            report.added += index.ingest(works, done_so_far)
            if progress:
                progress(str(path), position)
        index.record_progress(FileProgress(name, stat.st_size, stat.st_mtime, position, True))
    return report


def sample_records() -> Path:
    """The work records refs ships (see data/NOTICE.md), for the default index."""
    return Path(str(resources.files("refs") / "data" / "seed-works.jsonl"))
