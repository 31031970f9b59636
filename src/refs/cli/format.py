"""`refs format`: a bibliography in any CSL style; and the styled/report outputs of `refs clean`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from refs.cli.commands import (
    FromOpt,
    IndexOpt,
    MailtoOpt,
    OutOpt,
    SourceOpt,
    exit_on_broken_entries,
    report_problems,
    user_errors,
)
from refs.errors import InputError
from refs.export.formatted import Target, format_bibliography, items_of
from refs.export.styles import DEFAULT_STYLE, resolve_locale, resolve_style, search_styles
from refs.formats import InputFormat, OutputFormat, read_references
from refs.io import read_text, write_text
from refs.model import Reference, Verdict
from refs.report import corrected_references, record, summary

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
        refs = read_references(read_text(input), from_, input)
        verdicts, source_name = (None, None) if no_verify else verify(refs, source, index, mailto)
        fixed = corrected_references(refs, verdicts) if verdicts is not None else refs
        text = format_bibliography(
            items_of(fixed), spec, locale=chosen_locale, target=to, title=_title(input)
        )
        write_text(output, text, inputs=(input,))
        report_problems(refs)
        if verdicts is not None:
            typer.echo(summary(refs, verdicts, source_name), err=True)
        exit_on_broken_entries(refs)


def list_matching_styles(query: str | None) -> None:
    found = search_styles(query)
    if not found:
        raise InputError(f"no style name or title has {query!r}; try a shorter word")
    width = min(48, max(len(name) for name, _ in found))
    typer.echo("\n".join(f"{name:<{width}}  {title}" for name, title in found))


def verify(
    refs: Sequence[Reference], source: str, index: str | None, mailto: str | None
) -> tuple[list[Verdict], str]:
    from refs.resolve import Resolver
    from refs.sources import open_source

    opened = open_source(source, index=index, mailto=mailto)
    try:
        return Resolver(opened).resolve(refs), opened.name
    finally:
        opened.close()


def _title(input: str) -> str:
    return "Bibliography" if input == "-" else f"Bibliography: {Path(input).name}"


# --- what `refs clean` writes with --style, --to text|html|markdown ------------------------

REVIEWS = (OutputFormat.text, OutputFormat.html, OutputFormat.markdown)


def styled_target(to: OutputFormat, style: str | None) -> OutputFormat:
    """Check `refs clean --style/--to` early: --style makes the BibTeX default text."""
    if style is None:
        return to
    resolve_style(style)  # an unknown style fails before any verifying
    if to is OutputFormat.bibtex:
        return OutputFormat.text
    if to not in REVIEWS:
        raise InputError(
            f"--style writes formatted entries: use it with --to text, html or markdown, not {to.value}"
        )
    return to


def review_output(
    refs: Sequence[Reference],
    verdicts: Sequence[Verdict] | None,
    to: OutputFormat,
    style: str | None,
    input: str,
) -> str | None:
    """`refs clean` output for text (the styled bibliography), html and markdown; else None."""
    if to not in REVIEWS:
        return None
    if to is OutputFormat.text:
        fixed = corrected_references(refs, verdicts) if verdicts is not None else list(refs)
        return format_bibliography(items_of(fixed), style or DEFAULT_STYLE)
    from refs.html import render_html, render_markdown

    paired: Sequence[Verdict | None] = verdicts if verdicts is not None else [None] * len(refs)
    records = [record(r, v) for r, v in zip(refs, paired, strict=True)]
    title = "refs review" if input == "-" else f"refs review: {Path(input).name}"
    if to is OutputFormat.html:
        return render_html(records, title, style=style)
    return render_markdown(records, title)
