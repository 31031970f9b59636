"""Test support for `refs check`: works written here (never copied data), index, input files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from refs.sources.sqlite_index import SqliteIndex

N_WORKS = 300
ADJECTIVES = [
    "Rapid",
    "Silent",
    "Hidden",
    "Unexpected",
    "Persistent",
    "Transient",
    "Robust",
    "Fragile",
    "Coupled",
    "Layered",
    "Adaptive",
    "Dormant",
    "Emergent",
]
NOUNS = [
    "regeneration",
    "signalling",
    "migration",
    "remodelling",
    "dormancy",
    "invasion",
    "metabolism",
    "polarity",
    "senescence",
    "secretion",
    "clearance",
]
PLACES = [
    "zebrafish fins",
    "ovarian stroma",
    "tumour niches",
    "axolotl limbs",
    "mouse liver",
    "human skin",
    "Drosophila wings",
    "plant roots",
    "bacterial films",
]
FAMILIES = [
    "Moreau",
    "Tanaka",
    "Okafor",
    "Lindqvist",
    "Haddad",
    "Novak",
    "Ferreira",
    "Kowalski",
    "Nguyen",
    "Schmidt",
    "Rossi",
    "Dubois",
    "Yamada",
    "Mensah",
    "Ivanova",
    "Costa",
]

COMPONENT = "10.5555/check.7.s001"  # a registered supplementary file of work 7
RETRACTED = 11  # work 11 carries a retraction notice
RETRACTED_BY_RELATION = 13  # work 13's retraction is linked only as a `relation`


def _word(n: int) -> str:
    """A made-up word of its own for each work, so every title is distinctive."""
    syllables = ("ka", "lo", "mi", "ren", "tu", "sa", "vo", "ne", "di", "pa")
    return "".join(syllables[int(d)] for d in f"{n:03d}").capitalize() + "ase"


def doi(n: int) -> str:
    return f"10.5555/check.{n}"


def work(n: int) -> dict[str, Any]:
    """Work n: a journal article with a distinctive title, two authors, numbers."""
    title = f"{ADJECTIVES[n % 13]} {NOUNS[(n // 13) % 11]} of {_word(n)} in {PLACES[(n // 3) % 9]}"
    record: dict[str, Any] = {
        "DOI": doi(n),
        "type": "journal-article",
        "title": [title],
        "container-title": ["Journal of Checks" if n % 2 else "Annals of Verification"],
        "author": [
            {"family": FAMILIES[n % 16], "given": "A."},
            {"family": FAMILIES[(n * 7 + 3) % 16], "given": "B. C."},
        ],
        "issued": {"date-parts": [[1990 + n % 30, 1 + n % 12]]},
        "volume": str(1 + n % 60),
        "issue": str(1 + n % 4),
        "page": f"{100 + n}-{110 + n}",
        "publisher": "Test Publisher",
    }
    if n == RETRACTED:
        record["updated-by"] = [
            {
                "DOI": "10.5555/notice.11",
                "type": "retraction",
                "source": "publisher",
                "updated": {"date-parts": [[2021, 3, 4]]},
            }
        ]
    if n == RETRACTED_BY_RELATION:
        record["relation"] = {
            "is-retracted-by": [
                {"id-type": "doi", "id": "10.5555/notice.13", "asserted-by": "object"}
            ],
            "has-review": [{"id-type": "doi", "id": "10.5555/review.13", "asserted-by": "object"}],
        }
    return record


def component() -> dict[str, Any]:
    return {
        "DOI": COMPONENT,
        "type": "component",
        "title": ["Supplementary table S1"],
        "relation": {"is-part-of": [{"id-type": "doi", "id": doi(7), "asserted-by": "subject"}]},
    }


def all_works() -> list[dict[str, Any]]:
    return [work(n) for n in range(1, N_WORKS + 1)] + [component()]


def build_index(path: Path) -> Path:
    index = SqliteIndex(path, create=True)
    index.upsert(all_works())
    index.db.commit()
    index.close()
    return path


def write_lines(path: Path, lines: Iterable[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def digest(paths: Iterable[Path]) -> dict[str, str]:
    """Content hashes, to show that inputs are never modified."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


_BUILT: dict[str, Path] = {}


def shared_index(factory: pytest.TempPathFactory) -> Path:
    """The index of `all_works()`, built once per test session."""
    if "index" not in _BUILT:
        _BUILT["index"] = build_index(factory.mktemp("check-index") / "index.sqlite")
    return _BUILT["index"]
