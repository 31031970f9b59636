"""`refs.export.csljson`: the CSL-JSON exporter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from export_support import BOOK, SIEGEL, refs

from refs.export import to_csl_json
from refs.model import Date, Item, Person

CSL_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "data" / "csl" / "csl-data.json"


def test_csl_json_is_a_pretty_utf8_array() -> None:
    text = to_csl_json(refs(SIEGEL, BOOK))
    data = json.loads(text)
    assert [d["id"] for d in data] == ["siegel2012cancer", "muller1999energie"]
    assert data[0] == SIEGEL.to_csl("siegel2012cancer")
    assert '"family": "Müller"' in text
    assert text.startswith('[\n  {\n    "id": "siegel2012cancer",')


def test_csl_json_unknown_type_becomes_document() -> None:
    data = json.loads(to_csl_json(refs(Item(type="no-such-type", title="T"))))
    assert data[0]["type"] == "document"


def test_csl_json_empty() -> None:
    assert json.loads(to_csl_json([])) == []


@pytest.mark.shared
def test_csl_json_validates_against_the_csl_schema() -> None:
    if not CSL_SCHEMA.is_file():
        pytest.skip(f"../shared not found: {CSL_SCHEMA} is needed to validate CSL-JSON")
    import jsonschema

    schema: dict[str, Any] = json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))
    items = [
        SIEGEL,
        BOOK,
        Item(type="no-such-type", et_al=True, hal_id="hal-01234567", issued=Date(2020, 2, 3)),
        Item(editor=(Person(given="Only"),), edition="2", publisher_place="Paris"),
    ]
    data = json.loads(to_csl_json(refs(*items)))
    jsonschema.Draft7Validator(schema).validate(data)
