"""Section `format`: CSL formatting speed per style, and agreement with citation-js.

refs formats with citeproc-py (refs.export.csl). citation-js (npm `@citation-js/core`
+ `@citation-js/plugin-csl`, citeproc-js inside) renders the same items with the same
style and locale files in the same run; it is installed on first use into
$REFS_NODE_DIR (default ~/.cache/refs-dev/node, outside the repository) and skipped when
node or npm is absent. Inputs: 1,000 Crossref records from ../shared (the shipped seed
records, repeated, without it).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from itertools import cycle, islice
from pathlib import Path
from typing import Any

from benchmarks.table import Table
from refs.export.csl import format as csl_format
from refs.export.csl import format_entries, resolve_locale, resolve_style
from refs.work import Work

STYLES = ("vancouver", "ama", "apa", "nature", "chicago", "harvard", "ieee", "lancet", "bmj",
          "elsevier-vancouver")  # fmt: skip
RECORDS = 1_000
QUICK_RECORDS = 200
SHOWN_DIFFERENCES = 3  # per style
NODE_PACKAGES = ("@citation-js/core@^0.7.18", "@citation-js/plugin-csl@^0.7.22")
NODE_TIMEOUT_S = 900

# Crossref work types -> CSL item types (the ones the sample has enough of).
CSL_TYPES = {"journal-article": "article-journal", "book-chapter": "chapter",
             "proceedings-article": "paper-conference", "posted-content": "article",
             "report": "report", "book": "book", "monograph": "book",
             "dissertation": "thesis", "dataset": "dataset"}  # fmt: skip


def run(shared: Path | None, quick: bool) -> list[Table]:
    count = QUICK_RECORDS if quick else RECORDS
    items, origin = sample_items(shared, count)
    ours = {style: time_refs(items, style) for style in STYLES}
    peer, peer_note = run_citation_js(items)
    return [speed_table(ours, peer, len(items), origin, peer_note), *agreement_tables(ours, peer)]


# --- inputs -----------------------------------------------------------------------------


def sample_items(shared: Path | None, count: int) -> tuple[list[dict[str, Any]], str]:
    works_file = shared / "data" / "crossref" / "works.jsonl.gz" if shared else None
    if works_file is not None and works_file.is_file():
        with gzip.open(works_file, "rt", encoding="utf-8") as handle:
            items = list(islice(_items(handle), count))
        return items, f"the first {len(items):,} usable records of {works_file}"
    seed = resources.files("refs") / "data" / "seed-works.jsonl"
    with seed.open("r", encoding="utf-8") as handle:
        base = list(_items(handle))
    items = [dict(item, id=f"w{n}") for n, item in enumerate(islice(cycle(base), count))]
    return items, f"the {len(base)} shipped seed records, repeated to {count:,} (no ../shared)"


def _items(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    for n, line in enumerate(lines):
        message = json.loads(line)
        kind = CSL_TYPES.get(str(message.get("type")))
        work = Work.from_message(message)
        if kind is None or not work.title:
            continue
        title = f"{work.title}: {work.subtitle}" if work.subtitle else work.title
        item: dict[str, Any] = {"id": f"w{n}", "type": kind, "title": title, "DOI": work.DOI}
        if work.author:
            item["author"] = [p.to_csl() for p in work.author]
        if work.issued:
            item["issued"] = work.issued.to_csl()
        for key, value in (("container-title", work.container_title),
                           ("container-title-short", work.container_title_short),
                           ("volume", work.volume), ("issue", work.issue),
                           ("page", work.page or work.article_number),
                           ("publisher", work.publisher)):  # fmt: skip
            if value:
                item[key] = value
        yield item


# --- refs (citeproc-py) ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    entries: dict[str, str]  # item id -> entry text


def time_refs(items: list[dict[str, Any]], style: str) -> Run:
    csl_format._compile.cache_clear()  # count loading the style, as citation-js's run does
    started = time.perf_counter()
    entries = format_entries(items, style)
    seconds = time.perf_counter() - started
    return Run(seconds, {items[e.position]["id"]: e.text for e in entries})


# --- citation-js -------------------------------------------------------------------------------

_RUNNER = r"""
const fs = require("fs");
const { Cite, plugins } = require("@citation-js/core");
require("@citation-js/plugin-csl");
const job = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const config = plugins.config.get("@csl");
const templates = config.templates || config.styles;
const out = { versions: {
  core: require("@citation-js/core/package.json").version,
  csl: require("@citation-js/plugin-csl/package.json").version }, styles: {} };
for (const [lang, xml] of Object.entries(job.locales)) config.locales.add(lang, xml);
for (const style of job.styles) {
  templates.add("refs-" + style.name, style.xml);
  const started = process.hrtime.bigint();
  const cite = new Cite(job.items);
  const entries = cite.format("bibliography",
    { format: "text", template: "refs-" + style.name, lang: style.locale, asEntryArray: true });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  out.styles[style.name] = { seconds, entries };
}
process.stdout.write(JSON.stringify(out));
"""


def node_dir() -> Path:
    return Path(os.environ.get("REFS_NODE_DIR") or Path.home() / ".cache" / "refs-dev" / "node")


def ensure_citation_js() -> tuple[Path | None, str]:
    """The node_modules folder with citation-js, installing it there once; or why not."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return None, "citation-js skipped: node/npm not found (apt-get install nodejs npm)"
    where = node_dir()
    modules = where / "node_modules"
    if (modules / "@citation-js" / "plugin-csl").is_dir():
        return modules, ""
    where.mkdir(parents=True, exist_ok=True)
    if not (where / "package.json").exists():
        (where / "package.json").write_text('{"private": true}\n', encoding="utf-8")
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(where), *NODE_PACKAGES],
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0 or not (modules / "@citation-js" / "plugin-csl").is_dir():
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return None, f"citation-js skipped: npm install into {where} failed: {last}"
    return modules, ""


