"""Settings from options and the environment: where the index lives, who we are."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """$XDG_DATA_HOME/refs (default ~/.local/share/refs)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "refs"


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/refs (default ~/.cache/refs)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "refs"


def index_path(option: str | None = None) -> Path:
    """--index, else $REFS_INDEX, else the XDG default."""
    chosen = option or os.environ.get("REFS_INDEX")
    return Path(chosen).expanduser() if chosen else data_dir() / "index.sqlite"


def mailto(option: str | None = None) -> str | None:
    """--mailto, else $REFS_MAILTO: puts Crossref requests in the polite pool."""
    return option or os.environ.get("REFS_MAILTO") or None
