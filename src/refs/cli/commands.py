"""Command bodies: read options, call the core, render, map errors to exit codes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from refs.errors import InputError, RefsError
from refs.export.bibtex import to_bibtex
from refs.formats import InputFormat, OutputFormat, json_lines, read_references, write_references
from refs.io import read_text, write_text
from refs.model import Reference, Verdict
from refs.report import change_notes, corrected_references, record, summary

InputArg = Annotated[str, typer.Argument(help="Reference list file, or - for standard input.")]
FromOpt = Annotated[
    InputFormat, typer.Option("--from", help="Input format (default: detected from the content).")
]
OutOpt = Annotated[
    str | None, typer.Option("-o", "--output", help="Write here (atomically) instead of stdout.")
]
SourceOpt = Annotated[
    str,
    typer.Option(
        "--source",
        help="Where to verify: index (local SQLite index), crossref (the public API), "
        "or http://HOST:PORT of a Crossref-compatible server such as `refs serve`.",
    ),
]
IndexOpt = Annotated[
    str | None,
    typer.Option("--index", help="Index path (default: $REFS_INDEX, else the XDG data dir)."),
]
MailtoOpt = Annotated[
    str | None,
    typer.Option("--mailto", help="Your e-mail for Crossref's polite pool (or $REFS_MAILTO)."),
]


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a RefsError into one line on stderr and its exit code."""
    try:
        yield
    except RefsError as error:
        typer.echo(f"refs: error: {error}", err=True)
        raise typer.Exit(error.exit_code) from None


def parse(
    input: InputArg,
    from_: FromOpt = InputFormat.auto,
    to: Annotated[OutputFormat, typer.Option("--to", help="Output format.")] = OutputFormat.json,
    output: OutOpt = None,
) -> None:
    """Split, parse and normalise a list (no network): one JSON object per reference."""
    with user_errors():
        refs = read_references(read_text(input), from_, input)
        write_text(output, write_references(refs, to), inputs=(input,))
        report_problems(refs)
        exit_on_broken_entries(refs)


def clean(
    input: InputArg,
    from_: FromOpt = InputFormat.auto,
    to: Annotated[
        OutputFormat,
        typer.Option(
            "--to",
            help="Output: bibtex, csl-json, ris, json, text (the bibliography in --style), "
            "html (a review page) or markdown (a review summary for CI).",
        ),
    ] = OutputFormat.bibtex,
    output: OutOpt = None,
    style: Annotated[
        str | None,
        typer.Option(
            "--style",
            help="Write the bibliography in this CSL style (vancouver, apa, nature…; "
            "`refs format --list-styles`) instead of BibTeX.",
        ),
    ] = None,
    source: SourceOpt = "index",
    index: IndexOpt = None,
    mailto: MailtoOpt = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask the API again, ignoring the cache.")
    ] = False,
    no_verify: Annotated[
        bool, typer.Option("--no-verify", help="Parse and normalise only.")
    ] = False,
) -> None:
    """Verify a list against Crossref records and write the corrected bibliography.

    BibTeX by default, each corrected entry preceded by comments saying what changed
    and why; `--to json` gives one record per reference with its status (confirmed,
    found, wrong, supplement, unknown, ambiguous, none), field flags and the
    corrected CSL-JSON item. A summary goes to stderr.
    """
    with user_errors():
        from refs.cli.format import review_output, styled_target

        to = styled_target(to, style)
        refs = read_references(read_text(input), from_, input)
        verdicts: list[Verdict] | None = None
        source_name = hint = None
        if not no_verify:
            from refs.resolve import Resolver
            from refs.sources import open_source

            opened = open_source(source, index=index, mailto=mailto, refresh=refresh)
            try:
                verdicts = Resolver(opened).resolve(refs)
                source_name, hint = describe(opened)
            finally:
                opened.close()
        reviewed = review_output(refs, verdicts, to, style, input)
        text = reviewed if reviewed is not None else render(refs, verdicts, to)
        write_text(output, text, inputs=(input,))
        report_problems(refs)
        typer.echo(summary(refs, verdicts, source_name), err=True)
        if hint:
            typer.echo(hint, err=True)
        exit_on_broken_entries(refs)


def describe(source: object) -> tuple[str, str | None]:
    """The source's name for the summary, and a hint when a small index may mislead."""
    from refs.sources.sqlite_index import SqliteIndex

    if isinstance(source, SqliteIndex):
        works = source.count()
        hint = None
        if works < 10_000:
            hint = ("refs: note: the index is small, so `unknown` means \"not in it\", not "
                    "\"not registered\"; build a fuller one with `refs index build` or use --source crossref")  # fmt: skip
        return f"the local index ({works:,} works)", hint
    return str(getattr(source, "name", "the source")), None


