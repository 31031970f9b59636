"""Opening a `Source` by name: `index` (local SQLite), `crossref` (public API), or a URL."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from refs import config
from refs.errors import InputError
from refs.resolve.source import Source
from refs.sources.cache import AnswerCache
from refs.sources.crossref_api import PUBLIC_API, CrossrefApi
from refs.sources.index_build import build_index, sample_records
from refs.sources.sqlite_index import SqliteIndex

__all__ = ["CrossrefApi", "SqliteIndex", "default_index", "open_source"]


def default_index(index: str | None = None) -> SqliteIndex:
    """The index at --index / $REFS_INDEX / the XDG default.

    The XDG default is built from the sample records refs ships when it does not
    exist yet, so `refs clean` works on a fresh machine with no network.
    """
    path = config.index_path(index)
    explicit = index is not None or bool(os.environ.get("REFS_INDEX"))
    if not path.exists() and not explicit:
        print(f"refs: building the default index at {path} from the shipped sample records",
              file=sys.stderr)  # fmt: skip
        built = SqliteIndex(path, create=True)
        build_index(built, [str(sample_records())])
        return built
    return SqliteIndex(path)


def open_source(
    spec: str = "index",
    *,
    index: str | None = None,
    mailto: str | None = None,
    refresh: bool = False,
    cache_path: Path | None = None,
) -> Source:
    """`index`, `crossref`, or `http(s)://host:port` of a Crossref-compatible server."""
    if spec == "index":
        return default_index(index)
    if spec == "crossref" or spec.startswith(("http://", "https://")):
        base = PUBLIC_API if spec == "crossref" else spec
        cache = AnswerCache(cache_path or config.cache_dir() / "answers.sqlite", refresh=refresh)
        return CrossrefApi(base, mailto=config.mailto(mailto), cache=cache)
    raise InputError(f"unknown source {spec!r}: use index, crossref, or http://HOST:PORT")
