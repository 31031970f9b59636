"""refs: parse, normalise, verify and export bibliographic reference lists.

The library API (`refs.parse`, `refs.clean`, `refs.check`) composes `refs.pipeline`
as the command line does; see the README's "Library" section.
"""

# The subpackages named like two verbs load first, so that `refs.check` and `refs.parse` stay
# the functions imported below (a submodule's first import binds its name in its package).
import refs.check
import refs.parse  # noqa: F401
from refs.api import check, clean, parse
from refs.model import (
    Date,
    DiffKind,
    FieldDiff,
    Item,
    Notice,
    Person,
    Reference,
    Repair,
    Span,
    Status,
    Verdict,
)
from refs.parse import parse_list, parse_reference
from refs.pipeline import Settings, open_source
from refs.report.records import Reviewed

__all__ = [
    "Date",
    "DiffKind",
    "FieldDiff",
    "Item",
    "Notice",
    "Person",
    "Reference",
    "Repair",
    "Reviewed",
    "Settings",
    "Span",
    "Status",
    "Verdict",
    "check",
    "clean",
    "open_source",
    "parse",
    "parse_list",
    "parse_reference",
]
__version__ = "0.1.0"
