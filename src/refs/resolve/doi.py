"""The one place a printed DOI gets its verdict, for `refs clean` and `refs check` alike.

A printed DOI is looked up (with the article of a supplementary-file DOI, and the
parent a component record names); then:
- the source did not answer: `unavailable`, never a verdict on the DOI;
- a supplementary-file DOI: `supplement`, with the article's DOI when its record is known;
- the record is the cited work's (field rules, `is_cited_work`): `confirmed`, with a
  calibrated probability;
- a reference that prints nothing but the DOI (and perhaps a year, volume or pages) has
  the DOI as its identity: a registered DOI is `confirmed`, the printed fields that
  disagree are flagged, and the confidence is None, since nothing else vouches for it;
- otherwise the DOI is not this reference's: the resolver searches, and `misplaced`
  says `wrong` or `unknown` with what the search found.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from refs import ids
from refs.compare.fields import (
    ABSENT,
    AGREE,
    COSMETIC,
    LOST_CHARS,
    MISMATCH,
    MISSING,
    SHORT_FORM,
    Check,
    compare,
    copied_from,
    prints_no_title,
)
from refs.model import DiffKind, FieldDiff, Item, Notice, Reference, Status, Verdict
from refs.resolve.candidates import main_text, title_sim, year_gap
from refs.resolve.correct import corrected_item, without_wrong_doi, work_label
from refs.resolve.match import Model, features, probability
from refs.resolve.source import Absent
from refs.work import Work

__all__ = [
    "SUPPLEMENT_WHY",
    "dois_to_look_up",
    "is_cited_work",
    "lookup_verdict",
    "misplaced",
    "parent_doi",
    "parents_to_look_up",
    "settled",
    "unavailable",
]

Answers = Mapping[str, Work | Absent]
SUPPLEMENT_WHY = "a supplementary-file DOI: the article's DOI is suggested"
_GOOD = (AGREE, COSMETIC, LOST_CHARS)


def parent_doi(work: Work) -> str | None:
    """The article DOI of a component (figure, supplementary file), else None."""
    if work.type != "component":
        return None
    for kind in ("is-part-of", "is-supplement-to", "is-component-of"):
        if work.relation.get(kind):
            return work.relation[kind][0]
    article, suffix = ids.split_component(work.DOI)
    return article if suffix else None


def printed_doi(ref: Reference) -> str | None:
    """The DOI as the reference prints it (canonical), else its normalised DOI."""
    return ids.clean_doi(ref.doi_input or "") or ref.item.DOI


def dois_to_look_up(refs: Iterable[Reference]) -> list[str]:
    """Every DOI the verdicts need: the normalised one, and the printed one when they differ."""
    wanted: list[str] = []
    for ref in refs:
        if ref.item.DOI:
            wanted.append(ref.item.DOI)
            printed = ids.clean_doi(ref.doi_input or "")
            if printed and ids.doi_key(printed) != ids.doi_key(ref.item.DOI):
                wanted.append(printed)
    return wanted


def parents_to_look_up(works: Answers) -> list[str]:
    """The articles that component records name, when not looked up already."""
    parents = [p for w in works.values() if isinstance(w, Work) and (p := parent_doi(w))]
    return [p for p in dict.fromkeys(parents) if ids.doi_key(p) not in works]


def unavailable(source: str, why: str) -> Verdict:
    """No answer: a transport failure is never a verdict."""
    return Verdict(Status.UNAVAILABLE, None, None, source=source, why=why)


def settled(
    status: Status,
    item: Item,
    work: Work,
    p: float | None,
    flags: tuple[FieldDiff, ...],
    why: str,
    source: str,
) -> Verdict:
    """A verdict that stands behind `work`: its notices, and the corrected item."""
    updates = tuple(
        Notice(r.kind, r.doi, r.source, _iso(r.date.parts()) if r.date else None)
        for r in work.notices()
    )
    return Verdict(
        doi_status=status,
        doi=work.DOI,
        confidence=p,
        flags=flags,
        updates=updates,
        corrected=corrected_item(item, work, flags),
        source=source,
        why=why,
    )


def lookup_verdict(ref: Reference, works: Answers, model: Model, source: str) -> Verdict | None:
    """The verdict on `ref`'s printed DOI from the looked-up `works`; None: search for the work."""
    item = ref.item
    assert item.DOI is not None
    printed = printed_doi(ref) or item.DOI
    component = ids.doi_key(printed) != ids.doi_key(item.DOI)
    work = works.get(ids.doi_key(item.DOI), Absent.MISSING)
    printed_work = works.get(ids.doi_key(printed))
    if isinstance(printed_work, Work) and printed_work.type == "component":
        component = True
        parent = parent_doi(printed_work)
        if parent:
            work = works.get(ids.doi_key(parent), Absent.MISSING)
    if work is Absent.UNAVAILABLE:
        return unavailable(source, "the source did not answer for this DOI (try again later)")
    if work is Absent.MISSING:
        if component:  # the suffix alone says it is a supplementary file
            why = ("a supplementary-file DOI; the article's DOI is suggested, but its record "
                   "is not in this source, so the reference could not be compared with it")  # fmt: skip
            flag = FieldDiff(
                "DOI", DiffKind.MISMATCH, printed, item.DOI, "a supplementary-file DOI"
            )
            # The article is suggested in the flag, not stood behind: it was not compared.
            return Verdict(Status.SUPPLEMENT, None, None, (flag,), source=source, why=why)
        return None
    assert isinstance(work, Work)
    supplement = (FieldDiff("DOI", DiffKind.MISMATCH, printed, work.DOI, SUPPLEMENT_WHY),)
    status = Status.SUPPLEMENT if component else Status.CONFIRMED
    text = main_text(ref)
    if not identifies_a_work(item):
        # Only what the reference prints: a field it leaves out is not a disagreement. A
        # DOI alone (a DOI-list line) prints nothing to compare: no field rule to run.
        bare = not (_prints_other_fields(item) or text.strip())
        checks = () if bare else tuple(compare(item, work, text=text))
        flags = tuple(c.diff for c in checks if c.diff is not None and c.diff.printed)
        why = "the DOI is registered; the reference prints nothing else that identifies a work"
        if flags:
            why += "; its record disagrees on " + ", ".join(f.field for f in flags)
        return settled(status, item, work, None, (*supplement[:component], *flags), why, source)
    checks = tuple(compare(item, work, text=text))
    if not is_cited_work(checks, prints_no_title(item, work)):
        return None
    p = probability(model, features(checks, title_sim(item, work), 50.0, year_gap(item, work)))
    flags = (*supplement[:component], *diffs(checks))
    return settled(
        status, item, work, p, flags, "the DOI's record agrees with the reference", source
    )


