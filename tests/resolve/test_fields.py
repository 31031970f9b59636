"""Field rules: agree, cosmetic, mismatch, lost characters, missing."""

from __future__ import annotations

from refs.compare.fields import (
    check_author,
    check_container,
    check_issue,
    check_page,
    check_title,
    check_volume,
    check_year,
)
from refs.compare.journals import journal_similarity
from refs.model import Date, Item, Person
from refs.source import Work

WORK = Work.from_message(
    {
        "DOI": "10.1073/pnas.87.17.6698",
        "title": [
            "Reconstituted basement membrane (matrigel) and laminin can enhance tumorigenicity"
        ],
        "container-title": ["Proceedings of the National Academy of Sciences"],
        "short-container-title": ["Proc. Natl. Acad. Sci. U.S.A."],
        "author": [{"family": "Fridman", "given": "R."}, {"family": "Giaccone", "given": "G."}],
        "issued": {"date-parts": [[1990, 9]]},
        "published-online": {"date-parts": [[1990, 9]]},
        "volume": "87",
        "issue": "17",
        "page": "6698-6702",
    }
)


def item(**fields: object) -> Item:
    base = Item(
        title="Reconstituted basement membrane (matrigel) and laminin can enhance tumorigenicity",
        author=(Person("Fridman", "R."),),
        container_title="Proc Natl Acad Sci USA",
        issued=Date(1990),
        volume="87",
        issue="17",
        page="6698-6702",
    )
    from dataclasses import replace

    return replace(base, **fields)  # type: ignore[arg-type]


def test_everything_agrees() -> None:
    for rule in (check_author, check_year, check_container, check_volume, check_issue, check_page):
        assert rule(item(), WORK).outcome == "agree", rule.__name__
    assert check_title(item(), WORK).outcome == "agree"


def test_title_case_and_punctuation_are_not_differences() -> None:
    assert (
        check_title(
            item(
                title="RECONSTITUTED basement-membrane (Matrigel) and laminin can enhance tumorigenicity."
            ),
            WORK,
        ).outcome
        == "agree"
    )


def test_lost_characters_and_missing_title() -> None:
    check = check_title(
        item(
            title="Reconstituted basement membrane (matr\ufffd) and laminin can enhance tumorigenicity"
        ),
        WORK,
    )
    assert check.outcome == "lost-characters"
    assert check.diff is not None and check.diff.registry == WORK.title
    assert check_title(item(title=None), WORK).outcome == "missing"
    assert check_title(item(title="Cancer statistics, 2012"), WORK).outcome == "mismatch"


def test_numbers_must_agree() -> None:
    assert check_volume(item(volume="287"), WORK).outcome == "mismatch"
    assert check_issue(item(issue="Suppl 5"), WORK).outcome == "mismatch"
    assert check_page(item(page="6698"), WORK).outcome == "agree"  # first page only
    assert check_page(item(page="6698-6712"), WORK).outcome == "mismatch"
    assert check_page(item(page="1-5"), WORK).outcome == "mismatch"


def test_years() -> None:
    assert check_year(item(issued=Date(1993)), WORK).outcome == "mismatch"
    two_dates = Work(
        DOI="10.1/y", issued=Date(1990), raw={"published-online": {"date-parts": [[1989]]}}
    )
    assert check_year(item(issued=Date(1991)), two_dates).outcome == "mismatch"
    assert check_year(item(issued=Date(1989)), two_dates).outcome == "agree"
    sparse = Work(DOI="10.1/x", issued=Date(2011))
    assert check_year(item(issued=Date(2012)), sparse).outcome == "cosmetic"  # online vs print
    assert check_year(item(issued=Date(2014)), sparse).outcome == "mismatch"


def test_authors() -> None:
    assert check_author(item(author=(Person("Giaccone", "G."),)), WORK).outcome == "cosmetic"
    assert check_author(item(author=(Person("Siegel", "R."),)), WORK).outcome == "mismatch"
    assert check_author(item(author=()), WORK).outcome == "absent"


def test_journal_abbreviations() -> None:
    assert journal_similarity("J Biol Chem", "Journal of Biological Chemistry") == 1.0
    assert journal_similarity("Med Sci (Paris)", "médecine/sciences") == 1.0
    assert journal_similarity("Nat Rev Cancer", "Nature Reviews Cancer") == 1.0
    assert journal_similarity("Cancer Res", "Clinical Cancer Research") < 0.75
    assert journal_similarity("Cancer", "Cancer Cell") < 0.75
    assert check_container(item(container_title="JAMA"), WORK).outcome == "mismatch"
