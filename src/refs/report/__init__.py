"""What a verified list says, for every front end: records, notes, summaries, pages.

- `records`: `Reviewed` (a reference and its verdict), its JSON record, change notes, summary;
- `notices`: the one table of status labels and notice severities;
- `html`: the review page and the Markdown summary (`refs clean --to html|markdown`).
"""

from __future__ import annotations

from refs.report.notices import STATUS_INFO, is_severe
from refs.report.records import Reviewed, change_notes, record, summary

__all__ = [
    "STATUS_INFO",
    "Reviewed",
    "change_notes",
    "is_severe",
    "record",
    "summary",
]
