"""The `Source` contract: the local index and the API client over `refs serve` answer alike.

Every test runs once per source (`source`: `index`, then `api`), against the same
expectations drawn from the records below; `both` compares the two sources'
answers with each other, field by field.

The world is a small index built from records written here, served by `refs serve`:
nothing is mocked and nothing comes from ../shared. (One file, no conftest.py: the
test tree has no packages, so a second `conftest` module would clash for mypy.)
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from refs.ids import doi_key
from refs.model import Date
from refs.resolve.source import Absent, Query, Source
from refs.serve import running_server
from refs.sources.cache import AnswerCache
from refs.sources.crossref_api import CrossrefApi
from refs.sources.index_build import build_index
from refs.sources.limits import DEFAULTS, Limits
from refs.sources.sqlite_index import SqliteIndex
from refs.work import Relation, Work

MAILTO = "contract-tests@example.org"
# Several small batches per `works` call, so that answers are merged across requests.
API_BATCH = 3


def _date(*parts: int) -> dict[str, Any]:
    return {"date-parts": [list(parts)]}


def _article(doi: str, title: str, n: int, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "DOI": doi,
        "type": "journal-article",
        "title": [title],
        "container-title": ["Journal of Contract Tests"],
        "short-container-title": ["J Contract Tests"],
        "author": [{"given": "Ada", "family": f"Tester{n}", "sequence": "first"}],
        "issued": _date(2001 + n % 20, 1 + n % 12),
        "volume": str(10 + n),
        "issue": str(1 + n % 4),
        "page": f"{100 + n}-{109 + n}",
        "ISSN": ["1234-5678"],
        "publisher": "Contract Press",
        "created": _date(2001 + n % 20, 1, 1),
    }
    record.update(extra)
    return record


# The works the suite asks about, by role.
MIXED_CASE = "10.5555/Contract.Mixed.CASE"
SICI = "10.1002/(SICI)1097-4636(199603)30:3<273::AID-JBM1>3.0.CO;2-N"
SEMICOLON = "10.5555/semi;colon.7"
HASH = "10.5555/hash#fragment"
QUESTION = "10.5555/what?query=1&x=2"
ANGLES = "10.5555/angle<brackets>9"
PARENS = "10.1016/S0092-8674(00)80113-1"
COMMA = "10.5555/comma,split.3"
COMMA_COLON = "10.5555/comma,doi:colon"  # the part after the comma looks like a filter
NOTICE = "10.5555/retraction-notice.1"
RETRACTED = "10.5555/retracted.1"
UNDATED = "10.5555/undated.1"  # `issued` without a date: the date comes from `published`
LITERAL = "10.5555/consortium.1"
ARTICLE_NUMBER = "10.5555/article-number.1"
CHAPTER = "10.5555/chapter.1"

SPECIAL = (SICI, SEMICOLON, HASH, QUESTION, ANGLES, PARENS, COMMA, COMMA_COLON)
MISSING = (
    "10.5555/not-in-the-index",
    "10.5555/hash#other",
    "10.5555/comma,missing",
    "10.9999/(sici)0000-0000(199601)1:1<1::aid-x1>3.0.co;2-x",
    "not-a-doi",
)

SUBJECTS = (
    "ovarian cancer stroma",
    "tumour microenvironment signalling",
    "bacterial biofilm formation",
    "glacier mass balance",
    "protein folding kinetics",
)


def records() -> list[dict[str, Any]]:
    """Every record of the contract index."""
    out = [
        _article(
            MIXED_CASE,
            "Zebrafish fin regeneration requires osteoblast dedifferentiation",
            1,
            subtitle=["A lineage-tracing study"],
            author=[
                {
                    "given": "Ana",
                    "family": "Souza",
                    "sequence": "first",
                    "ORCID": "https://orcid.org/0000-0002-1825-0097",
                },
                {"given": "Bo", "family": "Lin", "sequence": "additional"},
                {"given": "Émile", "family": "Durand-Vidal", "sequence": "additional"},
            ],
            issued=_date(2019, 3, 14),
            **{"container-title": ["Developmental Biology"], "short-container-title": ["Dev Biol"]},
            volume="447",
            issue="2",
            page="123-131",
        ),
        _article(
            SICI,
            "Calcium phosphate coatings on titanium implants in rabbit femurs",
            2,
            issued=_date(1996, 3),
            volume="30",
            issue="3",
            page="273-281",
            **{"container-title": ["Journal of Biomedical Materials Research"]},
        ),
        _article(SEMICOLON, "Semicolons in identifiers considered harmful", 3),
        _article(HASH, "Fragment identifiers and persistent links", 4),
        _article(QUESTION, "Query strings inside persistent identifiers", 5),
        _article(ANGLES, "Angle brackets in serial item identifiers", 6),
        _article(
            PARENS,
            "Apoptosis and caspase activation in neuronal cells",
            7,
            **{"container-title": ["Cell"]},
            volume="102",
            issue="1",
            page="1-4",
            issued=_date(2000, 7, 7),
        ),
        _article(COMMA, "Commas that split filter values", 8),
        _article(COMMA_COLON, "A comma followed by a colon in a DOI suffix", 9),
        _article(
            NOTICE,
            "Retraction notice: Retinal ganglion cell survival after optic nerve crush",
            10,
            **{
                "update-to": [
                    {
                        "DOI": RETRACTED,
                        "type": "retraction",
                        "label": "Retraction",
                        "source": "publisher",
                        "updated": _date(2021, 5, 2),
                    }
                ]
            },
        ),
        _article(
            RETRACTED,
            "Retinal ganglion cell survival after optic nerve crush",
            11,
            **{
                "updated-by": [
                    {
                        "DOI": NOTICE,
                        "type": "retraction",
                        "label": "Retraction",
                        "source": "retraction-watch",
                        "updated": _date(2021, 5, 2),
                    },
                    {
                        "DOI": "10.5555/correction.1",
                        "type": "correction",
                        "label": "Correction",
                        "source": "publisher",
                        "updated": _date(2020, 1, 9),
                    },
                ],
                "relation": {
                    "has-preprint": [
                        {
                            "id": "10.1101/2019.01.01.000001",
                            "id-type": "doi",
                            "asserted-by": "object",
                        }
                    ]
                },
            },
        ),
        _article(
            UNDATED,
            "Records whose issued date was never deposited",
            12,
            issued={"date-parts": [[None]]},
            published=_date(2015, 6),
            created=_date(2015, 7, 1),
        ),
        _article(
            LITERAL,
            "Genome sequence of the laboratory zebrafish strain",
            13,
            author=[{"name": "The Zebrafish Genome Consortium", "sequence": "first"}],
        ),
        _article(
            ARTICLE_NUMBER,
            "Article numbers instead of page ranges",
            14,
            page=None,
            **{"article-number": "e1002345"},
        ),
        _article(
            CHAPTER,
            "Peer review in the humanities",
            15,
            type="book-chapter",
            **{"container-title": ["Handbook of Scholarly Practice", "Second edition"]},
            ISSN=[],
            issue=None,
        ),
    ]
    for n in range(40):
        out.append(
            _article(
                f"10.5555/filler.{n}",
                f"Study {n} of {SUBJECTS[n % len(SUBJECTS)]} in a cohort",
                100 + n,
            )
        )
    for record in out:  # None marks a field the record does not have
        for key in [k for k, v in record.items() if v is None]:
            del record[key]
    return out


def fast_limits() -> Limits:
    """High rates, pinned: the suite measures answers, not pacing (a fresh one per client)."""
    return Limits(dict.fromkeys(DEFAULTS, (1000.0, 4)))


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("contract")
    data = folder / "works.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records()), encoding="utf-8")
    path = folder / "index.sqlite"
    index = SqliteIndex(path, create=True)
    try:
        report = build_index(index, [str(data)])
    finally:
        index.close()
    assert report.added == len(records()) and not report.skipped
    return path


@pytest.fixture(scope="module")
def base_url(index_path: Path) -> Iterator[str]:
    with running_server(index_path) as url:
        yield url


def open_index(index_path: Path) -> SqliteIndex:
    return SqliteIndex(index_path, readonly=True)


def open_api(base_url: str, cache_path: Path) -> CrossrefApi:
    return CrossrefApi(
        base_url,
        mailto=MAILTO,
        cache=AnswerCache(cache_path),
        batch_size=API_BATCH,
        backoff=0.01,
        max_wait=0.5,
        limits=fast_limits(),
    )


@pytest.fixture(params=["index", "api"])
def source(request: pytest.FixtureRequest, index_path: Path, tmp_path: Path) -> Iterator[Source]:
    """Each source in turn; the API one with a fresh answer cache."""
    opened: Source
    if request.param == "index":
        opened = open_index(index_path)
    else:
        opened = open_api(request.getfixturevalue("base_url"), tmp_path / "answers.sqlite")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def both(index_path: Path, base_url: str, tmp_path: Path) -> Iterator[tuple[Source, Source]]:
    """(index, api) side by side, for answers compared with each other."""
    index = open_index(index_path)
    api = open_api(base_url, tmp_path / "answers.sqlite")
    try:
        yield index, api
    finally:
        index.close()
        api.close()


# ==================================================================================
ALL = tuple(str(r["DOI"]) for r in records())


def _work(answer: Work | Absent) -> Work:
    assert isinstance(answer, Work), f"expected a work, got {answer!r}"
    return answer


def _same_work(work: Work) -> Work:
    """The work with its DOI as a key: sources may print a DOI's case differently."""
    return dataclasses.replace(work, DOI=doi_key(work.DOI))


