"""Section `check`: `refs check` on 10,000 and 100,000 distinct DOIs, beside bibaudit.

The DOIs are drawn from the 13,831 real Crossref records in
../shared/data/crossref/works.jsonl.gz, plus unregistered DOIs made up here
(`10.5555/refs-bench-absent.N`). 10,000 = 9,000 real + 1,000 unregistered (10%).
100,000 distinct DOIs do not exist in 13,831 records: that input is all 13,831
real ones + 86,169 unregistered, said as such in the table; it shows that memory
stays flat as the input grows (records are streamed in chunks).

Each case runs as its own process (`python -m refs check …`, fresh cache, fresh
job) so wall time and peak RSS (wait4's ru_maxrss) are the command's own; HTTP
requests and rate-limit violations are counted by `refs serve` in this process
(its access log). bibaudit 0.1.2 (PyPI) runs against the same server with its
API root rebound (`bibaudit.registries.crossref._API_ROOT`), its own client
(`Client(cache=None)`: urllib, 0.2 s between requests) and its batches of 20.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchmarks.table import Table
from refs.serve import limit_violations, read_access_log, running_server
from refs.sources.crossref_api import MAX_BATCH
from refs.sources.index_build import build_index
from refs.sources.sqlite_index import SqliteIndex

WORKS = Path("data") / "crossref" / "works.jsonl.gz"
ABSENT = "10.5555/refs-bench-absent.{:06d}"
MAILTO = "bench@example.org"
TARGET_REQUESTS = 500  # per 10,000 distinct DOIs (the target)
BIBAUDIT = """
import json, sys
import bibaudit.registries.crossref as crossref
from bibaudit.registries.http import Client
crossref._API_ROOT = sys.argv[1]
dois = [line.strip() for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
found = crossref.Crossref(Client(cache=None, mailto=sys.argv[3])).by_dois(dois)
json.dump(sorted(found), open(sys.argv[4], "w", encoding="utf-8"))
"""
# Runs a module or a script and, at exit, writes its peak RSS (VmHWM: the process's own
# address space, unlike wait4's ru_maxrss, which counts the parent's size before exec)
# and the CPU seconds it used (wall time is noisy on a shared machine).
PEAK = """
import atexit, runpy, sys
out_path = sys.argv[1]
def peak():
    import resource
    usage = resource.getrusage(resource.RUSAGE_SELF)
    try:
        with open("/proc/self/status") as status:
            kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        kb = "nan"
    with open(out_path, "w") as out:
        out.write(f"{kb} {usage.ru_utime + usage.ru_stime}")
atexit.register(peak)
target, sys.argv = sys.argv[2], sys.argv[2:]
if target.endswith(".py"):
    runpy.run_path(target, run_name="__main__")
else:
    runpy.run_module(target, run_name="__main__", alter_sys=True)
"""


@dataclass(frozen=True, slots=True)
class Case:
    tool: str
    source: str  # "index" or "refs serve"
    dois: int
    real: int
    wall: float
    cpu: float
    rss_mb: float
    requests: int | None
    violations: int | None
    expected: int  # answers as expected (registered found, unregistered not)
    note: str = ""

    def row(self) -> list[object]:
        rate = f"{self.dois / self.wall:,.0f}" if self.wall > 0 else "n/a"
        per10k = f"{self.requests * 10_000 / self.dois:,.0f}" if self.requests is not None else "–"
        return [self.tool, self.source, f"{self.dois:,} ({self.real:,} real)",
                f"{self.wall:.1f}", f"{self.cpu:.1f}", rate, "–" if self.requests is None else f"{self.requests:,}",
                per10k, "–" if self.violations is None else self.violations,
                f"{self.rss_mb:.0f}", f"{self.expected:,}/{self.dois:,}"]  # fmt: skip


def run(shared: Path | None, quick: bool) -> list[Table]:
    if shared is None or not (shared / WORKS).is_file():
        print(f"skipped: needs ../shared/{WORKS}")
        return []
    small, large = (2_000, 10_000) if quick else (10_000, 100_000)
    with tempfile.TemporaryDirectory(prefix="refs-check-bench-") as tmp:
        folder = Path(tmp)
        real = _real_dois(shared / WORKS)
        index, built = _index(shared / WORKS, folder)
        inputs = {
            small: _input(folder, real, small, max(small - small // 10, 0)),
            large: _input(folder, real, large, min(len(real), large - large // 10)),
        }
        cases = [
            _refs(folder, index, inputs[small], "index", None),
            _refs(folder, index, inputs[large], "index", None),
        ]
        log = folder / "access.log"
        with running_server(index, access_log=log) as url:
            cases.append(_refs(folder, index, inputs[small], "refs serve", (url, log)))
            cases.append(_bibaudit(folder, inputs[small], url, log))
    return _tables(cases, built, quick, len(real))


@dataclass(frozen=True, slots=True)
class Input:
    path: Path
    dois: int
    real: frozenset[str]  # lower-cased registered DOIs in it


def _real_dois(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return sorted({json.loads(line)["DOI"].lower() for line in lines if line.strip()})


def _index(works: Path, folder: Path) -> tuple[Path, float]:
    _progress(f"building the index from {works.name}")
    started = time.perf_counter()
    path = folder / "index.sqlite"
    index = SqliteIndex(path, create=True)
    try:
        build_index(index, [str(works)])
    finally:
        index.close()
    return path, time.perf_counter() - started


def _input(folder: Path, real: list[str], size: int, registered: int) -> Input:
    rng = random.Random(size)
    chosen = rng.sample(real, registered)
    dois = chosen + [ABSENT.format(n) for n in range(size - registered)]
    rng.shuffle(dois)
    path = folder / f"dois-{size}.txt"
    path.write_text("".join(f"{d}\n" for d in dois), encoding="utf-8")
    return Input(path, size, frozenset(chosen))


def _measure(command: list[str], folder: Path, name: str) -> tuple[float, float, float]:
    """Run `python -c PEAK MODULE|SCRIPT ARGS…`: (wall s, CPU s, peak RSS MB)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / f"cache-{name}"), "NO_COLOR": "1"}
    peak = folder / f"{name}.peak"
    started = time.perf_counter()
    with (folder / f"{name}.err").open("w") as err:
        done = subprocess.run([sys.executable, "-c", PEAK, str(peak), *command],
                              stdout=subprocess.DEVNULL, stderr=err, env=env, check=False)  # fmt: skip
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        tail = (folder / f"{name}.err").read_text(errors="replace")[-500:]
        raise RuntimeError(f"{name} exited {done.returncode}: {tail}")
    kb, cpu = peak.read_text().split() if peak.exists() else ("nan", "nan")
    return wall, float(cpu), float(kb) / 1024


