"""`refs format`: a verified list as a bibliography in any CSL style."""

from __future__ import annotations

from typing import Annotated

import typer

from refs import pipeline
from refs.cli.options import (
    FromOpt,
    IndexOpt,
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
from refs.export.csl import (
    DEFAULT_STYLE,
    Target,
    format_bibliography,
    items_of,
    resolve_locale,
    resolve_style,
    search_styles,
)
from refs.formats import InputFormat
from refs.io import read_text, write_text
from refs.report.records import summary

STYLE_HELP = (
    "CSL style: vancouver, ama, apa, nature, chicago, harvard, ieee, lancet, bmj, "
    "elsevier-vancouver, any installed style's name (see --list-styles), or a .csl file."
)


def format(
    input: Annotated[
        str | None,
        typer.Argument(
            help="Reference list file, or - for standard input. With --list-styles: words to "
            "look for in style names and titles.",
            show_default=False,
        ),
    ] = None,
    style: Annotated[str, typer.Option("--style", "-s", help=STYLE_HELP)] = DEFAULT_STYLE,
    locale: Annotated[
        str | None,
        typer.Option("--locale", help="Locale: en-US, en-GB, fr-FR, de… (default: the style's)."),
    ] = None,
    to: Annotated[
        Target, typer.Option("--to", help="Output: text, html (a page), markdown or rtf.")
    ] = Target.text,
    output: OutOpt = None,
    from_: FromOpt = InputFormat.auto,
    source: SourceOpt = "index",
    index: IndexOpt = None,
    mailto: MailtoOpt = None,
    refresh: RefreshOpt = False,
    no_verify: Annotated[
        bool,
        typer.Option("--no-verify", help="Format the entries as parsed, without checking them."),
    ] = False,
    list_styles: Annotated[
        bool,
        typer.Option(
            "--list-styles", help="List the installed styles (matching INPUT's words) and exit."
        ),
    ] = False,
) -> None:
    """Write a list as a bibliography in a CSL style (offline, citeproc-py).

    The references are verified first, as `refs clean` does, and the corrected entries are formatted: numbered or author-date, in cited or sorted order, as the style says. `--no-verify` formats the entries as parsed.
    """
    with user_errors():
        if list_styles:
            list_matching_styles(input)
            return
        if input is None:
            raise InputError("missing INPUT: a reference list file, or - for standard input")
        spec = resolve_style(style)
        chosen_locale = resolve_locale(locale, spec)
        settings = pipeline.Settings(source=source, index=index, mailto=mailto, refresh=refresh)
        cleaned = pipeline.clean(
            read_text(input), settings, fmt=from_, filename=input, verified=not no_verify
        )
        cleaned.require_source()  # nothing could be checked: one line, exit 3, no output
        fixed = [r.corrected for r in cleaned.reviews]
        text = format_bibliography(
            items_of(fixed), spec, locale=chosen_locale, target=to,
            title=review_title(input, "Bibliography"),
        )  # fmt: skip
        write_text(output, text, inputs=(input,))
        report_problems(cleaned.references)
        if cleaned.source is not None:
            typer.echo(summary(cleaned.references, cleaned.verdicts, cleaned.source.name), err=True)
        if cleaned.unavailable_why:
            name = cleaned.source.name if cleaned.source else "the source"
            typer.echo(f"refs: note: {name} left references unavailable: {cleaned.unavailable_why}",
                       err=True)  # fmt: skip
        exit_on_broken_entries(cleaned.references)


def list_matching_styles(query: str | None) -> None:
    found = search_styles(query)
    if not found:
        raise InputError(f"no style name or title has {query!r}; try a shorter word")
    width = min(48, max(len(name) for name, _ in found))
    typer.echo("\n".join(f"{name:<{width}}  {title}" for name, title in found))
