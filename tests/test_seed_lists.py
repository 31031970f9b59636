"""The seed lists parse to the hand-written expected fields (tests/data/expected)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from refs.model import Reference
from refs.parse import parse_list

ROOT = Path(__file__).resolve().parent.parent
LISTS = {
    "hal": ROOT / "refs" / "hal-ovarian-cancer.txt",
    "medsci": ROOT / "refs" / "medsci-2014-microenvironment.txt",
}
FIELDS = ("author", "et_al", "title", "container-title", "volume", "issue", "page", "year",
          "DOI", "doi_input", "URL", "PMCID", "hal_id")  # fmt: skip


def expected(name: str) -> list[dict[str, Any]]:
    path = ROOT / "tests" / "data" / "expected" / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def actual_fields(ref: Reference) -> dict[str, Any]:
    """The parsed record in the shape of the expected data."""
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


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_printed_field_is_parsed(name: str) -> None:
    refs = parse_list(LISTS[name].read_text(encoding="utf-8"))
    want = expected(name)
    assert len(refs) == len(want)
    wrong = []
    for ref, exp in zip(refs, want, strict=True):
        got = actual_fields(ref)
        wrong += [(ref.index, key, got[key], exp[key]) for key in FIELDS if got[key] != exp[key]]
    assert wrong == []
