"""`refs.export.keys`: citation keys."""

from __future__ import annotations

from export_support import BOOK, SIEGEL, ref, refs

from refs.export import cite_keys
from refs.model import Date, Item, Person


def test_generated_key_is_family_year_title_word() -> None:
    assert cite_keys([ref(SIEGEL)]) == ["siegel2012cancer"]


def test_own_key_is_kept() -> None:
    assert cite_keys([ref(SIEGEL, key="Siegel:2012")]) == ["Siegel:2012"]


def test_own_key_loses_characters_bibtex_cannot_hold() -> None:
    assert cite_keys([ref(SIEGEL, key="my key, {1}")]) == ["mykey1"]


def test_keys_fold_accents_and_skip_stopwords() -> None:
    item = Item(
        author=(Person(family="Łącki-Ørsted", given="Ana"),),
        issued=Date(2020),
        title="The Études of a life",
    )
    assert cite_keys([ref(item)]) == ["lackiorsted2020etudes"]


def test_keys_without_author_year_or_title() -> None:
    assert cite_keys([ref(Item())]) == ["anon"]
    literal = Item(author=(Person(literal="World Health Organization"),), title="Report")
    assert cite_keys([ref(literal)]) == ["worldreport"]


def test_keys_are_made_unique_in_list_order() -> None:
    keys = cite_keys(refs(SIEGEL, SIEGEL, SIEGEL, BOOK))
    assert keys == [
        "siegel2012cancer",
        "siegel2012cancera",
        "siegel2012cancerb",
        "muller1999energie",
    ]
    assert cite_keys(refs(SIEGEL, SIEGEL, SIEGEL, BOOK)) == keys


def test_generated_keys_step_around_later_own_keys() -> None:
    keys = cite_keys([ref(SIEGEL), ref(BOOK, key="siegel2012cancer")])
    assert keys == ["siegel2012cancera", "siegel2012cancer"]


def test_duplicate_own_keys_are_suffixed() -> None:
    assert cite_keys([ref(SIEGEL, key="k"), ref(BOOK, key="k")]) == ["k", "ka"]