# --- works -------------------------------------------------------------------------
def test_found_and_missing(source: Source) -> None:
    answers = source.works([MIXED_CASE, *MISSING, PARENS])
    assert list(answers) == [doi_key(d) for d in (MIXED_CASE, *MISSING, PARENS)]
    assert _work(answers[doi_key(MIXED_CASE)]).title == (
        "Zebrafish fin regeneration requires osteoblast dedifferentiation"
    )
    assert _work(answers[doi_key(PARENS)]).volume == "102"
    for doi in MISSING:
        assert answers[doi_key(doi)] is Absent.MISSING, doi


def test_every_record_is_found(source: Source) -> None:
    answers = source.works(ALL)
    assert list(answers) == [doi_key(d) for d in ALL]
    for doi in ALL:
        assert doi_key(_work(answers[doi_key(doi)]).DOI) == doi_key(doi)


@pytest.mark.parametrize("doi", [MIXED_CASE, *SPECIAL])
def test_keys_are_case_insensitive(source: Source, doi: str) -> None:
    for asked in (doi, doi.lower(), doi.upper()):
        answers = source.works([asked])
        assert list(answers) == [doi_key(doi)], asked
        assert doi_key(_work(answers[doi_key(doi)]).DOI) == doi_key(doi), asked


@pytest.mark.parametrize("doi", SPECIAL)
def test_dois_with_reserved_characters(source: Source, doi: str) -> None:
    """`;`, `#`, `?`, `<>`, `()` and commas belong to the DOI, alone or in a batch."""
    alone = source.works([doi])
    assert doi_key(_work(alone[doi_key(doi)]).DOI) == doi_key(doi)
    together = source.works([*SPECIAL, *MISSING])
    assert doi_key(_work(together[doi_key(doi)]).DOI) == doi_key(doi)


