"""Section `split`: cutting pasted text into references, per way of pasting.

Real reference strings from ../shared/data/parsing (anystyle.jsonl, grobid.jsonl, field
`text`) are put in groups of `GROUP` and rendered as a user would paste them: one per line,
wrapped at 70–90 columns (hanging indent, flush left, hyphenated at line ends), numbered
and run together in one paragraph, wrapped with a blank line between references, or
wrapped flush left by glyph widths (a proportional font, as a PDF sets it). Every
group is then split by `refs.split.split_references`; a predicted reference start counts
when a true reference starts at the same character.
"""

from __future__ import annotations

import json
import random
import re
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.table import Table
from refs.parse import parse_list
from refs.split import join_lines, split_references

SEED = 8
GROUP = 20  # references per pasted list
GROUPS = 100  # lists per form
QUICK_GROUPS = 25
FILES = ("anystyle.jsonl", "grobid.jsonl")
_YEAR = re.compile(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)")
_LABELLED = re.compile(r"^\s*(?:\[\d+\]|\d+[.)]|[•·▪◦‣∙*])\s")  # a list number or bullet
_MARKUP = re.compile(r"</?[a-z]+>")


@dataclass(frozen=True, slots=True)
class Pasted:
    """A rendered list: its text, and where each reference starts in it."""

    text: str
    starts: list[int]
    references: list[str]


Render = Callable[[list[str], random.Random], Pasted]


def run(shared: Path | None, quick: bool) -> list[Table]:
    long_lists = _long_lists(quick)  # needs no shared data
    if shared is None:
        print("skipped: needs ../shared/data/parsing (anystyle.jsonl, grobid.jsonl)")
        return [long_lists]
    paths = [shared / "data" / "parsing" / name for name in FILES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"skipped: missing {', '.join(missing)}")
        return [long_lists]
    pool = _pool(paths)
    rng = random.Random(SEED)
    groups = [rng.sample(pool, GROUP) for _ in range(QUICK_GROUPS if quick else GROUPS)]
    rows = []
    for name, render in FORMS:
        _progress(f"form {name}")
        form_rng = random.Random(f"{SEED}:{name}")
        pasted = [render(group, form_rng) for group in groups]
        rows.append(_measure(name, pasted, runs=1 if quick else 3))
    total = len(groups) * GROUP
    notes = [
        f"{len(groups)} lists × {GROUP} references per form, drawn (seed {SEED}) from "
        f"{len(pool):,} strings of anystyle.jsonl + grobid.jsonl (30–400 characters, a "
        "year, no list number or bullet, no markup). Styles are mixed within a list, as the "
        "files are.",
        "precision / recall: reference starts predicted at the character where a reference "
        "starts / true starts found. exact: the chunk starting there, its lines joined by "
        "`join_lines` (de-hyphenation, DOI/URL rejoining), equals the string after "
        "whitespace normalisation.",
        "wrapping: Python textwrap at a random width of 70–90 (long words such as URLs are "
        "cut at the margin); hyphenated: words of 6+ letters cut at a random position "
        "(2+ letters, hyphen, 3+ letters) and lines broken at existing hyphens, both at "
        "line ends — so `exact` there also measures de-hyphenation, which has no word list "
        "and cannot tell `long-term` broken at its hyphen from a hyphenated word.",
        "proportional font: greedy wrapping by glyph widths (Helvetica's, 1/1000 em) at a "
        "random width of 70–90 average characters, so full lines hold a varying number of "
        "characters, as in text pasted from a PDF; the splitter counts characters, and this "
        "form checks that its line-width signals hold when they are only approximate.",
        "run together: `1. … 2. …` (half the lists) or `[1] … [2] …` on one line.",
        f"references/s: split_references only, best of {1 if quick else 3} runs over the "
        f"{total:,} references of the form, one core.",
        "Where it falls short: wrapped flush left with no indent, a reference is missed "
        "(merged into the one before) when its first line has no author pattern and the "
        "line before ran to the margin, where the width tells nothing (title first, "
        "journal-only fragments, corporate authors without an acronym: ~45% of misses), "
        "it starts with a digit, lower case or punctuation after a line that was not "
        "clearly short (~25%), or the reference before ends with `,` `;` `:` (~13%). These "
        "strings are messier than most pasted lists (AnyStyle's `ugly` and `bad` sets, "
        "GROBID's PDF extractions, fragments, styles mixed in one list, so the list's own "
        "way of starting references is rarely learnt). Hyphenation adds real compounds "
        "broken at their hyphen (`guinea-` + `pig` → `guineapig`).",
    ]
    return [
        Table(
            "split: pasted lists → references",
            ["form", "references", "precision", "recall", "exact", "references/s"],
            rows,
            notes,
        ),
        long_lists,
    ]


