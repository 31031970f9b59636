"""Every input kind `refs check` reads, streamed into records that know where they came from.

Kinds: a DOI list (one DOI per line, in any printed form), CSV/TSV with a DOI column
(and optional title/author/year/container/volume/issue/pages columns), JSON Lines,
BibTeX, CSL-JSON, RIS, and free-text reference lists. Line-based kinds are read
line by line, so memory stays flat however long the file; the whole-file kinds
(BibTeX, CSL-JSON, RIS, free text) are reference lists and are read at once.

Bad input is data: a line that is not a DOI, a row whose DOI cell is garbage,
undecodable bytes, a JSON line that is not an object, all become `InputRecord`s
with an `error` (one report row each, with the reason). A file nothing can be
read from (empty, binary, a CSV without a DOI column) raises `Unusable`, which
the job reports for that file before going on with the others. Nothing here
writes anywhere.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import itertools
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from refs import ids
from refs.errors import InputError
from refs.model import Date, Item, Reference, Span
from refs.work import Work

__all__ = [
    "FIELDS",
    "Input",
    "InputRecord",
    "Kind",
    "Unusable",
    "count_records",
    "expand_inputs",
    "parse_columns",
    "read_records",
]

MAX_WHOLE_FILE = 64 * 1024 * 1024  # BibTeX, CSL-JSON, RIS and text lists are read whole
_SNIFF = 64 * 1024


class Kind(StrEnum):
    auto = "auto"
    doi_list = "doi-list"
    csv = "csv"
    tsv = "tsv"
    jsonl = "jsonl"
    bibtex = "bibtex"
    csl_json = "csl-json"
    ris = "ris"
    text = "text"


class Unusable(Exception):
    """A whole input yields no records; the message says why (one line)."""


@dataclass(frozen=True, slots=True)
class Input:
    """One input of a job: a file, or standard input (`-`)."""

    number: int  # 1-based position among the job's inputs: the report's order
    name: str  # as shown in the report: the path as the user gave it, or "-"
    key: str  # identity in record ids: the resolved path, or "-"
    kind: Kind
    data: bytes | None = field(default=None, repr=False, compare=False)  # stdin's bytes

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        return Path(self.key).open("rb")

    def fingerprint(self) -> str:
        """What must not change between a job and its resumption."""
        if self.data is not None:
            return "sha256:" + hashlib.sha256(self.data).hexdigest()
        stat = Path(self.key).stat()
        return f"size:{stat.st_size} mtime:{stat.st_mtime_ns}"


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One record of an input, where it is, and what to check.

    `error` set: the record could not be read (the reason). Otherwise `doi` is the
    printed DOI, canonical (None when there is none), and `reference` carries the
    other printed fields when there are any to compare.
    """

    source: Input
    seq: int  # 1-based position among the input's records
    line: int  # first line (1-based)
    entry: int | None  # entry number in structured inputs (CSV row, BibTeX entry…)
    doi_input: str | None  # the DOI exactly as printed
    doi: str | None
    reference: Reference | None = None
    error: str | None = None

    @property
    def id(self) -> str:
        """Unique within a job, stable across runs: the input and the record's position."""
        return f"{self.source.key}:{self.seq}"

    def as_reference(self, index: int) -> Reference:
        """The record as the resolver takes it: its fields, or its DOI alone."""
        if self.reference is not None:
            return replace(self.reference, index=index)
        from refs.pipeline import doi_reference

        return doi_reference(index, self.doi_input or self.doi or "", self.doi, self.line)


# --- expanding paths ---------------------------------------------------------------
_SUFFIXES: dict[str, Kind] = {
    ".csv": Kind.csv,
    ".tsv": Kind.tsv,
    ".tab": Kind.tsv,
    ".jsonl": Kind.jsonl,
    ".ndjson": Kind.jsonl,
    ".bib": Kind.bibtex,
    ".bibtex": Kind.bibtex,
    ".json": Kind.csl_json,
    ".csl": Kind.csl_json,
    ".ris": Kind.ris,
    ".txt": Kind.auto,
    ".text": Kind.auto,
    ".lst": Kind.auto,
    ".dois": Kind.doi_list,
}


