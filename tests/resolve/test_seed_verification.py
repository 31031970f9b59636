"""The seed lists against an index of the sample records refs ships (their cited works)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from refs.model import Reference, Verdict
from refs.parse import parse_list
from refs.resolve import Resolver
from refs.sources.index_build import build_index, sample_records
from refs.sources.sqlite_index import SqliteIndex

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteIndex]:
    opened = SqliteIndex(tmp_path_factory.mktemp("idx") / "seed.sqlite", create=True)
    build_index(opened, [str(sample_records())])
    yield opened
    opened.close()


def resolved(index: SqliteIndex, name: str) -> dict[int, tuple[Reference, Verdict]]:
    refs = parse_list((ROOT / "refs" / name).read_text(encoding="utf-8"))
    return {r.index: (r, v) for r, v in zip(refs, Resolver(index).resolve(refs), strict=True)}


def flagged(verdict: Verdict) -> dict[str, str]:
    return {f.field: f.kind for f in verdict.flags if f.kind != "cosmetic"}


def test_hal_supplementary_dois_resolve_to_their_articles(index: SqliteIndex) -> None:
    hal = resolved(index, "hal-ovarian-cancer.txt")
    for n, article in {7: "10.1371/journal.pone.0015313", 10: "10.1371/journal.pone.0038340",
                       18: "10.1371/journal.pone.0003894", 47: "10.1371/journal.pone.0088587",
                       20: "10.1172/JCI45273"}.items():  # fmt: skip
        verdict = hal[n][1]
        assert verdict.doi_status == "supplement", n
        assert verdict.doi == article, n
    # Their volumes were copied from elsewhere: flagged, with the registry's value.
    assert flagged(hal[7][1])["volume"] == "mismatch"
    assert next(f.registry for f in hal[7][1].flags if f.field == "volume") == "6"


def test_hal_dois_of_other_works_are_caught_and_the_cited_work_found(index: SqliteIndex) -> None:
    hal = resolved(index, "hal-ovarian-cancer.txt")
    expected = {19: "10.1007/s12307-013-0142-2", 36: "10.1002/stem.187",
                49: "10.1007/s10637-015-0282-y", 50: "10.1038/nrc2714", 9: None}  # fmt: skip
    for n, right in expected.items():
        verdict = hal[n][1]
        assert verdict.doi_status == "wrong", n
        assert verdict.doi == right, n
    assert (
        flagged(hal[36][1]).items()
        >= {"DOI": "mismatch", "volume": "mismatch", "page": "mismatch"}.items()
    )
    assert "issued" not in flagged(hal[36][1])  # 2009 agrees


def test_hal_reference_1_cancer_statistics(index: SqliteIndex) -> None:
    ref, verdict = resolved(index, "hal-ovarian-cancer.txt")[1]
    # The JAMA record is not among the samples: the DOI is unknown here, the cited work found.
    assert verdict.doi_status == "unknown"
    assert verdict.doi == "10.3322/caac.20138"
    assert flagged(verdict).items() >= {"volume": "mismatch", "issue": "mismatch"}.items()
    assert verdict.corrected is not None and verdict.corrected.volume == "62"
    assert ref.item.volume == "287"  # the parse keeps what was printed


def test_confirmed_references_carry_no_flags_where_fields_agree(index: SqliteIndex) -> None:
    hal = resolved(index, "hal-ovarian-cancer.txt")
    for n in (5, 16, 21, 22, 23, 34):
        verdict = hal[n][1]
        assert verdict.doi_status == "confirmed", n
        assert flagged(verdict) == {}, n
        assert verdict.confidence is not None and verdict.confidence > 0.9


def test_medsci_references_without_dois_are_found(index: SqliteIndex) -> None:
    med = resolved(index, "medsci-2014-microenvironment.txt")
    expected = {1: "10.1073/pnas.87.17.6698", 19: "10.1038/nrc2714", 27: "10.1038/nri855",
                34: "10.1051/medsci/2012281022", 45: "10.1051/medsci/20143004022",
                50: "10.1051/medsci/20143004010", 9: "10.1158/0008-5472.CAN-08-2419",
                14: "10.4049/jimmunol.180.3.1545", 18: "10.1172/JCI43414",
                40: "10.1387/ijdb.103216dr"}  # fmt: skip
    for n, doi in expected.items():
        assert (med[n][1].doi_status, med[n][1].doi) == ("found", doi), n
    # Works absent from the index are not guessed.
    found = [v for _, v in med.values() if v.doi]
    threshold = Resolver(index).model.threshold
    assert all(v.confidence is not None and v.confidence >= threshold for v in found)


def test_an_unparseable_reference_does_not_stop_the_others(index: SqliteIndex) -> None:
    text = (ROOT / "refs" / "medsci-2014-microenvironment.txt").read_text(encoding="utf-8")
    refs = parse_list("51.\n%%%% ???? ////\n" + text)
    verdicts = Resolver(index).resolve(refs)
    assert len(verdicts) == len(refs)
    assert verdicts[0].doi is None
    assert any(v.doi_status == "found" for v in verdicts)