LONG_SIZES = (1_000, 4_000, 16_000)  # entries in the long numbered lists


def _long_list(count: int) -> str:
    return "\n".join(f"{n}. Author A. Title {n}. J Test. 2001;1:1-2." for n in range(1, count + 1))


def _long_lists(quick: bool) -> Table:
    """Split and parse time of numbered lists of `LONG_SIZES` entries: per entry, it stays
    the same when the time is linear in the number of entries."""
    runs = 1 if quick else 3
    rows: list[list[object]] = []
    base = 0.0
    for count in LONG_SIZES:
        _progress(f"long numbered list, {count:,} entries")
        text = _long_list(count)
        split_s = parse_s = float("inf")
        records = 0
        for _ in range(runs):
            started = time.perf_counter()
            chunks = split_references(text)
            split_s = min(split_s, time.perf_counter() - started)
            started = time.perf_counter()
            records = len(parse_list(text))
            parse_s = min(parse_s, time.perf_counter() - started)
        per_entry = parse_s / count
        base = base or per_entry
        numbered = sum(c.number == i for i, c in enumerate(chunks, 1))
        rows.append(
            [
                f"{count:,}",
                f"{records:,}",
                f"{numbered:,}",
                f"{split_s:.3f}",
                f"{parse_s:.2f}",
                f"{per_entry * 1e6:,.0f}",
                f"{per_entry / base:.2f}",
            ]
        )
    return Table(
        "split: long numbered lists",
        ["entries", "records", "numbers right", "split s", "parse s", "parse µs/entry", "ratio"],
        rows,
        [
            "`1. Author A. Title n. J Test. 2001;1:1-2.` for n = 1 … entries, one per line; "
            f"split: split_references, parse: parse_list (split and parse), best of {runs}, "
            "one core.",
            f"ratio: parse time per entry against the {LONG_SIZES[0]:,}-entry list's — about "
            "1.00 when the time is linear in the number of entries. records and numbers right "
            "equal entries when no entry is merged (numbers of any length, issue 18).",
        ],
    )


def _pool(paths: list[Path]) -> list[str]:
    seen: set[str] = set()
    pool = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            text = " ".join(str(json.loads(line)["text"]).split())
            if (
                30 <= len(text) <= 400
                and _YEAR.search(text)
                and not _LABELLED.match(text)
                and not _MARKUP.search(text)
                and text not in seen
            ):
                seen.add(text)
                pool.append(text)
    return pool


def _measure(name: str, pasted: list[Pasted], runs: int) -> list[object]:
    best = float("inf")
    chunks_per_list = []
    for _ in range(runs):
        started = time.perf_counter()
        chunks_per_list = [split_references(p.text) for p in pasted]
        best = min(best, time.perf_counter() - started)
    predicted = found = true = exact = 0
    for p, chunks in zip(pasted, chunks_per_list, strict=True):
        starts = _predicted_starts(p.text, [c.text for c in chunks])
        truth = dict(zip(p.starts, p.references, strict=True))
        predicted += len(starts)
        true += len(truth)
        for at, chunk in starts.items():
            if at in truth:
                found += 1
                exact += _normal(join_lines(chunk.split("\n"))) == _normal(truth[at])
    count = sum(len(p.references) for p in pasted)
    return [
        name,
        count,
        _rate(found, predicted),
        _rate(found, true),
        _rate(exact, true),
        f"{count / best:,.0f}" if best > 0 else "∞",
    ]


def _predicted_starts(text: str, chunks: list[str]) -> dict[int, str]:
    """Where each chunk starts in the pasted text (its first line found after the last)."""
    starts = {}
    cursor = 0
    for chunk in chunks:
        first = chunk.split("\n", 1)[0]
        at = text.find(first, cursor)
        if at >= 0:
            starts[at] = chunk
            cursor = at + len(first)
    return starts


def _normal(text: str) -> str:
    return " ".join(text.split())