def expand_inputs(
    paths: Sequence[str], kind: Kind = Kind.auto, stdin: BinaryIO | None = None
) -> list[Input]:
    """Files, globs and directories (their known input files, recursively) → inputs, in order.

    A path that names nothing is a usage error (InputError): better said at once
    than discovered in the report. Directories and globs are sorted.
    """
    found: list[tuple[str, str, bytes | None]] = []
    seen: set[str] = set()
    for given in paths:
        if given == "-":
            if "-" not in seen:
                stream = stdin if stdin is not None else sys.stdin.buffer
                found.append(("-", "-", stream.read()))
                seen.add("-")
            continue
        path = Path(given)
        if path.is_dir():
            names = sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in _SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not names:
                raise InputError(f"{given}: a directory with no input files ({_known()})")
        elif path.exists():
            names = [given]
        elif glob.has_magic(given):
            names = sorted(p for p in glob.glob(given, recursive=True) if Path(p).is_file())
            if not names:
                raise InputError(f"{given}: no file matches")
        else:
            raise InputError(f"{given}: no such file")
        for name in names:
            key = str(Path(name).resolve())
            if key not in seen:
                seen.add(key)
                found.append((name, key, None))
    if not found:
        raise InputError("no input: give files, directories, globs or - for standard input")
    inputs = []
    for number, (name, key, data) in enumerate(found, start=1):
        head = data[:_SNIFF] if data is not None else _head(Path(key))
        chosen = kind if kind is not Kind.auto else detect_kind(head, name)
        inputs.append(Input(number, name, key, chosen, data))
    return inputs


def _known() -> str:
    return " ".join(sorted(s for s in _SUFFIXES))


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_SNIFF)
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None


# --- detecting the kind ------------------------------------------------------------
_DOI_LABEL = re.compile(r"^\s*doi\s*:?\s*", re.IGNORECASE)
_RIS_TAG = re.compile(r"^TY  - ", re.MULTILINE)
_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)


def detect_kind(head: bytes, name: str = "") -> Kind:
    """The kind of an input from its suffix, else from its first 64 kB."""
    suffix = Path(name).suffix.lower() if name != "-" else ""
    by_suffix = _SUFFIXES.get(suffix, Kind.auto)
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if by_suffix is Kind.csl_json and lines and lines[0].startswith("{") and _json_object(lines[0]):
        return Kind.jsonl  # a .json file of JSON lines
    if by_suffix is not Kind.auto:
        return by_suffix
    if not lines:
        return Kind.doi_list
    first = lines[0]
    if first.startswith("{") and _json_object(first):
        return Kind.jsonl
    if first.startswith("["):
        return Kind.csl_json
    if _RIS_TAG.search(text):
        return Kind.ris
    if first.startswith("@") and _BIBTEX_ENTRY.search(text):
        return Kind.bibtex
    header = [_norm(c) for c in re.split(r"[\t,;]", first)]
    if len(header) > 1 and any(h in ALIASES["doi"] for h in header):
        return Kind.tsv if "\t" in first else Kind.csv
    body = [line for line in lines[:200] if not line.startswith("#")]
    dois = sum(1 for line in body if doi_of_line(line)[0] is not None)
    return Kind.doi_list if body and dois * 2 >= len(body) else Kind.text


