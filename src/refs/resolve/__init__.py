"""Resolving references against a source: the resolver, the DOI verdicts, the candidates.

- `resolver`: `Resolver.resolve(refs)`, one look-up batch, search for the rest;
- `doi`: the one engine that decides what a printed DOI's record says;
- `candidates`: the search query, title similarities and feature vectors;
- `match`: the calibrated probability; `correct`: the corrected item;
- `source`: the `Source` protocol the edges implement.
"""

from __future__ import annotations

from refs.resolve.candidates import candidate_features, main_text, search_text, title_matrix
from refs.resolve.doi import lookup_verdict, parent_doi
from refs.resolve.resolver import Resolver
from refs.resolve.source import Absent, Candidate, Description, Query, Source

__all__ = [
    "Absent",
    "Candidate",
    "Description",
    "Query",
    "Resolver",
    "Source",
    "candidate_features",
    "lookup_verdict",
    "main_text",
    "parent_doi",
    "search_text",
    "title_matrix",
]
