"""Test support for the CI front ends (pre-commit hook, GitHub Action): files, index, help."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from pathlib import Path

from refs.sources.index_build import build_index, sample_records
from refs.sources.sqlite_index import SqliteIndex

ROOT = Path(__file__).resolve().parents[2]
REFS = Path(sys.executable).with_name("refs")  # the refs of the venv running the tests
BIN = REFS.parent

KIDD_DOI = "10.1002/stem.187"
DVORAK_DOI = "10.1056/NEJM198612253152606"  # another work of the sample index

_KIDD = """\
@article{{kidd2009direct,
  author = {{Kidd, Shannon and Spaeth, Erika and Dembinski, Jennifer L.}},
  title = {{Direct Evidence of Mesenchymal Stem Cell Tropism for Tumor and Wounding
           Microenvironments Using In Vivo Bioluminescent Imaging}},
  journal = {{Stem Cells}},
  year = {{2009}},
  volume = {{27}},
  number = {{10}},
  pages = {{2614--2623}},
  doi = {{{doi}}}
}}
"""
CLEAN_BIB = _KIDD.format(doi=KIDD_DOI)  # the Kidd et al. 2009 entry with its own DOI
WRONG_BIB = _KIDD.format(doi=DVORAK_DOI)  # the same entry with the DOI of Dvorak 1986


def sample_index(path: Path) -> Path:
    """An index of the sample records refs ships (what the default index holds)."""
    index = SqliteIndex(path, create=True)
    try:
        build_index(index, [str(sample_records())])
    finally:
        index.close()
    return path


@functools.cache
def check_help() -> str:
    """`refs check --help` as the installed command prints it."""
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1", TERM="dumb")
    done = subprocess.run(
        [str(REFS), "check", "--help"], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def help_options() -> set[str]:
    """The long options `refs check --help` lists."""
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", check_help()))


def long_options(words: list[str] | str) -> set[str]:
    """The long options (`--name`) in some arguments or a piece of shell."""
    text = words if isinstance(words, str) else " ".join(words)
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))