def misplaced(
    ref: Reference,
    bad_doi: str,
    works: Answers,
    found: tuple[Work, float, tuple[Check, ...]] | None,
    source: str,
) -> Verdict:
    """The verdict on a printed DOI that is not the reference's, after searching for the work.

    `found`: the cited work the search accepted (work, probability, field checks), if any.
    """
    item = ref.item
    wrong = works.get(ids.doi_key(bad_doi))
    status = Status.WRONG if isinstance(wrong, Work) else Status.UNKNOWN
    about = (
        f"the DOI is that of {work_label(wrong)}"
        if isinstance(wrong, Work)
        else "the DOI is not registered in this source"
    )
    if found is not None:
        work, p, checks = found
        if isinstance(wrong, Work):
            checks = tuple(copied_from(item, wrong, checks))
        flags = (
            FieldDiff("DOI", DiffKind.MISMATCH, ref.doi_input, work.DOI, about),
            *diffs(checks),
        )
        return settled(status, item, work, p, flags, about + "; the cited work was found", source)
    kind = DiffKind.MISMATCH if status is Status.WRONG else DiffKind.MISSING
    flag = FieldDiff("DOI", kind, ref.doi_input, None, about)
    # A DOI known to be another work's leaves the corrected entry (for its note); an
    # `unknown` one stays: not being in this source is no evidence that it is wrong.
    fixed = None
    if isinstance(wrong, Work):
        fixed = without_wrong_doi(item, ref.doi_input or bad_doi, wrong)
    why = about + "; the cited work was not found"
    return Verdict(status, None, None, (flag,), corrected=fixed, source=source, why=why)


def _prints_other_fields(item: Item) -> bool:
    """A year, journal, volume, issue or pages: what a reference without a title may print."""
    return bool(item.issued or item.container_title or item.volume or item.issue or item.page)


def identifies_a_work(item: Item) -> bool:
    """Does the reference print a title or authors, by which a work is recognised?"""
    return item.title is not None or bool(item.author)


def is_cited_work(checks: Sequence[Check], no_title: bool) -> bool:
    """Is the record a DOI points to the work the reference cites?

    The title decides when the reference prints one. Without a title (or with the
    journal's name where the title should be), the other fields must agree broadly.
    """
    by = {c.field: c.outcome for c in checks}
    fields = ("author", "issued", "container-title", "volume", "page")
    support = sum(by.get(f) in _GOOD for f in fields)
    if by["title"] in _GOOD:
        return support >= 1 or all(by.get(f) == ABSENT for f in fields[:3])
    if by["title"] == SHORT_FORM:  # a shortened title: the authors and one more field vouch
        return by.get("author") in _GOOD and support >= 2
    if by["title"] in (ABSENT, MISSING) or no_title:
        return support >= 3 and by.get("author") != MISMATCH
    return False


def diffs(checks: Sequence[Check]) -> tuple[FieldDiff, ...]:
    return tuple(c.diff for c in checks if c.diff is not None)


def _iso(parts: Sequence[int]) -> str:
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
