"""`refs.readers.csljson`: reading CSL-JSON."""

from __future__ import annotations

import pytest

from refs.errors import InputError
from refs.model import Date, Person, Span
from refs.readers import read_csl_json

CSL_LIST = """[
  {
    "id": "siegel2012",
    "type": "article-journal",
    "title": "Cancer statistics, 2012",
    "author": [{"family": "Siegel", "given": "Rebecca"}],
    "issued": {"date-parts": [[2012, 1]]},
    "DOI": "doi:10.3322/caac.20138"
  },
  {"id": 7, "type": "book", "title": "A Book"}
]
"""


def test_csl_json_list() -> None:
    first, second = read_csl_json(CSL_LIST)
    assert (first.index, first.key, first.style) == (1, "siegel2012", "csl-json")
    assert first.span == Span(2, 9)
    assert first.text.startswith("{") and first.text.endswith("}")
    assert first.item.author == (Person(family="Siegel", given="Rebecca"),)
    assert first.item.issued == Date(2012, 1)
    assert first.doi_input == "doi:10.3322/caac.20138"
    assert first.item.DOI == "10.3322/caac.20138"
    assert (second.index, second.key, second.span) == (2, "7", Span(10, 10))
    assert second.item.type == "book"


def test_csl_json_single_object_is_a_one_item_list() -> None:
    (ref,) = read_csl_json('\n{"id": "x", "type": "book", "title": "Alone"}\n')
    assert ref.key == "x"
    assert ref.item.title == "Alone"
    assert ref.span == Span(2, 2)


def test_csl_json_empty_list() -> None:
    assert read_csl_json("[]") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json at all", "invalid JSON at line 1"),
        ('[{"id": 1}', "invalid JSON"),
        ("", "invalid JSON"),
        ("[1, 2, 3]", "item 1 (line 1) is a number"),
        ('[{"id": "a"}, "b"]', "item 2 (line 1) is a string"),
        ('"just a string"', "expected an array of items, got a string"),
        ("42", "expected an array of items, got a number"),
        ("null", "got null"),
    ],
)
def test_csl_json_unusable_input_raises(text: str, message: str) -> None:
    with pytest.raises(InputError, match=r"^not CSL-JSON: ") as info:
        read_csl_json(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