def _rate(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


# --- renderings -------------------------------------------------------------------------


def _join(blocks: list[list[str]], separator: str = "\n") -> Pasted:
    """Blocks of lines (one block per reference) → text, with each block's start offset."""
    text = ""
    starts = []
    for i, block in enumerate(blocks):
        if i:
            text += separator
        starts.append(len(text) + len(block[0]) - len(block[0].lstrip()))
        text += "\n".join(block)
    return Pasted(text, starts, [])


def _with(pasted: Pasted, references: list[str]) -> Pasted:
    return Pasted(pasted.text, pasted.starts, references)


def one_per_line(refs: list[str], rng: random.Random) -> Pasted:
    return _with(_join([[r] for r in refs]), refs)


def hanging_indent(refs: list[str], rng: random.Random) -> Pasted:
    width, indent = rng.randint(70, 90), " " * rng.choice((2, 4))
    blocks = [textwrap.wrap(r, width, subsequent_indent=indent, break_on_hyphens=False)
              for r in refs]  # fmt: skip
    return _with(_join(blocks), refs)


def flush_left(refs: list[str], rng: random.Random) -> Pasted:
    width = rng.randint(70, 90)
    return _with(_join([textwrap.wrap(r, width, break_on_hyphens=False) for r in refs]), refs)


def hyphenated(refs: list[str], rng: random.Random) -> Pasted:
    width = rng.randint(70, 90)
    return _with(_join([_hyphen_wrap(r, width, rng) for r in refs]), refs)


def run_together(refs: list[str], rng: random.Random) -> Pasted:
    label = rng.choice(("{}.", "[{}]"))
    text = ""
    starts = []
    for i, ref in enumerate(refs, 1):
        text += (" " if i > 1 else "") + label.format(i) + " "
        starts.append(len(text))
        text += ref
    return Pasted(text, starts, refs)


def blank_lines(refs: list[str], rng: random.Random) -> Pasted:
    width = rng.randint(70, 90)
    blocks = [textwrap.wrap(r, width, break_on_hyphens=False) for r in refs]
    return _with(_join(blocks, "\n\n"), refs)


def proportional(refs: list[str], rng: random.Random) -> Pasted:
    width = rng.randint(70, 90) * 500  # Helvetica's average glyph is ~500/1000 em
    return _with(_join([_glyph_wrap(r, width) for r in refs]), refs)


# Helvetica's advance widths (1/1000 em, from its AFM); other characters 556.
_GLYPHS = {
    **dict(zip("abcdefghijklmnopqrstuvwxyz", (
        556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556,
        333, 500, 278, 556, 500, 722, 500, 500, 500), strict=True)),
    **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (
        667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778,
        722, 667, 611, 722, 667, 944, 667, 667, 611), strict=True)),
    **dict.fromkeys("0123456789", 556),
    " ": 278, ".": 278, ",": 278, ":": 278, ";": 278, "-": 333, "(": 333, ")": 333,
    "/": 278, "&": 667, "'": 191, '"': 355,
}  # fmt: skip


def _glyph_wrap(text: str, width: int) -> list[str]:
    """Greedy wrapping by glyph widths: a word goes on the line while the line fits."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        longer = f"{line} {word}" if line else word
        if not line or sum(_GLYPHS.get(c, 556) for c in longer) <= width:
            line = longer
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def _hyphen_wrap(text: str, width: int, rng: random.Random) -> list[str]:
    """Greedy wrapping that hyphenates a word that does not fit (or breaks at its hyphen)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if not line or len(line) + 1 + len(word) <= width:
            line = f"{line} {word}" if line else word
            continue
        room = width - len(line) - 2  # a space and the hyphen
        letters = re.match(r"[^\W\d_]+", word)
        if "-" in word[1:-1] and word.index("-") + 1 <= room + 1:
            cut = word.index("-") + 1  # break at an existing hyphen
            lines.append(f"{line} {word[:cut]}")
            line = word[cut:]
        elif letters and letters.end() >= 6 and room >= 2 and word[:2].islower():
            cut = rng.randint(2, min(room, letters.end() - 3))
            lines.append(f"{line} {word[:cut]}-")
            line = word[cut:]
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


FORMS: list[tuple[str, Render]] = [
    ("(a) one per line", one_per_line),
    ("(b) wrapped, hanging indent", hanging_indent),
    ("(c) wrapped, flush left", flush_left),
    ("(d) wrapped, hyphenated", hyphenated),
    ("(e) numbered, run together", run_together),
    ("(f) blank-line separated", blank_lines),
    ("(g) wrapped, proportional font", proportional),
]


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)
