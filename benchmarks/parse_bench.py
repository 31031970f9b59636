"""Section `parse`: speed and accuracy of refs' rule parsers on the seed lists, refextract beside.

Inputs are the project's own lists (refs/*.txt) and the hand-written expected data
(tests/data/expected/*.jsonl), so this section needs nothing from ../shared.
"""

from __future__ import annotations

import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.table import Table
from refs.model import Reference
from refs.parse import parse_list, parse_reference
from refs.split import split_references

ROOT = Path(__file__).resolve().parent.parent
LISTS = {
    "hal": ROOT / "refs" / "hal-ovarian-cancer.txt",
    "medsci": ROOT / "refs" / "medsci-2014-microenvironment.txt",
}
EXPECTED = ROOT / "tests" / "data" / "expected"
# The keys of the expected data, in the order of tests/test_seed_lists.py.
FIELDS = ("author", "et_al", "title", "container-title", "volume", "issue", "page", "year",
          "DOI", "doi_input", "URL", "PMCID", "hal_id")  # fmt: skip

TARGET_RATE = 5_000  # references/s, rule parsers, one core (the issue's target)
COPIES = 100  # "both ×100": the two lists' chunks repeated → 10,000 references
PEER_SLICE = 500  # refextract is timed on this many of the 10,000, then extrapolated
PEER_BUDGET_S = 20.0  # stop repeating a refextract timing once its runs add up to this
PEER_MISSING = "n/a (pip install refextract)"

Records = list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Timing:
    best: float  # seconds, the fastest run
    runs: int

    def rate(self, count: int) -> float:
        return count / self.best if self.best > 0 else math.inf


@dataclass(frozen=True, slots=True)
class Peer:
    """refextract, loaded, with what loading it cost."""

    extract: Callable[..., Any]
    import_s: float
    first_call_s: float  # the first call: loads the knowledge bases
    warm_call_s: float  # the same call again

    def __call__(self, text: str) -> Records:
        return list(self.extract(text, is_only_references=True))


def run(shared: Path | None, quick: bool) -> list[Table]:
    del shared  # the seed lists ship with the checkout
    needed = [*LISTS.values(), *(EXPECTED / f"{name}.jsonl" for name in LISTS)]
    missing = [str(p.relative_to(ROOT)) for p in needed if not p.is_file()]
    if missing:
        print(f"skipped: missing {', '.join(missing)}")
        return []
    runs = 2 if quick else 5
    texts = {name: path.read_text(encoding="utf-8") for name, path in LISTS.items()}
    expected = {name: _expected(name) for name in LISTS}
    parsed = {name: parse_list(text) for name, text in texts.items()}
    chunks = {name: [c.text for c in split_references(text)] for name, text in texts.items()}

    _progress("loading refextract")
    peer, why_not = _load_peer(chunks["hal"][0])
    peer_out = {name: peer(text) for name, text in texts.items()} if peer else {}
    return [
        _speed(texts, chunks, peer, why_not, runs, quick),
        _accuracy(parsed, expected),
        *_mismatches(parsed, expected),
        _versus(parsed, expected, chunks, peer_out, why_not),
    ]


# --- speed -----------------------------------------------------------------------------------


