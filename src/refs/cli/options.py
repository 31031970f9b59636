"""What the commands share: their options, the error mapping, and the problem report."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from refs.errors import RefsError
from refs.formats import InputFormat
from refs.model import Reference

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
    typer.Option("--index", help="Index path (default: $REFS_INDEX, else the user data dir)."),
]
MailtoOpt = Annotated[
    str | None,
    typer.Option("--mailto", help="Your e-mail for Crossref's polite pool (or $REFS_MAILTO)."),
]
RefreshOpt = Annotated[
    bool, typer.Option("--refresh", help="Ask the API again, ignoring the cache.")
]


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a RefsError into one line on stderr and its exit code."""
    try:
        yield
    except RefsError as error:
        if isinstance(error.__context__, BrokenPipeError):
            raise  # the reader is gone: `refs.cli.main` ends quietly, as a pipe expects
        typer.echo(f"refs: error: {error}", err=True)
        raise typer.Exit(error.exit_code) from None


def report_problems(refs: Sequence[Reference]) -> None:
    for ref in refs:
        for message in ref.diagnostics:
            typer.echo(
                f"refs: reference {ref.index} (line {ref.span.start_line}): {message}", err=True
            )


STRUCTURED = frozenset({"bibtex", "csl-json", "ris"})


def exit_on_broken_entries(refs: Sequence[Reference]) -> None:
    """A structured entry (BibTeX, RIS, CSL-JSON) that could not be read fails the run.

    So does a CSL-JSON item with a field of the wrong type (reported, left out). The good
    entries have been written; exit 1 so scripts notice what was lost.
    A free-text reference that cannot be parsed is reported but is not a failure.
    """
    if any(r.style in STRUCTURED and (not r.parsed or _fields_dropped(r)) for r in refs):
        raise typer.Exit(1)


def _fields_dropped(ref: Reference) -> bool:
    """A CSL-JSON item whose fields failed the schema's types: those fields were left out."""
    return ref.style == "csl-json" and bool(ref.diagnostics)


def review_title(input: str, what: str = "refs review") -> str:
    return what if input == "-" else f"{what}: {Path(input).name}"
