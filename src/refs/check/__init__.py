"""`refs check`: batch DOI validation, resumable, for lists of any size.

`inputs` reads every input kind into records with their locations, `run` drives a
job in chunks through the one resolver (`refs.pipeline.verify`), `journal` is the job's crash-safe state (SQLite,
WAL), `render` writes the report (JSON Lines, CSV, Markdown, HTML) and the
terminal summary. The command itself is `refs.cli.check`.
"""
