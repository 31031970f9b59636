"""The resolver: does each reference's DOI point to the cited work, and what is the DOI of
the references that print none? Pure core: it takes a `Source` and asks it in batches.

For a reference with a DOI: look it up (one batch for the whole list); a supplementary-
file DOI resolves to its article; the work the DOI points to is compared with the
reference field by field; a DOI that points to another work triggers a search for
the cited work. For a reference without one: search, re-rank the candidates of the
whole list at once (rapidfuzz `cdist`), validate the best field by field, and
accept it, or abstain (`ambiguous` when two candidates are too close, else `none`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from refs import ids
from refs.compare.fields import (
    ABSENT,  # fmt: skip
    AGREE,
    COSMETIC,
    LOST_CHARS,
    MISMATCH,
    Check,
    compare,
    copied_from,
    prints_no_title,
    work_title_similarity,
)
from refs.compare.text import fold, without_lost
from refs.errors import SourceError
from refs.model import FieldDiff, Item, Notice, Reference, Verdict
from refs.resolve.correct import corrected_item
from refs.resolve.match import Model, features, load_model, probability
from refs.resolve.source import Absent, Candidate, Query, Source
from refs.work import Work

__all__ = ["Resolver", "candidate_features", "search_text"]

_GOOD = (AGREE, COSMETIC, LOST_CHARS)


@dataclass(frozen=True, slots=True)
class Scored:
    work: Work
    probability: float
    checks: tuple[Check, ...]


def search_text(item: Item, *, with_numbers: bool = True) -> str:
    """The query for a reference: what identifies a work, without what may be copied from another."""
    parts = [without_lost(item.title or "")]
    parts += [p.family or p.literal or "" for p in item.author[:3]]
    parts += [item.container_title or "", str(item.issued.year) if item.issued else ""]
    if with_numbers:
        parts += [item.volume or "", (item.page or "").split("-")[0]]
    return " ".join(p for p in parts if p)


class Resolver:
    """Resolve a list of references against one source."""

    def __init__(self, source: Source, *, rows: int = 5, model: Model | None = None) -> None:
        self.source = source
        self.rows = rows
        self.model = model or load_model()

    def resolve(self, refs: Sequence[Reference]) -> list[Verdict]:
        works = self._lookup(refs)
        verdicts: dict[int, Verdict] = {}  # by object identity: indexes may repeat
        to_search: list[tuple[Reference, str | None]] = []  # (reference, DOI it must not be)
        for ref in refs:
            if not ref.parsed:
                verdicts[id(ref)] = Verdict("none", None, None, source=self.source.name,
                                              why="the reference could not be parsed")  # fmt: skip
                continue
            doi = ref.item.DOI
            if doi is None:
                to_search.append((ref, None))
                continue
            verdict = self._check_doi(ref, works)
            if verdict is None:  # the DOI is another work's, or not registered: search
                to_search.append((ref, doi))
            else:
                verdicts[id(ref)] = verdict
        unavailable: set[int] = set()
        found = self._search([r for r, _ in to_search], [d for _, d in to_search], unavailable)
        for (ref, bad_doi), outcome in zip(to_search, found, strict=True):
            if id(ref) in unavailable:  # a transport failure is never a verdict
                verdicts[id(ref)] = Verdict("unavailable", None, None, source=self.source.name,
                                              why="the source did not answer the search (try again later)")  # fmt: skip
                continue
            verdicts[id(ref)] = self._after_search(ref, bad_doi, outcome, works)
        return [verdicts[id(r)] for r in refs]

    # --- DOIs ----------------------------------------------------------------------
    def _lookup(self, refs: Sequence[Reference]) -> dict[str, Work | Absent]:
        wanted: list[str] = []
        for ref in refs:
            if ref.item.DOI:
                wanted.append(ref.item.DOI)
                printed = ids.clean_doi(ref.doi_input or "")
                if printed and ids.doi_key(printed) != ids.doi_key(ref.item.DOI):
                    wanted.append(printed)
        works = self.source.works(wanted) if wanted else {}
        # A component record names its parent article: look those up too.
        parents = [p for w in works.values() if isinstance(w, Work) and (p := parent_doi(w))]
        missing = [p for p in parents if ids.doi_key(p) not in works]
        if missing:
            works.update(self.source.works(missing))
        return works

    def _check_doi(self, ref: Reference, works: dict[str, Work | Absent]) -> Verdict | None:
        item = ref.item
        assert item.DOI is not None
        printed = ids.clean_doi(ref.doi_input or "") or item.DOI
        component = ids.doi_key(printed) != ids.doi_key(item.DOI)
        work = works.get(ids.doi_key(item.DOI), Absent.MISSING)
        printed_work = works.get(ids.doi_key(printed))
        if isinstance(printed_work, Work) and printed_work.type == "component":
            component = True
            parent = parent_doi(printed_work)
            if parent:
                work = works.get(ids.doi_key(parent), Absent.MISSING)
        if work is Absent.UNAVAILABLE:
            return Verdict("unavailable", None, None, source=self.source.name,
                           why="the source did not answer for this DOI (try again later)")  # fmt: skip
        if work is Absent.MISSING:
            if component:  # the suffix alone says it is a supplementary file
                why = ("a supplementary-file DOI; the article's DOI is suggested, but its record "
                       "is not in this source, so the reference could not be compared with it")  # fmt: skip
                flag = FieldDiff("DOI", MISMATCH, printed, item.DOI, "a supplementary-file DOI")
                # The article is suggested in the flag, not stood behind: it was not compared.
                return Verdict("supplement", None, None, (flag,), source=self.source.name, why=why)
            return None
        assert isinstance(work, Work)
        checks = tuple(compare(item, work, text=main_text(ref)))
        if not _is_cited_work(checks, prints_no_title(item, work)):
            return None
        flags = _flags(checks)
        if component:
            flags = (FieldDiff("DOI", MISMATCH, printed, work.DOI,
                               "a supplementary-file DOI: the article's DOI is suggested"), *flags)  # fmt: skip
        status = "supplement" if component else "confirmed"
        p = probability(
            self.model, features(checks, _title_sim(item, work), 50.0, _year_gap(item, work))
        )
        return self._verdict(
            status, item, work, p, flags, "the DOI's record agrees with the reference"
        )

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
        item = ref.item
        best = scored[0] if scored else None
        accepted = best is not None and best.probability >= self.model.threshold
        close = (
            accepted and best is not None and len(scored) > 1
            and scored[1].probability >= self.model.threshold
            and best.probability - scored[1].probability < self.model.ambiguity_margin
        )  # fmt: skip
        if bad_doi is not None:
            wrong = works.get(ids.doi_key(bad_doi))
            status = "wrong" if isinstance(wrong, Work) else "unknown"
            about = (f"the DOI is that of “{wrong.title}” ({wrong.container_title or '?'}"
                     f"{', ' + str(wrong.issued.year) if wrong.issued else ''})"
                     if isinstance(wrong, Work) else "the DOI is not registered in this source")  # fmt: skip
            if accepted and not close and best is not None:
                checks = (
                    copied_from(item, wrong, best.checks)
                    if isinstance(wrong, Work)
                    else best.checks
                )
                flags = (
                    FieldDiff("DOI", MISMATCH, ref.doi_input, best.work.DOI, about),
                    *_flags(checks),
                )
                return self._verdict(
                    status,
                    item,
                    best.work,
                    best.probability,
                    flags,
                    about + "; the cited work was found",
                )
            flag = FieldDiff(
                "DOI", MISMATCH if status == "wrong" else "missing", ref.doi_input, None, about
            )
            return Verdict(
                status,
                None,
                None,
                (flag,),
                source=self.source.name,
                why=about + "; the cited work was not found",
            )
        if best is None or not accepted:
            why = (
                "no candidate"
                if best is None
                else f"best candidate only {best.probability:.0%} likely"
            )
            conf = None if best is None else best.probability
            return Verdict("none", None, conf, source=self.source.name, why=why)
        if close:
            return Verdict("ambiguous", None, best.probability, source=self.source.name,
                           why=f"two candidates are too close: {best.work.DOI} and {scored[1].work.DOI}")  # fmt: skip
        return self._verdict(
            "found", item, best.work, best.probability, _flags(best.checks), "found by search"
        )

    def _verdict(
        self, status: str, item: Item, work: Work, p: float, flags: tuple[FieldDiff, ...], why: str
    ) -> Verdict:
        updates = tuple(Notice(r.kind, r.doi, r.source, _iso(r.date)) for r in work.notices())
        return Verdict(
            status,
            work.DOI,
            p,
            flags,
            updates,
            corrected_item(item, work, flags),
            self.source.name,
            why,
        )


_ID_TEXT = re.compile(
    r"(?:https?://\S+|\bdoi\s*:?\s*\S+|\b10\.\d{4,9}/\S+|^\s*(?:DOI|URL)\s*:.*$)", re.I | re.M
)


def main_text(ref: Reference) -> str:
    """The reference's text without identifiers and URLs (which say nothing of its title)."""
    return _ID_TEXT.sub(" ", ref.text)


