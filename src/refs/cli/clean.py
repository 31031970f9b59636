"""`refs clean`: verify a list and write the corrected bibliography, with a summary."""

from __future__ import annotations

from typing import Annotated

import typer

from refs import pipeline
from refs.cli.options import (
    FromOpt,
    IndexOpt,
    InputArg,
    MailtoOpt,
    OutOpt,
    RefreshOpt,
    SourceOpt,
    exit_on_broken_entries,
    report_problems,
    review_title,
    user_errors,
)
from refs.errors import InputError
from refs.formats import InputFormat, OutputFormat
from refs.io import read_text, write_text
from refs.report.outputs import render
from refs.report.records import summary

# The outputs --style applies to: the bibliography itself, and the entries a review shows.
STYLED = (OutputFormat.text, OutputFormat.html, OutputFormat.markdown)


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
    refresh: RefreshOpt = False,
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
        to = styled_target(to, style)
        settings = pipeline.Settings(source=source, index=index, mailto=mailto, refresh=refresh)
        cleaned = pipeline.clean(
            read_text(input), settings, fmt=from_, filename=input, verified=not no_verify
        )
        cleaned.require_source()  # nothing could be checked: one line, exit 3, no output
        text = render(cleaned.reviews, to, title=review_title(input), style=style)
        write_text(output, text, inputs=(input,))
        report_problems(cleaned.references)
        described = cleaned.source
        typer.echo(
            summary(cleaned.references, cleaned.verdicts, described.name if described else None),
            err=True,
        )
        if described is not None and described.hint:
            typer.echo(described.hint, err=True)
        if cleaned.unavailable_why:
            name = cleaned.source.name if cleaned.source else "the source"
            typer.echo(f"refs: note: {name} left references unavailable: {cleaned.unavailable_why}",
                       err=True)  # fmt: skip
        exit_on_broken_entries(cleaned.references)


def styled_target(to: OutputFormat, style: str | None) -> OutputFormat:
    """Check `--style/--to` early: --style makes the BibTeX default text."""
    if style is None:
        return to
    from refs.export.csl import resolve_style

    resolve_style(style)  # an unknown style fails before any verifying
    if to is OutputFormat.bibtex:
        return OutputFormat.text
    if to not in STYLED:
        raise InputError(
            f"--style writes formatted entries: use it with --to text, html or markdown, not {to.value}"
        )
    return to
