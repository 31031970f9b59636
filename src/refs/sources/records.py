"""Reading Crossref work records from the files users have, streaming.

Forms: JSON Lines (`.jsonl`, `.jsonl.gz`: the 2025+ public data file, one work
per line), pre-2025 public data file chunks (`{"items": [...]}` in `.json.gz`),
REST API responses (`{"message": {...}}` or `{"message": {"items": [...]}}`),
a bare work object or a list of them, and directories holding any of these.
Bad records are yielded as `Skipped` with a reason, never raised.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refs.errors import InputError

SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".json.gz", ".ndjson", ".ndjson.gz")


@dataclass(frozen=True, slots=True)
class Record:
    work: dict[str, Any]
    position: int  # 1-based record number within its file


@dataclass(frozen=True, slots=True)
class Skipped:
    position: int
    reason: str


def expand(paths: list[str]) -> list[Path]:
    """Files to read: the files given, and record files inside directories given."""
    out: list[Path] = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise InputError(f"{name}: no such file or directory")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES))
            if not found:
                raise InputError(f"{name}: no Crossref record files ({', '.join(SUFFIXES)}) inside")
            out.extend(found)
        else:
            out.append(path)
    return out


def read_records(path: Path) -> Iterator[Record | Skipped]:
    """Every work record in one file, in order; damage becomes `Skipped`."""
    try:
        yield from _read(path)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        yield Skipped(0, f"unreadable from here on ({type(error).__name__}: {error})")


def _open(path: Path) -> Any:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace")


def _read(path: Path) -> Iterator[Record | Skipped]:
    with _open(path) as handle:
        head = handle.read(4096)
        lines_mode = _looks_like_lines(head)
        if lines_mode:
            position = 0
            buffered = head + handle.readline()
            for line in _lines(buffered, handle):
                if not line.strip():
                    continue
                position += 1
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as error:
                    yield Skipped(position, f"not valid JSON ({error.msg} at column {error.colno})")
                    continue
                yield from _works(data, position)
            return
        # One JSON document (a data-file chunk or an API response): a chunk is a few
        # thousand records, so holding one document is bounded memory.
        text = head + handle.read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        yield Skipped(0, f"not valid JSON ({error.msg} at line {error.lineno})")
        return
    items = _items(data)
    for position, item in enumerate(items, 1):
        yield from _works(item, position)


def _lines(first: str, handle: Any) -> Iterator[str]:
    yield from first.splitlines()
    yield from handle


def _looks_like_lines(head: str) -> bool:
    """JSON Lines: the first line is a whole JSON object by itself."""
    first = head.split("\n", 1)[0].strip()
    if not first.startswith("{") or "\n" not in head:
        return False
    try:
        json.loads(first)
    except json.JSONDecodeError:
        return False
    return True


def _items(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        message = data.get("message", data)
        if isinstance(message, dict) and isinstance(message.get("items"), list):
            return list(message["items"])
        if isinstance(data.get("items"), list):
            return list(data["items"])
        return [message]
    return [data]


def _works(data: Any, position: int) -> Iterator[Record | Skipped]:
    if isinstance(data, dict) and "message" in data and isinstance(data["message"], dict):
        data = data["message"]
    if not isinstance(data, dict):
        yield Skipped(position, "not a JSON object")
    elif not isinstance(data.get("DOI"), str) or not data["DOI"].strip():
        yield Skipped(position, "record has no DOI")
    else:
        yield Record(data, position)
