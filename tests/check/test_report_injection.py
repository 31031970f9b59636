"""`refs check -o report.csv`: no cell a spreadsheet would run as a formula (CSV injection)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from check_support import doi, shared_index, write_lines
from typer.testing import CliRunner

from refs.check.render import spreadsheet_safe
from refs.cli import app

runner = CliRunner()
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+2"]


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_index(tmp_path_factory)


def run(index: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", "--index", str(index), *args])
    return result.exit_code, result.stdout, result.stderr


def test_csv_report_cells_never_start_a_formula(index_path: Path, tmp_path: Path) -> None:
    dois = write_lines(tmp_path / "dois.txt", [*HOSTILE, doi(1)])
    target = tmp_path / "report.csv"
    code, _, err = run(index_path, str(dois), "--from", "doi-list", "-o", str(target))
    assert code == 1, err  # the hostile lines are invalid
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    assert len(body) == 6
    for row in body:
        for cell in row:
            assert not cell.startswith(FORMULA_LEAD), (header, row)
    by_name = [dict(zip(header, row, strict=True)) for row in body]
    # the neutralised cells keep the input after the quote (a tab-led line is read stripped)
    assert [r["doi_input"] for r in by_name[:5]] == ["'" + h.strip() for h in HOSTILE]
    assert [r["doi_status"] for r in by_name] == ["invalid"] * 5 + ["confirmed"]
    assert by_name[0]["why"] == """not a DOI: '=HYPERLINK("http://evil","x")'"""
    assert by_name[5]["doi_input"] == doi(1) and by_name[5]["doi"] == doi(1)  # DOIs untouched


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("-", "-"),  # stdin's file name: no formula
        ("-2", "-2"),  # a plain negative number: no formula
        ("-0.25", "-0.25"),
        ("10.5555/check.1", "10.5555/check.1"),
        ("a=1+1", "a=1+1"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(text: str, safe: str) -> None:
    assert spreadsheet_safe(text) == safe
