"""Input and output formats by name, and reading a list in any input format. Pure.

Writing is `refs.report.outputs.render`, the one dispatcher over `OutputFormat`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from enum import StrEnum

from refs.errors import InputError
from refs.model import Reference
from refs.parse import parse_list
from refs.readers.bibtex import read_bibtex
from refs.readers.csljson import read_csl_json
from refs.readers.ris import read_ris


class InputFormat(StrEnum):
    auto = "auto"
    text = "text"
    bibtex = "bibtex"
    csl_json = "csl-json"
    ris = "ris"


class OutputFormat(StrEnum):
    bibtex = "bibtex"
    csl_json = "csl-json"
    ris = "ris"
    json = "json"
    text = "text"  # the bibliography in a CSL style (refs.export.csl)
    html = "html"  # the review report page (refs.report)
    markdown = "markdown"  # the review summary for CI logs (refs.report)


_SUFFIXES = {".bib": InputFormat.bibtex, ".bibtex": InputFormat.bibtex,
             ".json": InputFormat.csl_json, ".csl": InputFormat.csl_json,
             ".ris": InputFormat.ris, ".txt": InputFormat.text}  # fmt: skip
_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_RIS_TAG = re.compile(r"^TY  - ", re.MULTILINE)


def detect_format(text: str, filename: str = "") -> InputFormat:
    """Guess the input format from the content, then the file suffix."""
    head = text.lstrip()[:1]
    if head in "[{":
        try:
            json.loads(text)
            return InputFormat.csl_json
        except json.JSONDecodeError:
            pass
    if _RIS_TAG.search(text):
        return InputFormat.ris
    if _BIBTEX_ENTRY.search(text) and head == "@":
        return InputFormat.bibtex
    # A .json file is CSL-JSON even when broken: its reader says what is wrong with it.
    suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return _SUFFIXES.get(suffix, InputFormat.text)


READERS: dict[InputFormat, Callable[[str], list[Reference]]] = {
    InputFormat.text: parse_list,
    InputFormat.bibtex: read_bibtex,
    InputFormat.csl_json: read_csl_json,
    InputFormat.ris: read_ris,
}


def read_references(
    text: str, fmt: InputFormat = InputFormat.auto, filename: str = ""
) -> list[Reference]:
    chosen = detect_format(text, filename) if fmt is InputFormat.auto else fmt
    refs = READERS[chosen](text)
    if not refs:
        raise InputError(f"{filename or 'input'}: no references found (read as {chosen.value})")
    return refs
