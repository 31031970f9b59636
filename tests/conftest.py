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