def title_matrix(refs: Sequence[Reference], pools: Sequence[Sequence[Work]]) -> list[list[float]]:
    """Title similarity of every reference to each of its candidates, vectorised.

    `cdist` passes over references × candidates, in blocks of `BLOCK` references so the
    cost stays linear in the list's length: the parsed title against candidate
    titles (ratio), and candidate titles sought in the reference's whole text
    (partial ratio), which holds when the parse went wrong.
    """
    out: list[list[float]] = []
    for start in range(0, len(refs), BLOCK):
        out.extend(_title_block(refs[start : start + BLOCK], pools[start : start + BLOCK]))
    return out


BLOCK = 4


def _title_block(refs: Sequence[Reference], pools: Sequence[Sequence[Work]]) -> list[list[float]]:
    choices = [fold(w.title or "") for pool in pools for w in pool]
    if not choices:
        return [[] for _ in refs]
    titles = [fold(without_lost(r.item.title or "")) for r in refs]
    texts = [fold(main_text(r)) for r in refs]
    by_title = process.cdist(titles, choices, scorer=fuzz.ratio, workers=1)
    in_text = process.cdist(texts, choices, scorer=fuzz.partial_ratio, workers=1)
    out: list[list[float]] = []
    offset = 0
    for row, pool in enumerate(pools):
        sims = []
        for col in range(offset, offset + len(pool)):
            # A short title is found in any text: only long ones count by partial match.
            long_title = len(choices[col]) >= 15 and choices[col].count(" ") >= 2
            partial = float(in_text[row][col]) if long_title else 0.0
            sims.append(max(float(by_title[row][col]), min(partial, 99.0)))
        offset += len(pool)
        out.append(sims)
    return out


