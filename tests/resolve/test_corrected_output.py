"""A corrected entry never carries a DOI refs knows to be another work's (issue 18).

`refs clean` on the HAL sample list, every output format: a `wrong` DOI with no
replacement leaves the entry's DOI field for its note, which says why; an `unknown`
DOI (not in this source) stays; a DOI added by search is said in the BibTeX comments;
no comment prints a Python `None`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bibtexparser.entrypoint import parse_string
from typer.testing import CliRunner

from refs.cli import app

ROOT = Path(__file__).resolve().parents[2]
HAL = ROOT / "refs" / "hal-ovarian-cancer.txt"

runner = CliRunner()

# What `refs clean` (or `refs format`) is asked for, by the name the tests use.
RUNS = {
    "json": ("clean", "--to", "json"),
    "bibtex": ("clean", "--to", "bibtex"),
    "csl-json": ("clean", "--to", "csl-json"),
    "ris": ("clean", "--to", "ris"),
    "apa": ("clean", "--style", "apa"),
    "format": ("format",),
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Each output of the HAL list, built once (one default index for the module)."""
    base = tmp_path_factory.mktemp("xdg-corrected")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(base / "data"))
        mp.setenv("XDG_CACHE_HOME", str(base / "cache"))
        for name in ("REFS_INDEX", "REFS_MAILTO"):
            mp.delenv(name, raising=False)
        out = {}
        for name, args in RUNS.items():
            result = runner.invoke(app, [args[0], str(HAL), *args[1:]])
            assert result.exit_code == 0, result.stderr
            out[name] = result.stdout
        yield out


@pytest.fixture(scope="module")
def records(outputs: dict[str, str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in outputs["json"].splitlines() if line.strip()]


@pytest.fixture(scope="module")
def wrong(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """References whose printed DOI is another work's, with no DOI found for them."""
    found = [r for r in records if r["doi_status"] == "wrong" and r["doi"] is None]
    assert 9 in [r["index"] for r in found]  # prints 10.1172/JCI45273, another article's
    return found


def _bibtex_entries(text: str) -> list[Any]:
    return list(parse_string(text).entries)


def _ris_entries(text: str) -> list[str]:
    return [e for e in text.split("ER  -") if e.strip()]


def _formatted_line(text: str, title: str) -> str:
    """The one line of a formatted bibliography that prints `title`."""
    lines = [line for line in text.splitlines() if title.lower() in line.lower()]
    assert len(lines) == 1, (title, lines)
    return lines[0]


def test_reference_9_says_why_its_doi_is_gone(records: list[dict[str, Any]]) -> None:
    ref = records[8]
    assert (ref["index"], ref["doi_input"], ref["doi_status"]) == (9, "10.1172/JCI45273", "wrong")
    corrected = ref["corrected"]
    assert corrected is not None and "DOI" not in corrected
    note = corrected["note"]
    assert note.startswith("refs: the printed DOI 10.1172/JCI45273 is that of another work, “")
    assert "Journal of Clinical Investigation" in note
    assert note.endswith("no DOI found for this one")


def test_bibtex_moves_a_wrong_doi_to_the_note(
    outputs: dict[str, str], wrong: list[dict[str, Any]]
) -> None:
    entries = _bibtex_entries(outputs["bibtex"])
    assert len(entries) == 50
    for ref in wrong:
        fields = entries[ref["index"] - 1].fields_dict
        assert "doi" not in fields, ref["index"]
        note = fields["note"].value
        assert ref["doi_input"] in note and "is that of another work" in note
    comments = outputs["bibtex"].split("% refs: reference 9: wrong", 1)[1].split("@", 1)[0]
    assert "DOI: 10.1172/JCI45273 [mismatch; moved to the note]" in comments


def test_csl_json_moves_a_wrong_doi_to_the_note(
    outputs: dict[str, str], wrong: list[dict[str, Any]]
) -> None:
    items = json.loads(outputs["csl-json"])
    assert len(items) == 50
    for ref in wrong:
        item = items[ref["index"] - 1]
        assert "DOI" not in item, ref["index"]
        assert ref["doi_input"] in item["note"] and "is that of another work" in item["note"]


def test_ris_moves_a_wrong_doi_to_the_note(
    outputs: dict[str, str], wrong: list[dict[str, Any]]
) -> None:
    entries = _ris_entries(outputs["ris"])
    assert len(entries) == 50
    for ref in wrong:
        lines = entries[ref["index"] - 1].splitlines()
        assert not [line for line in lines if line.startswith("DO  -")], ref["index"]
        notes = [line for line in lines if line.startswith("N1  -")]
        assert any(ref["doi_input"] in n and "is that of another work" in n for n in notes)


@pytest.mark.parametrize("output", ["apa", "format"])
def test_formatted_bibliographies_print_no_wrong_doi(
    outputs: dict[str, str], wrong: list[dict[str, Any]], output: str
) -> None:
    for ref in wrong:
        line = _formatted_line(outputs[output], ref["corrected"]["title"])
        doi = ref["doi_input"]
        assert doi.lower() not in line.lower(), (ref["index"], line)
        assert "doi.org/" not in line and "doi:" not in line, (ref["index"], line)


def test_an_unknown_doi_is_kept(outputs: dict[str, str], records: list[dict[str, Any]]) -> None:
    """Not in this (small) source is no evidence that a DOI is wrong."""
    unknown = [r for r in records if r["doi_status"] == "unknown" and r["doi"] is None]
    assert unknown
    entries = _bibtex_entries(outputs["bibtex"])
    items = json.loads(outputs["csl-json"])
    for ref in unknown:
        assert entries[ref["index"] - 1].fields_dict["doi"].value == ref["doi_input"]
        assert items[ref["index"] - 1]["DOI"] == ref["doi_input"]
        assert "note" not in items[ref["index"] - 1]


def test_a_doi_found_by_search_is_said_in_the_comments(
    outputs: dict[str, str], records: list[dict[str, Any]]
) -> None:
    found = [r for r in records if r["doi_status"] == "found"]
    assert found
    for ref in found:
        head = f"% refs: reference {ref['index']}: found"
        assert head in outputs["bibtex"], ref["index"]
        comments = outputs["bibtex"].split(head, 1)[1].split("@", 1)[0]
        assert f"DOI: ∅ -> {ref['doi']} [missing; added]" in comments


def test_no_comment_prints_none(outputs: dict[str, str]) -> None:
    comments = [line for line in outputs["bibtex"].splitlines() if line.startswith("%")]
    assert comments
    assert not [line for line in comments if "None" in line]
    for name in ("csl-json", "ris"):
        assert "-> None" not in outputs[name]
