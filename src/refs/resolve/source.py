"""Where the truth comes from: the `Source` protocol, and what it answers besides a `Work`.

Pure interface. Three real implementations live in `refs.sources`: the local
SQLite index, the Crossref REST API, and any Crossref-compatible server
(`refs serve` included) through the same API client.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, Self

from refs.work import Work


class Absent(enum.Enum):
    """Why a looked-up DOI has no work: a verdict, or no answer at all."""

    MISSING = "missing"  # the source answered: this DOI is not registered there
    UNAVAILABLE = "unavailable"  # no answer (transport failure, rate limit): never a verdict


@dataclass(frozen=True, slots=True)
class Candidate:
    """A search hit: the work and the source's own relevance score (not a probability)."""

    work: Work
    score: float


@dataclass(frozen=True, slots=True)
class Query:
    """A bibliographic search: a reference string, or fields joined into one."""

    text: str
    rows: int = 5


class Source(Protocol):
    """Anything refs can ask about DOIs and works; a context manager that closes itself."""

    name: str

    def works(self, dois: Iterable[str]) -> dict[str, Work | Absent]:
        """Look up many DOIs at once; keys are the lower-cased DOIs asked for."""
        ...

    def search(self, query: Query) -> list[Candidate]:
        """Bibliographic search, best first."""
        ...

    def agency(self, doi: str) -> str | None:
        """The DOI's registration agency (`crossref`, `datacite`…), None when unknown."""
        ...

    def describe(self) -> Description:
        """How a summary names this source, and what a reader should know about it."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


@dataclass(frozen=True, slots=True)
class Description:
    """A source as a summary names it (`the local index (59 works)`), and a caveat if any."""

    name: str
    hint: str | None = None
    # An HTTP source that could not be reached: why (`connection refused`); why it left
    # answers out at all (the last failure, a 503 too); and whether it ever answered.
    down: str | None = None
    failure: str | None = None
    reached: bool = True


class Closing:
    """`with source:` for the implementations: leaving the block closes the source."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
