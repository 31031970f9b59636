"""`refs serve`: a Crossref-REST-compatible server over the local index, on loopback."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from refs.cli.options import IndexOpt, user_errors
from refs.errors import InputError


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
    from refs.serve.run import check_bind, is_loopback

    with user_errors():
        path = config.index_path(index)
        if not path.exists():
            raise InputError(
                f"no index at {path}: build one with `refs index build FILES… --index {path}`"
            )
        if not 0 < port < 65536:
            raise InputError(f"--port {port}: not a port number")
        check_bind(host, port, allow_remote=allow_remote)
        if not is_loopback(host):
            typer.echo(
                f"refs: warning: --allow-remote: the index is reachable from other machines"
                f" on {host}:{port}",
                err=True,
            )
        typer.echo(f"refs: serving {path} on http://{host}:{port}", err=True)
        run(path, host=host, port=port, faults=Faults.parse(faults) if faults else Faults(),
            enforce_limits=enforce_limits, access_log=access_log, allow_remote=allow_remote)  # fmt: skip
