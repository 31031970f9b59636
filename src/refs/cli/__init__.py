"""The `refs` command line: one module per command, each a thin front end over `refs.pipeline`.

Every user error is one line on stderr and a non-zero exit; no tracebacks
(set REFS_DEBUG=1 to see one for a bug report).
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, NoReturn

import typer

from refs.cli.check import check
from refs.cli.clean import clean
from refs.cli.format import format as format_command
from refs.cli.index import index_app
from refs.cli.parse import parse
from refs.cli.serve import serve
from refs.errors import ExportError

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
        try:
            app()
        finally:
            # Flushed here, not at interpreter exit: a reader gone is then caught below.
            sys.stdout.flush()
    except BrokenPipeError:
        _reader_gone()
    except SystemExit as done:
        # Click answers a broken pipe itself: exit 1, stdout wrapped to swallow the flush
        # (the wrapper is private, `_PacifyFlushWrapper`, since Click 8.2: known by name).
        if done.code == 1 and type(sys.stdout).__name__.lstrip("_") == "PacifyFlushWrapper":
            _reader_gone()
        raise
    except Exception as error:  # a bug: say so in one line, keep the traceback for REFS_DEBUG
        if isinstance(error, ExportError) and isinstance(
            error.__cause__ or error.__context__, BrokenPipeError
        ):  # a write to stdout that the command's own error handler let through
            _reader_gone()
        if os.environ.get("REFS_DEBUG"):
            raise
        print(f"refs: internal error: {type(error).__name__}: {error} "
              "(run with REFS_DEBUG=1 for details)", file=sys.stderr)  # fmt: skip
        sys.exit(70)


def _reader_gone() -> NoReturn:
    """The reader of stdout left (`refs parse big.txt | head -1`): stop quietly.

    As the `signal` docs' note on SIGPIPE does: stdout onto devnull, so the flush at
    exit writes nowhere instead of printing a second BrokenPipeError. Exit 141, 128 +
    SIGPIPE, what a shell reports for a command killed by SIGPIPE (`yes | head`): a
    script under `set -o pipefail` sees refs as it sees coreutils, and a pipeline that
    only wanted the first lines does not mistake it for a failure of refs itself.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(141)