def _json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def doi_of_line(line: str) -> tuple[str | None, str | None]:
    """(canonical DOI, None) for a DOI-list line, or (None, why it is not one)."""
    value = _DOI_LABEL.sub("", line.strip(), count=1)
    token = value.split(None, 1)[0] if value else ""
    doi = ids.clean_doi(token, whole=True) if token else None
    if doi is not None:
        return doi, None
    if ids.find_dois(line):
        return None, f"not a DOI on its own: {_quote(line)}"
    return None, f"not a DOI: {_quote(line)}"


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- columns -----------------------------------------------------------------------
FIELDS = ("doi", "title", "author", "year", "container", "volume", "issue", "pages")
ALIASES: dict[str, frozenset[str]] = {
    "doi": frozenset({"doi", "dois", "doiinput", "doiurl", "doilink", "digitalobjectidentifier"}),
    "title": frozenset({"title", "articletitle", "documenttitle", "worktitle"}),
    "author": frozenset({"author", "authors", "creator", "creators", "authornames", "au"}),
    "year": frozenset(
        {"year", "date", "issued", "publicationyear", "pubyear", "py", "publicationdate"}
    ),
    "container": frozenset(
        {
            "container",
            "containertitle",
            "journal",
            "journaltitle",
            "journalname",
            "source",
            "sourcetitle",
            "publication",
            "publicationtitle",
            "venue",
            "booktitle",
            "so",
        }
    ),
    "volume": frozenset({"volume", "vol", "vl"}),
    "issue": frozenset({"issue", "number", "no", "is"}),
    "pages": frozenset({"pages", "page", "pp", "pagerange"}),
}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def parse_columns(spec: str | None) -> dict[str, str]:
    """`doi=DOI Link,title=Article Title` (names or 1-based numbers) → {field: column}."""
    if not spec:
        return {}
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, sep, column = part.partition("=")
        key = name.strip().lower()
        if key == "container-title":
            key = "container"
        if key == "page":
            key = "pages"
        if not sep or key not in FIELDS or not column.strip():
            raise InputError(
                f"--columns {part!r}: expected FIELD=COLUMN with FIELD one of {', '.join(FIELDS)}"
            )
        out[key] = column.strip()
    return out


# --- reading -----------------------------------------------------------------------
def read_records(source: Input, columns: Mapping[str, str] | None = None) -> Iterator[InputRecord]:
    """The records of one input, in order. Raises `Unusable` before the first record."""
    if source.data is None:
        path = Path(source.key)
        if not path.exists():
            raise Unusable("no longer exists")
        if path.stat().st_size == 0:
            raise Unusable("is empty")
    elif not source.data:
        raise Unusable("is empty")
    if source.kind in (Kind.doi_list, Kind.auto):
        return _doi_list(source)
    if source.kind in (Kind.csv, Kind.tsv):
        return _table(source, columns or {})
    if source.kind is Kind.jsonl:
        return _json_lines(source)
    return _whole_file(source)


def count_records(source: Input) -> int:
    """A quick estimate of how many records an input holds (for the progress bar)."""
    try:
        with source.open() as handle:
            if source.kind in (Kind.doi_list, Kind.auto, Kind.jsonl, Kind.csv, Kind.tsv):
                lines = sum(1 for line in handle if line.strip() and not line.startswith(b"#"))
                return max(lines - 1, 0) if source.kind in (Kind.csv, Kind.tsv) else lines
            data = handle.read(MAX_WHOLE_FILE + 1)
    except OSError:
        return 0
    if source.kind is Kind.bibtex:
        return len(re.findall(rb"^\s*@\s*[A-Za-z]+\s*[{(]", data, re.MULTILINE))
    if source.kind is Kind.ris:
        return data.count(b"TY  - ")
    if source.kind is Kind.csl_json:
        return max(data.count(b'"type"'), 1)
    return sum(1 for line in data.splitlines() if line.strip())


def _lines(source: Input) -> Iterator[tuple[int, str, str | None]]:
    """(line number, text, why it is not UTF-8) for each line, decoded one at a time."""
    with source.open() as handle:
        head = handle.read(8192)
        if b"\x00" in head:
            raise Unusable("looks like a binary file, not a list")
        if not head.strip() and not handle.read(1):
            raise Unusable("is empty")
        handle.seek(0)
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            text, bad = _decode(raw)
            yield number, text.rstrip("\r\n"), bad


def _decode(raw: bytes) -> tuple[str, str | None]:
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        why = f"not UTF-8: byte 0x{raw[error.start]:02x} at column {error.start + 1}"
        return raw.decode("utf-8", errors="replace"), why


def _doi_list(source: Input) -> Iterator[InputRecord]:
    seq = 0
    for number, text, bad in _lines(source):
        line = text.strip()
        if not line or line.startswith("#"):
            continue
        seq += 1
        if bad is not None:
            yield InputRecord(source, seq, number, None, line[:200], None, error=bad)
            continue
        doi, why = doi_of_line(line)
        yield InputRecord(source, seq, number, None, line[:200], doi, error=why)


