"""`refs parse`: split, parse and normalise a list; no network."""

from __future__ import annotations

from typing import Annotated

import typer

from refs import pipeline
from refs.cli.options import (
    FromOpt,
    InputArg,
    OutOpt,
    exit_on_broken_entries,
    report_problems,
    user_errors,
)
from refs.formats import InputFormat, OutputFormat
from refs.io import read_text, write_text
from refs.report.outputs import render


def parse(
    input: InputArg,
    from_: FromOpt = InputFormat.auto,
    to: Annotated[OutputFormat, typer.Option("--to", help="Output format.")] = OutputFormat.json,
    output: OutOpt = None,
) -> None:
    """Split, parse and normalise a list (no network): one JSON object per reference."""
    with user_errors():
        refs = pipeline.read(read_text(input), from_, input)
        reviews = pipeline.review(refs, None)
        text = render(reviews, to, title="refs: parsed references, not verified", parsed_only=True)
        write_text(output, text, inputs=(input,))
        report_problems(refs)
        exit_on_broken_entries(refs)