@pytest.mark.parametrize("doi", [COMMA, COMMA_COLON])
def test_comma_dois_are_found_beside_others(source: Source, doi: str) -> None:
    answers = source.works([SEMICOLON, doi, "10.5555/comma,missing", HASH])
    assert [type(a).__name__ for a in answers.values()] == ["Work", "Work", "Absent", "Work"]
    assert answers[doi_key("10.5555/comma,missing")] is Absent.MISSING
    assert _work(answers[doi_key(doi)]).title is not None


def test_duplicates_are_answered_once(source: Source) -> None:
    asked = [MIXED_CASE, SICI, MIXED_CASE.lower(), MISSING[0], SICI.upper(), MISSING[0]]
    answers = source.works(asked)
    assert list(answers) == [doi_key(MIXED_CASE), doi_key(SICI), doi_key(MISSING[0])]
    assert answers[doi_key(MISSING[0])] is Absent.MISSING


def test_empty_input(source: Source) -> None:
    assert source.works([]) == {}
    assert source.works(iter(())) == {}


def test_a_generator_is_read_once(source: Source) -> None:
    answers = source.works(d for d in (QUESTION, ANGLES))
    assert [doi_key(_work(a).DOI) for a in answers.values()] == [
        doi_key(QUESTION),
        doi_key(ANGLES),
    ]


# --- work fields ---------------------------------------------------------------------
def test_work_fields(source: Source) -> None:
    work = _work(source.works([MIXED_CASE])[doi_key(MIXED_CASE)])
    assert work.type == "journal-article"
    assert work.title == "Zebrafish fin regeneration requires osteoblast dedifferentiation"
    assert work.subtitle == "A lineage-tracing study"
    assert [(a.family, a.given) for a in work.author] == [
        ("Souza", "Ana"),
        ("Lin", "Bo"),
        ("Durand-Vidal", "Émile"),
    ]
    assert work.issued == Date(2019, 3, 14)
    assert (work.volume, work.issue, work.page) == ("447", "2", "123-131")
    assert work.container_title == "Developmental Biology"
    assert work.container_title_short == "Dev Biol"
    assert work.ISSN == ("1234-5678",)
    assert work.publisher == "Contract Press"


