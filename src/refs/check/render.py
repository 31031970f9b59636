"""What `refs check` shows: report rows, the report in four formats, the terminal summary,
and the progress display.

A report row is the resolver's verdict on one input record (doi_input, doi_status,
doi, confidence, flags, updates, why), where the record is (file, line, entry)
and which source answered. Reports are written as a stream (rows come from the
journal one at a time, so memory does not grow with the job) into a temporary
file that replaces the target only once complete.
"""

from __future__ import annotations

import csv
import os
import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from refs.check.journal import row_json
from refs.errors import InputError
from refs.io import atomic_output
from refs.model import STATUSES, Status, Verdict
from refs.report.html import render_html, render_markdown
from refs.report.notices import STATUS_INFO, is_severe
from refs.report.records import check_record, where_of

__all__ = [
    "FORMATS",
    "REPORT_STATUSES",
    "Display",
    "PlainProgress",
    "QuietProgress",
    "RichProgress",
    "Summary",
    "atomic_output",
    "choose_format",
    "report_row",
    "summary_markup",
    "write_report",
]

FORMATS = ("jsonl", "csv", "markdown", "html")
# The statuses a report row can have, most worrying first (every record is checked).
REPORT_STATUSES: tuple[Status, ...] = tuple(s for s in STATUSES if s is not Status.UNVERIFIED)
COLUMNS = ("file", "line", "entry", "doi_input", "doi_status", "doi", "confidence", "flags",
           "updates", "why", "source")  # fmt: skip
_STYLE: dict[str, str] = {str(s): info.style for s, info in STATUS_INFO.items()}


def report_row(
    file: str, line: int, entry: int | None, doi_input: str | None, verdict: Verdict
) -> dict[str, Any]:
    """One report row: the record's location and the verdict's fields."""
    return {
        "file": file,
        "line": line,
        "entry": entry,
        "doi_input": doi_input,
        "doi_status": verdict.doi_status,
        "doi": verdict.doi,
        "confidence": None if verdict.confidence is None else round(verdict.confidence, 4),
        "flags": [f.to_json() for f in verdict.flags],
        "updates": [u.to_json() for u in verdict.updates],
        "why": verdict.why,
        "source": verdict.source,
    }


def choose_format(explicit: str | None, output: str | None) -> str:
    """--format, else the output's suffix (.csv, .md, .html), else JSON Lines."""
    if explicit is not None:
        if explicit not in FORMATS:
            raise InputError(f"--format {explicit}: use one of {', '.join(FORMATS)}")
        return explicit
    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    return {".csv": "csv", ".md": "markdown", ".markdown": "markdown", ".html": "html",
            ".htm": "html"}.get(suffix, "jsonl")  # fmt: skip


# --- report formats ---------------------------------------------------------------
def _flag_text(flags: Sequence[Mapping[str, Any]]) -> str:
    return " | ".join(
        f"{f['field']}: {f.get('printed') or '∅'} -> {f.get('registry') or '∅'} [{f['kind']}]"
        for f in flags
    )


def _update_text(updates: Sequence[Mapping[str, Any]]) -> str:
    return " | ".join(
        " ".join(str(p) for p in (u["kind"], u.get("doi"), u.get("date")) if p) for u in updates
    )


# A cell starting with one of these is a formula to a spreadsheet (OWASP, CSV Injection).
_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")
_NEGATIVE_NUMBER = re.compile(r"-\d+(?:\.\d+)?")


def spreadsheet_safe(text: str) -> str:
    """`text` as a CSV cell no spreadsheet runs as a formula (CSV or formula injection).

    The report repeats the user's input (`doi_input`, the `why` quoting it, file names),
    so a line such as `=HYPERLINK("http://evil","x")` or `@SUM(A1)` would become a live
    formula when an editor opens the CSV in Excel or LibreOffice. As OWASP's CSV Injection
    guidance says, a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets
    a leading single quote, which makes it text; the rest of the cell is left as it is (the
    csv module quotes and escapes the field). A plain negative number (`-2`) and stdin's
    file name `-` are no formulas and are kept as they are.
    """
    if text.startswith(_FORMULA_LEAD) and text != "-" and not _NEGATIVE_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell(row: Mapping[str, Any], column: str) -> str:
    value = row.get(column)
    if column == "flags":
        return spreadsheet_safe(_flag_text(value or []))
    if column == "updates":
        return spreadsheet_safe(_update_text(value or []))
    return spreadsheet_safe("" if value is None else str(value))


