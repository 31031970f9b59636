"""The review report from JSON records: HTML page and Markdown summary (no browser)."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from refs.cli import app
from refs.model import STATUSES
from refs.report.html import render_html, render_markdown
from refs.report.notices import STATUS_INFO

ROOT = Path(__file__).resolve().parents[2]
HAL = ROOT / "refs" / "hal-ovarian-cancer.txt"


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The HAL list verified against the default index, as `refs clean --to json` has it."""
    base = tmp_path_factory.mktemp("xdg")
    env = {"XDG_DATA_HOME": str(base / "data"), "XDG_CACHE_HOME": str(base / "cache")}
    result = CliRunner().invoke(app, ["clean", str(HAL), "--to", "json"], env=env)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def retracted(record: dict[str, Any]) -> dict[str, Any]:
    notice = {"kind": "retraction", "doi": "10.1000/notice.1", "source": "retraction-watch",
              "date": "2020-01-02"}  # fmt: skip
    return record | {"updates": [notice]}


def test_every_status_has_a_label_and_an_icon() -> None:
    assert set(STATUS_INFO) == set(STATUSES)
    assert len({i.icon for i in STATUS_INFO.values()}) == len(STATUSES)  # tells them apart


def test_the_counts_shown_are_the_records(records: list[dict[str, Any]]) -> None:
    page = render_html(records, "HAL")
    shown = {
        m.group(1): int(m.group(2)) for m in re.finditer(r'data-count="([a-z]+)">(\d+)<', page)
    }
    counts = Counter(r["doi_status"] for r in records)
    flagged = sum(1 for r in records if any(f["kind"] != "cosmetic" for f in r["flags"]))
    assert shown == {**counts, "flagged": flagged, "retracted": 0}
    assert counts["wrong"] == 5


def test_the_page_loads_nothing(records: list[dict[str, Any]]) -> None:
    page = render_html(records, "HAL")
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"url\(", page)
    assert "@import" not in page


def test_text_cannot_break_out_of_the_data_block(records: list[dict[str, Any]]) -> None:
    evil = records[0] | {"text": "</script><script>alert(1)</script> <!-- &amp;"}
    page = render_html([evil, *records[1:]], "<b>title</b>")
    assert "alert(1)</script>" not in page
    assert page.count("</script>") == 2  # the data block and the code
    assert "&lt;b&gt;title&lt;/b&gt;" in page
    data = page.split('id="refs-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)["rows"][0]["t"].startswith("</script><script>")


def test_retractions_are_announced_above_the_list(records: list[dict[str, Any]]) -> None:
    marked = [retracted(records[4]) if i == 4 else r for i, r in enumerate(records)]
    page = render_html(marked, "HAL")
    alert = page.split('<section class="alert"', 1)[1].split("</section>", 1)[0]
    assert "1 cited work retracted or under concern" in alert
    assert 'href="https://doi.org/10.1000/notice.1"' in alert
    assert 'data-count="retracted">1<' in page
    assert page.index('class="alert"') < page.index('id="refs-list"')


def test_each_row_carries_its_corrected_bibtex(records: list[dict[str, Any]]) -> None:
    page = render_html(records, "HAL")
    rows = json.loads(page.split('id="refs-data">', 1)[1].split("</script>", 1)[0])["rows"]
    first = rows[0]
    assert first["s"] == records[0]["doi_status"]
    assert first["e"].startswith("@article{")
    assert "volume = {62}" in first["e"]  # the registry's value, not the printed 287
    assert first["x"] is True


def test_a_style_makes_the_copied_entry_formatted(records: list[dict[str, Any]]) -> None:
    page = render_html(records[:3], "HAL", style="vancouver")
    rows = json.loads(page.split('id="refs-data">', 1)[1].split("</script>", 1)[0])["rows"]
    assert rows[0]["e"].startswith("1. Siegel R, Naishadham D, Jemal A.")


def test_ten_thousand_rows_render_in_seconds(records: list[dict[str, Any]]) -> None:
    many = [r | {"index": i + 1} for i, r in enumerate(records * 200)]
    started = time.perf_counter()
    page = render_html(many, "big")
    assert time.perf_counter() - started < 60
    assert 'data-count="wrong">1000<' in page
    assert page.count('<li class="ref"') == 1  # the row template: rows are drawn a page at a time


def test_markdown_summary(records: list[dict[str, Any]]) -> None:
    marked = [retracted(records[4]) if i == 4 else r for i, r in enumerate(records)]
    text = render_markdown(marked, "refs review: HAL | list")
    assert text.startswith("## refs review: HAL \\| list\n")
    assert "| ✗ Wrong DOI | 5 | the printed DOI belongs to another work |" in text
    assert "> [!CAUTION]" in text and "**Retraction**: reference 5" in text
    table = text.split("### To check", 1)[1]
    first_row = next(line for line in table.splitlines() if line.startswith("| 5 |"))
    assert table.index(first_row) < table.index("| 9 |")  # the retracted first
    assert (
        "| 1 | ? Unknown DOI | 10.1001/jama.287.16.2106 | 10.3322/caac.20138 | volume: 287 → 62"
        in text
    )


def test_markdown_limits_the_table(records: list[dict[str, Any]]) -> None:
    text = render_markdown(records, "HAL", limit=3)
    assert "… and " in text
    assert text.count("\n| ") < 20


def test_nothing_to_fix() -> None:
    ok = {"index": 1, "text": "x", "doi_status": "confirmed", "flags": [], "updates": []}
    assert "Nothing to fix." in render_markdown([ok], "fine")
