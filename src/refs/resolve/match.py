"""Scoring a candidate work against a reference: features, and a calibrated probability.

The probability comes from a logistic model fitted on labelled data
(`python -m refs.training.matcher`, written to `refs/data/matcher.json`); the
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
