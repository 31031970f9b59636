"""Train the reference tagger from the labelled strings in ../shared (offline dev tool).

    python -m refs.training.parser --shared ../shared \\
        --out src/refs/parse/learned/model.crfsuite --seed 13

Reads `data/parsing/anystyle.jsonl` and `grobid.jsonl` (see that folder's README for
licences and label conventions), deduplicates the texts, holds out 10% of them by the
seed (never trained on; their ids are written to `split.json` beside the model so the
benchmark scores the same strings), maps both projects' spans onto one convention and
trains a linear-chain CRF (python-crfsuite, L-BFGS, deterministic for a given input).
`--dev` trains on 90% of the training part instead and prints scores on the other 10%,
for tuning without looking at the held-out set.

Span convention used here (applied to both corpora): a field is its core text. Leading
and trailing punctuation and markup, and cue words such as `pp.`, `Vol.`, `No.`,
`In:`, `(eds.)`, `doi:` or `Available at` are left outside it, as GROBID does; tokens
outside every field are labelled `O` (separators). AnyStyle's volume spans, which hold
the issue too (`10(2)`, `vol. 3, no. 2`, `1998;8:`), are split into volume, issue, date
and pages. Labels outside the parser's set map to it:
`collection-title`, `genre` and `identifier` → `note`. Where the two projects disagree the
convention is one for both: an edition statement tagged as a note (GROBID has no edition
label: `2nd ed.`) is an edition; a note that is only a lead-in (`Retrieved from`,
`Available at:`, `In:`, which GROBID leaves untagged) is outside every field; a reference
number before the reference (`[12]`, `12.`) is `other` (AnyStyle's citation number; GROBID
leaves it untagged, AnyStyle sometimes tags it as a note).

Not imported by the runtime parser (`refs.parse.learned`).
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refs.parse.learned.crf import (
    LABELS,
    MODEL_PATH,
    OUTSIDE,
    Field,
    book_title,
    core_span,
    fields_of,
    lexicon_path,
    model_info,
    read_lexicon,
    write_lexicon,
)
from refs.parse.learned.features import (
    FEATURES_VERSION,
    LEXICON_LABELS,
    Lexicon,
    featurize,
    lexicon_key,
)
from refs.parse.learned.tokens import Token, tokenize

FILES = ("anystyle.jsonl", "grobid.jsonl")
HELDOUT_SHARE = 0.10
DEFAULT_SEED = 13
# L-BFGS settings, chosen with --dev on the training part (never the held-out set): a
# stronger L1 (c1 0.2 → 1.0) scored better there on this noisy data and gives a sparser,
# faster model; c1 0.05, 0.5 and 2.0 scored lower. 200 iterations: 100 stopped short of
# convergence (dev whole-reference exact 0.617 → 0.633).
PARAMS: dict[str, float | int | bool] = {
    "c1": 1.0,
    "c2": 0.01,
    "max_iterations": 200,
    "feature.possible_transitions": True,
    "feature.minfreq": 3,
}

_MAP = {"collection-title": "note", "genre": "note", "identifier": "note"}

_VOL = r"(?:(?:vol(?:ume)?|v|t|bd|band|т)\.?\s*)?(?P<vol>[\w./-]*\w)"
_ISS = r"(?:\(\s*(?P<iss1>[^()]*\w)\s*\)|[,;]?\s*(?:no|n|nr|num|issue|heft|h|№|n°)\.?\s*(?P<iss2>[\w/-]*\w))"
_PAGES = r"(?:\s*[:,]\s*(?:pp?\.\s*)?(?P<pages>\w+(?:\s*[-–—]\s*\w+)?))?"
_VOL_ISSUE = re.compile(rf"^\W*{_VOL}\s*{_ISS}{_PAGES}\W*$", re.IGNORECASE)
_YEAR_VOL = re.compile(
    r"^\W*(?P<year>(?:1[5-9]|20)\d\d)\s*;\s*(?P<vol>\w+)\s*(?:\((?P<iss1>[^()]*\w)\s*\))?"
    + _PAGES
    + r"\W*$"
)
_ISSUE_ONLY = re.compile(r"^\W*(?:no|n|nr|num|issue|heft|№|n°)\.\s*(?P<iss2>[\w/-]*\w)\W*$", re.I)
_MARKUP = re.compile(r"</?[A-Za-z][^<>]{0,80}>")
# An edition statement (`2nd ed.`, `second edition`, `3. Aufl.`): GROBID has no edition label
# and tags these as notes; AnyStyle tags them as editions.
_EDITION = re.compile(
    r"^\W*(?:\d+\s*(?:st|nd|rd|th|e|er|ème|ª|\.)?|first|second|third|fourth|fifth|sixth|"
    r"seventh|eighth|ninth|tenth|revised|rev\.?|new|expanded|enlarged|updated)\b.{0,30}"
    r"\b(?:ed|edn|edition|éd|édition|aufl|auflage|ausgabe)\W*$",
    re.IGNORECASE,
)
# Words of a lead-in to a link or a container (`Retrieved from`, `Available at:`, `In:`):
# GROBID leaves these untagged, AnyStyle sometimes tags them as a note (or genre) alone.
_CUE_ONLY = frozenset({
    "url", "available", "at", "from", "online", "retrieved", "retirado", "recuperado", "de",
    "disponible", "disponível", "sur", "en", "em", "unter", "internet", "web", "in", "dans",
    "im", "ligne", "accessed",
})  # fmt: skip
_WORDS = re.compile(r"[^\W_]+")
# A reference number before the reference (`[12]`, `12.`, `(12)`): AnyStyle tags it as a
# citation number (→ other), sometimes as a note; GROBID leaves it untagged.
_MARKER = re.compile(r"\s*(?:\[(?P<a>\d{1,4})\]|(?P<b>\d{1,4})\.(?=\s)|\((?P<c>\d{1,3})\))")


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled string: its id (`file:line`), text, tokens, the label per token the tagger
    is trained on (`O` for separators and cue words) and the gold fields (runs of one label)."""

    id: str
    source: str
    text: str
    tokens: tuple[Token, ...]
    labels: tuple[str, ...]
    gold: tuple[Field, ...]


