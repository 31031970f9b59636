"""Scoring a candidate work against a reference: features, and a calibrated probability.

The probability comes from a logistic model fitted on labelled data
(`python -m refs.resolve.train`, written to `refs/data/matcher.json`); the
features are the field rules' outcomes plus title similarity and how far the
candidate stands above the runner-up.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from refs.compare.fields import ABSENT, AGREE, COSMETIC, LOST_CHARS, MISSING, Check

FIELDS = ("author", "issued", "container-title", "volume", "issue", "page")
FEATURES = (
    "bias",
    "title_sim",
    "title_missing",
    *(f"{f}_{s}" for f in FIELDS for s in ("agree", "differ")),
    "year_off_by_one",
    "margin",
    "title_exact",
    "agreements",
    "untitled_agreements",
)


@dataclass(frozen=True, slots=True)
class Model:
    weights: tuple[float, ...]
    threshold: float  # accept at or above: chosen on training data for precision
    ambiguity_margin: float  # abstain when the runner-up is this close


def features(
    checks: Sequence[Check], title_sim: float, margin: float, year_gap: int | None
) -> list[float]:
    """The feature vector of one (reference, candidate) pair, in FEATURES order."""
    by_field = {c.field: c.outcome for c in checks}
    title = by_field.get("title", ABSENT)
    vector = [
        1.0,
        title_sim / 100.0 if title not in (ABSENT, MISSING) else 0.0,
        float(title == MISSING),
    ]
    for field in FIELDS:
        outcome = by_field.get(field, ABSENT)
        vector.append(float(outcome in (AGREE, COSMETIC, LOST_CHARS)))
        vector.append(float(outcome not in (AGREE, COSMETIC, LOST_CHARS, ABSENT)))
    vector.append(float(year_gap == 1))
    vector.append(max(min(margin, 50.0), 0.0) / 50.0)
    vector.append(float(title not in (ABSENT, MISSING) and title_sim >= 97))
    # How many independent fields vouch for the candidate: sparse records have few.
    agreements = sum(by_field.get(f) in (AGREE, COSMETIC, LOST_CHARS) for f in FIELDS) / len(FIELDS)
    vector.append(agreements)
    # Without a title, agreement of the other fields is all the evidence there is.
    vector.append(agreements if title in (ABSENT, MISSING) or title_sim < 50 else 0.0)
    return vector


def probability(model: Model, vector: Sequence[float]) -> float:
    z = sum(w * x for w, x in zip(model.weights, vector, strict=True))
    return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


@lru_cache(maxsize=1)
def load_model() -> Model:
    data = json.loads(
        (resources.files("refs") / "data" / "matcher.json").read_text(encoding="utf-8")
    )
    if tuple(data["features"]) != FEATURES:
        raise RuntimeError(
            "refs/data/matcher.json was fitted on other features: run `make train-matcher`"
        )
    return Model(
        tuple(float(w) for w in data["weights"]),
        float(data["threshold"]),
        float(data["ambiguity_margin"]),
    )


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