def _speed(
    texts: dict[str, str],
    chunks: dict[str, list[str]],
    peer: Peer | None,
    why_not: str,
    runs: int,
    quick: bool,
) -> Table:
    both = [text for _ in range(COPIES) for name in LISTS for text in chunks[name]]
    peer_slice = "\n\n".join(both[:PEER_SLICE])
    budget = PEER_BUDGET_S / 3 if quick else PEER_BUDGET_S
    cases = [
        (
            f"{name} ({LISTS[name].name})",
            len(chunks[name]),
            _bind_list(text),
            text,
            len(chunks[name]),
        )
        for name, text in texts.items()
    ]
    cases.append(
        (f"both ×{COPIES} (synthetic)", len(both), _bind_chunks(both), peer_slice, PEER_SLICE)
    )
    rows: list[list[object]] = []
    worst = math.inf
    for label, count, refs_call, peer_text, peer_count in cases:
        _progress(f"timing refs on {label}")
        mine = _best_of(refs_call, runs)
        rate = mine.rate(count)
        worst = min(worst, rate)
        peer_cell, ratio, peer_runs = why_not, "n/a", "-"
        if peer:
            _progress(f"timing refextract on {peer_count} references of {label}")
            theirs = _best_of(_bind_peer(peer, peer_text), runs, budget)
            peer_rate = theirs.rate(peer_count)
            extrapolated = f" (from {peer_count})" if peer_count != count else ""
            peer_cell = _rate(peer_rate) + extrapolated
            ratio = f"{rate / peer_rate:,.0f}×"
            peer_runs = str(theirs.runs)
        rows.append(
            [label, f"{count:,}", _rate(rate), peer_cell, ratio, f"{mine.runs}/{peer_runs}"]
        )
    rows.append(["target (issue)", "", f"≥ {TARGET_RATE:,}", "", "", ""])

    notes = [
        f"refs/s = references ÷ the best of the runs' wall times (time.perf_counter), one "
        f"process, one thread. refs: `parse_list(text)` on each list; the {len(both):,}: "
        f"`parse_reference(chunk.text, i)` over the `split_references` chunks of both lists "
        f"repeated {COPIES} times (splitting done beforehand, not timed).",
        f"target ≥ {TARGET_RATE:,} refs/s: "
        + ("met" if worst >= TARGET_RATE else "NOT met")
        + f" (slowest row {_rate(worst)} refs/s).",
    ]
    if peer:
        notes += [
            "refextract: `extract_references_from_string(text, is_only_references=True)` on the "
            f"same list texts; best of up to {runs} runs, fewer once its runs add up to "
            f"{budget:.0f} s (runs column: refs/refextract). Its rate counts the references in "
            "the input, not the records it returns.",
            f"refextract, {COPIES}× row: timed on a {PEER_SLICE}-reference slice (the first "
            f"{PEER_SLICE} of the {len(both):,}, joined by blank lines) and extrapolated to "
            "refs/s assuming linear cost; the ratio compares that with refs' rate on the "
            f"{len(both):,}.",
            f"refextract load, excluded from its refs/s: import {peer.import_s:.2f} s; first call "
            f"{peer.first_call_s:.2f} s vs {peer.warm_call_s:.2f} s for the same one-reference "
            f"call warm, i.e. ~{peer.first_call_s - peer.warm_call_s:.1f} s of knowledge-base "
            "loading.",
        ]
    return Table("parse speed (references/s, one core)", [
        "input", "references", "refs", "refextract", "refs ÷ refextract", "runs"
    ], rows, notes)  # fmt: skip


def _bind_list(text: str) -> Callable[[], object]:
    return lambda: parse_list(text)


def _bind_chunks(texts: list[str]) -> Callable[[], object]:
    return lambda: [parse_reference(t, i) for i, t in enumerate(texts, 1)]


def _bind_peer(peer: Peer, text: str) -> Callable[[], object]:
    return lambda: peer(text)


def _best_of(call: Callable[[], object], runs: int, budget: float | None = None) -> Timing:
    best, done, spent = math.inf, 0, 0.0
    while done < runs:
        start = time.perf_counter()
        call()
        took = time.perf_counter() - start
        best, done, spent = min(best, took), done + 1, spent + took
        if budget is not None and spent >= budget:
            break
    return Timing(best, done)


def _rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def _load_peer(sample: str) -> tuple[Peer | None, str]:
    start = time.perf_counter()
    try:
        from refextract import extract_references_from_string
    except ImportError:
        return None, PEER_MISSING
    except Exception as error:  # e.g. a missing system library behind one of its imports
        return None, f"n/a (import failed: {type(error).__name__})"
    import_s = time.perf_counter() - start
    timed = []
    for _ in range(2):
        start = time.perf_counter()
        extract_references_from_string(sample, is_only_references=True)
        timed.append(time.perf_counter() - start)
    return Peer(extract_references_from_string, import_s, timed[0], timed[1]), ""


