"""CSL-JSON → `Reference`s.

The input is a JSON array of CSL items (one object alone is read as a one-item
list). A file that is not that is unusable as a whole, so it raises `InputError`
rather than producing records.

Each item is checked against the CSL data schema's field types (`csl_schema`): a
field of the wrong type (`"title": 123`, `"author": "Smith, J."`, `"issued": "2012"`)
is dropped and said in one diagnostic per field, `item 3 (id "x"): author: expected a
list of names, got a string`; the item's other fields are kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from refs.errors import InputError
from refs.model import Item, Reference, Span
from refs.normalize import normalize_item
from refs.readers.csl_schema import check_item, json_kind

__all__ = ["read_csl_json"]

_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def read_csl_json(text: str) -> list[Reference]:
    """Every item of a CSL-JSON text, in order, with the lines it spans."""
    text = text.removeprefix("\ufeff")
    data = _load(text)
    if isinstance(data, dict):
        offsets = [(_skip_space(text, 0), len(text.rstrip()))]
        data = [data]
    elif isinstance(data, list):
        offsets = _element_offsets(text)
    else:
        raise InputError(f"not CSL-JSON: expected an array of items, got {json_kind(data)}")
    refs: list[Reference] = []
    for index, (obj, (start, end)) in enumerate(zip(data, offsets, strict=True), start=1):
        if not isinstance(obj, dict):
            line = _line(text, start)
            raise InputError(f"not CSL-JSON: item {index} (line {line}) is {json_kind(obj)}")
        refs.append(_reference(obj, index, text, start, end))
    return refs


def _load(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not CSL-JSON: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc


def _element_offsets(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each element of the top-level array, which is valid JSON."""
    decoder = json.JSONDecoder()
    offsets: list[tuple[int, int]] = []
    pos = _skip_space(text, 0) + 1  # past "["
    while True:
        pos = _skip_space(text, pos)
        if text[pos] == "]":
            return offsets
        _, end = decoder.raw_decode(text, pos)
        offsets.append((pos, end))
        pos = _skip_space(text, end)
        if text[pos] == ",":
            pos += 1


def _skip_space(text: str, pos: int) -> int:
    match = _JSON_SPACE.match(text, pos)
    return match.end() if match else pos


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _reference(obj: dict[str, Any], index: int, text: str, start: int, end: int) -> Reference:
    span = Span(_line(text, start), _line(text, max(start, end - 1)))
    return reference_from_csl(obj, index, text[start:end], span)


def reference_from_csl(obj: Mapping[str, Any], index: int, text: str, span: Span) -> Reference:
    """One CSL-JSON item as a normalised reference (`text`: how the input prints it).

    A field whose value has the wrong type is left out, with a diagnostic saying why.
    """
    good, problems = check_item(obj)
    item, repairs = normalize_item(Item.from_csl(good))
    key = good.get("id")
    doi = good.get("DOI")
    where = f"item {index}" if key in (None, "") else f"item {index} (id {_quote(key)})"
    return Reference(
        index=index,
        text=text,
        span=span,
        item=item,
        style="csl-json",
        doi_input=doi if isinstance(doi, str) and doi else None,
        key=str(key) if key not in (None, "") else None,
        repairs=repairs,
        diagnostics=tuple(f"{where}: {problem}" for problem in problems),
    )


def _quote(key: Any) -> str:
    return json.dumps(key, ensure_ascii=False) if isinstance(key, str) else str(key)