@dataclass(frozen=True, slots=True)
class Peer:
    runs: dict[str, Run]
    versions: str


def run_citation_js(items: list[dict[str, Any]]) -> tuple[Peer | None, str]:
    modules, why = ensure_citation_js()
    if modules is None:
        return None, why
    from citeproc import LOCALES_PATH

    styles, locales = [], {}
    for name in STYLES:
        spec = resolve_style(name)
        locale = resolve_locale(None, spec)
        locales[locale] = (Path(LOCALES_PATH) / f"locales-{locale}.xml").read_text("utf-8")
        styles.append({"name": name, "xml": spec.xml.decode("utf-8"), "locale": locale})
    job = {"items": items, "styles": styles, "locales": locales}
    with tempfile.TemporaryDirectory(prefix="refs-bench-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job), encoding="utf-8")
        done = subprocess.run(
            ["node", "-e", _RUNNER, str(path)],
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT_S,
            env={**os.environ, "NODE_PATH": str(modules)},
            check=False,
        )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return None, f"citation-js failed: {last}"
    answer = json.loads(done.stdout)
    runs = {
        name: Run(float(r["seconds"]), {str(i): str(text) for i, text in r["entries"]})
        for name, r in answer["styles"].items()
    }
    versions = answer["versions"]
    return Peer(runs, f"@citation-js/core {versions['core']}, plugin-csl {versions['csl']}"), ""


# --- tables -------------------------------------------------------------------------------------


def speed_table(
    ours: dict[str, Run], peer: Peer | None, count: int, origin: str, peer_note: str
) -> Table:
    rows = []
    for style in STYLES:
        mine = ours[style]
        theirs = peer.runs.get(style) if peer else None
        rows.append([
            style,
            resolve_style(style).name,
            f"{count / mine.seconds:,.0f}",
            f"{count / theirs.seconds:,.0f}" if theirs else "n/a",
            f"{theirs.seconds / mine.seconds:.2f}×" if theirs else "",
        ])  # fmt: skip
    notes = [
        f"Inputs: {origin}.",
        "entries/s includes loading the style and locale, one run each, one core.",
        "ratio > 1: refs is faster.",
        peer_note or f"citation-js: {peer.versions if peer else '?'} (node {_node_version()}).",
    ]
    return Table(
        f"Formatting speed, {count:,} records",
        ["style", "CSL file", "refs (citeproc-py) entries/s", "citation-js entries/s", "ratio"],
        rows,
        notes,
    )


_ONE_PAGE = re.compile(r"\b(\w+)[–-]\1\b")


def normal(text: str) -> str:
    return " ".join(text.split())


def agreement_tables(ours: dict[str, Run], peer: Peer | None) -> list[Table]:
    if peer is None:
        return []
    rows, examples = [], []
    for style in STYLES:
        mine, theirs = ours[style].entries, peer.runs[style].entries
        ids = sorted(set(mine) | set(theirs))
        differing = [i for i in ids if normal(mine.get(i, "")) != normal(theirs.get(i, ""))]
        agree = len(ids) - len(differing)
        # refs prints a one-page range "472-472" as "472" on purpose; citation-js as "472–472".
        deliberate = sum(
            1
            for i in differing
            if normal(mine.get(i, "")) == _ONE_PAGE.sub(r"\1", normal(theirs.get(i, "")))
        )
        rows.append([
            style,
            f"{agree:,}/{len(ids):,}",
            f"{100 * agree / max(1, len(ids)):.1f}%",
            f"{100 * (agree + deliberate) / max(1, len(ids)):.1f}%",
        ])  # fmt: skip
        differing = [
            i
            for i in differing
            if normal(mine.get(i, "")) != _ONE_PAGE.sub(r"\1", normal(theirs.get(i, "")))
        ]
        for item_id in differing[:SHOWN_DIFFERENCES]:
            a, b = normal(mine.get(item_id, "")), normal(theirs.get(item_id, ""))
            examples.append([style, item_id, *_around_difference(a, b)])
    agreement = Table(
        "Exact agreement with citation-js (same items, style and locale files)",
        ["style", "entries identical", "rate", "rate, one-page ranges aside"],
        rows,
        [
            "Whitespace is collapsed before comparing; nothing else is normalised.",
            "Last column: also counting entries that differ only where refs prints a one-page "
            "range `472-472` as `472` (deliberate; citeproc-py printed `472–`).",
        ],
    )
    differences = Table(
        f"Differences (first {SHOWN_DIFFERENCES} per style other than one-page ranges, "
        "around the first differing character)",
        ["style", "item", "refs", "citation-js"],
        examples,
    )
    return [agreement, differences]


def _around_difference(a: str, b: str, width: int = 40) -> tuple[str, str]:
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start = max(0, at - width)

    def cut(text: str) -> str:
        piece = text[start : at + width]
        return ("…" if start else "") + piece + ("…" if at + width < len(text) else "")

    return cut(a), cut(b)


def _node_version() -> str:
    node = shutil.which("node")
    if node is None:
        return "absent"
    done = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()