# --- refs' accuracy against the expected data ------------------------------------------------


def _expected(name: str) -> Records:
    path = EXPECTED / f"{name}.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def actual_fields(ref: Reference) -> dict[str, Any]:
    """The parsed record in the shape of the expected data (as tests/test_seed_lists.py)."""
    item = ref.item
    return {
        "author": [{"family": p.family, "given": p.given} for p in item.author],
        "et_al": item.et_al,
        "title": item.title,
        "container-title": item.container_title,
        "volume": item.volume,
        "issue": item.issue,
        "page": item.page,
        "year": item.issued.year if item.issued else None,
        "DOI": item.DOI,
        "doi_input": ref.doi_input,
        "URL": item.URL,
        "PMCID": item.PMCID,
        "hal_id": item.hal_id,
    }


def _printed(value: object) -> bool:
    return value not in (None, "", [], False)


def _pairs(
    parsed: dict[str, list[Reference]], expected: dict[str, Records], name: str
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(actual_fields(r), e) for r, e in zip(parsed[name], expected[name], strict=False)]


Pairs = list[tuple[dict[str, Any], dict[str, Any]]]


def _accuracy(parsed: dict[str, list[Reference]], expected: dict[str, Records]) -> Table:
    names = list(LISTS)
    pairs = {name: _pairs(parsed, expected, name) for name in names}
    pairs["both"] = [p for name in names for p in pairs[name]]
    columns = [*names, "both"]

    def field(rows: Pairs, key: str) -> tuple[int, int]:
        return sum(got[key] == exp[key] for got, exp in rows), len(rows)

    def every(rows: Pairs) -> tuple[int, int]:
        marks = [got[k] == exp[k] for got, exp in rows for k in FIELDS]
        return sum(marks), len(marks)

    def printed(rows: Pairs) -> tuple[int, int]:
        marks = [got[k] == exp[k] for got, exp in rows for k in FIELDS if _printed(exp[k])]
        return sum(marks), len(marks)

    def whole(rows: Pairs) -> tuple[int, int]:
        return sum(all(got[k] == exp[k] for k in FIELDS) for got, exp in rows), len(rows)

    table_rows: list[list[object]] = []
    for key in FIELDS:
        shown = "/".join(str(sum(_printed(e[key]) for e in expected[n])) for n in names)
        table_rows.append([key, shown, *(_score(field(pairs[c], key)) for c in columns)])
    for label, measure in (
        ("all fields", every),
        ("printed fields only", printed),
        ("whole reference exact", whole),
    ):
        table_rows.append([label, "", *(_score(measure(pairs[c])) for c in columns)])
    table_rows.append(["target (issue): printed fields", "", "100%", "100%", "100%"])
    met = all(hit == total for hit, total in (printed(pairs[n]) for n in names))
    counts = ", ".join(f"{n} {len(parsed[n])} parsed / {len(expected[n])} expected" for n in names)
    styles = "; ".join(
        f"{n} " + ", ".join(f"{s} {c}" for s, c in Counter(r.style for r in parsed[n]).items())
        for n in names
    )
    return Table(
        "parse accuracy — refs vs tests/data/expected (per field, correct/total)",
        ["field", "printed hal/medsci", *columns],
        table_rows,
        [
            "`parse_list` on each list; reference i compared with line i of the expected data, "
            "fields mapped as in tests/test_seed_lists.py. A field absent from the reference "
            "(null/false/[] expected) counts as correct when refs leaves it empty too.",
            "printed = references whose expected value is non-empty; 'printed fields only' "
            "scores just those values; 'whole reference exact' needs all 13 fields right.",
            f"References: {counts}. Styles detected: {styles}.",
            "Target 100% of printed fields: " + ("met." if met else "NOT met."),
        ],
    )


