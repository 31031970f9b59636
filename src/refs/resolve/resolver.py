"""The resolver: does each reference's DOI point to the cited work, and what is the DOI of
the references that print none? Pure core: it takes a `Source` and asks it in batches.

For a reference with a DOI: look it up (one batch for the whole list); `doi.lookup_verdict`
decides what the DOI's record says; a DOI that points to another work triggers a search
for the cited work. For a reference without one: search, re-rank the candidates of the
whole list at once (rapidfuzz `cdist`), validate the best field by field, and accept it,
or abstain (`ambiguous` when two candidates are too close, else `none`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from refs import ids
from refs.compare.fields import Check
from refs.errors import SourceError
from refs.model import Reference, Status, Verdict
from refs.resolve import doi
from refs.resolve.candidates import candidate_features, search_text, title_matrix
from refs.resolve.match import Model, load_model, probability
from refs.resolve.source import Absent, Candidate, Query, Source
from refs.work import Work

__all__ = ["Resolver", "Scored"]


@dataclass(frozen=True, slots=True)
class Scored:
    work: Work
    probability: float
    checks: tuple[Check, ...]


class Resolver:
    """Resolve a list of references against one source."""

    def __init__(self, source: Source, *, rows: int = 5, model: Model | None = None) -> None:
        self.source = source
        self.rows = rows
        self.model = model or load_model()

    def resolve(self, refs: Sequence[Reference]) -> list[Verdict]:
        name = self.source.name
        works = self._lookup(refs)
        verdicts: dict[int, Verdict] = {}  # by object identity: indexes may repeat
        to_search: list[tuple[Reference, str | None]] = []  # (reference, DOI it must not be)
        for ref in refs:
            if not ref.parsed:
                verdicts[id(ref)] = Verdict(
                    Status.NONE, None, None, source=name, why="the reference could not be parsed"
                )
                continue
            printed = ref.item.DOI
            if printed is None:
                to_search.append((ref, None))
                continue
            verdict = doi.lookup_verdict(ref, works, self.model, name)
            if verdict is None:  # the DOI is another work's, or not registered: search
                to_search.append((ref, printed))
            else:
                verdicts[id(ref)] = verdict
        unavailable: set[int] = set()
        found = self._search([r for r, _ in to_search], [d for _, d in to_search], unavailable)
        for (ref, bad_doi), outcome in zip(to_search, found, strict=True):
            if id(ref) in unavailable:  # a transport failure is never a verdict
                verdicts[id(ref)] = doi.unavailable(
                    name, "the source did not answer the search (try again later)"
                )
                continue
            verdicts[id(ref)] = self._after_search(ref, bad_doi, outcome, works)
        return [verdicts[id(r)] for r in refs]

    def _lookup(self, refs: Sequence[Reference]) -> dict[str, Work | Absent]:
        wanted = doi.dois_to_look_up(refs)
        works = self.source.works(wanted) if wanted else {}
        # A component record names its parent article: look those up too.
        parents = doi.parents_to_look_up(works)
        if parents:
            works.update(self.source.works(parents))
        return works

    # --- search ----------------------------------------------------------------------
    def _search(
        self, refs: Sequence[Reference], exclude: Sequence[str | None], unavailable: set[int]
    ) -> list[list[Scored]]:
        """Candidates for each reference, scored; `unavailable` collects searches with no answer."""
        pools: list[list[Candidate]] = []
        for ref, bad in zip(refs, exclude, strict=True):
            text = search_text(ref.item, with_numbers=bad is None)
            try:
                hits = self.source.search(Query(text, self.rows)) if text.strip() else []
            except SourceError:
                unavailable.add(id(ref))
                hits = []
            bad_key = ids.doi_key(bad) if bad else None
            pools.append([c for c in hits if ids.doi_key(c.work.DOI) != bad_key])
        sims = title_matrix(refs, [[c.work for c in pool] for pool in pools])
        return [
            self._score(ref, pool, row) for ref, pool, row in zip(refs, pools, sims, strict=True)
        ]

    def _score(self, ref: Reference, pool: list[Candidate], sims: list[float]) -> list[Scored]:
        scored = [
            Scored(work, probability(self.model, vector), checks)
            for work, checks, vector in candidate_features(ref, [c.work for c in pool], sims)
        ]
        return sorted(scored, key=lambda s: s.probability, reverse=True)

    def _after_search(self, ref: Reference, bad_doi: str | None, scored: list[Scored],
                      works: dict[str, Work | Absent]) -> Verdict:  # fmt: skip
        name = self.source.name
        best = scored[0] if scored else None
        accepted = best is not None and best.probability >= self.model.threshold
        close = (
            accepted and best is not None and len(scored) > 1
            and scored[1].probability >= self.model.threshold
            and best.probability - scored[1].probability < self.model.ambiguity_margin
        )  # fmt: skip
        if bad_doi is not None:
            found = (
                (best.work, best.probability, best.checks)
                if accepted and not close and best is not None
                else None
            )
            return doi.misplaced(ref, bad_doi, works, found, name)
        if best is None or not accepted:
            why = (
                "no candidate"
                if best is None
                else f"best candidate only {best.probability:.0%} likely"
            )
            conf = None if best is None else best.probability
            return Verdict(Status.NONE, None, conf, source=name, why=why)
        if close:
            return Verdict(Status.AMBIGUOUS, None, best.probability, source=name,
                           why=f"two candidates are too close: {best.work.DOI} and {scored[1].work.DOI}")  # fmt: skip
        return doi.settled(
            Status.FOUND,
            ref.item,
            best.work,
            best.probability,
            doi.diffs(best.checks),
            "found by search",
            name,
        )
