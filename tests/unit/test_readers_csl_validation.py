"""CSL-JSON items are checked against the CSL data schema's field types (issue 18, item 6).

A field of the wrong type is dropped and said in one diagnostic naming the item and
the field; the other fields and items are kept, and `refs parse` exits 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from refs.cli import app
from refs.model import Date, Person
from refs.readers import read_csl_json
from refs.readers.csl_schema import (
    DATE_FIELDS,
    DATE_PARTS_PER_DATE,
    DATE_RANGES,
    FIELDS,
    ITEM_TYPES,
    NAME_FIELDS,
    Kind,
    check_item,
)

ROOT = Path(__file__).resolve().parents[2]
HAL = ROOT / "refs" / "hal-ovarian-cancer.txt"

runner = CliRunner()

# The three examples, each in its own item between two good ones.
ITEMS: list[dict[str, Any]] = [
    {
        "id": "good1",
        "type": "article-journal",
        "title": "Cancer statistics, 2012",
        "author": [{"family": "Siegel", "given": "Rebecca"}],
        "issued": {"date-parts": [[2012]]},
        "volume": 62,
    },
    {"id": "t", "type": "book", "title": 123, "DOI": "10.1007/x", "publisher": "Springer"},
    {"id": "x", "type": "book", "title": "Names as a string", "author": "Smith, J."},
    {"id": 4, "type": "report", "title": "A date as a string", "issued": "2012"},
    {"id": "good5", "type": "book", "title": "Fine", "editor": [{"literal": "WHO"}]},
]


def _write(tmp_path: Path, items: list[dict[str, Any]]) -> Path:
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    return path


# --- (a) the table is the schema's -----------------------------------------------------


def _kind(prop: dict[str, Any]) -> Kind:
    """A schema property as a `Kind`."""
    ref = prop.get("$ref") or prop.get("items", {}).get("$ref")
    if ref == "#/definitions/date-variable":
        return Kind.DATE
    if ref == "#/definitions/name-variable":
        assert prop["type"] == "array"
        return Kind.NAMES
    types = prop.get("type")
    if types == "array" and prop["items"] == {"type": "string"}:
        return Kind.STRINGS
    by_type: dict[str, Kind] = {
        "string": Kind.STRING,
        "object": Kind.OBJECT,
        "string,number": Kind.STRING_OR_NUMBER,
        "string,number,boolean": Kind.SCALAR,
    }
    return by_type[",".join(types) if isinstance(types, list) else str(types)]


def _schema(shared: Path) -> dict[str, Any]:
    path = shared / "data" / "csl" / "csl-data.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def test_the_field_table_is_the_schemas(shared: Path) -> None:
    schema = _schema(shared)
    assert schema["$id"].endswith("/schema/v1.0/input/json/csl-data.json")  # the table's version
    props = schema["items"]["properties"]
    assert {key: _kind(prop) for key, prop in props.items()} == FIELDS
    assert set(props["type"]["enum"]) == ITEM_TYPES

    (name,) = schema["definitions"]["name-variable"]["anyOf"]
    assert name["type"] == "object"
    assert {key: _kind(prop) for key, prop in name["properties"].items()} == NAME_FIELDS

    (date,) = schema["definitions"]["date-variable"]["anyOf"]
    assert date["type"] == "object"
    date_props = dict(date["properties"])
    parts = date_props.pop("date-parts")
    assert {key: _kind(prop) for key, prop in date_props.items()} == {
        k: v for k, v in DATE_FIELDS.items() if v is not Kind.DATE_PARTS
    }
    assert DATE_FIELDS["date-parts"] is Kind.DATE_PARTS
    assert (parts["type"], parts["items"]["type"]) == ("array", "array")
    assert (parts["minItems"], parts["maxItems"]) == DATE_RANGES
    assert (parts["items"]["minItems"], parts["items"]["maxItems"]) == DATE_PARTS_PER_DATE
    assert parts["items"]["items"] == {"type": ["string", "number"]}


# Values of every JSON shape; unknown keys inside names and dates are left out, since
# `check_item` ignores them on purpose where the schema forbids them.
SAMPLES: list[Any] = [
    "x",
    "",
    3,
    2.5,
    True,
    [],
    ["a"],
    [1],
    [{}],
    [{"family": "A", "given": "B"}, {"literal": "WHO"}],
    [{"family": 1}],
    [{"comma-suffix": True, "parse-names": 0}],
    ["Smith, J."],
    {},
    {"date-parts": [[2012]]},
    {"date-parts": [["2012", 1, 2], [2013]]},
    {"date-parts": []},
    {"date-parts": [[]]},
    {"date-parts": [[1, 2, 3, 4]]},
    {"date-parts": [[1], [2], [3]]},
    {"date-parts": [[True]]},
    {"date-parts": "2012"},
    {"date-parts": [2012]},
    {"raw": "2012", "literal": "spring 2012", "season": 1, "circa": True},
    {"raw": 2012},
    {"circa": []},
    "book",
    "journal-article",
]


def test_the_check_agrees_with_jsonschema_on_every_field(shared: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(_schema(shared))
    for key in FIELDS:
        for value in SAMPLES:
            item = {"id": "a", "type": "book", key: value}
            valid = validator.is_valid([item])
            _, problems = check_item(item)
            assert (not problems) == valid, (key, value, problems)


# --- (b) the examples ----------------------------------------------------------


def test_each_bad_field_is_one_diagnostic_naming_item_and_field() -> None:
    refs = read_csl_json(json.dumps(ITEMS, indent=2))
    assert [r.key for r in refs] == ["good1", "t", "x", "4", "good5"]
    assert [list(r.diagnostics) for r in refs] == [
        [],
        ['item 2 (id "t"): title: expected a string, got a number'],
        ['item 3 (id "x"): author: expected a list of names, got a string'],
        [
            "item 4 (id 4): issued: expected a date object (date-parts, raw or literal),"
            " got a string"
        ],
        [],
    ]


def test_the_good_fields_and_items_survive() -> None:
    good1, t, x, four, good5 = read_csl_json(json.dumps(ITEMS))
    assert good1.item.title == "Cancer statistics, 2012"
    assert good1.item.author == (Person(family="Siegel", given="Rebecca"),)
    assert (good1.item.issued, good1.item.volume) == (Date(2012), "62")
    assert (t.item.title, t.item.publisher, t.item.type) == (None, "Springer", "book")
    assert (x.item.title, x.item.author) == ("Names as a string", ())
    assert (four.item.title, four.item.issued, four.item.type) == (
        "A date as a string",
        None,
        "report",
    )
    assert good5.item.editor == (Person(literal="WHO"),)


def test_a_name_list_keeps_its_good_names() -> None:
    item = {
        "id": "n",
        "type": "book",
        "title": "T",
        "author": [{"family": "Kidd", "given": "S."}, "Spaeth, E.", {"family": 7}],
    }
    (ref,) = read_csl_json(json.dumps([item]))
    assert ref.item.author == (Person(family="Kidd", given="S."),)
    (message,) = ref.diagnostics
    assert message.startswith('item 1 (id "n"): author: name 2: expected a name object')
    assert "name 3: family: expected a string, got a number" in message
    assert message.endswith("(dropped; 1 of 3 names kept)")


def test_more_bad_fields_of_one_item_are_one_line_each() -> None:
    item = {"type": "journal-article", "title": ["T"], "page": {"first": 1}, "DOI": "10.1/x"}
    (ref,) = read_csl_json(json.dumps([item]))
    assert list(ref.diagnostics) == [
        'item 1: type: "journal-article" is not a CSL item type',
        "item 1: title: expected a string, got an array",
        "item 1: page: expected a string or a number, got an object",
    ]
    assert (ref.item.type, ref.item.DOI) == ("article-journal", "10.1/x")


def test_null_and_unknown_keys_are_not_problems() -> None:
    item = {"id": "k", "type": "book", "title": None, "reference-count": 3, "issued": None}
    _, problems = check_item(item)
    assert problems == []


def test_refs_parse_reports_each_field_writes_the_good_items(tmp_path: Path) -> None:
    path = _write(tmp_path, ITEMS)
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["parse", str(path), "-o", str(out)])
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["key"] for r in records] == ["good1", "t", "x", "4", "good5"]
    assert records[1]["parsed"]["publisher"] == "Springer"
    assert "title" not in records[1]["parsed"]
    assert records[2]["diagnostics"] == [
        'item 3 (id "x"): author: expected a list of names, got a string'
    ]
    problems = [line for line in result.stderr.splitlines() if "expected" in line]
    assert len(problems) == 3
    assert 'item 2 (id "t"): title: expected a string' in problems[0]
    assert 'item 3 (id "x"): author: expected a list of names' in problems[1]
    assert "item 4 (id 4): issued: expected a date object" in problems[2]


def test_refs_parse_exits_1_when_an_item_had_a_bad_field(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(_write(tmp_path, ITEMS))])
    assert len(result.stdout.splitlines()) == len(ITEMS)
    assert result.exit_code == 1


# --- (c) a valid file ------------------------------------------------------------------


def test_the_projects_own_csl_json_reads_back_without_diagnostics(tmp_path: Path) -> None:
    out = tmp_path / "hal.json"
    result = runner.invoke(app, ["parse", str(HAL), "--to", "csl-json", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    refs = read_csl_json(out.read_text(encoding="utf-8"))
    assert len(refs) == 50
    assert [d for r in refs for d in r.diagnostics] == []
    again = runner.invoke(app, ["parse", str(out)])
    assert again.exit_code == 0
    assert "expected" not in again.stderr
