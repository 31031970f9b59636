"""Small truths (issue 18, item 8): serve refuses before it prints, a busy port is one
line, a reader that leaves the pipe ends refs quietly, punctuation is no reference."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import refs.cli
from refs.cli import app
from refs.errors import ExportError
from refs.sources.sqlite_index import SqliteIndex

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture
def index(tmp_path: Path) -> Path:
    path = tmp_path / "index.sqlite"
    SqliteIndex(path, create=True).close()
    return path


def test_serve_refuses_a_remote_host_before_printing(index: Path) -> None:
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--index", str(index)])
    assert result.exit_code == 2
    assert "serving" not in result.output
    assert "--allow-remote" in result.output
    assert "allow_remote=True" not in result.output


def test_serve_says_a_busy_port_in_one_line(index: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port), "--index", str(index)])
    assert result.exit_code == 2
    assert result.output.strip() == f"refs: error: port {port} on 127.0.0.1 is in use"


def test_serve_allowed_remote_warns_before_serving(
    index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    monkeypatch.setattr("refs.serve.serve", lambda path, host, **_: started.append(host))
    with socket.socket() as taken:  # a free port, released before the check binds it
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
    result = runner.invoke(
        app,
        [
            "serve",
            "--host",
            "0.0.0.0",
            "--allow-remote",
            "--port",
            str(port),
            "--index",
            str(index),
        ],
    )
    assert result.exit_code == 0, result.output
    assert started == ["0.0.0.0"]
    lines = result.output.splitlines()
    assert lines[0].startswith("refs: warning:") and "other machines" in lines[0]


def _reader_leaves(*args: str, read_first: bool) -> subprocess.CompletedProcess[bytes]:
    """Run `refs ARGS` into a real pipe whose reader closes after one line (or before)."""
    read, write = os.pipe()
    if not read_first:
        os.close(read)
    process = subprocess.Popen(
        [sys.executable, "-m", "refs", *args], stdout=write, stderr=subprocess.PIPE, cwd=ROOT
    )
    os.close(write)
    if read_first:
        with os.fdopen(read, "rb") as reader:
            assert reader.readline()
    _, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, b"", stderr)


def test_a_reader_that_leaves_after_one_line_ends_refs_quietly() -> None:
    done = _reader_leaves("parse", "refs/medsci-2014-microenvironment.txt", read_first=True)
    assert b"Traceback" not in done.stderr
    assert b"error" not in done.stderr.lower()
    assert done.returncode in (0, 141)


def test_a_reader_gone_before_the_first_write_ends_refs_quietly() -> None:
    done = _reader_leaves("parse", "refs/medsci-2014-microenvironment.txt", read_first=False)
    assert b"error" not in done.stderr.lower()
    assert done.returncode == 141


@pytest.mark.parametrize(
    "error", [BrokenPipeError(), ExportError("standard output: cannot write: Broken pipe")]
)
def test_main_turns_a_broken_pipe_into_141(
    error: Exception, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> None:
        if isinstance(error, ExportError):
            try:
                raise BrokenPipeError
            except BrokenPipeError:
                raise error from None
        raise error

    monkeypatch.setattr(refs.cli, "app", broken)
    dup2: list[int] = []
    monkeypatch.setattr(os, "dup2", lambda fd, to: dup2.append(to))
    monkeypatch.setattr(sys.stdout, "fileno", lambda: 1, raising=False)
    with pytest.raises(SystemExit) as done:
        refs.cli.main()
    assert done.value.code == 141
    assert dup2 == [1]
    assert capsys.readouterr().err == ""


def test_another_export_error_is_not_taken_for_a_broken_pipe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def full() -> None:
        raise ExportError("standard output: cannot write: No space left on device")

    monkeypatch.setattr(refs.cli, "app", full)
    with pytest.raises(SystemExit) as done:
        refs.cli.main()
    assert done.value.code == 70


@pytest.mark.parametrize("text", ["... ;;; ---\n", "---\n\n***\n", ";;;\n"])
def test_punctuation_only_is_no_references(tmp_path: Path, text: str) -> None:
    path = tmp_path / "dots.txt"
    path.write_text(text)
    result = runner.invoke(app, ["parse", str(path), "--to", "bibtex"])
    assert result.exit_code == 2
    assert "no references found" in result.output
    assert "anon" not in result.output


def test_a_punctuation_chunk_among_references_is_a_record_with_no_fields(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_text(
        "Smith J. A title. Nature 1990;1:2.\n\n;;; ---\n\nDoe J. Another title. Cell 2000;3:4.\n"
    )
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["index"] for r in records] == [1, 2, 3]  # nothing dropped
    assert records[1]["parsed"] == {"id": "ref2", "type": "article-journal"}  # no junk fields
    assert "reference 2 (line 3): no letter or digit: not a reference" in result.stderr