def write_json_lines(out: TextIO, lines: Iterable[str]) -> int:
    """Rows already in their JSON form (`row_json`) as the JSON Lines report."""
    n = 0
    for line in lines:
        n += 1
        out.write(line)
        out.write("\n")
    return n


def write_report(
    out: TextIO, rows: Iterable[Mapping[str, Any]], fmt: str, *, title: str = "refs check"
) -> int:
    """Write every row in `fmt` to `out`; returns the number of rows."""
    if fmt == "jsonl":
        return write_json_lines(out, (row_json(row) for row in rows))
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        n = 0
        for row in rows:
            n += 1
            writer.writerow([_cell(row, c) for c in COLUMNS])
        return n
    if fmt == "markdown":
        return _markdown(out, rows, title)
    if fmt == "html":
        return _html(out, rows, title)
    raise InputError(f"unknown report format {fmt!r}")


def _records(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [check_record(row, n) for n, row in enumerate(rows, 1)]


def _markdown(out: TextIO, rows: Iterable[Mapping[str, Any]], title: str) -> int:
    """The review summary `refs clean --to markdown` writes: counts, notices, what to fix."""
    records = _records(rows)
    out.write(render_markdown(records, title))
    return len(records)


def _html(out: TextIO, rows: Iterable[Mapping[str, Any]], title: str) -> int:
    """The review page `refs clean --to html` writes, one row per record."""
    records = _records(rows)
    out.write(render_html(records, title, copy=False))
    return len(records)


# --- the terminal summary -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Summary:
    """What a finished (or stopped) job comes to, for one screen of the terminal."""

    rows: int
    statuses: Mapping[str, int]
    flags: Mapping[str, int]  # "field:kind" → rows
    notices: Mapping[str, int]  # kind → rows
    worst: Sequence[Mapping[str, Any]]
    problems: Sequence[tuple[str, str]]  # (input, why it gave no records)
    source: str | None = None
    elapsed: float | None = None
    checked_now: int = 0
    requests: int | None = None
    report: str | None = None
    notes: Sequence[str] = field(default_factory=tuple)


def _n(count: int) -> str:
    return f"{count:,}"


def summary_markup(s: Summary) -> list[str]:
    """The summary as lines of rich markup (plain text once the console drops the styles)."""
    head = f"refs: {_n(s.rows)} records"
    if s.source:
        head += f" checked against {escape(s.source)}"
    if s.elapsed is not None and s.checked_now:
        rate = s.checked_now / s.elapsed if s.elapsed > 0 else 0.0
        head += f"; {_n(s.checked_now)} this run in {s.elapsed:.1f} s ({rate:,.0f}/s)"
    if s.requests is not None:
        head += f", {_n(s.requests)} HTTP requests"
    lines = [head]
    parts = [
        f"[{_STYLE.get(status, '')}]{escape(status)}[/] {_n(s.statuses[status])}"
        for status in REPORT_STATUSES
        if s.statuses.get(status)
    ]
    if parts:
        lines.append("  status: " + " · ".join(parts))
    if s.flags:
        top = sorted(s.flags.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
        lines.append("  flags:  " + " · ".join(f"{escape(k)} {_n(v)}" for k, v in top))
    if s.notices:
        lines.append(
            "  [bold red]notices:[/] "
            + " · ".join(f"{escape(k)} {_n(v)}" for k, v in sorted(s.notices.items()))
        )
    if s.worst:
        lines.append("  look at first:")
        for row in s.worst:
            status = str(row.get("doi_status"))
            target = (
                f" -> {row['doi']}"
                if row.get("doi") and row.get("doi") != row.get("doi_input")
                else ""
            )
            notice = " [bold red]RETRACTED[/]" if _retracted(row) else ""
            why = str(row.get("why") or "")
            why = why if len(why) <= 70 else why[:69] + "…"
            lines.append(
                f"    {escape(where_of(row))}  [{_STYLE.get(status, '')}]{escape(status)}[/]"
                f"{notice}  {escape(str(row.get('doi_input') or ''))}{escape(target)}"
                f"  [dim]{escape(why)}[/]"
            )
    for name, why in s.problems[:5]:
        lines.append(f"  [magenta]unreadable:[/] {escape(name)}: {escape(why)}")
    if len(s.problems) > 5:
        lines.append(f"  … and {len(s.problems) - 5} more unreadable inputs")
    if s.report:
        lines.append(f"  report: {escape(s.report)}")
    lines.extend(f"  {escape(note)}" for note in s.notes)
    return lines


def _retracted(row: Mapping[str, Any]) -> bool:
    return any(is_severe(str(u.get("kind", ""))) for u in row.get("updates") or [])


def console(*, quiet: bool = False) -> Console:
    """The stderr console: colour only on a terminal, never with NO_COLOR set."""
    return Console(
        file=sys.stderr,
        no_color=bool(os.environ.get("NO_COLOR")),
        highlight=False,
        soft_wrap=True,
        quiet=quiet,
    )


# --- progress ----------------------------------------------------------------------------
class Display(Protocol):
    """How a running job shows its progress."""

    def start(self, total: int, done: int) -> None: ...

    def advance(self, count: int) -> None: ...

    def stop(self) -> None: ...


class QuietProgress:
    def start(self, total: int, done: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def stop(self) -> None:
        pass


class PlainProgress:
    """A line every `interval` seconds, for logs and pipes: done, rate, time left."""

    def __init__(self, stream: TextIO | None = None, interval: float = 10.0) -> None:
        self.stream = stream
        self.interval = interval
        self.total = 0
        self.done = 0
        self._started = 0.0
        self._first = 0
        self._last = 0.0

    def start(self, total: int, done: int) -> None:
        self.total, self.done, self._first = total, done, done
        self._started = self._last = time.monotonic()
        resumed = f" ({_n(done)} already done)" if done else ""
        self._write(f"refs: checking ~{_n(max(total, done))} records{resumed}")

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._write(self._line(now))

    def stop(self) -> None:
        pass

    def _line(self, now: float) -> str:
        elapsed = max(now - self._started, 1e-9)
        rate = (self.done - self._first) / elapsed
        total = max(self.total, self.done)
        share = f" ({self.done / total:.0%})" if total else ""
        left = (total - self.done) / rate if rate > 0 else None
        eta = f", about {_duration(left)} left" if left is not None else ""
        return f"refs: {_n(self.done)} of ~{_n(total)} records{share}, {rate:,.0f}/s{eta}"

    def _write(self, text: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(text + "\n")
        stream.flush()


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "–/s", style="progress.data.speed")


class RichProgress:
    """A progress bar with rate and ETA, on a terminal (stderr)."""

    def __init__(self, out: Console | None = None) -> None:
        self._progress = Progress(
            TextColumn("[bold]refs check[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TimeRemainingColumn(),
            console=out or console(),
            transient=True,
        )
        self._task: Any = None

    def start(self, total: int, done: int) -> None:
        self._progress.start()
        self._task = self._progress.add_task("check", total=max(total, done), completed=done)

    def advance(self, count: int) -> None:
        task = self._progress.tasks[0]
        if task.total is not None and task.completed + count > task.total:
            self._progress.update(self._task, total=task.completed + count)
        self._progress.advance(self._task, count)

    def stop(self) -> None:
        self._progress.stop()


def display_for(*, quiet: bool, out: Console | None = None) -> Display:
    """Quiet with -q; a rich bar on a terminal; plain periodic lines otherwise."""
    if quiet:
        return QuietProgress()
    chosen = out or console()
    if chosen.is_terminal:
        return RichProgress(chosen)
    return PlainProgress()
