"""Settings from options and the environment: where the index lives, who we are."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def _xdg(variable: str) -> Path | None:
    """$XDG_DATA_HOME / $XDG_CACHE_HOME when set to an absolute path (the XDG spec ignores others)."""
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else None


def data_dir() -> Path:
    """$XDG_DATA_HOME/refs when set, else the platform's user data directory.

    ~/.local/share/refs on Linux, ~/Library/Application Support/refs on macOS,
    %LOCALAPPDATA%\\refs on Windows. XDG_DATA_HOME is honoured on every platform,
    not only where platformdirs does (Linux, and macOS in recent releases), so
    that setting it always moves the index (the tests rely on it).
    """
    xdg = _xdg("XDG_DATA_HOME")
    return xdg / "refs" if xdg else platformdirs.user_data_path("refs", appauthor=False)


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/refs when set, else the platform's user cache directory.

    ~/.cache/refs on Linux, ~/Library/Caches/refs on macOS,
    %LOCALAPPDATA%\\refs\\Cache on Windows.
    """
    xdg = _xdg("XDG_CACHE_HOME")
    return xdg / "refs" if xdg else platformdirs.user_cache_path("refs", appauthor=False)


def index_path(option: str | None = None) -> Path:
    """--index, else $REFS_INDEX, else index.sqlite in data_dir()."""
    chosen = option or os.environ.get("REFS_INDEX")
    return Path(chosen).expanduser() if chosen else data_dir() / "index.sqlite"


def mailto(option: str | None = None) -> str | None:
    """--mailto, else $REFS_MAILTO: puts Crossref requests in the polite pool."""
    return option or os.environ.get("REFS_MAILTO") or None
