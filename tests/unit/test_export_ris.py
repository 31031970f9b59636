"""`refs.export.ris`: the RIS exporter."""

from __future__ import annotations

import pytest
from export_support import BOOK, SIEGEL, refs

from refs.export import to_ris
from refs.model import Item


def test_ris_record() -> None:
    lines = to_ris(refs(SIEGEL)).rstrip("\n").splitlines()
    assert lines[0] == "TY  - JOUR"
    assert lines[1:4] == [
        "AU  - Siegel, Rebecca",
        "AU  - van der Berg, Jan",
        "AU  - World Health Organization",
    ]
    for line in (
        "TI  - Cancer statistics, 2012",
        "JO  - CA: A Cancer Journal for Clinicians",
        "J2  - CA Cancer J Clin",
        "VL  - 62",
        "IS  - 1",
        "SP  - 10",
        "EP  - 29",
        "PY  - 2012",
        "DA  - 2012/01",
        "DO  - 10.3322/caac.20138",
        "UR  - https://example.org/a_b%20c",
        "SN  - 0007-9235",
        "ID  - siegel2012cancer",
    ):
        assert line in lines
    assert lines[-1] == "ER  - "


@pytest.mark.parametrize(
    ("csl_type", "ris_type"),
    [
        ("article-journal", "JOUR"),
        ("book", "BOOK"),
        ("chapter", "CHAP"),
        ("paper-conference", "CONF"),
        ("thesis", "THES"),
        ("report", "RPRT"),
        ("document", "GEN"),
        ("no-such-type", "GEN"),
    ],
)
def test_ris_types(csl_type: str, ris_type: str) -> None:
    assert to_ris(refs(Item(type=csl_type))).startswith(f"TY  - {ris_type}\n")


def test_ris_article_number_and_container_of_a_chapter() -> None:
    text = to_ris(refs(Item(type="chapter", page="e1002345", container_title="The Book")))
    assert "SP  - e1002345\n" in text
    assert "EP  -" not in text
    assert "T2  - The Book\n" in text


def test_ris_records_are_separated() -> None:
    text = to_ris(refs(SIEGEL, BOOK))
    assert text.count("TY  - ") == 2
    assert text.count("ER  - \n") == 2