def test_update_relations(source: Source) -> None:
    answers = source.works([RETRACTED, NOTICE])
    retracted, notice = _work(answers[doi_key(RETRACTED)]), _work(answers[doi_key(NOTICE)])
    assert retracted.updated_by == (
        Relation("retraction", NOTICE, "retraction-watch", Date(2021, 5, 2)),
        Relation("correction", "10.5555/correction.1", "publisher", Date(2020, 1, 9)),
    )
    assert notice.update_to == (Relation("retraction", RETRACTED, "publisher", Date(2021, 5, 2)),)
    assert retracted.relation == {"has-preprint": ("10.1101/2019.01.01.000001",)}


def test_date_falls_back_when_issued_is_empty(source: Source) -> None:
    assert _work(source.works([UNDATED])[UNDATED]).issued == Date(2015, 6)


def test_literal_authors_article_numbers_and_chapters(source: Source) -> None:
    answers = source.works([LITERAL, ARTICLE_NUMBER, CHAPTER])
    literal = _work(answers[LITERAL])
    assert [a.literal for a in literal.author] == ["The Zebrafish Genome Consortium"]
    numbered = _work(answers[ARTICLE_NUMBER])
    assert (numbered.page, numbered.article_number) == (None, "e1002345")
    chapter = _work(answers[CHAPTER])
    assert (chapter.type, chapter.container_title, chapter.issue) == (
        "book-chapter",
        "Handbook of Scholarly Practice",
        None,
    )


def test_every_work_is_the_same_from_both(both: tuple[Source, Source]) -> None:
    index, api = both
    from_index, from_api = index.works(ALL), api.works(ALL)
    assert list(from_index) == list(from_api)
    for key in from_index:
        a, b = _work(from_index[key]), _work(from_api[key])
        for name in (
            "title",
            "subtitle",
            "author",
            "issued",
            "volume",
            "issue",
            "page",
            "container_title",
            "container_title_short",
            "updated_by",
            "update_to",
            "relation",
            "type",
            "ISSN",
            "publisher",
            "article_number",
        ):
            assert getattr(a, name) == getattr(b, name), (key, name)
        assert _same_work(a) == _same_work(b), key


# --- search ---------------------------------------------------------------------------
REFERENCES = {
    MIXED_CASE: "Souza A, Lin B, Durand-Vidal É. Zebrafish fin regeneration requires "
    "osteoblast dedifferentiation. Dev Biol. 2019;447(2):123-31.",
    SICI: "Tester2 A. Calcium phosphate coatings on titanium implants in rabbit femurs. "
    "J Biomed Mater Res 1996; 30: 273-281",
    PARENS: "Tester7, A. (2000). Apoptosis and caspase activation in neuronal cells. "
    "Cell, 102(1), 1–4.",
    RETRACTED: "A. Tester11, “Retinal ganglion cell survival after optic nerve crush,” "
    "J. Contract Tests, vol. 22, no. 4, pp. 111–120, 2012.",
    "10.5555/filler.7": "Tester107 A. Study 7 of glacier mass balance in a cohort. "
    "J Contract Tests. 2008;117:207-16.",
}


@pytest.mark.parametrize("doi", list(REFERENCES))
def test_search_puts_the_right_work_first(source: Source, doi: str) -> None:
    hits = source.search(Query(REFERENCES[doi], rows=5))
    assert hits, "no candidates"
    assert doi_key(hits[0].work.DOI) == doi_key(doi)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len(hits) <= 5


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "the of and", "..., ;;"])
def test_empty_query_finds_nothing(source: Source, text: str) -> None:
    assert source.search(Query(text)) == []


def test_rows_bound_the_answer(source: Source) -> None:
    assert len(source.search(Query("study cohort contract tests", rows=2))) == 2
    assert len(source.search(Query("study cohort contract tests", rows=7))) == 7


@pytest.mark.parametrize("doi", list(REFERENCES))
def test_search_is_the_same_from_both(both: tuple[Source, Source], doi: str) -> None:
    index, api = both
    a, b = index.search(Query(REFERENCES[doi], rows=5)), api.search(Query(REFERENCES[doi], rows=5))
    assert [(doi_key(c.work.DOI), c.score) for c in a] == [
        (doi_key(c.work.DOI), c.score) for c in b
    ]
    assert [_same_work(c.work) for c in a] == [_same_work(c.work) for c in b]


# --- agency ----------------------------------------------------------------------------
@pytest.mark.parametrize("doi", [MIXED_CASE, MIXED_CASE.lower(), *SPECIAL])
def test_agency_of_a_registered_doi(source: Source, doi: str) -> None:
    assert source.agency(doi) == "crossref"


@pytest.mark.parametrize("doi", MISSING)
def test_agency_of_an_unknown_doi(source: Source, doi: str) -> None:
    assert source.agency(doi) is None
