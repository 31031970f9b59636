"""`python -m benchmarks [--shared PATH] [--only NAME] [--quick]`: run sections, print tables."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks import (
    check_bench,
    format_bench,
    learned_bench,
    parse_bench,
    resolve_bench,
    sources_bench,
    split_bench,
)
from benchmarks.table import Table

Section = Callable[[Path | None, bool], list[Table]]

# The sections, in the order they run. A new section: a module with `run`, and a line here.
SECTIONS: list[tuple[str, Section]] = [
    ("parse", parse_bench.run),
    ("learned", learned_bench.run),
    ("split", split_bench.run),
    ("sources", sources_bench.run),
    ("resolve", resolve_bench.run),
    ("check", check_bench.run),
    ("format", format_bench.run),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="refs benchmarks: accuracy and speed tables."
    )
    parser.add_argument(
        "--shared",
        type=Path,
        default=Path("../shared"),
        metavar="PATH",
        help="the shared data directory (default ../shared); sections needing it skip without it",
    )
    parser.add_argument(
        "--only", choices=[name for name, _ in SECTIONS], help="run this section only"
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    shared: Path | None = args.shared if args.shared.is_dir() else None

    print("# refs benchmarks")
    print()
    print(
        f"Python {platform.python_version()} on {platform.machine()} "
        f"({os.cpu_count()} CPUs), shared: {args.shared} ({'found' if shared else 'absent'})"
        + (", --quick" if args.quick else "")
    )
    failed = []
    for name, run in SECTIONS:
        if args.only and name != args.only:
            continue
        print()
        print(f"## {name}")
        print(flush=True)
        started = time.perf_counter()
        try:
            tables = run(shared, args.quick)
        except Exception:
            traceback.print_exc()
            print(f"failed: section {name} raised (traceback on stderr)")
            failed.append(name)
            continue
        for table in tables:
            print(table.render())
            print()
        print(f"({name}: {time.perf_counter() - started:.0f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
