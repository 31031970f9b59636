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

from refs.errors import SourceUnavailable
from refs.formats import InputFormat, read_references
from refs.model import Item, Reference, Span, Status, Verdict
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
    "unanswered",
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
    # Why the source left references `unavailable` (`connection refused`), said once; and
    # whether it left all of them so: nothing could be checked (see `unanswered`).
    unavailable_why: str | None = None
    nothing_checked: bool = False

    @property
    def references(self) -> list[Reference]:
        return [r.reference for r in self.reviews]

    @property
    def verdicts(self) -> list[Verdict] | None:
        if self.source is None:
            return None
        return [r.verdict for r in self.reviews if r.verdict is not None]

    def require_source(self) -> None:
        """Raise SourceUnavailable (exit 3) when the source could check nothing.

        An unreachable source is a failure, not a list of `unavailable` references that
        looks like success. Some unavailable, some answered: no error (`unavailable_why`).
        """
        if self.nothing_checked and self.source is not None:
            why = self.unavailable_why or "no answer"
            raise SourceUnavailable(f"{self.source.name}: cannot be reached ({why})")


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
        return _cleaned(refs, source)
    with open_source(settings) as opened:
        return _cleaned(refs, opened)


def _cleaned(refs: Sequence[Reference], source: Source) -> Cleaned:
    verdicts = verify(refs, source)
    described = source.describe()
    why, nothing = unanswered(described, verdicts)
    return Cleaned(review(refs, verdicts), described, why, nothing)


def unanswered(source: Description, verdicts: Sequence[Verdict]) -> tuple[str | None, bool]:
    """Why `source` left verdicts `unavailable` (None: it did not), and whether it checked none.

    Nothing was checked when every verdict is unavailable, or when the source is down
    (an HTTP client that could not connect, `down`) and never answered at all: the
    other verdicts were reached without it. The reason is the client's (`connection
    refused`, `DNS failure: …`, `no answer after 6 attempts: 503`).
    """
    unavailable = sum(1 for v in verdicts if v.doi_status is Status.UNAVAILABLE)
    if not unavailable:
        return None, False
    nothing = unavailable == len(verdicts) or (source.down is not None and not source.reached)
    return source.down or source.failure or "the source did not answer", nothing
