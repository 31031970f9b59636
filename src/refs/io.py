"""File edges: read a user's input safely, write outputs atomically where they are files.

Every failure here is an `InputError`/`ExportError` with a one-line message;
the input file is never written.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from refs.errors import ExportError, InputError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

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
    """Write to stdout (`None` or `-`) or to `path` (atomically when a file), never over an input."""
    with atomic_output(path, inputs=inputs) as handle:
        handle.write(text)


def _write(fd: int, data: ReadableBuffer) -> int:
    """The one low-level write of every output file (a seam for tests: a full disk)."""
    return os.write(fd, data)


class _Raw(io.RawIOBase):
    """An unbuffered binary stream over `fd` whose writes go through `_write`."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        return _write(self._fd, data)

    def fileno(self) -> int:
        return self._fd

    def close(self) -> None:
        if not self.closed:
            try:
                os.close(self._fd)
            finally:
                super().close()


def _text_stream(fd: int) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedWriter(_Raw(fd)), encoding="utf-8", newline="")


def _destination(path: str, inputs: Sequence[str]) -> tuple[Path, Path, os.stat_result | None]:
    """(the name given, the file to write: a symlink's target, its stat or None if absent).

    Raises ExportError for an input file (also through a symlink) or a directory.
    """
    target = Path(path)
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    for given in inputs:
        if given == "-":
            continue
        if os.path.realpath(given) == os.path.realpath(real):
            same = True
        else:
            try:
                same = os.path.samefile(given, real)
            except OSError:
                same = False
        if same:
            raise ExportError(f"{target}: is an input file; refusing to write over it")
    try:
        status: os.stat_result | None = real.stat()
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise ExportError(f"{target}: cannot write: {error.strerror}") from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise ExportError(f"{target}: is a directory")
    return target, real, status


def _directory(target: Path, real: Path) -> Path:
    directory = real.parent if str(real.parent) else Path(".")
    if not directory.is_dir():
        raise ExportError(f"{target}: directory {directory} does not exist")
    return directory


def check_writable(path: str | None, *, inputs: Sequence[str] = ()) -> None:
    """Raise ExportError now if `path` could not be written later (before a long job runs).

    Writable: stdout; a regular file or a new one in an existing, writable directory;
    a writable device or FIFO (not opened: a FIFO would wait for its reader).
    """
    if path is None or path == "-":
        return
    target, real, status = _destination(path, inputs)
    if status is not None and not stat.S_ISREG(status.st_mode):
        if not os.access(real, os.W_OK):
            raise ExportError(f"{target}: cannot write: permission denied")
        return
    directory = _directory(target, real)
    if not os.access(directory, os.W_OK | os.X_OK):
        raise ExportError(f"{target}: cannot write: directory {directory} is not writable")


@contextmanager
def atomic_output(path: str | None, *, inputs: Sequence[str] = ()) -> Iterator[TextIO]:
    """A text stream onto stdout or `path`; an error while writing is one ExportError line.

    A regular file (or a new one) is written to a temporary file in its directory,
    renamed over it at the end: nothing is left at `path` unless the whole output was
    written. A symlink's target is written so, and the link stays a link. A device or
    FIFO is opened and written into. Never an input file.
    """
    if path is None or path == "-":
        try:
            yield sys.stdout
            sys.stdout.flush()
        except OSError as error:
            raise ExportError(f"standard output: cannot write: {error.strerror}") from None
        return
    target, real, status = _destination(path, inputs)
    if status is not None and not stat.S_ISREG(status.st_mode):
        with _streamed(target, real) as handle:
            yield handle
        return
    directory = _directory(target, real)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise ExportError(f"{target}: cannot write: {error.strerror}") from None
    done = False
    try:
        try:
            # mkstemp makes the file private (0600): keep the mode of the file it
            # replaces, else give it the mode a new file would get.
            if status is not None:
                os.fchmod(fd, stat.S_IMODE(status.st_mode))
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(fd, 0o666 & ~umask)
            handle = _text_stream(fd)
        except BaseException:
            os.close(fd)
            raise
        with handle:  # closes fd
            yield handle
            handle.flush()
            os.fsync(fd)
        os.replace(tmp, real)
        done = True
    except OSError as error:
        raise ExportError(f"{target}: cannot write: {error.strerror}") from None
    finally:
        if not done:
            with suppress(OSError):
                os.unlink(tmp)


@contextmanager
def _streamed(target: Path, real: Path) -> Iterator[TextIO]:
    """Write straight into a device or FIFO: no temporary file, no rename."""
    try:
        fd = os.open(real, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise ExportError(f"{target}: cannot write: {error.strerror}") from None
    try:
        handle = _text_stream(fd)
    except BaseException:
        os.close(fd)
        raise
    try:
        with handle:
            yield handle
            handle.flush()
    except OSError as error:
        raise ExportError(f"{target}: cannot write: {error.strerror}") from None
