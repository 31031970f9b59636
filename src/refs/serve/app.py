"""A Crossref REST API over the local index: the checklist of API_CONTRACT.md §7.

Routes: `/works/{doi}` (GET, HEAD), `/works/{doi}/agency`, and the work lists
`/works`, `/journals/{issn}/works`, `/members/{id}/works`, `/prefixes/{prefix}/works`,
`/types/{id}/works`, `/funders/{id}/works`. Envelopes, error bodies, content types
and pool headers are Crossref's as recorded; validation messages are Cayenne's
(Crossref's API server) word for word, typos included, since clients match on them.

The outermost layer (`CrossrefApp.__call__`) does what Crossref's gateway does:
pool headers on every response, optional rate/concurrency enforcement, fault
injection and an access log. The index is read in worker threads through a small
pool of read-only connections, so a slow search does not stall DOI lookups.

The pieces: `envelopes` (answer shapes), `filters` (the `filter` parameter),
`query` (list-request validation, cursors), `lists` (reader pool, list execution);
this module holds the routes and the gateway around them.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO, TypeVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from refs.ids import doi_key
from refs.serve.envelopes import (
    JSON_UTF8,
    Rejected,
    envelope,
    item,
    json_200,
    not_found,
    response,
    validation_failure,
)
from refs.serve.faults import (
    ERROR_PAGES,
    NO_FAULTS,
    NON_JSON_PAGE,
    TOO_MANY_PAGE,
    FaultInjector,
    Faults,
    Kind,
)
from refs.serve.lists import Lists, Readers
from refs.serve.query import Cursors, ListQuery, single_route_failures, validate_list_request
from refs.serve.ratelimit import PoolGate, pool_headers, pool_of

_R = TypeVar("_R")

_CORS = [
    (b"access-control-allow-origin", b"*"),
    (
        b"access-control-allow-headers",
        b"X-Requested-With, Accept, Accept-Encoding, Accept-Charset, Accept-Language, "
        b"Accept-Ranges, Cache-Control",
    ),
    (b"access-control-expose-headers", b"Link"),
]


class AccessLog:
    """JSON lines, one per request, flushed as written (event-loop thread only)."""

    def __init__(self, path: Path | None) -> None:
        self._file: TextIO | None = (
            path.open("a", encoding="utf-8", buffering=1) if path is not None else None
        )

    def write(self, entry: Mapping[str, Any]) -> None:
        if self._file is not None and not self._file.closed:
            self._file.write(json.dumps(entry, separators=(",", ":")) + "\n")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class CrossrefApp:
    """The ASGI application: Crossref's gateway behaviour around the routes."""

    def __init__(
        self,
        index_path: Path,
        *,
        faults: Faults = NO_FAULTS,
        enforce_limits: bool = False,
        access_log: Path | None = None,
        cursor_ttl: float = 300.0,
        readers: int = 4,
    ) -> None:
        self.faults = faults
        self.readers = Readers(index_path, readers)
        # Our own threads, not AnyIO's: they are joined on close, so nothing outlives a server.
        self._executor = ThreadPoolExecutor(readers, thread_name_prefix="refs-serve")
        self.gate = PoolGate(enforce=enforce_limits)
        self._injector = FaultInjector(faults)
        self._cursors = Cursors(cursor_ttl)
        self._lists = Lists(self._cursors)
        self._log = AccessLog(access_log)
        self._closed = False

        def scoped(name: str) -> Callable[[Request], Any]:
            async def endpoint(request: Request) -> Response:
                return await self._list(request, (name, request.path_params["id"]))

            return endpoint

        routes = [
            Route("/works", self._list),
            Route("/works/{doi:path}", self._work),
            *(
                Route(f"/{resource}/{{id}}/works", scoped(name))
                for resource, name in (
                    ("journals", "issn"),
                    ("members", "member"),
                    ("prefixes", "prefix"),
                    ("types", "type"),
                    ("funders", "funder"),
                )
            ),
        ]
        self._router = Starlette(
            routes=routes, exception_handlers={HTTPException: self._http_error}
        )

    def close(self) -> None:
        """Close the index connections and the access log (idempotent)."""
        if not self._closed:
            self._closed = True
            self._executor.shutdown(wait=True)
            self.readers.close()
            self._log.close()

    # --- routes ---------------------------------------------------------------
    async def _http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return not_found()
        return response(exc.status_code, str(exc.detail).encode(), "text/plain")

    async def _work(self, request: Request) -> Response:
        failures = single_route_failures(request.query_params)
        if failures:
            return validation_failure(failures)
        key = doi_key(request.path_params["doi"])
        accept = request.headers.get("accept-encoding", "")
        return await self._in_thread(functools.partial(self._answer_work, key, accept))

    def _answer_work(self, key: str, accept: str) -> Response:
        agency_of = key.removesuffix("/agency") if key.endswith("/agency") else None
        keys = [key] if agency_of is None else [key, agency_of]
        with self.readers.reader() as index:
            found = index.records(keys)
        if key in found:  # a DOI that itself ends in /agency wins over the agency route
            return json_200(envelope("work", item(found[key], 1, None)), accept)
        if agency_of is not None and agency_of in found:
            agency = {"id": "crossref", "label": "Crossref"}
            doi = str(found[agency_of].get("DOI") or agency_of).lower()
            message = {"DOI": doi, "agency": agency}
            return response(200, envelope("work-agency", message), JSON_UTF8)
        return not_found()

    async def _in_thread(self, function: Callable[[], _R]) -> _R:
        return await asyncio.get_running_loop().run_in_executor(self._executor, function)

    async def _list(self, request: Request, scope: tuple[str, str] | None = None) -> Response:
        try:
            query = validate_list_request(request.query_params, self._cursors, scope)
        except Rejected as rejected:
            return rejected.response
        accept = request.headers.get("accept-encoding", "")
        return await self._in_thread(functools.partial(self._answer_list, query, accept))

    def _answer_list(self, query: ListQuery, accept: str) -> Response:
        with self.readers.reader() as index:
            return json_200(self._lists.run(index, query), accept)

    # --- the gateway ------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        else:
            await self._router(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        began, wall = time.monotonic(), time.time()
        headers = dict(scope.get("headers") or [])
        pool = pool_of(
            scope["path"],
            scope.get("query_string", b"").decode("latin-1"),
            headers.get(b"user-agent", b"").decode("latin-1"),
        )
        extra = [*pool_headers(pool), *_CORS]
        status: int | None = None

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        async def answer(code: int, body: bytes, kind: str, *more: tuple[bytes, bytes]) -> None:
            head = [(b"content-type", kind.encode()), (b"content-length", b"%d" % len(body))]
            await send_with_headers(
                {"type": "http.response.start", "status": code, "headers": [*head, *more]}
            )
            await send_with_headers({"type": "http.response.body", "body": body})

        admission = self.gate.admit(pool)
        fault = None
        try:
            if not admission.admitted:
                retry = (b"retry-after", str(admission.retry_after).encode())
                await answer(429, b"Too Many Requests", "text/plain", retry)
                return
            decision = self._injector.decide()
            fault = decision.kind.value if decision.kind is not Kind.NONE else None
            if decision.delay:
                await asyncio.sleep(decision.delay)
            if decision.kind is Kind.DROP:
                await _drop_connection(send)
            elif decision.kind is Kind.TOO_MANY:
                retry = (b"retry-after", str(self.faults.retry_after).encode())
                await answer(429, TOO_MANY_PAGE, "text/html", retry)
            elif decision.kind is Kind.SERVER_ERROR:
                await answer(decision.status, ERROR_PAGES[decision.status], "text/html")
            elif decision.kind is Kind.NON_JSON:
                await answer(200, NON_JSON_PAGE, "text/html")
            else:
                await self._router(scope, receive, send_with_headers)
        finally:
            if admission.admitted:
                self.gate.release(pool)
            self._log.write(
                {
                    "time": round(wall, 6),
                    "method": scope["method"],
                    "path": scope["path"],
                    "query": scope.get("query_string", b"").decode("latin-1"),
                    "status": status,
                    "pool": pool,
                    "duration": round(time.monotonic() - began, 6),
                    "concurrent": admission.concurrent,
                    "over": admission.over,
                    "fault": fault,
                }
            )


async def _drop_connection(send: Send) -> None:
    """Close the client's connection without a response, as a failing proxy does.

    ASGI has no message for this, so reach uvicorn's transport through the bound
    `send` of its request cycle (this must be the server's own `send`).
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise RuntimeError("cannot drop the connection: not served by uvicorn")
    transport.abort()
    # Let connection_lost run so uvicorn sees a disconnected client, not an app that
    # returned without answering (which it would answer with a 500).
    for _ in range(3):
        await asyncio.sleep(0)


def create_app(
    index_path: Path,
    *,
    faults: Faults = NO_FAULTS,
    enforce_limits: bool = False,
    access_log: Path | None = None,
    cursor_ttl: float = 300.0,
    readers: int = 4,
) -> CrossrefApp:
    """The ASGI app serving `index_path` (opened read-only) as Crossref's REST API."""
    return CrossrefApp(
        index_path,
        faults=faults,
        enforce_limits=enforce_limits,
        access_log=access_log,
        cursor_ttl=cursor_ttl,
        readers=readers,
    )
