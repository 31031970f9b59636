"""Field rules: agree, cosmetic, mismatch, lost characters, missing."""

from __future__ import annotations

from dataclasses import replace

from refs.compare.fields import (
    Check,
    check_author,
    check_container,
    check_issue,
    check_page,
    check_title,
    check_volume,
    check_year,
    compare,
    copied_from,
)
from refs.compare.journals import journal_similarity
from refs.model import Date, Item, Person
from refs.work import Work

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


def outcomes(checks: list[Check]) -> dict[str, str]:
    return {c.field: c.outcome for c in checks}


def test_a_word_dropped_from_a_long_title_is_flagged() -> None:
    # Dropping "can" leaves the titles >97% alike: still words lost, not agreement.
    check = check_title(
        item(title="Reconstituted basement membrane (matrigel) and laminin enhance tumorigenicity"),
        WORK,
    )
    assert check.outcome == "lost-characters"
    assert check.diff is not None and "can" in check.diff.why
    # A print that stops before the end is not a title with a word dropped inside.
    short = check_title(item(title="Reconstituted basement membrane (matrigel)"), WORK)
    assert short.outcome != "lost-characters"


def test_html_entities_in_registry_titles_are_not_differences() -> None:
    work = replace(WORK, title="Widgets &#x2014; mashing up services &amp; data")
    assert check_title(item(title="Widgets — mashing up services & data"), work).outcome == "agree"


def test_a_container_that_is_only_a_number_is_a_misread_not_another_journal() -> None:
    assert check_container(item(container_title="no. 4"), WORK).outcome == "absent"
    assert check_container(item(container_title="Cancer Research"), WORK).outcome == "mismatch"


def test_registry_series_qualifier_is_not_another_journal() -> None:
    assert journal_similarity("Front Biosci", "Frontiers in Bioscience-Landmark") == 1.0
    assert journal_similarity("Blood", "Blood: The Journal of Hematology") == 1.0
    assert journal_similarity("Cell", "Cell Reports") < 0.75


def test_a_year_or_pages_read_from_elsewhere_is_a_misread_when_the_text_prints_the_registry_value() -> (
    None
):
    text = (
        "Fridman R, Giaccone G. Reconstituted basement membrane (matrigel) and laminin can "
        "enhance tumorigenicity. Proc Natl Acad Sci USA, vol. 87, no. 17, p. 1909, 1990."
    )
    misread = item(issued=Date(1909), page="1909")
    by = outcomes(compare(misread, WORK, text=text))
    assert by["issued"] == "agree"  # 1990 is printed: the parser took the page for a year
    assert by["page"] == "mismatch"  # 6698 is not printed anywhere: a real page error
    fixed = text.replace("p. 1909", "pp. 6698-6702")
    assert outcomes(compare(misread, WORK, text=fixed))["page"] == "agree"
    # A year printed only inside a DOI does not count.
    wrong_year = "Fridman R. Some title. Journal, 1991. doi:10.1155/1990/1234"
    assert outcomes(compare(item(issued=Date(1991)), WORK, text=wrong_year))["issued"] == "mismatch"


def test_volume_and_issue_copied_from_the_printed_dois_record() -> None:
    other = replace(WORK, DOI="10.1001/archderm.114.2.221", volume="114", issue="2")
    cited = replace(WORK, issue=None)
    printed = item(volume="114", issue="2")
    checks = copied_from(printed, other, compare(printed, cited))
    by = {c.field: c for c in checks}
    assert by["volume"].outcome == "mismatch" and by["volume"].diff is not None
    assert "copied from the record of the printed DOI" in by["volume"].diff.why
    # The cited work's record has no issue: the copied one is flagged all the same.
    assert by["issue"].outcome == "mismatch" and by["issue"].diff is not None
    assert by["issue"].diff.registry is None
    # An issue that is not the other work's stays unflagged when the record has none.
    own = item(volume="87", issue="3")
    assert {c.field: c.outcome for c in copied_from(own, other, compare(own, cited))}["issue"] == (
        "absent"
    )


def test_misread_evidence_does_not_excuse_real_year_or_page_errors() -> None:
    work = replace(WORK, issued=Date(2013), years=frozenset({2013}), page="2013-2020")
    # The registry's year printed only as the first page is no date of the print.
    text = (
        "Fridman R. Reconstituted basement membrane. Proc Natl Acad Sci USA. 2012;87(17):2013-20."
    )
    ref = item(issued=Date(2012), page="2013-2020")
    assert outcomes(compare(ref, work, text=text))["issued"] == "mismatch"
    # An Epub or Accessed date is not the work's year either.
    for aside in ("Epub 2013 Dec 5.", "Accessed 2013."):
        later = f"Fridman R. Reconstituted basement membrane. PNAS. 2016;87(17):6698-702. {aside}"
        checks = compare(
            item(issued=Date(2016)), replace(WORK, years=frozenset({2013})), text=later
        )
        assert outcomes(checks)["issued"] == "mismatch", aside
    # Same first page, another last page: a real difference, even though the text prints it.
    single = replace(WORK, page="S35-S35")
    printed = "Fridman R. Reconstituted basement membrane. PNAS. 1990;87(17):S35-S38."
    assert outcomes(compare(item(page="S35-S38"), single, text=printed))["page"] == "mismatch"


def test_an_issue_alone_equal_to_the_wrong_dois_is_a_coincidence() -> None:
    other = replace(WORK, DOI="10.9/typo", volume="15", issue="17")
    cited = replace(WORK, issue=None)
    printed = item(volume="87", issue="17")
    by = {c.field: c.outcome for c in copied_from(printed, other, compare(printed, cited))}
    assert by["issue"] == "absent" and by["volume"] == "agree"


def test_journal_series_letters_are_not_dropped() -> None:
    assert journal_similarity("J Phys A", "Journal of Physics: Condensed Matter") < 0.75
    assert (
        journal_similarity("J Phys A", "Journal of Physics A: Mathematical and Theoretical") == 1.0
    )


def test_a_last_word_dropped_is_flagged_unless_the_text_prints_the_whole_title() -> None:
    work = replace(WORK, title="Persistence in clonal bacterial populations of soil")
    cut = item(title="Persistence in clonal bacterial populations of")
    dropped = "Fridman R. Persistence in clonal bacterial populations of. PNAS. 1990;87:6698."
    assert outcomes(compare(cut, work, text=dropped))["title"] == "lost-characters"
    # The print has the whole title: the parser cut it (and put "soil" elsewhere).
    whole = "Fridman R. Persistence in clonal bacterial populations of soil. PNAS. 1990;87:6698."
    assert outcomes(compare(cut, work, text=whole))["title"] == "agree"


def test_given_and_family_swapped_is_cosmetic() -> None:
    swapped = item(author=(Person("R.", "Fridman"),))
    assert check_author(swapped, WORK).outcome == "cosmetic"
    assert check_author(item(author=(Person("Smith", "J."),)), WORK).outcome == "mismatch"


def test_a_title_with_lost_characters_found_in_the_text_is_lost_not_another_work() -> None:
    work = replace(WORK, title="A realistic widget for interactive charts")
    spilled = item(title="A Realist\ufffdc Widget for Interactive Charts”. In Javascript for R")
    text = "Coene, J. 2021. “A Realist???c Widget for Interactive Charts”. In Javascript for R."
    assert outcomes(compare(spilled, work, text=text))["title"] == "lost-characters"
