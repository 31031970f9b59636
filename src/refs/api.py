"""The library API: what the `refs` commands do, as functions over strings and records.

    >>> import refs
    >>> reviews = refs.clean(Path("refs/hal-ovarian-cancer.txt").read_text())  # doctest: +SKIP
    >>> [(r.reference.index, r.status, r.verdict.doi) for r in reviews][:2]  # doctest: +SKIP

Each call composes `refs.pipeline`, as the command line does, so `refs.clean(text)`
gives, record for record, what `refs clean --to json` prints for the same input and
source (`Reviewed.as_dict()`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from refs.model import Reference, Span, Status, Verdict
from refs.report.records import Reviewed

__all__ = ["check", "clean", "parse"]


def parse(text: str, *, format: str = "auto", filename: str = "") -> list[Reference]:
    """Split, parse and normalise a reference list; no network.

    `text`: a pasted list (numbered, HAL, Vancouver, author-date…), BibTeX, CSL-JSON
    or RIS; `format` forces one (`text`, `bibtex`, `csl-json`, `ris`). Raises
    `refs.errors.InputError` when nothing could be read.
    """
    from refs import pipeline
    from refs.formats import InputFormat

    return pipeline.read(text, InputFormat(format), filename)


def clean(
    text: str,
    *,
    source: str = "index",
    index: str | None = None,
    mailto: str | None = None,
    refresh: bool = False,
    format: str = "auto",
) -> list[Reviewed]:
    """Parse a list and verify every reference: one `Reviewed` per reference, in order.

    `source`: `index` (the local SQLite index: `index`, `$REFS_INDEX` or the default,
    built from the shipped sample records on first use), `crossref` (the public API;
    give `mailto` for the polite pool) or `http://HOST:PORT` of a Crossref-compatible
    server (`refs serve`). A `Reviewed` has `.status`, `.verdict` (DOI, calibrated
    confidence, field flags, notices), `.corrected` and `.as_dict()`.
    """
    from refs import pipeline
    from refs.formats import InputFormat

    settings = pipeline.Settings(source=source, index=index, mailto=mailto, refresh=refresh)
    return pipeline.clean(text, settings, fmt=InputFormat(format)).reviews


def check(
    dois_or_records: Iterable[str | Reference | Mapping[str, Any]],
    *,
    source: str = "index",
    index: str | None = None,
    mailto: str | None = None,
    refresh: bool = False,
) -> list[Reviewed]:
    """Verify DOIs or records, as `refs check` does: one `Reviewed` each, in order.

    Each element is a DOI (bare, `doi:…` or a doi.org URL), a `Reference`, or a
    CSL-JSON item (a mapping with `DOI`, `title`, `author`…). A string that holds no
    DOI is `invalid`, with the reason in `verdict.why`. DOIs are looked up in one
    batch; records with a title or authors are compared field by field.
    """
    from refs import ids, pipeline
    from refs.readers.csljson import reference_from_csl

    refs: list[Reference] = []
    invalid: dict[int, Verdict] = {}
    for n, element in enumerate(dois_or_records, 1):
        if isinstance(element, Reference):
            refs.append(element)
        elif isinstance(element, str):
            doi = ids.clean_doi(element)
            if doi is None:
                invalid[n] = Verdict(Status.INVALID, None, None, why=f"not a DOI: {element!r}")
            refs.append(pipeline.doi_reference(n, element, doi))
        else:
            text = json.dumps(element, ensure_ascii=False, default=str)
            refs.append(reference_from_csl(element, n, text, Span(n, n)))
    readable = [r for n, r in enumerate(refs, 1) if n not in invalid]
    settings = pipeline.Settings(source=source, index=index, mailto=mailto, refresh=refresh)
    with pipeline.open_source(settings) as opened:
        verdicts = iter(pipeline.verify(readable, opened) if readable else [])
    return [Reviewed(r, invalid.get(n) or next(verdicts)) for n, r in enumerate(refs, 1)]
