"""`refs.parse.vancouver`: Vancouver forms beyond the seed lists."""

from __future__ import annotations

from refs.parse import parse_reference


def test_standard_vancouver_with_month_and_issue() -> None:
    ref = parse_reference(
        "Mirza MR, Monk BJ, Herrstedt J, et al. Niraparib maintenance therapy in platinum-sensitive,"
        " recurrent ovarian cancer. N Engl J Med. 2016 Dec 1;375(22):2154-64. doi:10.1056/NEJMoa1611310"
    )
    item = ref.item
    assert ref.style == "vancouver"
    assert [p.family for p in item.author] == ["Mirza", "Monk", "Herrstedt"]
    assert item.et_al
    assert item.title is not None and item.title.endswith("recurrent ovarian cancer")
    assert item.container_title == "N Engl J Med"
    assert (item.volume, item.issue, item.page) == ("375", "22", "2154-2164")
    assert item.issued is not None and item.issued.parts() == [2016, 12, 1]
    assert item.DOI == "10.1056/NEJMoa1611310"
    assert ref.doi_input == "doi:10.1056/NEJMoa1611310"


def test_medsci_supplement_issue() -> None:
    ref = parse_reference(
        "Andre F , Schartz NE , Chaput N , et al. Tumor-derived exosomes: a new source of tumor "
        "rejection antigens . Vaccine. 2002; ; 20 (suppl 4) : :A28.–A31."
    )
    assert (ref.item.volume, ref.item.issue, ref.item.page) == ("20", "Suppl 4", "A28-A31")


def test_lancet_form_year_after_the_journal_with_no_period() -> None:
    ref = parse_reference(
        "Smith J, Jones AB. Nonvenereal sclerosing lymphangitis of the penis. "
        "Arch Dermatol 1977; 113(4): 749–54."
    )
    item = ref.item
    assert ref.style == "vancouver"
    assert item.title == "Nonvenereal sclerosing lymphangitis of the penis"
    assert item.container_title == "Arch Dermatol"
    assert (item.volume, item.issue, item.page) == ("113", "4", "749-754")
    assert item.issued is not None and item.issued.year == 1977
