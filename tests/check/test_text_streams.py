"""A long text list is checked as it is read: each reference is parsed when its chunk comes
(issue 18, item 5: a 60 MB list answered nothing for minutes while the whole was parsed)."""

from __future__ import annotations

import importlib
import itertools
from pathlib import Path

import pytest

from refs.check.inputs import Unusable, expand_inputs, read_records
from refs.model import Reference, Span


def test_a_text_list_is_parsed_one_reference_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "list.txt"
    path.write_text(
        "".join(f"{n}. Author A. A title number {n}. J Test. 2001;1:{n}-{n + 1}.\n"
                for n in range(1, 2001)),
        encoding="utf-8",
    )  # fmt: skip
    parse_module = importlib.import_module("refs.parse")  # `refs.parse` is the library verb
    parsed: list[int] = []
    real = parse_module.parse_reference

    def counting(text: str, index: int = 1, span: Span | None = None) -> Reference:
        parsed.append(index)
        return real(text, index, span)  # type: ignore[no-any-return]

    monkeypatch.setattr(parse_module, "parse_reference", counting)
    [source] = expand_inputs([str(path)])
    records = read_records(source)
    first = list(itertools.islice(records, 3))
    assert [r.seq for r in first] == [1, 2, 3]
    assert first[2].reference is not None and first[2].reference.item.title == "A title number 3"
    assert parsed == [1, 2, 3]  # the other 1,997 are still text
    assert len(list(records)) == 1997


def test_a_text_list_of_punctuation_is_unusable(tmp_path: Path) -> None:
    path = tmp_path / "dots.txt"
    path.write_text("... ;;; ---\n", encoding="utf-8")
    [source] = expand_inputs([str(path)])
    with pytest.raises(Unusable, match="no references found"):
        list(read_records(source))
