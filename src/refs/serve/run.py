"""Start the server: `serve` blocks (the CLI), `running_server` runs one in a thread (tests).

Both bind loopback unless told otherwise: the index may hold data its owner did
not mean to publish, so exposing it must be an explicit choice (`allow_remote`).
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import uvicorn

from refs.errors import InputError
from refs.serve.app import CrossrefApp, create_app
from refs.serve.faults import NO_FAULTS, Faults


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, port: int, *, allow_remote: bool = False) -> None:
    """Raise InputError unless `host:port` may be served and is free (before anything starts).

    A non-loopback host needs `allow_remote`; a port something else holds is said so
    in one line instead of uvicorn's log and traceback. The test bind is closed at once.
    """
    if not is_loopback(host) and not allow_remote:
        raise InputError(
            f"refusing to serve on {host}: only loopback by default (pass --allow-remote"
            " to publish the index on the network)"
        )
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise InputError(f"--host {host}: cannot resolve: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As uvicorn binds: SO_REUSEADDR, so a port in TIME_WAIT counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise InputError(f"port {port} on {host} is in use") from None
            raise InputError(f"cannot listen on {host}:{port}: {error.strerror}") from None


def serve(
    index_path: Path,
    host: str = "127.0.0.1",
    port: int = 8765,
    faults: Faults = NO_FAULTS,
    enforce_limits: bool = False,
    access_log: Path | None = None,
    *,
    allow_remote: bool = False,
    log_level: str = "info",
) -> None:
    """Serve `index_path` as Crossref's REST API until interrupted (Ctrl-C)."""
    check_bind(host, port, allow_remote=allow_remote)
    app = create_app(
        index_path, faults=faults, enforce_limits=enforce_limits, access_log=access_log
    )
    try:
        # h11, pinned: dropped-connection faults reach its transport (see app._drop_connection).
        config = uvicorn.Config(app, host=host, port=port, http="h11", log_level=log_level)
        uvicorn.Server(config).run()
    finally:
        app.close()


class ServerThread:
    """A real uvicorn server on 127.0.0.1, on a free port, in a background thread.

    `start()` returns once the server accepts connections; `stop()` asks it to
    finish (in-flight requests get `grace` seconds) and joins the thread. Also a
    context manager. Nothing outlives `stop()`: socket, thread and index
    connections are closed.
    """

    def __init__(
        self,
        index_path: Path,
        *,
        faults: Faults = NO_FAULTS,
        enforce_limits: bool = False,
        access_log: Path | None = None,
        cursor_ttl: float = 300.0,
        grace: float = 2.0,
    ) -> None:
        self.app: CrossrefApp = create_app(
            index_path,
            faults=faults,
            enforce_limits=enforce_limits,
            access_log=access_log,
            cursor_ttl=cursor_ttl,
        )
        # IPPROTO_TCP named, not 0: asyncio sets TCP_NODELAY on accepted sockets only
        # then, and without it Nagle and delayed ACKs add 40 ms to every response.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            self._socket.bind(("127.0.0.1", 0))
        except OSError:
            self._socket.close()
            self.app.close()
            raise
        self.port: int = self._socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self.app,
            http="h11",
            lifespan="on",
            log_config=None,  # leave the host process's logging alone
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=max(1, round(grace)),
        )
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self, timeout: float = 10.0) -> str:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server on {self.base_url} did not start")
            time.sleep(0.005)
        return self.base_url

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._socket.close()
        self.app.close()

    def __enter__(self) -> ServerThread:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


@contextmanager
def running_server(
    index_path: Path,
    *,
    faults: Faults = NO_FAULTS,
    enforce_limits: bool = False,
    access_log: Path | None = None,
    cursor_ttl: float = 300.0,
) -> Iterator[str]:
    """`with running_server(index) as base_url:` a live server for tests and benchmarks."""
    with ServerThread(
        index_path,
        faults=faults,
        enforce_limits=enforce_limits,
        access_log=access_log,
        cursor_ttl=cursor_ttl,
    ) as server:
        yield server.base_url