def candidate_features(
    ref: Reference, works: Sequence[Work], sims: Sequence[float]
) -> list[tuple[Work, tuple[Check, ...], list[float]]]:
    """Field checks and the feature vector of each candidate (`sims`: from `title_matrix`)."""
    item = ref.item
    text = main_text(ref)
    lost = bool(item.title) and "\ufffd" in (item.title or "")
    # cdist's plain ratio is refined (subtitles, lost characters) only where it can matter.
    refined = [
        max(s, _title_sim(item, w)) if s >= 60 or lost else s
        for s, w in zip(sims, works, strict=True)
    ]
    out = []
    for k, work in enumerate(works):
        others = [s for j, s in enumerate(refined) if j != k]
        margin = refined[k] - max(others) if others else 50.0
        checks = tuple(compare(item, work, refined[k] if item.title else None, text))
        out.append((work, checks, features(checks, refined[k], margin, _year_gap(item, work))))
    return out


def _iso(date: object) -> str | None:
    parts = getattr(date, "parts", None)
    return (
        "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts()))
        if callable(parts)
        else None
    )


def parent_doi(work: Work) -> str | None:
    """The article DOI of a component (figure, supplementary file), else None."""
    if work.type != "component":
        return None
    for kind in ("is-part-of", "is-supplement-to", "is-component-of"):
        if work.relation.get(kind):
            return work.relation[kind][0]
    article, suffix = ids.split_component(work.DOI)
    return article if suffix else None


def _title_sim(item: Item, work: Work) -> float:
    return work_title_similarity(item.title, work) if item.title else 0.0


def _year_gap(item: Item, work: Work) -> int | None:
    if item.issued is None or work.issued is None:
        return None
    return abs(item.issued.year - work.issued.year)


def _is_cited_work(checks: Sequence[Check], no_title: bool) -> bool:
    """Is the record a DOI points to the work the reference cites?

    The title decides when the reference prints one. Without a title (or with the
    journal's name where the title should be), the other fields must agree broadly.
    """
    by = {c.field: c.outcome for c in checks}
    fields = ("author", "issued", "container-title", "volume", "page")
    support = sum(by.get(f) in _GOOD for f in fields)
    if by["title"] in _GOOD:
        return support >= 1 or all(by.get(f) == ABSENT for f in fields[:3])
    if by["title"] in (ABSENT, "missing") or no_title:
        return support >= 3 and by.get("author") != MISMATCH
    return False


def _flags(checks: Sequence[Check]) -> tuple[FieldDiff, ...]:
    return tuple(c.diff for c in checks if c.diff is not None)