def _score(counts: tuple[int, int]) -> str:
    hit, total = counts
    return f"{hit}/{total} {100 * hit / total:.1f}%" if total else "-"


def _mismatches(parsed: dict[str, list[Reference]], expected: dict[str, Records]) -> list[Table]:
    rows: list[list[object]] = []
    for name in LISTS:
        for got, exp in _pairs(parsed, expected, name):
            rows += [
                [name, exp.get("index", ""), key, _short(got[key]), _short(exp[key])]
                for key in FIELDS
                if got[key] != exp[key]
            ]
    if not rows:
        return []
    shown = rows[:40]
    notes = [f"{len(rows)} differences, first {len(shown)} shown."] if len(rows) > 40 else []
    return [Table("refs' fields that differ from the expected data", [
        "list", "#", "field", "refs", "expected"], shown, notes)]  # fmt: skip


def _short(value: object, width: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


# --- refs vs refextract on what refextract can be compared on --------------------------------

COMPARED = ("year", "DOI as printed", "volume", "pages", "first author's family name", "title")
_LABEL = re.compile(r"^\s*(?:\[\d{1,4}\]|\d{1,4}[.)])\s*")
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def _same(key: str, got: str | None, want: str) -> bool:
    """Whether `got` is `want`, by the rule for `key` (the same for both parsers)."""
    if not got:
        return False
    if key == "DOI as printed":
        return _bare_doi(got) is not None and _bare_doi(got) == _bare_doi(want)
    if key == "pages":
        return re.sub(r"[‐-―−]", "-", got).replace(" ", "") == want
    if key == "title":
        return _alnum(got) == _alnum(want)
    return got.strip() == want


def _bare_doi(text: str) -> str | None:
    match = _DOI.search(text)
    return match.group(0).rstrip(".").casefold() if match else None


def _want(exp: dict[str, Any]) -> dict[str, str | None]:
    authors = exp.get("author") or []
    return {
        "year": str(exp["year"]) if exp.get("year") else None,
        "DOI as printed": exp.get("doi_input"),
        "volume": exp.get("volume"),
        "pages": exp.get("page"),
        "first author's family name": authors[0].get("family") if authors else None,
        "title": exp.get("title"),
    }


def _from_refs(ref: Reference) -> dict[str, str | None]:
    item = ref.item
    return {
        "year": str(item.issued.year) if item.issued else None,
        "DOI as printed": ref.doi_input,
        "volume": item.volume,
        "pages": item.page,
        "first author's family name": item.author[0].family if item.author else None,
        "title": item.title,
    }


def _from_peer(fields: dict[str, list[str]], family: str | None) -> dict[str, str | None]:
    def first(*keys: str) -> str | None:
        return next((v[0] for k in keys if (v := fields.get(k))), None)

    # refextract gives the author list as printed, unsplit: the first author counts as right
    # when the expected family name is in its first comma-separated segment.
    authors = first("author")
    head = authors.split(",")[0] if authors else ""
    found = family if family and head and _alnum(family) in _alnum(head) else head or None
    return {
        "year": first("year", "journal_year"),
        "DOI as printed": first("doi"),
        "volume": first("journal_volume"),
        "pages": first("journal_page"),
        "first author's family name": found,
        "title": first("title"),
    }


def _align(chunks: Sequence[str], records: Records) -> tuple[list[dict[str, list[str]]], int]:
    """refextract's records grouped by the reference they came from, and how many matched none.

    A record's `raw_ref` (label dropped, letters and digits only) belongs to the first reference
    at or after the previous record's whose text contains it or is contained in it.
    """
    merged: list[dict[str, list[str]]] = [{} for _ in chunks]
    keys = [_alnum(c) for c in chunks]
    at, lost = 0, 0
    for record in records:
        raw = _alnum(_LABEL.sub("", " ".join(record.get("raw_ref") or [])))
        spots = range(at, len(keys)) if raw else range(0)
        hit = next((j for j in spots if raw in keys[j] or keys[j] in raw), None)
        if hit is None:
            lost += 1
            continue
        at = hit
        for key, values in record.items():
            if key != "raw_ref" and isinstance(values, list):
                merged[hit].setdefault(key, []).extend(str(v) for v in values)
    return merged, lost


def _versus(
    parsed: dict[str, list[Reference]],
    expected: dict[str, Records],
    chunks: dict[str, list[str]],
    peer_out: dict[str, Records],
    why_not: str,
) -> Table:
    names = list(LISTS)
    hits: dict[tuple[str, str, str], int] = {}
    given: dict[tuple[str, str], int] = {}
    printed: dict[tuple[str, str], int] = {}
    notes: list[str] = []
    for name in names:
        aligned: list[dict[str, list[str]]] = []
        if peer_out:
            aligned, lost = _align(chunks[name], peer_out[name])
            groups = sum(bool(a) for a in aligned)
            notes.append(
                f"{name}: refextract returned {len(peer_out[name])} records for "
                f"{len(chunks[name])} references; aligned to {groups} references, "
                f"{lost} records matched none."
            )
        for i, (ref, exp) in enumerate(zip(parsed[name], expected[name], strict=False)):
            want = _want(exp)
            mine = _from_refs(ref)
            theirs = _from_peer(aligned[i], want["first author's family name"]) if aligned else {}
            for key in COMPARED:
                if theirs.get(key):
                    given[name, key] = given.get((name, key), 0) + 1
                target = want[key]
                if not target:
                    continue
                printed[name, key] = printed.get((name, key), 0) + 1
                for who, values in (("refs", mine), ("refextract", theirs)):
                    if _same(key, values.get(key), target):
                        hits[name, key, who] = hits.get((name, key, who), 0) + 1

    def cell(name: str, key: str, who: str) -> str:
        total = printed.get((name, key), 0)
        if who == "refextract" and not peer_out:
            return why_not
        if not total:
            return "- (not printed)"
        hit = hits.get((name, key, who), 0)
        return f"{hit}/{total} {100 * hit / total:.0f}%"

    rows: list[list[object]] = []
    for key in COMPARED:
        row: list[object] = [key]
        for name in names:
            row += [cell(name, key, "refs"), cell(name, key, "refextract")]
        if peer_out:
            row.append("/".join(str(given.get((n, key), 0)) for n in names))
        rows.append(row)
    columns = ["field"] + [f"{n} {who}" for n in names for who in ("refs", "refextract")]
    if peer_out:
        columns.append("refextract gave a value (hal/medsci)")
        notes = [
            "Same references and expected data as the accuracy table; scored only where the "
            "field is printed (correct/printed), so a value where none is printed is not "
            "penalised here.",
            "Alignment by order: each refextract record is matched, through its raw_ref text, to "
            "the next reference (in refs' own split of the list) that contains it; a "
            "reference's records are merged and the first value of each key is scored. "
            "refextract splits HAL's DOI/URL lines into records of their own and each Med Sci "
            "reference into two records; the merge puts them back together.",
            *notes,
            "Rules, same for both: year as text; DOI = the printed DOI (doi_input; refextract's "
            "`doi:` prefix dropped), case-insensitive; pages with dashes unified, against the "
            "expected (expanded) range; title compared on letters and digits, case-folded; "
            "volume exact. First author: refs' parsed family name must equal the expected one; "
            "refextract returns the author list as one string, so its first author counts as "
            "right when the expected family name occurs in the string's first comma-separated "
            "segment (a looser rule, in its favour).",
            "refextract fills journal_volume/journal_page only for journals in its (physics) "
            "knowledge base and title only for quoted titles or books: the 'gave a value' "
            "column shows how often it returned each at all.",
        ]
    else:
        notes = [
            f"refextract: {why_not} — `make bench` tries `pip install -e '.[bench]'` first.",
        ]
    return Table("parse accuracy — refs vs refextract (fields both can be scored on)", columns,
                 rows, notes)  # fmt: skip


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)
