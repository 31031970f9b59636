"""File edges: read a user's input safely, write outputs atomically.

Every failure here is an `InputError`/`ExportError` with a one-line message;
the input file is never written.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from refs.errors import ExportError, InputError

MAX_INPUT_BYTES = 32 * 1024 * 1024  # a reference list is kilobytes; larger is a batch job


def read_text(path: str) -> str:
    """Read a UTF-8 text input (`-` for stdin) or raise InputError saying why not."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        name = "standard input"
    else:
        file = Path(path)
        name = str(file)
        if not file.exists():
            raise InputError(f"{name}: no such file")
        if file.is_dir():
            raise InputError(f"{name}: is a directory, not a file")
        size = file.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(
                f"{name}: {size / 1e6:.1f} MB is more than the {MAX_INPUT_BYTES // 2**20} MiB "
                "a reference list may have; split it, or check it in batches with `refs check`"
            )
        try:
            data = file.read_bytes()
        except OSError as error:
            raise InputError(f"{name}: cannot read: {error.strerror}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: more than {MAX_INPUT_BYTES // 2**20} MiB of input")
    return decode(data, name)


def decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise InputError(f"{name}: is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not a text reference list")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: is not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start});"
            " convert it first, e.g. `iconv -f latin1 -t utf-8`"
        ) from None
    return text


def write_text(path: str | None, text: str, *, inputs: tuple[str, ...] = ()) -> None:
    """Write to stdout (`None` or `-`) or atomically to `path`, never over an input."""
    with atomic_output(path, inputs=inputs) as handle:
        handle.write(text)


@contextmanager
def atomic_output(path: str | None, *, inputs: Sequence[str] = ()) -> Iterator[TextIO]:
    """A text stream: stdout, or a temporary file renamed over `path` at the end.

    Nothing is left at `path` unless the whole output was written; never an input file.
    """
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    for given in inputs:
        same = given != "-" and target.exists() and Path(given).exists()
        if same and os.path.samefile(given, target):
            raise ExportError(f"{target}: is an input file; refusing to write over it")
    if target.is_dir():
        raise ExportError(f"{target}: is a directory")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ExportError(f"{target}: directory {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise ExportError(f"{target}: cannot write: {error.strerror}") from None
    # mkstemp makes the file private (0600); give it the mode a new file would get.
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)
    done = False
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        done = True
    except OSError as error:
        raise ExportError(f"{target}: cannot write: {error.strerror}") from None
    finally:
        if not done and os.path.exists(tmp):
            os.unlink(tmp)
