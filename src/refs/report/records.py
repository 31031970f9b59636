"""What a verified list says, reference by reference: `Reviewed`, its JSON record, the
corrected entries with their change notes, and the summary. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from refs.model import DOI_PROBLEMS, STATUSES, DiffKind, FieldDiff, Reference, Status, Verdict


@dataclass(frozen=True, slots=True)
class Reviewed:
    """One reference of a list and what `refs` concludes about it (None: not verified)."""

    reference: Reference
    verdict: Verdict | None = None

    @property
    def status(self) -> Status:
        return self.verdict.doi_status if self.verdict else Status.UNVERIFIED

    @property
    def corrected(self) -> Reference:
        """The reference with the registry's values where a rule found its own wrong."""
        fixed = self.verdict.corrected if self.verdict else None
        return replace(self.reference, item=fixed) if fixed else self.reference

    def notes(self) -> list[str]:
        """Comment lines saying what the corrected entry changed, and why."""
        return change_notes(self.reference, self.verdict) if self.verdict else []

    def as_dict(self) -> dict[str, Any]:
        """The record `refs clean --to json` prints for this reference."""
        return record(self.reference, self.verdict)


def record(ref: Reference, verdict: Verdict | None) -> dict[str, Any]:
    """The `--to json` record: the parse, and the verdict with its corrected CSL-JSON item."""
    out = ref.to_json()
    if verdict is None:
        out.update(doi_status="unverified", doi=None, confidence=None, flags=[], updates=[])
        return out
    out.update(verdict.to_json())
    out["corrected"] = (
        verdict.corrected.to_csl(ref.key or f"ref{ref.index}") if verdict.corrected else None
    )
    return out


def check_record(row: Mapping[str, Any], index: int) -> dict[str, Any]:
    """A `refs check` report row as a review record: the same page and summary as `clean`.

    The row says where the record is (`file:line`, entry) instead of printing a reference.
    """
    line = row.get("line") or 0
    out = {key: row.get(key) for key in _VERDICT_KEYS}
    out.update(
        index=index,
        where=where_of(row),
        text=str(row.get("doi_input") or ""),
        lines=[line, line],
        diagnostics=[],
    )
    return out


def where_of(row: Mapping[str, Any]) -> str:
    """Where a `refs check` record is: `file:line`, and the entry in a structured file."""
    entry = f" (entry {row['entry']})" if row.get("entry") else ""
    return f"{row.get('file')}:{row.get('line')}{entry}"


_VERDICT_KEYS = ("doi_input", "doi_status", "doi", "confidence", "flags", "updates", "why",
                 "source")  # fmt: skip


def change_notes(ref: Reference, verdict: Verdict) -> list[str]:
    """Comment lines saying what the corrected entry changed, and what could not be checked."""
    head = f"refs: reference {ref.index}: {verdict.doi_status}"
    if verdict.confidence is not None:
        head += f" (confidence {verdict.confidence:.2f})"
    lines = [head]
    fixed = verdict.corrected
    for flag in verdict.flags:
        if flag.kind is DiffKind.COSMETIC:
            continue
        if fixed is None:
            fate = "kept"
        elif flag.field == "DOI" and fixed.DOI is None and flag.printed:
            fate = "moved to the note"
        else:
            fate = "kept" if flag.registry is None else "changed"
        lines.append(f"  {flag.field}: {_values(flag)} [{flag.kind}; {fate}] {flag.why}")
    if (
        fixed is not None
        and fixed.DOI
        and not ref.item.DOI
        and not ref.doi_input
        and not any(f.field == "DOI" for f in verdict.flags)
    ):
        lines.append(f"  DOI: {_NOTHING} -> {fixed.DOI} [missing; added] {verdict.why}")
    for notice in verdict.updates:
        lines.append(
            f"  {notice.kind.upper()}: notice {notice.doi or '?'} ({notice.source or 'publisher'})"
        )
    if verdict.doi_status in _EXPLAINED:
        lines.append(f"  {verdict.why}")
    return lines if len(lines) > 1 or verdict.doi_status not in _SETTLED else []


_NOTHING = "∅"  # a value the reference or the registry does not have


def _values(flag: FieldDiff) -> str:
    """`printed -> registry`; only the printed value when the registry has none to offer."""
    printed = _NOTHING if flag.printed is None else flag.printed
    return printed if flag.registry is None else f"{printed} -> {flag.registry}"


# Statuses whose reason a corrected entry's comment repeats; statuses that need no comment.
_EXPLAINED = frozenset({Status.NONE, Status.AMBIGUOUS, Status.UNAVAILABLE, Status.UNKNOWN})
_SETTLED = frozenset({Status.CONFIRMED, Status.FOUND})


def summary(
    refs: Sequence[Reference], verdicts: Sequence[Verdict] | None, source: str | None
) -> str:
    """A few lines for stderr: counts per status, then the worst findings first."""
    if verdicts is None:
        styles = Counter(r.style for r in refs)
        by_style = ", ".join(f"{n} {s}" for s, n in styles.most_common())
        unparsed = sum(1 for r in refs if not r.parsed)
        return f"refs: {len(refs)} references ({by_style}); {unparsed} unparseable; not verified (--no-verify)"
    counts = Counter(v.doi_status for v in verdicts)
    parts = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
    flagged = sum(1 for v in verdicts if any(f.kind is not DiffKind.COSMETIC for f in v.flags))
    lines = [
        f"refs: {len(refs)} references checked against {source}: {parts}; {flagged} with field flags"
    ]
    retracted = [(r, v) for r, v in zip(refs, verdicts, strict=True) if v.updates]
    for ref, verdict in retracted:
        kinds = ", ".join(sorted({u.kind for u in verdict.updates}))
        lines.append(f"  ! reference {ref.index}: {kinds} ({verdict.updates[0].doi})")
    order = {s: i for i, s in enumerate(STATUSES)}
    worst = sorted(
        ((r, v) for r, v in zip(refs, verdicts, strict=True) if v.doi_status in DOI_PROBLEMS),
        key=lambda rv: (order[rv[1].doi_status], rv[0].index),
    )
    for ref, verdict in worst[:10]:
        target = f" -> {verdict.doi}" if verdict.doi else ""
        lines.append(f"  reference {ref.index}: {verdict.doi_status}: {ref.doi_input}{target}")
    if len(worst) > 10:
        lines.append(f"  … and {len(worst) - 10} more (see --to json)")
    return "\n".join(lines)
