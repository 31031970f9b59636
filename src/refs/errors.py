"""The exceptions `refs` raises, as one tree, each with its exit code.

    RefsError                 anything refs reports to a user (exit 1)
    ├── InputError            an input file or option that cannot be used (exit 2)
    ├── ExportError           an output that cannot be written (exit 2)
    └── SourceError           a source of records failed (exit 3)
        ├── SourceUnavailable the source cannot be reached or opened
        └── RateLimited       the source asked us to slow down and we gave up waiting

A reference that cannot be parsed is not an error: it becomes a record with a
diagnostic, and the run goes on.
"""

from __future__ import annotations


class RefsError(Exception):
    """Base of every error shown to a user as one line."""

    exit_code = 1


class InputError(RefsError):
    exit_code = 2


class ExportError(RefsError):
    exit_code = 2


class SourceError(RefsError):
    exit_code = 3


class SourceUnavailable(SourceError):
    pass


class RateLimited(SourceError):
    pass
