"""A persistent answer cache for HTTP sources, so no DOI or query is asked twice.

SQLite (WAL) in the XDG cache dir. Keyed by server, kind (work, query, agency)
and key; a cached "not registered" is an answer too. Only answers are cached:
a transport failure is never stored. Entries older than the TTL are ignored.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import zlib
from pathlib import Path
from typing import Any

DEFAULT_TTL = 30 * 24 * 3600.0  # metadata changes slowly; retractions are why it is not forever


class AnswerCache:
    def __init__(self, path: Path, *, ttl: float = DEFAULT_TTL, refresh: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.ttl = ttl
        self.refresh = refresh  # read nothing, write everything (`--refresh`)
        self._lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS answers (server TEXT, kind TEXT, key TEXT, body BLOB, "
            "fetched REAL, PRIMARY KEY (server, kind, key))"
        )
        self.db.commit()

    def get_many(self, server: str, kind: str, keys: list[str]) -> dict[str, Any]:
        """Cached answers for `keys` (a cached miss is `None`); absent keys are not in the dict."""
        if self.refresh or not keys:
            return {}
        found: dict[str, Any] = {}
        oldest = time.time() - self.ttl
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(
                    f"SELECT key, body FROM answers WHERE server = ? AND kind = ? AND key IN ({marks})"
                    " AND fetched >= ?",
                    (server, kind, *chunk, oldest),
                )
                for key, body in rows:
                    found[key] = json.loads(zlib.decompress(body)) if body is not None else None
        return found

    def put_many(self, server: str, kind: str, answers: dict[str, Any]) -> None:
        now = time.time()
        rows = [
            (
                server,
                kind,
                key,
                None if value is None else zlib.compress(json.dumps(value).encode()),
                now,
            )
            for key, value in answers.items()
        ]
        with self._lock, self.db:
            self.db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)", rows)

    def close(self) -> None:
        with self._lock:
            self.db.close()