def _table(source: Input, columns: Mapping[str, str]) -> Iterator[InputRecord]:
    bad_lines: dict[int, str] = {}  # undecodable lines not yet passed; pruned as rows go by

    def feed() -> Iterator[str]:
        for number, text, bad in _lines(source):
            if bad is not None:
                bad_lines[number] = bad
            yield text + "\n"

    lines = feed()
    first = next(lines, None)
    if first is None:
        raise Unusable("is empty")
    delimiter = "\t" if source.kind is Kind.tsv else ","
    if source.kind is Kind.csv and first.count(";") > first.count(","):
        delimiter = ";"
    rows = _rows(csv.reader(itertools.chain([first], lines), delimiter=delimiter))
    header_row = next(rows, None)
    if header_row is None or header_row[2] is None:
        why = header_row[3] if header_row else "no header"
        raise Unusable(f"not {source.kind.value.upper()}: {why}")
    header = header_row[2]
    buffered: list[tuple[int, int, list[str] | None, str | None]] = []
    layout = _layout(header, columns, source.name)
    if layout is None:  # no DOI column by name: look for one by content
        buffered = list(itertools.islice(rows, 50))
        layout = _layout_by_content(header, [r for _, _, r, _ in buffered if r is not None])
        if layout is None:
            shown = ", ".join(repr(h) for h in header[:8]) + (" …" if len(header) > 8 else "")
            raise Unusable(f"no DOI column (columns: {shown}); name it with --columns doi=NAME")
    mapping, has_header = layout
    if not has_header:
        buffered.insert(0, header_row)
    seq = 0
    for start, end, row, error in itertools.chain(buffered, rows):
        if row is not None and not any(cell.strip() for cell in row):
            continue
        seq += 1
        bad = next((why for n, why in sorted(bad_lines.items()) if start <= n <= end), None)
        for n in [n for n in bad_lines if n <= end]:
            del bad_lines[n]
        if row is None or bad is not None:
            yield InputRecord(source, seq, start, seq, None, None, error=bad or error)
            continue
        values = {f: row[i].strip() for f, i in mapping.items() if i < len(row) and row[i].strip()}
        yield _record_from_fields(source, seq, start, end, seq, values, source.kind.value)


def _rows(reader: Any) -> Iterator[tuple[int, int, list[str] | None, str | None]]:
    """(first line, last line, cells or None, why not) for each row of a csv reader."""
    previous = 0
    while True:
        try:
            row: list[str] | None = next(reader)
            error = None
        except StopIteration:
            return
        except csv.Error as failure:
            row, error = None, f"not a CSV row: {failure}"
        yield previous + 1, reader.line_num, row, error
        previous = reader.line_num


def _layout(
    header: list[str], columns: Mapping[str, str], name: str
) -> tuple[dict[str, int], bool] | None:
    """{field: column index} from the header (and --columns), or None without a DOI column."""
    normed = [_norm(h) for h in header]
    mapping: dict[str, int] = {}
    for fname in FIELDS:
        if fname in columns:
            continue
        for i, h in enumerate(normed):
            if h in ALIASES[fname] and i not in mapping.values():
                mapping[fname] = i
                break
    for fname, column in columns.items():
        if column.isdigit() and 0 < int(column) <= len(header):
            mapping[fname] = int(column) - 1
        elif _norm(column) in normed:
            mapping[fname] = normed.index(_norm(column))
        else:
            raise Unusable(f"--columns {fname}={column}: no such column in {name}")
    if "doi" not in mapping and "title" not in mapping:
        return None
    header_is_data = "doi" in mapping and ids.clean_doi(header[mapping["doi"]]) is not None
    return mapping, not header_is_data


def _layout_by_content(
    header: list[str], rows: list[list[str]]
) -> tuple[dict[str, int], bool] | None:
    """The column most of whose cells are DOIs (the first row included when it is data)."""
    width = max([len(header), *(len(r) for r in rows)])
    for i in range(width):
        cells = [r[i] for r in [header, *rows] if i < len(r) and r[i].strip()]
        dois = sum(1 for c in cells if ids.clean_doi(c) is not None)
        if cells and dois * 2 > len(cells):
            has_header = i >= len(header) or ids.clean_doi(header[i]) is None
            return {"doi": i}, has_header
    return None


