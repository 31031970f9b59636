"""Candidates for a reference: the search query, title similarities, and feature vectors.

Pure: the search itself is the `Source`'s; this module turns a reference and the works
a search returned into what the matcher scores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from refs.compare.fields import Check, compare, work_title_similarity
from refs.compare.text import fold, without_lost
from refs.ids import DOI_IN_PROSE
from refs.model import Item, Reference
from refs.resolve.match import features
from refs.work import Work

__all__ = ["BLOCK", "candidate_features", "main_text", "search_text", "title_matrix"]


def search_text(item: Item, *, with_numbers: bool = True) -> str:
    """The query for a reference: what identifies a work, without what may be copied from another."""
    parts = [without_lost(item.title or "")]
    parts += [p.family or p.literal or "" for p in item.author[:3]]
    parts += [item.container_title or "", str(item.issued.year) if item.issued else ""]
    if with_numbers:
        parts += [item.volume or "", (item.page or "").split("-")[0]]
    return " ".join(p for p in parts if p)


_ID_TEXT = re.compile(
    rf"(?:https?://\S+|\bdoi\s*:?\s*\S+|\b{DOI_IN_PROSE}|^\s*(?:DOI|URL)\s*:.*$)", re.I | re.M
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
        max(s, title_sim(item, w)) if s >= 60 or lost else s
        for s, w in zip(sims, works, strict=True)
    ]
    out = []
    for k, work in enumerate(works):
        others = [s for j, s in enumerate(refined) if j != k]
        margin = refined[k] - max(others) if others else 50.0
        checks = tuple(compare(item, work, refined[k] if item.title else None, text))
        out.append((work, checks, features(checks, refined[k], margin, year_gap(item, work))))
    return out


def title_sim(item: Item, work: Work) -> float:
    return work_title_similarity(item.title, work) if item.title else 0.0


def year_gap(item: Item, work: Work) -> int | None:
    if item.issued is None or work.issued is None:
        return None
    return abs(item.issued.year - work.issued.year)
