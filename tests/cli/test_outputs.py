"""`-o` onto what is not a plain file: a FIFO, a symlink, a full disk, a missing directory."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import threading
from contextlib import suppress
from pathlib import Path

import pytest
from typer.testing import CliRunner

import refs.io
from refs.check.run import Job
from refs.cli import app
from refs.errors import ExportError

ROOT = Path(__file__).resolve().parents[2]
HAL = ROOT / "refs" / "hal-ovarian-cancer.txt"

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_a_fifo_stays_a_fifo_and_receives_the_output(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:  # blocks until refs opens it for writing
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    code, _, err = run("parse", str(HAL), "-o", str(fifo))
    if code != 0:  # let the reader go, whatever refs did
        with suppress(OSError), open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "wb"):
            pass
    reader.join(timeout=30)
    assert code == 0, err
    assert not reader.is_alive()
    assert fifo.is_fifo()
    records = [json.loads(line) for line in received[0].decode("utf-8").splitlines()]
    assert len(records) == 50
    assert [p.name for p in tmp_path.iterdir()] == ["out.fifo"]  # no temporary file


def test_a_symlink_stays_a_link_and_its_target_gets_the_output(tmp_path: Path) -> None:
    target = tmp_path / "real.bib"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.bib"
    link.symlink_to(target)
    code, _, err = run("clean", str(HAL), "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == target.resolve()
    text = target.read_text(encoding="utf-8")
    assert text.count("@article{") == 50
    assert target.stat().st_mode & 0o777 == 0o640  # the file it replaced keeps its mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.bib", "real.bib"]


def test_a_symlink_in_another_directory_writes_there(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "links").mkdir()
    target = tmp_path / "data" / "list.json"
    link = tmp_path / "links" / "list.json"
    link.symlink_to(Path("..") / "data" / "list.json")  # relative and dangling
    code, _, err = run("parse", str(HAL), "-o", str(link))
    assert code == 0, err
    assert link.is_symlink()
    assert len(target.read_text(encoding="utf-8").splitlines()) == 50


def test_a_symlink_to_the_input_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "list.txt"
    shutil.copy(HAL, copy)
    before = copy.read_bytes()
    link = tmp_path / "out.txt"
    link.symlink_to(copy)
    code, _, err = run("clean", str(copy), "-o", str(link))
    assert code == 2, err
    assert "is an input file" in err
    assert copy.read_bytes() == before
    assert link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.txt", "out.txt"]


def test_a_full_disk_is_one_error_line_exit_2_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(refs.io, "_write", full)
    old = tmp_path / "old.json"
    old.write_text("previous\n", encoding="utf-8")
    new = tmp_path / "new.json"
    for out in (old, new):
        code, _, err = run("parse", str(HAL), "-o", str(out))
        assert code == 2
        lines = error_lines(err)
        assert len(lines) == 1, err
        assert lines[0].startswith("refs: error: ") and "No space left on device" in lines[0]
    assert old.read_text(encoding="utf-8") == "previous\n"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["old.json"]  # no temporary file


def test_a_full_disk_on_stdout_is_an_export_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class Full:
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def flush(self) -> None:
            pass

    monkeypatch.setattr(sys, "stdout", Full())
    with pytest.raises(ExportError, match="standard output: cannot write: No space left"):
        refs.io.write_text(None, "text\n")


def test_check_fails_on_an_unwritable_output_before_checking_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def start(*args: object, **kwargs: object) -> None:
        raise AssertionError("the job started")

    monkeypatch.setattr(Job, "start", start)
    dois = tmp_path / "dois.txt"
    dois.write_text("10.1000/one\n10.1000/two\n", encoding="utf-8")
    code, out, err = run("check", str(dois), "-o", "/nonexistent-dir/r.jsonl")
    assert code == 2, err
    lines = error_lines(err)
    assert len(lines) == 1 and lines[0].startswith("refs: error: "), err
    assert "/nonexistent-dir" in lines[0] and "does not exist" in lines[0]
    assert out == ""


def test_check_refuses_an_output_that_is_a_symlink_to_an_input_before_checking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def start(*args: object, **kwargs: object) -> None:
        raise AssertionError("the job started")

    monkeypatch.setattr(Job, "start", start)
    dois = tmp_path / "dois.txt"
    dois.write_text("10.1000/one\n", encoding="utf-8")
    link = tmp_path / "report.jsonl"
    link.symlink_to(dois)
    code, _, err = run("check", str(dois), "-o", str(link))
    assert code == 2, err
    assert "is an input file" in err
    assert dois.read_text(encoding="utf-8") == "10.1000/one\n"


def test_check_writable_accepts_stdout_a_fifo_and_a_new_file(tmp_path: Path) -> None:
    refs.io.check_writable(None)
    refs.io.check_writable("-")
    refs.io.check_writable(str(tmp_path / "new.jsonl"))
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        refs.io.check_writable(str(fifo))  # not opened: it would wait for a reader
    with pytest.raises(ExportError, match="is a directory"):
        refs.io.check_writable(str(tmp_path))
