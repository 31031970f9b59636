"""`refs check`: batch DOI validation, resumable, for lists of any size.

`inputs` reads every input kind into records with their locations, `run` drives a
job in chunks through the one resolver (`refs.pipeline.verify`), `journal` is the job's crash-safe state (SQLite,
WAL), `render` writes the report (JSON Lines, CSV, Markdown, HTML) and the
terminal summary. The command itself is `refs.cli.check`.
"""

from refs.check.inputs import Input, InputRecord, Kind, Unusable, expand_inputs, read_records
from refs.check.journal import Journal
from refs.check.render import FORMATS, REPORT_STATUSES, report_row, write_report
from refs.check.run import CHUNK, CheckOptions, Job, RunStats

__all__ = [
    "CHUNK",
    "FORMATS",
    "REPORT_STATUSES",
    "CheckOptions",
    "Input",
    "InputRecord",
    "Job",
    "Journal",
    "Kind",
    "RunStats",
    "Unusable",
    "expand_inputs",
    "read_records",
    "report_row",
    "write_report",
]
