"""The `refs` command line: one module per command, each a thin front end over `refs.pipeline`.

Every user error is one line on stderr and a non-zero exit; no tracebacks
(set REFS_DEBUG=1 to see one for a bug report).
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from refs.cli.check import check
from refs.cli.clean import clean
from refs.cli.format import format as format_command
from refs.cli.index import index_app
from refs.cli.parse import parse
from refs.cli.serve import serve

app = typer.Typer(
    name="refs",
    help="Turn messy reference lists into clean, verified bibliographies.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(asked: bool) -> None:
    if asked:
        from refs import __version__

        typer.echo(f"refs {__version__}")
        raise typer.Exit()


@app.callback()
def options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Turn messy reference lists into clean, verified bibliographies."""


app.command("parse")(parse)
app.command("clean")(clean)
app.command("format")(format_command)
app.add_typer(index_app, name="index")
app.command("serve")(serve)
app.command("check")(check)


def main() -> None:
    """Console entry point."""
    try:
        app()
    except Exception as error:  # a bug: say so in one line, keep the traceback for REFS_DEBUG
        if os.environ.get("REFS_DEBUG"):
            raise
        print(f"refs: internal error: {type(error).__name__}: {error} "
              "(run with REFS_DEBUG=1 for details)", file=sys.stderr)  # fmt: skip
        sys.exit(70)