def _refs(folder: Path, index: Path, given: Input, source: str,
          server: tuple[str, Path] | None) -> Case:  # fmt: skip
    name = f"refs-{source.replace(' ', '-')}-{given.dois}"
    _progress(f"refs check: {given.dois:,} DOIs against {source}")
    report = folder / f"{name}.jsonl"
    command = ["refs", "check", str(given.path), "--index", str(index),
               "--source", server[0] if server else "index", "--mailto", MAILTO,
               "--job", str(folder / f"job-{name}"), "-o", str(report), "-q",
               "--fail-on", "wrong"]  # fmt: skip
    before = _log_lines(server[1]) if server else 0
    wall, cpu, rss = _measure(command, folder, name)
    requests = violations = None
    if server:
        entries = read_access_log(server[1])[before:]
        requests, violations = len(entries), len(limit_violations(entries))
    expected = 0
    statuses: Counter[str] = Counter()
    with report.open(encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            statuses[row["doi_status"]] += 1
            registered = row["doi_input"].lower() in given.real
            found = row["doi_status"] in ("confirmed", "supplement")
            expected += found == registered and row["doi_status"] != "unavailable"
    return Case("refs", source, given.dois, len(given.real), wall, cpu, rss, requests,
                violations, expected)  # fmt: skip


def _bibaudit(folder: Path, given: Input, url: str, log: Path) -> Case:
    try:
        import bibaudit.registries.crossref as crossref  # noqa: F401  (installed?)
    except ImportError:
        return Case("bibaudit", "refs serve", given.dois, len(given.real), 0.0, 0.0, 0.0, None,
                    None, 0, note="n/a: pip install bibaudit")  # fmt: skip
    _progress(f"bibaudit: {given.dois:,} DOIs against refs serve (20 per request, 5 requests/s)")
    out = folder / "bibaudit.json"
    before = _log_lines(log)
    script = folder / "bibaudit_run.py"
    script.write_text(BIBAUDIT, encoding="utf-8")
    wall, cpu, rss = _measure([str(script), url, str(given.path), MAILTO, str(out)], folder,
                              "bibaudit")  # fmt: skip
    entries = read_access_log(log)[before:]
    found = {d.lower() for d in json.loads(out.read_text(encoding="utf-8"))}
    expected = len(found & given.real) + (given.dois - len(given.real) - len(found - given.real))
    return Case("bibaudit", "refs serve", given.dois, len(given.real), wall, cpu, rss,
                len(entries), len(limit_violations(entries)), expected)  # fmt: skip


def _log_lines(log: Path) -> int:
    return len(read_access_log(log)) if log.exists() else 0


def _tables(cases: list[Case], built: float, quick: bool, real: int) -> list[Table]:
    columns = ["tool", "source", "distinct DOIs", "wall s", "CPU s", "DOIs/s", "HTTP requests",
               "requests / 10k DOIs", "rate-limit violations", "peak RSS MB",
               "answered as expected"]  # fmt: skip
    rows = [c.row() if not c.note else [c.tool, c.source, f"{c.dois:,}", c.note] for c in cases]
    sizes = sorted({(c.dois, c.real) for c in cases})
    large = max(c.dois for c in cases)
    mix = "; ".join(f"{n:,} = {r:,} real + {n - r:,} unregistered" for n, r in sizes)
    notes = [
        f"Inputs ({mix}): real DOIs drawn from the {real:,} records of works.jsonl.gz, "
        "unregistered ones made up (10.5555/refs-bench-absent.N). 100,000 distinct real DOIs do "
        "not exist in that file, so the large input is mostly unregistered DOIs"
        + (" (--quick: smaller inputs)." if quick else "."),
        f"Index built once from works.jsonl.gz in {built:.0f} s (not counted). Each run is a "
        "fresh process, cache and job; peak RSS is the process's own VmHWM, read at its exit.",
        "Over HTTP both tools pace themselves; refs follows the pool's advertised limits "
        f"(polite-array: 3 requests/s, 3 at once) with {MAX_BATCH} DOIs per request, bibaudit "
        "waits 0.2 s between requests (5/s, above the polite-array limit) with 20 DOIs per "
        "request. Violations are counted by the server (not enforced).",
    ]
    for case in cases:
        if case.tool == "refs" and case.requests is not None:
            per10k = case.requests * 10_000 / case.dois
            verdict = "meets" if per10k <= TARGET_REQUESTS else "misses"
            minutes = per10k * large / 10_000 / 3 / 60
            notes.append(f"refs over HTTP: {per10k:,.0f} requests per 10,000 distinct DOIs "
                         f"({verdict} the target of ≤ {TARGET_REQUESTS}). The {large:,} case runs "
                         f"against the index only: over HTTP it would take ~{minutes:.0f} min at "
                         "the polite pool's 3 requests/s.")  # fmt: skip
    tables = [Table("refs check: speed, requests, memory", columns, rows, notes)]
    http = {c.tool: c for c in cases if c.source == "refs serve" and not c.note}
    if "refs" in http and "bibaudit" in http:
        ours, theirs = http["refs"], http["bibaudit"]
        tables.append(Table(
            f"refs / bibaudit on the same server, {ours.dois:,} DOIs",
            ["measure", "refs", "bibaudit", "ratio (bibaudit / refs)"],
            [
                ["wall s", f"{ours.wall:.1f}", f"{theirs.wall:.1f}", _ratio(theirs.wall, ours.wall)],
                ["CPU s", f"{ours.cpu:.1f}", f"{theirs.cpu:.1f}", _ratio(theirs.cpu, ours.cpu)],
                ["HTTP requests", ours.requests, theirs.requests,
                 _ratio(theirs.requests or 0, ours.requests or 0)],
                ["peak RSS MB", f"{ours.rss_mb:.0f}", f"{theirs.rss_mb:.0f}",
                 _ratio(theirs.rss_mb, ours.rss_mb)],
            ],
        ))  # fmt: skip
    elif any(c.note for c in cases):
        tables.append(Table("bibaudit", ["status"], [[c.note] for c in cases if c.note]))
    by_source = [c for c in cases if c.tool == "refs" and c.source == "index"]
    if len(by_source) == 2:
        a, b = by_source
        tables.append(Table(
            "memory as the input grows (refs, index)",
            ["distinct DOIs", "peak RSS MB", "wall s", "CPU s"],
            [[f"{a.dois:,}", f"{a.rss_mb:.0f}", f"{a.wall:.1f}", f"{a.cpu:.1f}"],
             [f"{b.dois:,}", f"{b.rss_mb:.0f}", f"{b.wall:.1f}", f"{b.cpu:.1f}"]],
            [f"×{b.dois / a.dois:.0f} the input: ×{b.rss_mb / a.rss_mb:.2f} the memory"],
        ))  # fmt: skip
    return tables


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b else "n/a"


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)
