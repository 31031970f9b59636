"""Fit the matcher's calibrated confidence on labelled data (offline; not on the runtime path).

    python -m refs.training.matcher --shared ../shared [--index bench-out/eval-index.sqlite]

Builds (once) an evaluation index from ../shared/data/crossref/works.jsonl.gz without
the records the matching set marks absent, then, for the training half of the
labelled references (a fixed hash split; the other half is for `make bench`), searches
candidates, computes the feature vectors and fits a logistic model: the probability
that a candidate is the cited work. The acceptance threshold is the lowest
probability at which the training half's accepted matches stay ≥ 99.7% precise.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from refs.parse import parse_reference
from refs.resolve import candidate_features, search_text, title_matrix
from refs.resolve.match import FEATURES, Model, probability
from refs.resolve.source import Query
from refs.sources.index_build import build_index
from refs.sources.sqlite_index import SqliteIndex

ROWS = 8
OUT = Path(__file__).resolve().parent.parent / "data" / "matcher.json"


def is_training(row_id: str) -> bool:
    """The fixed split: half the labelled rows train, the other half evaluate."""
    return hashlib.sha256(row_id.encode()).digest()[0] % 2 == 0


def eval_index(shared: Path, path: Path) -> SqliteIndex:
    """The evaluation index: all shared records but those the matching set marks absent."""
    if path.exists():
        return SqliteIndex(path)
    excluded = set(
        (shared / "data/matching/synthetic-dev-exclude-from-index.txt").read_text().split()
    )
    tmp = path.with_suffix(".jsonl.gz")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    with (
        gzip.open(shared / "data/crossref/works.jsonl.gz", "rt", encoding="utf-8") as src,
        gzip.open(tmp, "wt", encoding="utf-8") as dst,
    ):
        for line in src:
            if json.loads(line)["DOI"].lower() not in excluded:
                dst.write(line)
    index = SqliteIndex(path.with_suffix(".partial"), create=True)
    build_index(index, [str(tmp)])
    index.close()
    path.with_suffix(".partial").rename(path)
    tmp.unlink()
    return SqliteIndex(path)


def labelled(shared: Path) -> Iterator[tuple[str, str, str | None]]:
    """(row id, reference string, gold DOI or None) for synthetic and real strings."""
    for line in (shared / "data/matching/synthetic-dev.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        yield row["id"], row["text"], row["gold_doi"]
    for n, line in enumerate(
        (shared / "data/matching/real_reference_strings_gold.jsonl").open(encoding="utf-8")
    ):
        row = json.loads(line)
        yield f"real-{n}", row["ref_string"], None  # none of these works is in the index


def examples(index: SqliteIndex, text: str, gold: str | None) -> list[tuple[list[float], int]]:
    parsed = parse_reference(text)
    ref = replace(parsed, item=replace(parsed.item, DOI=None))
    query = search_text(ref.item)
    hits = index.search(Query(query, ROWS)) if query.strip() else []
    if not hits:
        return []
    works = [c.work for c in hits]
    rows = candidate_features(ref, works, title_matrix([ref], [works])[0])
    return [
        (vector, int(gold is not None and work.DOI.lower() == gold)) for work, _, vector in rows
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m refs.training.matcher", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--index", type=Path, default=Path("bench-out/eval-index.sqlite"))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not (args.shared / "data/matching").is_dir():
        print(f"train: {args.shared}/data/matching not found", file=sys.stderr)
        return 2
    index = eval_index(args.shared, args.index)
    vectors: list[list[float]] = []
    labels: list[int] = []
    groups: list[list[tuple[list[float], int]]] = []  # each row's candidates
    for row_id, text, gold in labelled(args.shared):
        if not is_training(row_id):
            continue
        found = examples(index, text, gold)
        for vector, label in found:
            vectors.append(vector)
            labels.append(label)
        if found:
            groups.append(found)
    weights = fit_logistic(vectors, labels)
    # The threshold is about accepted matches: each row's best candidate only.
    model_now = Model(tuple(weights), 0.5, 0.15)
    top = [max(group, key=lambda vy: probability(model_now, vy[0])) for group in groups]
    threshold = choose_threshold(weights, top)
    model: dict[str, Any] = {
        "features": list(FEATURES),
        "weights": [round(w, 6) for w in weights],
        "threshold": threshold,
        "ambiguity_margin": 0.15,
        "fitted_on": {
            "candidates": len(vectors),
            "positives": sum(labels),
            "rows": "training half of synthetic-dev + real strings",
        },
    }
    args.out.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    print(
        f"train: {len(vectors)} candidates, {sum(labels)} right; threshold {threshold}; wrote {args.out}"
    )
    return 0


def choose_threshold(
    weights: list[float], rows: list[tuple[list[float], int]], target: float = 0.997
) -> float:
    model = Model(tuple(weights), 0.5, 0.15)
    scored = sorted(((probability(model, v), y) for v, y in rows), reverse=True)
    right = wrong = 0
    best = 0.99
    for p, y in scored:
        right += y
        wrong += 1 - y
        if right and right / (right + wrong) >= target:
            best = p
    return round(max(best, 0.5), 4)


def fit_logistic(
    rows: Sequence[Sequence[float]], labels: Sequence[int], l2: float = 1.0, steps: int = 50
) -> list[float]:
    """Logistic regression by Newton's method with an L2 penalty (few features, pure Python)."""
    n = len(rows[0])
    w = [0.0] * n
    for _ in range(steps):
        grad = [l2 * wi for wi in w]
        hess = [[(l2 if i == j else 0.0) for j in range(n)] for i in range(n)]
        for x, y in zip(rows, labels, strict=True):
            z = sum(wi * xi for wi, xi in zip(w, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))
            g = p - y
            s = p * (1 - p)
            for i in range(n):
                if x[i]:
                    grad[i] += g * x[i]
                    for j in range(n):
                        if x[j]:
                            hess[i][j] += s * x[i] * x[j]
        step = _solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the Hessian is small and positive definite)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


if __name__ == "__main__":
    raise SystemExit(main())