def _json_lines(source: Input) -> Iterator[InputRecord]:
    seq = 0
    for number, text, bad in _lines(source):
        line = text.strip()
        if not line:
            continue
        seq += 1
        if bad is not None:
            yield InputRecord(source, seq, number, seq, None, None, error=bad)
            continue
        try:
            obj = json.loads(line)
        except ValueError as error:
            msg = getattr(error, "msg", str(error))
            yield InputRecord(source, seq, number, seq, None, None, error=f"not JSON: {msg}")
            continue
        if not isinstance(obj, dict):
            kind = type(obj).__name__.replace("dict", "object").replace("list", "array")
            yield InputRecord(
                source, seq, number, seq, None, None, error=f"not a JSON object but {kind}"
            )
            continue
        yield _record_from_object(source, seq, number, obj)


def _whole_file(source: Input) -> Iterator[InputRecord]:
    with source.open() as handle:
        data = handle.read(MAX_WHOLE_FILE + 1)
    if len(data) > MAX_WHOLE_FILE:
        raise Unusable(
            f"more than {MAX_WHOLE_FILE // 2**20} MiB of {source.kind.value}: "
            "convert it to JSON Lines or a DOI list, which are streamed"
        )
    if b"\x00" in data[:8192]:
        raise Unusable("looks like a binary file, not a list")
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.strip():
        raise Unusable("is empty")
    bad_lines: dict[int, str] = {}
    texts = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        text, bad = _decode(raw)
        if bad:
            bad_lines[number] = bad
        texts.append(text)
    text = "\n".join(texts)
    from refs.formats import READERS, InputFormat  # the parsers load only when needed

    fmt = {Kind.bibtex: InputFormat.bibtex, Kind.csl_json: InputFormat.csl_json,
           Kind.ris: InputFormat.ris}.get(source.kind, InputFormat.text)  # fmt: skip
    if fmt is InputFormat.text:  # streamed: each reference parsed as its chunk is checked
        from refs.parse import iter_references

        if not any(c.isalnum() for c in text):
            raise Unusable("no references found (read as text)")
        return _from_references(source, iter_references(text), bad_lines, structured=False)
    try:
        refs = READERS[fmt](text)
    except InputError as error:
        raise Unusable(str(error)) from None
    if not refs:
        raise Unusable(f"no references found (read as {fmt.value})")
    structured = source.kind in (Kind.bibtex, Kind.csl_json, Kind.ris)
    return _from_references(source, refs, bad_lines, structured)


def _from_references(
    source: Input, refs: Iterable[Reference], bad_lines: Mapping[int, str], structured: bool
) -> Iterator[InputRecord]:
    for seq, ref in enumerate(refs, start=1):
        start, end = ref.span.start_line, ref.span.end_line
        entry = seq if structured else None
        bad = next((f"line {n}: {why}" for n, why in bad_lines.items() if start <= n <= end), None)
        doi = ids.clean_doi(ref.doi_input, whole=True) if ref.doi_input else None
        doi = doi or ref.item.DOI
        if bad is not None:
            yield InputRecord(source, seq, start, entry, ref.doi_input, None, error=bad)
        elif structured and not ref.parsed and ref.diagnostics:
            yield InputRecord(source, seq, start, entry, ref.doi_input, None,
                              error=ref.diagnostics[0])  # fmt: skip
        elif ref.doi_input and doi is None:
            yield InputRecord(source, seq, start, entry, ref.doi_input, None,
                              error=f"not a DOI: {_quote(ref.doi_input)}")  # fmt: skip
        else:
            yield InputRecord(source, seq, start, entry, ref.doi_input or doi, doi, ref)


# --- records from fields -----------------------------------------------------------
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\|| and )\s*")


