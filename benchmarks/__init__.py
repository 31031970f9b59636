"""Benchmarks for refs: accuracy and speed tables, run with `python -m benchmarks` (`make bench`).

Each section is a module with `run(shared, quick) -> list[Table]`; `benchmarks.__main__`
lists them. A section that lacks its inputs prints `skipped: <why>` and returns no tables.
"""
