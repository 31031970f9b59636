"""Command bodies: read options, call the core, render, map errors to exit codes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated

import typer

from refs.errors import RefsError
from refs.formats import InputFormat, OutputFormat, read_references, write_references
from refs.io import read_text, write_text
from refs.model import Reference

InputArg = Annotated[str, typer.Argument(help="Reference list file, or - for standard input.")]
FromOpt = Annotated[
    InputFormat, typer.Option("--from", help="Input format (default: detected from the content).")
]
OutOpt = Annotated[
    str | None, typer.Option("-o", "--output", help="Write here (atomically) instead of stdout.")
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
        OutputFormat, typer.Option("--to", help="Output format: bibtex, csl-json, ris or json.")
    ] = OutputFormat.bibtex,
    output: OutOpt = None,
) -> None:
    """Parse, normalise and export a list as a clean bibliography (BibTeX by default).

    References are not verified against a registry yet: each is reported as unverified.
    """
    with user_errors():
        refs = read_references(read_text(input), from_, input)
        write_text(output, write_references(refs, to), inputs=(input,))
        report_problems(refs)
        typer.echo(summary(refs), err=True)
        exit_on_broken_entries(refs)


def report_problems(refs: Sequence[Reference]) -> None:
    for ref in refs:
        for message in ref.diagnostics:
            typer.echo(
                f"refs: reference {ref.index} (line {ref.span.start_line}): {message}", err=True
            )


def exit_on_broken_entries(refs: Sequence[Reference]) -> None:
    """A structured entry (BibTeX, RIS, CSL-JSON) that could not be read fails the run.

    The good entries have been written; exit 1 so scripts notice what was lost.
    A free-text reference that cannot be parsed is reported but is not a failure.
    """
    if any(r.style in STRUCTURED and not r.parsed for r in refs):
        raise typer.Exit(1)


STRUCTURED = frozenset({"bibtex", "csl-json", "ris"})


def summary(refs: Sequence[Reference]) -> str:
    styles = Counter(r.style for r in refs)
    repaired = sum(1 for r in refs if r.repairs)
    unparsed = sum(1 for r in refs if not r.parsed)
    by_style = ", ".join(f"{n} {s}" for s, n in styles.most_common())
    return (
        f"refs: {len(refs)} references ({by_style}); {repaired} repaired, {unparsed} unparseable; "
        "not verified (no source in this version)"
    )