def _record_from_fields(
    source: Input,
    seq: int,
    start: int,
    end: int,
    entry: int | None,
    values: Mapping[str, str],
    style: str,
) -> InputRecord:
    doi_cell = values.get("doi")
    doi = ids.clean_doi(doi_cell, whole=True) if doi_cell else None
    if doi_cell and doi is None:
        return InputRecord(source, seq, start, entry, doi_cell, None,
                           error=f"not a DOI: {_quote(doi_cell)}")  # fmt: skip
    item = _item_from_fields(values, doi)
    if doi is None and item.title is None and not item.author:
        return InputRecord(source, seq, start, entry, None, None,
                           error="no DOI, and no title or author to search by")  # fmt: skip
    return _with_reference(source, seq, start, end, entry, doi_cell, doi, item, style)


def _with_reference(
    source: Input,
    seq: int,
    start: int,
    end: int,
    entry: int | None,
    doi_input: str | None,
    doi: str | None,
    item: Item,
    style: str,
) -> InputRecord:
    from refs.normalize import normalize_item

    item, repairs = normalize_item(item)
    has_fields = item.title or item.author or item.issued or item.container_title or item.volume
    has_fields = has_fields or item.issue or item.page
    if not has_fields:
        return InputRecord(source, seq, start, entry, doi_input, doi)
    ref = Reference(seq, _text_of(item), Span(start, end), item, style, doi_input=doi_input,
                    repairs=repairs)  # fmt: skip
    return InputRecord(source, seq, start, entry, doi_input, doi, ref)


def _item_from_fields(values: Mapping[str, str], doi: str | None) -> Item:
    from refs.normalize.names import parse_name

    authors = tuple(
        parse_name(a) for a in _AUTHOR_SPLIT.split(values.get("author", "")) if a.strip()
    )
    year = _YEAR.search(values.get("year", ""))
    return Item(
        author=authors,
        issued=Date(int(year.group(1))) if year else None,
        title=values.get("title"),
        container_title=values.get("container"),
        volume=values.get("volume"),
        issue=values.get("issue"),
        page=values.get("pages"),
        DOI=doi,
    )


def _text_of(item: Item) -> str:
    """A reference string made of the fields (the resolver reads it as the printed text)."""
    people = ", ".join(p.display() for p in item.author[:6])
    numbers = " ".join(p for p in (item.volume, f"({item.issue})" if item.issue else "") if p)
    parts = [people, item.title, item.container_title, numbers, item.page,
             str(item.issued.year) if item.issued else None]  # fmt: skip
    return ". ".join(p for p in parts if p)


_CSL_KEYS = frozenset({"type", "issued", "container-title", "page", "author", "DOI"})


def _record_from_object(source: Input, seq: int, line: int, obj: Mapping[str, Any]) -> InputRecord:
    raw = next((obj[k] for k in ("DOI", "doi", "Doi") if isinstance(obj.get(k), str)), None)
    doi_input = raw.strip() if raw and raw.strip() else None
    doi = ids.clean_doi(doi_input, whole=True) if doi_input else None
    if doi_input and doi is None:
        return InputRecord(source, seq, line, seq, doi_input, None,
                           error=f"not a DOI: {_quote(doi_input)}")  # fmt: skip
    if isinstance(obj.get("title"), list) or isinstance(obj.get("container-title"), list):
        work = Work.from_message(obj)  # a Crossref work record
        item = Item(type="article-journal", author=work.author, issued=work.issued,
                    title=work.title, container_title=work.container_title, volume=work.volume,
                    issue=work.issue, page=work.page, DOI=doi)  # fmt: skip
    elif any(k in obj for k in _CSL_KEYS) and not isinstance(obj.get("author"), str):
        item = replace(Item.from_csl(dict(obj)), DOI=doi)
    else:
        flat = {_norm(str(k)): str(v).strip() for k, v in obj.items() if isinstance(v, str | int)}
        values = {
            f: next((flat[a] for a in ALIASES[f] if flat.get(a)), "") for f in FIELDS if f != "doi"
        }
        item = _item_from_fields({k: v for k, v in values.items() if v}, doi)
    if doi is None and item.title is None and not item.author:
        return InputRecord(source, seq, line, seq, None, None,
                           error="no DOI, and no title or author to search by")  # fmt: skip
    return _with_reference(source, seq, line, line, seq, doi_input, doi, item, "jsonl")
