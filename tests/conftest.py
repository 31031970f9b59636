from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# CI machines are slower and shared: no per-example deadline, same example count.
settings.register_profile("refs", deadline=None)
settings.load_profile("refs")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared() -> Path:
    """../shared beside the checkout, or skip with a clear message."""
    if not SHARED.is_dir():
        pytest.skip(f"needs ../shared beside the checkout ({SHARED} not found)")
    return SHARED


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(autouse=True)
def isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the user's XDG data/cache dirs or REFS_* settings."""
    base = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    for name in ("REFS_INDEX", "REFS_MAILTO"):
        monkeypatch.delenv(name, raising=False)
