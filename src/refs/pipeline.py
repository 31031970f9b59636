"""The pipeline, composed once: read → split → parse → normalise → resolve → review.

Every front end calls it: `refs parse|clean|format|check`, `refs serve`, the library API
(`refs.parse`, `refs.clean`, `refs.check`) and the CI hooks. The stages live in their own
packages (`split`, `parse`, `normalize`, `readers`, `resolve`, `report`); this module only
joins them, and opens a source by name (the one place that reaches an edge, `refs.sources`,
imported when a source is first opened).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from refs.formats import InputFormat, read_references
from refs.model import Item, Reference, Span, Verdict
from refs.report.records import Reviewed

if TYPE_CHECKING:  # the resolver and its sources load when first used
    from refs.resolve.source import Description, Source

__all__ = [
    "Cleaned",
    "Settings",
    "clean",
    "doi_reference",
    "open_source",
    "read",
    "review",
    "verify",
]


@dataclass(frozen=True, slots=True)
class Settings:
    """Where references are verified, built once by a front end from its options.

    `source`: `index` (the local SQLite index at `index`, `$REFS_INDEX` or the data
    directory), `crossref` (the public API; `mailto` or `$REFS_MAILTO` for the polite
    pool) or the URL of a Crossref-compatible server. `refresh`: ask the API again
    instead of answering from the cache.
    """

    source: str = "index"
    index: str | None = None
    mailto: str | None = None
    refresh: bool = False
    cache_path: Path | None = None


def open_source(settings: Settings | None = None) -> Source:
    """The source `settings` name, open: use it as a context manager."""
    from refs.sources import open_source as open_named

    chosen = settings or Settings()
    return open_named(
        chosen.source,
        index=chosen.index,
        mailto=chosen.mailto,
        refresh=chosen.refresh,
        cache_path=chosen.cache_path,
    )


def read(text: str, fmt: InputFormat = InputFormat.auto, filename: str = "") -> list[Reference]:
    """Split, parse and normalise a list (text, BibTeX, CSL-JSON or RIS). No I/O."""
    return read_references(text, fmt, filename)


def doi_reference(index: int, printed: str, doi: str | None, line: int | None = None) -> Reference:
    """A reference that is a DOI alone (a line of a DOI list), normalised as a parse is."""
    from refs.normalize import normalize_item

    item, repairs = normalize_item(Item(), DOI=doi)
    where = Span(line or index, line or index)
    return Reference(index, printed, where, item, "doi", doi_input=printed, repairs=repairs)


def verify(refs: Sequence[Reference], source: Source) -> list[Verdict]:
    """One verdict per reference against an open source, in order."""
    from refs.resolve.resolver import Resolver

    return Resolver(source).resolve(refs)


def review(refs: Sequence[Reference], verdicts: Sequence[Verdict] | None) -> list[Reviewed]:
    """Each reference beside its verdict (None when not verified)."""
    if verdicts is None:
        return [Reviewed(r) for r in refs]
    return [Reviewed(r, v) for r, v in zip(refs, verdicts, strict=True)]


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A cleaned list: one review per reference, and the source that verified them."""

    reviews: list[Reviewed]
    source: Description | None = None  # None: not verified

    @property
    def references(self) -> list[Reference]:
        return [r.reference for r in self.reviews]

    @property
    def verdicts(self) -> list[Verdict] | None:
        if self.source is None:
            return None
        return [r.verdict for r in self.reviews if r.verdict is not None]


def clean(
    text: str,
    settings: Settings | None = None,
    *,
    fmt: InputFormat = InputFormat.auto,
    filename: str = "",
    verified: bool = True,
    source: Source | None = None,
) -> Cleaned:
    """Read a list and verify it: what `refs clean` does, before it writes anything.

    `source`: one already open (kept open); else the one `settings` names, opened and
    closed here. `verified=False` only reads (`--no-verify`).
    """
    refs = read(text, fmt, filename)
    if not verified:
        return Cleaned(review(refs, None))
    if source is not None:
        return Cleaned(review(refs, verify(refs, source)), source.describe())
    with open_source(settings) as opened:
        return Cleaned(review(refs, verify(refs, opened)), opened.describe())
