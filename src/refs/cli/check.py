"""`refs check`: options in, a job run, the report out, an exit code that scripts can use."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console

from refs.check.inputs import Kind
from refs.check.journal import Journal
from refs.check.render import (
    FORMATS,
    atomic_output,
    choose_format,
    console,
    display_for,
    summary_markup,
    write_json_lines,
    write_report,
)
from refs.check.run import CHUNK, CheckOptions, Job, RunStats, fail_on, parse_fail_on, summarize
from refs.cli.options import IndexOpt, MailtoOpt, user_errors
from refs.errors import InputError
from refs.io import check_writable

DEFAULT_FAIL_ON = "wrong,unknown,retracted,invalid,unavailable"


def check(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="DOI lists, CSV/TSV, JSON Lines, BibTeX, CSL-JSON, RIS or text reference "
            "lists: files, directories, globs, or - for standard input.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "-o", "--output", help="Write the report here (atomically) instead of stdout."
        ),
    ] = None,
    format_: Annotated[
        str | None,
        typer.Option(
            "--format",
            help=f"Report format: {', '.join(FORMATS)} (default: from the -o suffix, else jsonl).",
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Where to check: index (the local index; the default), crossref (the public "
            "API), or http://HOST:PORT of a Crossref-compatible server such as `refs serve`.",
            show_default=False,
        ),
    ] = None,
    index: IndexOpt = None,
    mailto: MailtoOpt = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask the HTTP source again, ignoring its cache.")
    ] = False,
    from_: Annotated[
        Kind | None,
        typer.Option("--from", help="Input kind of every input (default: detected per file)."),
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="CSV/TSV columns by name or number when not detected, e.g. "
            "'doi=DOI Link,title=Article Title' (doi, title, author, year, container, volume, "
            "issue, pages).",
        ),
    ] = None,
    job: Annotated[
        Path | None,
        typer.Option(
            "--job",
            help="Job directory (its journal makes the job resumable). Default: one under "
            "the cache directory, named after the inputs, removed when the job is done.",
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Finish a stopped or killed job, and retry its unavailable records.",
        ),
    ] = False,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="Write the report of what the --job has answered so far (it may be running), "
            "and stop.",
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Workers for records with fields to match: processes over the local index, "
            "threads sharing one client (and its rate limits) over HTTP.",
        ),
    ] = 1,
    fail_on_: Annotated[
        str,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a row has one of these statuses (or `retracted`).",
        ),
    ] = DEFAULT_FAIL_ON,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="No progress and no summary.")
    ] = False,
    chunk: Annotated[
        int, typer.Option("--chunk", hidden=True, help="Records per chunk (transaction).")
    ] = CHUNK,
) -> None:
    """Check the DOIs of many records at once: resumable, batched, one report row per record.

    A record that is only a DOI is `confirmed` when the DOI is registered,
    `supplement` when it is a component's (a figure or supplementary file),
    `unknown` when it is not registered, `unavailable` when the source did not
    answer. Records with a title or authors are resolved field by field (also
    `wrong`, `found`, `ambiguous`, `none`). A record that cannot be read is
    `invalid`, with the reason. Progress and a summary go to stderr.

    Exit status: 0 clean, 1 when a --fail-on status occurs, 2 for a usage or input
    error, 130 when stopped (Ctrl-C): the journal keeps every answered record,
    and --resume finishes the job.
    """
    with user_errors():
        fmt = choose_format(format_, output)
        selectors = parse_fail_on(fail_on_)
        check_writable(output, inputs=tuple(inputs or ()))  # now, not after the job has run
        out = console(quiet=quiet)
        if partial:
            if job is None:
                raise InputError("--partial needs --job DIR (the job to report on)")
            journal = Job.read_only(job)
            try:
                _finish(journal, output, fmt, selectors, out, None, [], notes=[
                    f"partial: {journal.count():,} records answered so far"])  # fmt: skip
            finally:
                journal.close()
            return
        options = CheckOptions(
            inputs=tuple(inputs or ()),
            source=source,
            index=index,
            mailto=mailto,
            refresh=refresh,
            kind=from_,
            columns=columns,
            job=job,
            resume=resume,
            workers=workers,
            chunk=chunk,
        )
        started = Job.start(options)
        try:
            with _terminate_as_interrupt():
                stats = started.run(display_for(quiet=quiet, out=out), workers=workers,
                                    chunk=chunk, mailto=mailto, refresh=refresh)  # fmt: skip
        except KeyboardInterrupt:
            done = started.journal.count(settled=True)
            directory = started.directory
            started.close()
            typer.echo(
                f"refs: stopped; {done:,} answered records are saved in {directory}\n"
                f"refs: resume with: refs check --resume --job {directory}",
                err=True,
            )
            raise typer.Exit(130) from None
        except BaseException:
            started.close()
            raise
        try:
            unavailable = started.journal.status_counts().get("unavailable", 0)
            notes = []
            if unavailable:
                notes.append(
                    f"{unavailable:,} records unavailable: retry them with "
                    f"refs check --resume --job {started.directory}"
                )
            inputs_ = [i.key for i in started.inputs]
            code = _finish(started.journal, output, fmt, selectors, out, stats, inputs_, notes)
        finally:
            started.finish()
        if code:
            raise typer.Exit(code)


def _finish(
    journal: Journal,
    output: str | None,
    fmt: str,
    selectors: list[str],
    out: Console,
    stats: RunStats | None,
    inputs: list[str],
    notes: list[str],
) -> int:
    """Write the report and the summary; the exit status."""
    problems = journal.problems()
    if journal.count() == 0 and problems:
        listing = "; ".join(f"{name}: {why}" for name, why in problems[:5])
        raise InputError(f"no record could be read ({listing})")
    title = "refs check" + (f" against {stats.source}" if stats else "")
    with atomic_output(output, inputs=inputs) as handle:
        if fmt == "jsonl":  # the journal keeps each row as its JSON line
            write_json_lines(handle, journal.lines())
        else:
            write_report(handle, journal.rows(), fmt, title=title)
    report = None if output in (None, "-") else f"{output} ({fmt})"
    summary = summarize(journal, stats, report=report)
    matched = fail_on(journal, selectors)
    if problems and "invalid" in selectors:
        matched["invalid"] = matched.get("invalid", 0) + len(problems)
    for line in summary_markup(summary):
        out.print(line)
    for note in notes:
        out.print(f"  {note}", markup=False)
    if matched:
        listing = ", ".join(f"{n:,} {name}" for name, n in matched.items())
        out.print(f"refs: failing (--fail-on): {listing}", markup=False)
        return 1
    return 0


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops a job as Ctrl-C does: the journal is left whole, and it can resume."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