def render(refs: Sequence[Reference], verdicts: Sequence[Verdict] | None, to: OutputFormat) -> str:
    if to is OutputFormat.json:
        paired: Sequence[Verdict | None] = verdicts if verdicts is not None else [None] * len(refs)
        return json_lines([record(r, v) for r, v in zip(refs, paired, strict=True)])
    if verdicts is None:
        return write_references(refs, to)
    fixed = corrected_references(refs, verdicts)
    if to is OutputFormat.bibtex:
        notes = [change_notes(r, v) for r, v in zip(refs, verdicts, strict=True)]
        return to_bibtex(fixed, notes)
    return write_references(fixed, to)


def report_problems(refs: Sequence[Reference]) -> None:
    for ref in refs:
        for message in ref.diagnostics:
            typer.echo(
                f"refs: reference {ref.index} (line {ref.span.start_line}): {message}", err=True
            )


STRUCTURED = frozenset({"bibtex", "csl-json", "ris"})


def exit_on_broken_entries(refs: Sequence[Reference]) -> None:
    """A structured entry (BibTeX, RIS, CSL-JSON) that could not be read fails the run.

    The good entries have been written; exit 1 so scripts notice what was lost.
    A free-text reference that cannot be parsed is reported but is not a failure.
    """
    if any(r.style in STRUCTURED and not r.parsed for r in refs):
        raise typer.Exit(1)


# --- refs index ---------------------------------------------------------------------
index_app = typer.Typer(
    help="Build and inspect the local index of Crossref records.", no_args_is_help=True
)


@index_app.command("build")
def index_build(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Crossref record files (.jsonl, .jsonl.gz, .json.gz chunks, API responses) or directories."
        ),
    ],
    index: IndexOpt = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet")] = False,
) -> None:
    """Add Crossref work records to the index (idempotent; a killed build resumes)."""
    from refs import config
    from refs.sources.index_build import build_index
    from refs.sources.sqlite_index import SqliteIndex

    with user_errors():
        path = config.index_path(index)
        opened = SqliteIndex(path, create=True)
        try:

            def progress(name: str, done: int) -> None:
                if not quiet:
                    typer.echo(f"refs: {name}: {done:,} records", err=True)

            report = build_index(opened, files, progress=progress)
            info = opened.info()
        finally:
            opened.close()
        for line in report.skipped[:20]:
            typer.echo(f"refs: skipped {line}", err=True)
        if len(report.skipped) > 20:
            typer.echo(f"refs: … {len(report.skipped) - 20} more skipped", err=True)
        typer.echo(
            f"refs: {report.added:,} records added from {report.files} file(s) "
            f"({report.resumed_files} already done or resumed), {len(report.skipped):,} skipped; "
            f"{info.works:,} works in {path}",
            err=True,
        )
        if report.skipped:
            raise typer.Exit(1)


@index_app.command("info")
def index_info(index: IndexOpt = None) -> None:
    """Where the index is, how many works it holds, whether its last build finished."""
    from refs import config
    from refs.sources.sqlite_index import SqliteIndex

    with user_errors():
        opened = SqliteIndex(config.index_path(index), readonly=True)
        try:
            info = opened.info()
        finally:
            opened.close()
        state = (
            "complete"
            if info.complete
            else "incomplete: run the same `refs index build` again to resume"
        )
        typer.echo(f"{info.path}\n{info.works:,} works from {info.files} file(s), "
                   f"{info.size_bytes / 1e6:.1f} MB; {state}")  # fmt: skip


# --- refs serve ---------------------------------------------------------------------
def serve(
    index: IndexOpt = None,
    host: Annotated[
        str, typer.Option(help="Address to bind (loopback unless --allow-remote).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    allow_remote: Annotated[
        bool, typer.Option("--allow-remote", help="Allow a non-loopback --host.")
    ] = False,
    enforce_limits: Annotated[
        bool,
        typer.Option(
            "--enforce-limits", help="Answer 429 past each pool's rate and concurrency limits."
        ),
    ] = False,
    faults: Annotated[
        str | None,
        typer.Option(
            help="Fault injection for drills, e.g. '429=0.1,5xx=0.05,drop=0.01,latency=200,seed=7'."
        ),
    ] = None,
    access_log: Annotated[
        Path | None, typer.Option("--access-log", help="Write one JSON line per request here.")
    ] = None,
) -> None:
    """A Crossref-REST-compatible server over the local index (/works, /works/{doi}, filters, cursors)."""
    from refs import config
    from refs.serve import Faults
    from refs.serve import serve as run

    with user_errors():
        path = config.index_path(index)
        if not path.exists():
            raise InputError(
                f"no index at {path}: build one with `refs index build FILES… --index {path}`"
            )
        if not 0 < port < 65536:
            raise InputError(f"--port {port}: not a port number")
        typer.echo(f"refs: serving {path} on http://{host}:{port}", err=True)
        run(path, host=host, port=port, faults=Faults.parse(faults) if faults else Faults(),
            enforce_limits=enforce_limits, access_log=access_log, allow_remote=allow_remote)  # fmt: skip
