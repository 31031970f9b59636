"""`refs index build|info`: the local SQLite index of Crossref records."""

from __future__ import annotations

from typing import Annotated

import typer

from refs.cli.options import IndexOpt, user_errors

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
