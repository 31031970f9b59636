"""`refs check` in-process: exit codes, report formats, stdin, partial reports, the summary."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from check_support import COMPONENT, RETRACTED, digest, doi, shared_index, write_lines
from rich.console import Console
from typer.testing import CliRunner

from refs.check.render import PlainProgress, RichProgress, console, display_for
from refs.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_index(tmp_path_factory)


def run(index: Path, *args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", "--index", str(index), *args], input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    return write_lines(tmp_path / "dois.txt", [
        doi(1), f"https://doi.org/{doi(2)}", "garbage <b>line</b>", COMPONENT,
        "10.5555/nowhere.1", doi(RETRACTED),
    ])  # fmt: skip


def test_report_rows_summary_and_exit_status(index_path: Path, mixed: Path) -> None:
    before = digest([mixed])
    code, out, err = run(index_path, str(mixed))
    assert code == 1  # unknown, invalid and retracted are in the default --fail-on
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["line"], r["doi_status"]) for r in rows] == [
        (1, "confirmed"), (2, "confirmed"), (3, "invalid"), (4, "supplement"), (5, "unknown"),
        (6, "confirmed"),
    ]  # fmt: skip
    assert set(rows[0]) == {"file", "line", "entry", "doi_input", "doi_status", "doi",
                            "confidence", "flags", "updates", "why", "source"}  # fmt: skip
    assert rows[1]["doi_input"] == f"https://doi.org/{doi(2)}" and rows[1]["doi"] == doi(2)
    assert rows[0]["source"] == "index" and rows[0]["file"] == str(mixed)
    assert rows[5]["updates"][0]["kind"] == "retraction"
    assert "status: unknown 1 · invalid 1 · supplement 1 · confirmed 3" in err
    assert "RETRACTED" in err and "notices: retraction 1" in err
    assert "failing (--fail-on): 1 unknown, 1 retracted, 1 invalid" in err
    assert digest([mixed]) == before  # the input is never written

    code, _, _ = run(index_path, str(mixed), "--fail-on", "wrong")
    assert code == 0
    clean = write_lines(mixed.parent / "clean.txt", [doi(1), doi(2)])
    assert run(index_path, str(clean))[0] == 0


@pytest.mark.parametrize("fmt", ["csv", "markdown", "html"])
def test_report_formats(index_path: Path, mixed: Path, tmp_path: Path, fmt: str) -> None:
    suffix = {"csv": ".csv", "markdown": ".md", "html": ".html"}[fmt]
    target = tmp_path / f"report{suffix}"
    code, out, err = run(index_path, str(mixed), "-o", str(target), "--fail-on", "wrong")
    assert code == 0 and out == ""
    assert f"report: {target} ({fmt})" in err
    text = target.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".report*"))  # no temporary file left
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == 6 and rows[3]["doi_status"] == "supplement"
        assert rows[3]["flags"].startswith(f"DOI: {COMPONENT} -> {doi(7)} [mismatch]")
        assert rows[5]["updates"] == "retraction 10.5555/notice.11 2021-03-04"
    elif fmt == "markdown":  # the review summary `refs clean --to markdown` writes
        assert text.startswith("## refs check against index\n\n6 records checked")
        assert "| ✓ Confirmed | 3 |" in text and "| ! Invalid | 1 |" in text
        to_check = text.split("### To check", 1)[1].splitlines()
        cells = [line.split(" | ") for line in to_check if ".txt:" in line]
        # what to fix, the retracted first: lines 6 (retracted), 5, 3 (unreadable) and 4
        assert [(row[0].rsplit(":", 1)[1], row[1]) for row in cells] == [
            ("6", "✓ Confirmed"), ("5", "? Unknown DOI"), ("3", "! Invalid"),
            ("4", "§ Supplement DOI"),
        ]  # fmt: skip
        assert "> **Retraction**:" in text
    else:  # the review page `refs clean --to html` writes, one row per record
        assert text.startswith("<!DOCTYPE html>") and text.count('"o":') == 6
        assert "\\u003cb\\u003eline" in text and "<b>line</b>" not in text


def test_stdin_quiet_and_explicit_format(index_path: Path) -> None:
    code, out, err = run(index_path, "-", "-q", "--format", "csv",
                         input=f"{doi(3)}\n{doi(4)}\n")  # fmt: skip
    assert code == 0 and err == ""
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["file"], r["line"], r["doi_status"]) for r in rows] == [
        ("-", "1", "confirmed"), ("-", "2", "confirmed")
    ]  # fmt: skip


def test_bad_inputs_are_reported_and_the_job_goes_on(index_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    table = tmp_path / "people.csv"
    table.write_text("name,age\nann,3\n", encoding="utf-8")
    latin = tmp_path / "latin.txt"
    latin.write_bytes(f"{doi(1)}\n10.5555/caf\xe9\n".encode("latin-1"))
    inputs = [empty, table, latin]
    before = digest(inputs)
    code, out, err = run(index_path, *map(str, inputs))
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(Path(r["file"]).name, r["line"], r["doi_status"]) for r in rows] == [
        ("latin.txt", 1, "confirmed"), ("latin.txt", 2, "invalid"),
    ]  # fmt: skip
    assert rows[1]["why"] == "not UTF-8: byte 0xe9 at column 12"
    assert f"unreadable: {empty}: is empty" in err
    assert "no DOI column (columns: 'name', 'age')" in err
    assert digest(inputs) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "no such file"),
        (["EMPTY"], "no record could be read"),
        (["OK", "--fail-on", "wrong,sad"], "--fail-on sad: not a status"),
        (["OK", "--format", "pdf"], "--format pdf"),
        (["OK", "--workers", "0"], "--workers 0"),
        (["OK", "--columns", "colour=1"], "--columns"),
        (["--resume"], "no input"),
        (["--partial"], "--partial needs --job"),
    ],
)
def test_usage_and_input_errors_exit_2(
    index_path: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    ok = write_lines(tmp_path / "ok.txt", [doi(1)])
    args = [str(empty) if a == "EMPTY" else str(ok) if a == "OK" else a for a in args]
    code, _, err = run(index_path, *args)
    assert code == 2, err
    assert message in err and "refs: error:" in err


def test_refuses_to_write_the_report_over_an_input(index_path: Path, mixed: Path) -> None:
    before = digest([mixed])
    code, _, err = run(index_path, str(mixed), "-o", str(mixed))
    assert code == 2 and "is an input file" in err  # an output error, not a --fail-on 1
    assert digest([mixed]) == before


def test_explicit_job_partial_report_and_resume_of_a_finished_job(
    index_path: Path, mixed: Path, tmp_path: Path
) -> None:
    job = tmp_path / "job"
    code, out, _ = run(index_path, str(mixed), "--job", str(job), "--fail-on", "wrong")
    assert code == 0 and (job / "journal.sqlite").exists()  # an explicit job is kept
    code, _, err = run(index_path, str(mixed), "--job", str(job))
    assert code == 2 and "add --resume" in err
    code, partial, err = run(index_path, "--job", str(job), "--partial", "--fail-on", "wrong")
    assert code == 0 and partial == out and "partial: 6 records answered so far" in err
    code, again, err = run(index_path, "--job", str(job), "--resume", "--fail-on", "wrong")
    assert code == 0 and again == out


def test_console_respects_no_color_and_terminals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert console().no_color
    monkeypatch.delenv("NO_COLOR")
    assert not console().no_color
    assert isinstance(display_for(quiet=False), PlainProgress)  # tests run without a TTY
    buffer = io.StringIO()
    terminal = Console(file=buffer, force_terminal=True, width=100)
    bar = display_for(quiet=False, out=terminal)
    assert isinstance(bar, RichProgress)
    bar.start(10, 2)
    bar.advance(12)  # past an estimated total: the total follows
    bar.stop()
    assert "refs check" in buffer.getvalue()


def test_plain_progress_lines_say_rate_and_time_left() -> None:
    out = io.StringIO()
    progress = PlainProgress(out, interval=0.0)
    progress.start(1000, 100)
    progress.advance(400)
    progress.stop()
    first, second = out.getvalue().splitlines()
    assert first == "refs: checking ~1,000 records (100 already done)"
    assert second.startswith("refs: 500 of ~1,000 records (50%), ")
    assert "/s" in second and "left" in second
