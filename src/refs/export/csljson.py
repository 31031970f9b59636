"""`Reference`s → CSL-JSON: a pretty array of items, valid against the CSL data schema."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from refs.export.keys import cite_keys
from refs.model import Reference

__all__ = ["CSL_TYPES", "to_csl_json"]

# The `type` enum of the CSL data schema (csl-data.json, CSL 1.0.2).
CSL_TYPES = frozenset(
    {
        "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
        "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
        "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
        "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
        "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
        "personal_communication", "post", "post-weblog", "regulation", "report", "review",
        "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
    }
)  # fmt: skip


def to_csl_json(refs: Sequence[Reference]) -> str:
    """A JSON array of CSL items, `id` from `cite_keys`, UTF-8 kept, indented by 2."""
    items = [_csl(ref, key) for ref, key in zip(refs, cite_keys(refs), strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _csl(ref: Reference, key: str) -> dict[str, Any]:
    data = ref.item.to_csl(key)
    # A type from the input that CSL does not know would fail validation.
    if data["type"] not in CSL_TYPES:
        data["type"] = "document"
    return data
