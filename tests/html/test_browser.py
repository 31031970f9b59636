"""The HTML review report in headless Chromium: counts, filters, keys, phone width, axe-core.

Needs Debian's `chromium` (`apt-get install -y chromium`) and pip `playwright` (used with
executable_path=/usr/bin/chromium; never `playwright install`). The accessibility check
also needs axe-core's `axe.min.js` (npm `axe-core`): $REFS_AXE_JS, or
$REFS_NODE_DIR/node_modules/axe-core (default ~/.cache/refs-dev/node). Each test skips,
saying what is missing, when those are absent. Screenshots go to the test's tmp dir,
and to $REFS_SCREENSHOT_DIR when set.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from refs.cli import app

ROOT = Path(__file__).resolve().parents[2]
HAL = ROOT / "refs" / "hal-ovarian-cancer.txt"
CHROMIUM = os.environ.get("REFS_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip

pytestmark = pytest.mark.slow


def axe_script() -> Path | None:
    node_dir = Path(os.environ.get("REFS_NODE_DIR") or Path.home() / ".cache" / "refs-dev" / "node")
    for candidate in (
        os.environ.get("REFS_AXE_JS"),
        node_dir / "node_modules" / "axe-core" / "axe.min.js",
        ROOT / "node_modules" / "axe-core" / "axe.min.js",
        "/usr/share/nodejs/axe-core/axe.min.js",
    ):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def sync_api() -> Any:
    return pytest.importorskip(
        "playwright.sync_api", reason="browser tests need pip `playwright` (not installed)"
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    api = sync_api()
    if not Path(CHROMIUM).is_file() and not shutil.which(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def hal_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """The HAL list verified against the default index: the HTML report and the JSON records."""
    base = tmp_path_factory.mktemp("report")
    env = {"XDG_DATA_HOME": str(base / "data"), "XDG_CACHE_HOME": str(base / "cache")}
    page = base / "report.html"
    runner = CliRunner()
    made = runner.invoke(app, ["clean", str(HAL), "--to", "html", "-o", str(page)], env=env)
    assert made.exit_code == 0, made.stderr
    as_json = runner.invoke(app, ["clean", str(HAL), "--to", "json"], env=env)
    assert as_json.exit_code == 0, as_json.stderr
    return page, [json.loads(line) for line in as_json.stdout.splitlines()]


class Watched:
    """A page whose console errors and outgoing requests are recorded (and blocked)."""

    def __init__(self, browser: Any, width: int = 1200, height: int = 900) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("#refs-list li.ref")
        return self.page

    def close(self) -> None:
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.requests == [], f"requests left the page: {self.requests}"
        self.page.close()


def screenshot(page: Any, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    page.screenshot(path=str(target), full_page=False)
    if keep := os.environ.get("REFS_SCREENSHOT_DIR"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(target, Path(keep) / name)
    assert target.stat().st_size > 10_000
    return target


def test_counts_filter_keys_and_copy(
    browser: Any, hal_report: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    path, records = hal_report
    watched = Watched(browser)
    page = watched.open(path)
    counts = Counter(r["doi_status"] for r in records)
    shown = {
        el.get_attribute("data-count"): int(el.inner_text())
        for el in page.query_selector_all(".legend [data-count]")
    }
    assert shown == dict(counts)
    assert (
        page.inner_text("#status-line") == f"Showing 1–{len(records)} of {len(records)} references."
    )
    assert len(page.query_selector_all("#refs-list > li")) == len(records)

    page.click("button[data-filter=wrong]")
    assert page.get_attribute("button[data-filter=wrong]", "aria-pressed") == "true"
    rows = page.query_selector_all("#refs-list > li")
    assert len(rows) == counts["wrong"]
    assert all(r.get_attribute("data-status") == "wrong" for r in rows)
    assert page.inner_text("#status-line").startswith(
        f"Showing 1–{counts['wrong']} of {counts['wrong']}"
    )
    first = records[[r["doi_status"] for r in records].index("wrong")]
    assert page.inner_text("#refs-list > li .num") == f"Reference {first['index']}"
    assert page.text_content("#refs-list > li .badge") == "✗Wrong DOI"
    screenshot(page, tmp_path, "report-wrong-filter.png")

    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == f"ref-{first['index']}"
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.getAttribute('data-status')") == "wrong"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search"
    page.keyboard.type("10.1038/nrm1229")
    expect = sync_api().expect  # waits by polling, without eval (the page's CSP forbids it)
    expect(page.locator("#status-line")).to_contain_text("of 1 reference")

    page.click("#refs-list > li button.copy")
    expect(page.locator("#status-line")).to_contain_text(re.compile(r"^Cop(ied|ying)"))
    diff = page.query_selector("#refs-list > li table.diff")
    assert diff is not None
    assert "nrm1229" in diff.inner_text()
    watched.close()


def test_phone_width_has_no_sideways_scroll(
    browser: Any, hal_report: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    watched = Watched(browser, width=390, height=844)
    page = watched.open(hal_report[0])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("button[data-filter=supplement]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, tmp_path, "report-phone.png")
    watched.close()


def test_ten_thousand_rows_page_quickly(
    browser: Any, hal_report: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    from refs.report.html import render_html

    records = hal_report[1]
    many = [r | {"index": i + 1} for i, r in enumerate(records * 200)]
    big = tmp_path / "big.html"
    big.write_text(render_html(many, "10,000 references"), encoding="utf-8")
    watched = Watched(browser)
    page = watched.open(big)
    assert page.inner_text("#status-line") == "Showing 1–50 of 10000 references."
    assert len(page.query_selector_all("#refs-list > li")) == 50
    page.click("#next")
    assert page.inner_text("#page-label") == "Page 2 of 200"
    page.click("button[data-filter=wrong]")
    assert page.inner_text("#status-line").endswith("of 1000 references: Wrong DOI.")
    watched.close()


def test_axe_finds_no_accessibility_violations(
    browser: Any, hal_report: tuple[Path, list[dict[str, Any]]]
) -> None:
    script = axe_script()
    if script is None:
        pytest.skip(
            "the accessibility check needs axe-core: npm install --prefix ~/.cache/refs-dev/node axe-core"
        )
    watched = Watched(browser)
    page = watched.open(hal_report[0])
    page.add_script_tag(content=script.read_text(encoding="utf-8"))
    for state in ("all", "wrong"):
        page.click(f"button[data-filter={state}]")
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        )
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
            for v in result["violations"]
        ]
        assert problems == [], "\n".join(problems)
    watched.close()


def test_the_check_report_is_the_same_page(browser: Any, tmp_path: Path) -> None:
    """`refs check --format html` renders the review page: each record says where it is,
    a DOI-only record offers nothing to copy, and nothing breaks or leaves the page."""
    dois = tmp_path / "dois.txt"
    dois.write_text("10.1002/stem.187\n10.5555/nowhere.1\ngarbage <b>line</b>\n", encoding="utf-8")
    page_path = tmp_path / "check.html"
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    made = CliRunner().invoke(
        app, ["check", str(dois), "-o", str(page_path), "-q", "--fail-on", "wrong"], env=env
    )
    assert made.exit_code == 0, made.stderr
    watched = Watched(browser)
    page = watched.open(page_path)
    wheres = [el.inner_text() for el in page.query_selector_all("#refs-list .where")]
    assert wheres == [f"{dois}:1", f"{dois}:2", f"{dois}:3"]
    assert page.query_selector_all("#refs-list button.copy") == []
    assert "garbage <b>line</b>" in page.inner_text("#refs-list")  # shown as text, not markup
    assert page.query_selector("#refs-list b") is None
    watched.close()
