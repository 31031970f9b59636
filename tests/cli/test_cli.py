"""The CLI in-process (CliRunner) and once as the installed `refs` command."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from refs.cli import app

ROOT = Path(__file__).resolve().parents[2]
HAL = ROOT / "refs" / "hal-ovarian-cancer.txt"
MEDSCI = ROOT / "refs" / "medsci-2014-microenvironment.txt"

runner = CliRunner()


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_parse_to_json_has_one_record_per_reference() -> None:
    code, out, _ = run("parse", str(MEDSCI))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["index"] for r in records] == list(range(1, 51))
    first = records[0]
    assert set(first) >= {"index", "text", "parsed", "repairs"}
    assert first["parsed"]["page"] == "6698-6702"
    assert first["lines"] == [2, 2]


def test_clean_writes_bibtex_by_default_and_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "hal.bib"
    code, _, err = run("clean", str(HAL), "-o", str(out))
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("@article{") == 50
    assert "pages = {2154--2164}" in text
    assert "50 references" in err


@pytest.mark.parametrize("to", ["csl-json", "ris", "json", "bibtex"])
def test_clean_every_output_format_reads_back(to: str, tmp_path: Path) -> None:
    out = tmp_path / f"out.{to}"
    assert run("clean", str(HAL), "--to", to, "-o", str(out))[0] == 0
    if to == "json":
        return
    code, again, _ = run("parse", str(out))
    assert code == 0
    assert len(again.splitlines()) == 50


def test_stdin_input() -> None:
    code, out, _ = run("parse", "-", input=MEDSCI.read_text(encoding="utf-8"))
    assert code == 0
    assert len(out.splitlines()) == 50


def test_forced_input_format() -> None:
    code, out, _ = run("parse", "--from", "text", str(HAL))
    assert code == 0
    assert json.loads(out.splitlines()[0])["style"] == "hal"


def test_output_never_overwrites_the_input(tmp_path: Path) -> None:
    copy = tmp_path / "list.txt"
    shutil.copy(HAL, copy)
    before = copy.read_bytes()
    code, _, err = run("clean", str(copy), "-o", str(copy))
    assert code != 0
    assert "refusing" in err
    assert copy.read_bytes() == before


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    empty = tmp / "empty.txt"
    empty.write_text("")
    binary = tmp / "bin.dat"
    binary.write_bytes(gzip.compress(b"x" * 1000))
    latin = tmp / "latin1.txt"
    latin.write_bytes("Müller A. Titre. J. 2001;1:1.".encode("latin-1"))
    big = tmp / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
        handle.seek(0)
        handle.write(b"A. B, T, J, 2001.\n")
    not_list = tmp / "item.json"
    not_list.write_text('"just a string"')
    return {
        "missing": tmp / "nope.txt",
        "directory": tmp,
        "empty": empty,
        "binary": binary,
        "latin1": latin,
        "50MB": big,
        "csl-not-a-list": not_list,
    }


@pytest.mark.parametrize(
    "case", ["missing", "directory", "empty", "binary", "latin1", "50MB", "csl-not-a-list"]
)
def test_bad_input_is_one_line_and_nonzero(case: str, tmp_path: Path) -> None:
    path = _bad_inputs(tmp_path)[case]
    code, out, err = run("clean", str(path))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("refs: error: ")
    assert "Traceback" not in err


def test_broken_bibtex_entry_is_reported_and_the_good_ones_written(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{good1, author={Siegel, R.}, title={Cancer statistics}, journal={CA}, year={2012}}\n"
        "@article{broken, author={Oops, title={Never closed}, year=2012\n\n"
        "@article{good2, author={Burger, R.}, title={Overview}, journal={Gynecol Oncol}, year={2011}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.bib"
    code, _, err = run("clean", str(bib), "-o", str(out))
    written = out.read_text(encoding="utf-8")
    assert "good1" in written and "good2" in written
    assert "broken" in err.lower()
    assert code == 1  # written, but the user must know an entry was lost


def test_installed_entry_point_runs() -> None:
    refs = Path(sys.executable).parent / "refs"
    result = subprocess.run(
        [str(refs), "parse", str(MEDSCI)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 50
    result = subprocess.run([str(refs), "parse", "/nonexistent"], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == "refs: error: /nonexistent: no such file"


def test_help_lists_the_commands() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "parse" in out and "clean" in out


def test_output_gets_the_mode_a_new_file_would_get(tmp_path: Path) -> None:
    import os

    out = tmp_path / "out.bib"
    assert run("clean", "--no-verify", str(HAL), "-o", str(out))[0] == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_version() -> None:
    import refs

    code, out, _ = run("--version")
    assert (code, out) == (0, f"refs {refs.__version__}\n")
