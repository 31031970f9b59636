"""What the server answers with: Crossref's envelopes, error bodies and content types.

The shapes every other serve module builds its answers from (`Record`, `Predicate`,
Cayenne's failure entries, the `Rejected` exception that carries a finished answer),
kept apart so that validation, list execution and routing share one definition of
each byte Crossref sends.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from typing import Any

from starlette.responses import Response

Record = dict[str, Any]
Predicate = Callable[[Record], bool]

JSON = "application/json"
JSON_UTF8 = "application/json;charset=utf-8"  # Crossref's type for 400s and agency
_NOT_FOUND_BODY = b"Resource not found."


def json_bytes(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def response(status: int, body: bytes, content_type: str) -> Response:
    # Explicit header, not media_type: Starlette would add "; charset=utf-8" to
    # text/plain, and Crossref sends the bare type.
    return Response(body, status_code=status, headers={"content-type": content_type})


def json_200(body: bytes, accept_encoding: str, content_type: str = JSON) -> Response:
    """A 200 JSON answer, gzipped when the client accepts it (Crossref always does).

    Compressed here, in the worker thread that built the body, rather than by
    middleware on the event loop; level 1 because loopback cares for time, not bytes.
    """
    headers = {"content-type": content_type, "vary": "Accept-Encoding"}
    if len(body) >= 500 and "gzip" in accept_encoding.lower():
        body = gzip.compress(body, compresslevel=1)
        headers["content-encoding"] = "gzip"
    return Response(body, status_code=200, headers=headers)


def not_found() -> Response:
    return response(404, _NOT_FOUND_BODY, "text/plain")


def envelope(message_type: str, message: Any) -> bytes:
    return json_bytes(
        {
            "status": "ok",
            "message-type": message_type,
            "message-version": "1.0.0",
            "message": message,
        }
    )


def item(record: Record, score: float | int, select: frozenset[str] | None) -> Record:
    """The record as Crossref lists it: DOI lower-cased, `score` after `deposited`."""
    out: Record = {}
    for key, value in record.items():
        if key == "score":
            continue
        out[key] = value
        if key == "deposited":
            out["score"] = score
    out.setdefault("score", score)
    if isinstance(out.get("DOI"), str):
        out["DOI"] = out["DOI"].lower()
    if select is not None:
        out = {k: v for k, v in out.items() if k in select}
    return out


def failure(value: str, kind: str, message: str) -> dict[str, str]:
    """One entry of a validation failure, as Cayenne words it."""
    return {"type": kind, "value": value, "message": message}


def validation_failure(failures: list[dict[str, str]]) -> Response:
    body = {"status": "failed", "message-type": "validation-failure", "message": failures}
    return response(400, json_bytes(body), JSON_UTF8)


def cursor_invalid(value: str) -> Response:
    entry = failure(value, "cursor-invalid", "Cursor specified but it is invalid")
    body = {"status": "failed", "message-type": "resource-failure", "message": [entry]}
    return response(404, json_bytes(body), JSON)


class Rejected(Exception):
    """A request refused during validation; `response` is the answer to send."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response
