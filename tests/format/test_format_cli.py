"""`refs format`, and `refs clean --style / --to text|html|markdown`, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from refs.cli import app

ROOT = Path(__file__).resolve().parents[2]
HAL = ROOT / "refs" / "hal-ovarian-cancer.txt"

runner = CliRunner()


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_format_defaults_to_vancouver_from_the_verified_records() -> None:
    code, out, err = run("format", str(HAL))
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 50
    assert lines[0].startswith("1. Siegel R, Naishadham D, Jemal A. Cancer statistics, 2012.")
    assert "2012;62(1):10–29. doi:10.3322/caac.20138" in lines[0]  # the registry's volume
    assert "50 references checked against the local index" in err  # as `refs clean` says


def test_no_verify_formats_the_entries_as_printed() -> None:
    code, out, err = run("format", str(HAL), "--no-verify", "--style", "apa")
    assert code == 0, err
    assert "checked against" not in err
    assert any(
        line.startswith("Siegel, R., Naishadham, D., & Jemal, A. (2012).")
        for line in out.splitlines()
    )
    assert "287" in out  # the printed (wrong) volume stays


@pytest.mark.parametrize(("to", "marker"), [("html", "<!DOCTYPE html>"), ("markdown", "1. Siegel"),
                                            ("rtf", "{\\rtf1")])  # fmt: skip
def test_format_targets(to: str, marker: str, tmp_path: Path) -> None:
    out = tmp_path / f"bib.{to}"
    code, _, err = run("format", str(HAL), "--no-verify", "--to", to, "-o", str(out))
    assert code == 0, err
    assert marker in out.read_text(encoding="utf-8")


def test_format_reads_standard_input_and_a_style_file(tmp_path: Path) -> None:
    from refs.export.csl import installed_styles

    style = tmp_path / "house.csl"
    style.write_bytes(installed_styles()["ieee"].read_bytes())
    code, out, _ = run("format", "-", "--no-verify", "-s", str(style), input=HAL.read_text())
    assert code == 0
    assert out.startswith("[1] R. Siegel, D. Naishadham, and A. Jemal, “Cancer statistics, 2012,”")


def test_list_styles_with_and_without_a_query() -> None:
    code, out, _ = run("format", "--list-styles", "vancouver")
    assert code == 0
    assert out.splitlines()[0].startswith("vancouver -> nlm-citation-sequence")
    assert "elsevier-vancouver " in out
    code, _, err = run("format", "--list-styles", "zzzz-none")
    assert code == 2
    assert "no style name or title has 'zzzz-none'" in err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--style", "vancover"], "unknown style 'vancover'; did you mean vancouver"),
        (["--locale", "fr-XX"], "unknown locale 'fr-XX'; did you mean fr-CA, fr-FR"),
        (["--style", "BAD"], "not a CSL style: not XML"),
    ],
)
def test_user_errors_are_one_line_with_suggestions(
    args: list[str], says: str, tmp_path: Path
) -> None:
    if "BAD" in args:
        bad = tmp_path / "bad.csl"
        bad.write_text("not xml at all", encoding="utf-8")
        args = ["--style", str(bad)]
    code, out, err = run("format", str(HAL), *args)
    assert code == 2
    assert out == ""
    assert says in err
    assert len(err.strip().splitlines()) == 1


def test_an_empty_input_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, _, err = run("format", str(empty))
    assert code == 2
    assert err.strip() == f"refs: error: {empty}: is empty"


def test_format_without_input_says_so() -> None:
    code, _, err = run("format")
    assert code == 2
    assert "missing INPUT" in err


def test_clean_style_writes_the_corrected_bibliography() -> None:
    code, out, _ = run("clean", str(HAL), "--style", "vancouver")
    assert code == 0
    assert out.splitlines()[0].startswith("1. Siegel R") and "2012;62(1)" in out.splitlines()[0]


def test_clean_style_with_a_structured_output_is_refused() -> None:
    code, out, err = run("clean", str(HAL), "--style", "apa", "--to", "ris")
    assert code == 2
    assert out == ""
    assert "--style writes formatted entries: use it with --to text, html or markdown" in err


def test_clean_unknown_style_fails_before_verifying() -> None:
    code, _, err = run("clean", str(HAL), "--style", "vancover")
    assert code == 2
    assert "checked against" not in err


def test_clean_to_markdown_and_html_report(tmp_path: Path) -> None:
    code, md, _ = run("clean", str(HAL), "--to", "markdown")
    assert code == 0
    assert md.startswith("## refs review: hal-ovarian-cancer.txt")
    assert "| ✗ Wrong DOI | 5 |" in md
    page = tmp_path / "report.html"
    code, _, _ = run("clean", str(HAL), "--to", "html", "-o", str(page))
    assert code == 0
    html = page.read_text(encoding="utf-8")
    assert '<span class="n" data-count="wrong">5</span>' in html
    code, out, _ = run("clean", str(HAL), "--to", "json")
    statuses = [json.loads(line)["doi_status"] for line in out.splitlines()]
    assert statuses.count("wrong") == 5


def test_clean_html_with_a_style_copies_formatted_entries(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    code, _, _ = run("clean", str(HAL), "--to", "html", "--style", "apa", "-o", str(page))
    assert code == 0
    assert '"copyFormat":"apa style"' in page.read_text(encoding="utf-8")


def test_parse_to_text_markdown_and_html() -> None:
    code, out, _ = run("parse", str(HAL), "--to", "text")
    assert code == 0
    assert out.startswith("1. Siegel R, Naishadham D, Jemal A.")
    code, out, _ = run("parse", str(HAL), "--to", "markdown")
    assert code == 0
    assert "| ○ Not verified | 50 |" in out
    code, out, _ = run("parse", str(HAL), "--to", "html")
    assert code == 0
    assert 'data-count="unverified">50<' in out
