"""The Markdown summary (`refs check --format markdown`, `refs clean --to markdown`) in Chromium.

A reference list can carry HTML (`<script>`, `<img onerror>`). The summary is read where
Markdown becomes HTML (pull requests, CI pages), and renderers pass raw HTML through, so
the summary must escape it: rendered with markdown-it-py (raw HTML on) and loaded in
headless Chromium, no script of the input runs and no element of the input exists.

Needs Debian's `chromium` and pip `playwright` (executable_path=/usr/bin/chromium; never
`playwright install`), like tests/html/test_browser.py; each test skips when they are absent.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from refs.cli import app

CHROMIUM = os.environ.get("REFS_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SCRIPT = "<script>window.__pwned=1</script>"
IMAGE = '<img src=x onerror="window.__pwned=1">'
TIGHT_IMAGE = "<img/src=x/onerror=window.__pwned=1>"  # no space: kept whole in a printed DOI

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    api = pytest.importorskip(
        "playwright.sync_api", reason="browser tests need pip `playwright` (not installed)"
    )
    if not Path(CHROMIUM).is_file() and not shutil.which(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def to_html(markdown: str) -> str:
    """Markdown as a Markdown site shows it: tables on, raw HTML passed through."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    return f"<!DOCTYPE html><html><head><meta charset=utf-8></head><body>{body}</body></html>"


def loaded(browser: Any, html: str) -> dict[str, Any]:
    """What the page comes to in Chromium: the flag a payload sets, elements, text."""
    page = browser.new_page()
    requests: list[str] = []

    def block(route: Any) -> None:
        requests.append(route.request.url)
        route.abort()

    page.route("**/*", block)
    try:
        page.set_content(html, wait_until="load")
        return {
            "pwned": page.evaluate("typeof window.__pwned"),
            "scripts": page.locator("script").count(),
            "images": page.locator("img").count(),
            "text": page.inner_text("body"),
            "requests": requests,
        }
    finally:
        page.close()


def markdown_of(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout.startswith("## "), result.stdout[:200]
    return result.stdout


def assert_inert(browser: Any, markdown: str, payloads: tuple[str, ...]) -> None:
    seen = loaded(browser, to_html(markdown))
    assert seen["pwned"] == "undefined"
    assert seen["scripts"] == 0 and seen["images"] == 0
    assert seen["requests"] == []
    for payload in payloads:
        assert payload in seen["text"]  # shown as text, not dropped


def test_the_renderer_runs_raw_html(browser: Any) -> None:
    """The control: unescaped, the payloads would run, so the tests below mean something."""
    for payload in (SCRIPT, IMAGE):
        seen = loaded(browser, to_html(f"| a |\n|--|\n| x |\n\n{payload}\n"))
        assert seen["pwned"] == "number", payload


def test_check_markdown_is_inert(browser: Any, tmp_path: Path) -> None:
    dois = tmp_path / "dois.txt"
    dois.write_text(f"{SCRIPT}\n{IMAGE}\n10.1172/JCI45273\n", encoding="utf-8")
    markdown = markdown_of("check", str(dois), "--from", "doi-list", "--format", "markdown")
    assert "### To check" in markdown
    assert_inert(browser, markdown, (SCRIPT, IMAGE))


def test_clean_markdown_is_inert(browser: Any, tmp_path: Path) -> None:
    """A reference list (text) carrying HTML, some in its printed DOIs: shown as text only."""
    listing = tmp_path / "refs.txt"
    listing.write_text(
        f"1. Smith J, Doe A. A study of things {IMAGE}. Nature. 2001;12:1-9."
        f" doi:10.5555/x{SCRIPT}\n"
        f"2. Roe B. Another study. J Test. 2003;4:5-6. doi:10.5555/y{TIGHT_IMAGE}\n",
        encoding="utf-8",
    )
    markdown = markdown_of("clean", str(listing), "--to", "markdown")
    assert "### To check" in markdown
    assert_inert(browser, markdown, (SCRIPT, TIGHT_IMAGE))