# --- reading and converting the labelled data -------------------------------------------------


def dedup_key(text: str) -> str:
    return " ".join(text.split())


def _rows(shared: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(`file:line`, row) for every labelled string of both files, in file order."""
    folder = shared / "data" / "parsing"
    for name in FILES:
        with (folder / name).open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield f"{name}:{number}", json.loads(line)


def _convert_row(ident: str, row: dict[str, Any]) -> Example:
    return convert(ident, row["source"], row["text"], row["spans"])


def load_examples(shared: Path) -> list[Example]:
    """Every labelled string, deduplicated by text (the first occurrence is kept)."""
    seen: set[str] = set()
    out: list[Example] = []
    for ident, row in _rows(shared):
        key = dedup_key(row["text"])
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(_convert_row(ident, row))
    return out


def corpus_agreement(shared: Path) -> Score:
    """AnyStyle's fields scored against GROBID's on the texts both projects labelled.

    Both are converted to the common convention first, so what disagrees is how two teams
    of annotators read the same string: a ceiling for any parser scored on their labels.
    """
    first: dict[str, Example] = {}
    score = Score.empty()
    for ident, row in _rows(shared):
        example = _convert_row(ident, row)
        other = first.setdefault(dedup_key(row["text"]), example)
        if other is not example and other.id.split(":")[0] != ident.split(":")[0]:
            score.add(keyed(example.text, example.gold), keyed(other.text, other.gold))
    return score


def data_digest(shared: Path) -> dict[str, str]:
    folder = shared / "data" / "parsing"
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest()[:16] for n in FILES}


def convert(ident: str, source: str, text: str, spans: Iterable[Sequence[object]]) -> Example:
    """Spans → one label per token, in the common convention (see the module docstring)."""
    refined: list[tuple[int, int, str]] = []
    for span in spans:
        start, end, label = int(str(span[0])), int(str(span[1])), str(span[2])
        label = _MAP.get(label, label)
        if label == "note":
            words = _WORDS.findall(text[start:end].lower())
            if words and all(w in _CUE_ONLY for w in words):
                continue  # a cue, outside every field
            if _EDITION.match(text[start:end]):
                label = "edition"
        if label not in LABELS:
            label = "other"
        if source.startswith("anystyle") and label == "volume":
            refined += _split_volume(text, start, end)
        else:
            refined.append((start, end, label))
    marker = _MARKER.match(text)
    if marker:
        number = next(g for g in ("a", "b", "c") if marker.group(g))
        first, last = marker.start(number), marker.end(number)
        covering = [r for r in refined if r[0] < last and r[1] > first]
        if not covering or all(r[2] == "note" and r[1] <= marker.end() for r in covering):
            refined = [r for r in refined if r not in covering] + [(first, last, "other")]
    refined.sort()
    starts = [s for s, _, _ in refined]
    tokens = tokenize(text)
    owner: list[int] = []
    for token in tokens:
        k = bisect.bisect_right(starts, token.start) - 1
        owner.append(k if k >= 0 and token.start < refined[k][1] else -1)
    labels = [OUTSIDE] * len(tokens)
    i = 0
    while i < len(tokens):
        k = owner[i]
        j = i
        while j < len(tokens) and owner[j] == k:
            j += 1
        if k >= 0:
            label = refined[k][2]
            a, b = core_span(tokens, i, j, label)
            labels[a:b] = [label] * (b - a)
        i = j
    gold = tuple(
        Field(label, tokens[a].start, tokens[b - 1].end)
        for label, a, b in _runs(labels)
        if label != OUTSIDE
    )
    return Example(ident, source, text, tuple(tokens), tuple(labels), gold)


def _runs(labels: Sequence[str]) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    for k, label in enumerate(labels):
        if out and out[-1][0] == label and out[-1][2] == k:
            out[-1] = (label, out[-1][1], k + 1)
        else:
            out.append((label, k, k + 1))
    return out


def _split_volume(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    piece = text[start:end]
    for pattern in (_YEAR_VOL, _VOL_ISSUE, _ISSUE_ONLY):
        match = pattern.match(piece)
        if match is None:
            continue
        parts: list[tuple[int, int, str]] = []
        for group, label in (
            ("year", "date"),
            ("vol", "volume"),
            ("iss1", "issue"),
            ("iss2", "issue"),
            ("pages", "pages"),
        ):
            if group in pattern.groupindex and match.group(group):
                parts.append((start + match.start(group), start + match.end(group), label))
        return parts
    scanned = _scan_volume(piece)
    if scanned:
        return [(start + a, start + b, label) for a, b, label in scanned]
    return [(start, end, "volume")]


# The shapes the patterns above miss (`83, 1,`, `38:6:`, `n°68.`, `fasc. 34,`, `Tome 26,
# numéro 4,`, `Vol. 41, No. 2, Part 1, Mai,`, `23(1984)1,`) are read number by number: a
# number after a volume or issue cue is that; a year is the date; otherwise the first
# number is the volume, a number in brackets or the second one the issue, a third the
# pages; a year beside other numbers is the date. A span with any other word (`Special Paper 307`, `2 vols.`) stays one volume.
_VOLUME_CUES = frozenset({"vol", "volume", "v", "t", "tome", "tom", "bd", "band", "jg", "т"})
_ISSUE_CUES = frozenset({
    "no", "n", "nr", "num", "number", "numéro", "numero", "nº", "issue", "heft", "h", "fasc",
    "fascicule", "cahier", "№", "вып", "iss",
})  # fmt: skip
_PART_CUES = frozenset({"pt", "part", "partie", "teil", "suppl", "supplement"})
_MONTHS = frozenset({
    "jan", "january", "janvier", "januar", "feb", "february", "février", "februar", "mar",
    "march", "mars", "märz", "apr", "april", "avril", "may", "mai", "jun", "june", "juin",
    "juni", "jul", "july", "juillet", "juli", "aug", "august", "août", "sep", "sept",
    "september", "septembre", "oct", "october", "octobre", "oktober", "nov", "november",
    "novembre", "dec", "december", "décembre", "dezember", "spring", "summer", "autumn",
    "fall", "winter",
})  # fmt: skip
_PIECE = re.compile(
    r"(?P<tag></?[A-Za-z]+>)|(?P<num>\d+(?:[-–/+]\d+)*)|(?P<word>[^\W\d_]+°?)|(?P<punct>\S)"
)
_ROMAN_NUMBER = re.compile(r"^[IVXLC]+$")


def _scan_volume(piece: str) -> list[tuple[int, int, str]] | None:
    parts: list[tuple[int, int, str]] = []
    cue: str | None = None
    depth = 0
    have: set[str] = set()
    numbers = sum(1 for m in _PIECE.finditer(piece) if m.lastgroup == "num")
    for match in _PIECE.finditer(piece):
        kind, value = match.lastgroup, match.group()
        if kind == "tag":
            continue
        if kind == "punct":
            depth += value == "("
            depth -= value == ")" and depth > 0
            continue
        low = value.lower().rstrip("°")
        if kind == "word" and not _ROMAN_NUMBER.match(value):
            if low in _VOLUME_CUES:
                cue = "volume"
            elif low in _ISSUE_CUES:
                cue = "issue"
            elif low in _PART_CUES:
                cue = "part"
            elif low not in _MONTHS:
                return None
            continue
        if cue == "part":
            label = ""  # `Pt. 2`: outside every field
        elif cue is None and kind == "num" and _YEAR_NUMBER.match(value) and numbers > 1:
            label = "date"  # `no. 1, 2010`, `23(1984)1`, `Feb 2011;25(2)`
        elif cue is not None:
            label = cue
        elif depth and "volume" in have and "issue" not in have:
            label = "issue"
        else:
            label = next((x for x in ("volume", "issue", "pages") if x not in have), "")
        cue = None
        if label:
            if label in have:
                return None  # two volumes: not a shape this reads
            have.add(label)
            parts.append((match.start(), match.end(), label))
    return parts or None


_YEAR_NUMBER = re.compile(r"^(?:1[5-9]|20)\d\d$")


# --- split -----------------------------------------------------------------------------------


def split(examples: Sequence[Example], seed: int) -> tuple[list[Example], list[Example]]:
    """(train, held-out): a seeded shuffle of the deduplicated texts, the first 10% held out."""
    order = sorted(examples, key=lambda e: dedup_key(e.text))
    random.Random(seed).shuffle(order)
    cut = round(len(order) * HELDOUT_SHARE)
    heldout = sorted(order[:cut], key=lambda e: e.id)
    train = sorted(order[cut:], key=lambda e: e.id)
    return train, heldout


def read_split(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def heldout_examples(shared: Path, split_file: Path) -> tuple[list[Example], list[str]]:
    """The held-out strings named in `split_file`, and warnings if the data changed since."""
    info = read_split(split_file)
    wanted = set(map(str, info["heldout"])) if isinstance(info["heldout"], list) else set()
    examples = [e for e in load_examples(shared) if e.id in wanted]
    warnings = []
    if info.get("data") != data_digest(shared):
        warnings.append("the labelled data changed since the model was trained")
    if len(examples) != len(wanted):
        warnings.append(f"{len(wanted) - len(examples)} held-out ids not found in the data")
    return examples, warnings


# --- scoring (shared with benchmarks/learned_bench.py) ---------------------------------------


def field_key(text: str) -> str:
    """A field's text for comparison: markup dropped, letters and digits only, case-folded."""
    return "".join(c for c in _MARKUP.sub("", text).casefold() if c.isalnum())


@dataclass
class Score:
    """Field-level counts per label and whole-reference matches."""

    tp: Counter[str]
    predicted: Counter[str]
    gold: Counter[str]
    whole: int = 0
    references: int = 0
    tokens_right: int = 0
    tokens: int = 0

    @classmethod
    def empty(cls) -> Score:
        return cls(Counter(), Counter(), Counter())

    def add(self, gold: Sequence[tuple[str, str]], predicted: Sequence[tuple[str, str]]) -> None:
        """One reference's fields, each (label, field_key(text))."""
        g, p = Counter(gold), Counter(predicted)
        for (label, _), count in (g & p).items():
            self.tp[label] += count
        for (label, _), count in p.items():
            self.predicted[label] += count
        for (label, _), count in g.items():
            self.gold[label] += count
        self.whole += g == p
        self.references += 1

    def prf(self, label: str) -> tuple[float, float, float]:
        tp, pred, gold = self.tp[label], self.predicted[label], self.gold[label]
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def labels(self) -> list[str]:
        return [label for label in LABELS if self.gold[label]]

    def macro_f1(self) -> float:
        labels = self.labels()
        return sum(self.prf(label)[2] for label in labels) / len(labels) if labels else 0.0

    def micro(self) -> tuple[float, float, float]:
        tp, pred, gold = (
            sum(self.tp.values()),
            sum(self.predicted.values()),
            sum(self.gold.values()),
        )
        p, r = (tp / pred if pred else 0.0), (tp / gold if gold else 0.0)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def keyed(text: str, fields: Iterable[Field]) -> list[tuple[str, str]]:
    out = []
    for label, start, end in fields:
        key = field_key(text[start:end])
        if key:
            out.append((label, key))
    return out


# --- the lexicon of known fields ---------------------------------------------------------------

LEXICON_FOLDS = 5
LEXICON_SHARE = 0.2  # a label is kept for a key when it has at least this share of its uses


def build_lexicon(examples: Iterable[Example]) -> dict[str, str]:
    """Journal, publisher and place fields of `examples`, keyed as the tagger looks them up."""
    counts: dict[str, Counter[str]] = {}
    for example in examples:
        for label, a, b in _runs(example.labels):
            code = LEXICON_LABELS.get(label)
            if code is not None:
                key = lexicon_key([t.text for t in example.tokens[a:b]])
                counts.setdefault(key, Counter())[code] += 1
    out: dict[str, str] = {}
    for key, seen in counts.items():
        total = sum(seen.values())
        codes = "".join(sorted(c for c, k in seen.items() if k >= LEXICON_SHARE * total))
        if codes:
            out[key] = codes
    return out


def fold_lexicons(examples: Sequence[Example]) -> list[Lexicon]:
    """For each example, the lexicon built from the other folds of `examples`.

    Training on features from a lexicon that holds the example's own fields would teach the
    tagger to trust the lexicon blindly (it always knows the answer there); built from the
    other folds, it knows the training fields about as often as it will know new ones.
    """
    fold = [int(hashlib.sha256(e.id.encode()).hexdigest(), 16) % LEXICON_FOLDS for e in examples]
    lexicons = [
        Lexicon(build_lexicon(e for e, f in zip(examples, fold, strict=True) if f != k))
        for k in range(LEXICON_FOLDS)
    ]
    return [lexicons[f] for f in fold]


# --- training --------------------------------------------------------------------------------


def train(examples: Sequence[Example], out: Path, params: dict[str, float | int | bool]) -> None:
    """Train the CRF on `examples` into `out`, and write the lexicon of their fields beside it."""
    import pycrfsuite  # the runtime needs only the tagger; training is a dev step

    trainer = pycrfsuite.Trainer(verbose=False)
    for example, lexicon in zip(examples, fold_lexicons(examples), strict=True):
        trainer.append(featurize(example.tokens, lexicon), list(example.labels))
    trainer.select("lbfgs")
    trainer.set_params(params)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    trainer.train(str(tmp))
    tmp.replace(out)
    write_lexicon(lexicon_path(out), build_lexicon(examples))


def evaluate(model: Path, examples: Sequence[Example]) -> Score:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    lexicon = read_lexicon(lexicon_path(model))
    score = Score.empty()
    try:
        for example in examples:
            predicted = tuple(book_title(tagger.tag(featurize(example.tokens, lexicon))))
            score.tokens += len(predicted)
            score.tokens_right += sum(
                a == b for a, b in zip(predicted, example.labels, strict=True)
            )
            score.add(
                keyed(example.text, example.gold),
                keyed(example.text, fields_of(example.tokens, predicted)),
            )
    finally:
        tagger.close()
    return score


def report(score: Score) -> str:
    lines = [f"{'label':16} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
    for label in score.labels():
        p, r, f = score.prf(label)
        lines.append(f"{label:16} {p:6.3f} {r:6.3f} {f:6.3f} {score.gold[label]:6d}")
    mp, mr, mf = score.micro()
    lines += [
        f"macro F1 {score.macro_f1():.3f}; micro P/R/F1 {mp:.3f}/{mr:.3f}/{mf:.3f}",
        f"whole reference {score.whole}/{score.references} = "
        f"{score.whole / max(score.references, 1):.3f}; "
        f"token accuracy {score.tokens_right / max(score.tokens, 1):.3f}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m refs.training.parser", description=__doc__.split("\n")[0])  # fmt: skip
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--dev", action="store_true", help="train on 90%% of the training part, score the rest")  # fmt: skip
    parser.add_argument("--c1", type=float, default=PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=PARAMS["c2"])
    parser.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    parser.add_argument("--minfreq", type=float, default=PARAMS["feature.minfreq"])
    args = parser.parse_args(argv)
    folder = args.shared / "data" / "parsing"
    if not all((folder / name).is_file() for name in FILES):
        print(f"error: {folder} does not hold {' and '.join(FILES)}", file=sys.stderr)
        return 2
    params = {**PARAMS, "c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
              "feature.minfreq": args.minfreq}  # fmt: skip
    started = time.perf_counter()
    examples = load_examples(args.shared)
    train_part, heldout = split(examples, args.seed)
    labels = Counter(label for e in train_part for label in e.labels)
    print(f"{len(examples)} distinct strings: {len(train_part)} to train, {len(heldout)} held out "
          f"(seed {args.seed}); token labels {dict(labels.most_common())}")  # fmt: skip
    if args.dev:
        fit, dev = split(train_part, args.seed + 1)
        out = args.out.with_name("dev-" + args.out.name)
        train(fit, out, params)
        print(f"trained on {len(fit)} in {time.perf_counter() - started:.0f} s; dev {len(dev)}:")
        print(report(evaluate(out, dev)))
        print(f"dev model left at {out}")
        return 0
    train(train_part, args.out, params)
    split_file = args.out.with_name("split.json")
    split_file.write_text(
        json.dumps(
            {
                "seed": args.seed,
                "features_version": FEATURES_VERSION,
                "params": params,
                "data": data_digest(args.shared),
                "train_count": len(train_part),
                "heldout_count": len(heldout),
                "heldout": [e.id for e in heldout],
            },
            indent=0,
        )
        + "\n",
        encoding="utf-8",
    )
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.2f} MB; {model_info(args.out)}) and {split_file} "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
