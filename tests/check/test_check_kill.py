"""A job killed with SIGKILL at random points, several times, then resumed: no record lost,
none answered twice, and the report is the one an uninterrupted run writes. Ctrl-C too."""

from __future__ import annotations

import csv
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from check_support import doi, shared_index, work, write_lines

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_index(tmp_path_factory)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """1,500 DOI lines (10% unregistered, DOIs repeated) and 200 CSV rows with fields."""
    folder = tmp_path_factory.mktemp("kill-inputs")
    dois = write_lines(folder / "dois.txt", [
        doi(n % 300 + 1) if n % 10 else f"10.5555/none.{n}" for n in range(1, 1501)
    ])  # fmt: skip
    table = folder / "refs.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doi", "title", "authors", "year", "journal", "volume", "pages"])
        for n in range(1, 201):
            w = work(n)
            authors = "; ".join(f"{a['family']}, {a['given']}" for a in w["author"])
            printed = doi(n) if n % 4 else doi(n % 300 + 1)  # every 4th prints another's DOI
            writer.writerow([printed, w["title"][0], authors, w["issued"]["date-parts"][0][0],
                             w["container-title"][0], w["volume"], w["page"]])  # fmt: skip
    return [dois, table]


RECORDS = 1700


def command(index: Path, inputs: list[Path], job: Path, report: Path) -> list[str]:
    return [sys.executable, "-m", "refs", "check", *map(str, inputs), "--index", str(index),
            "--job", str(job), "-o", str(report), "--chunk", "4", "--fail-on", "wrong", "-q",
            "--resume"]  # fmt: skip


def answered(job: Path) -> int:
    path = job / "journal.sqlite"
    if not path.exists():
        return 0
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return int(db.execute("SELECT count(*) FROM rows").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        db.close()


def finish(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=os.environ)
    assert done.returncode == 1, done.stderr  # exit 1: the wrong DOIs (--fail-on wrong)
    return done


@pytest.fixture(scope="module")
def baseline(index_path: Path, inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("baseline")
    report = folder / "report.jsonl"
    finish(command(index_path, inputs, folder / "job", report))
    text = report.read_text(encoding="utf-8")
    assert len(text.splitlines()) == RECORDS
    return text


def test_sigkill_at_random_points_then_resume(
    index_path: Path, inputs: list[Path], baseline: str, tmp_path: Path
) -> None:
    rng = random.Random(20261125)
    job, report = tmp_path / "job", tmp_path / "report.jsonl"
    cmd = command(index_path, inputs, job, report)
    kills, progress = 0, []
    for attempt in range(4):
        process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if attempt == 0:
                time.sleep(rng.uniform(0.0, 0.6))  # while it starts: imports, job creation
            else:
                # Never past the last chunks: a fast machine would finish the job first.
                target = min(answered(job) + rng.randint(50, 400), RECORDS - 100)
                while process.poll() is None and answered(job) < target:
                    time.sleep(0.005)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
        finally:
            process.wait(timeout=60)
        progress.append(answered(job))
        assert not report.exists()  # no report until the job is complete
    assert kills >= 3, progress
    assert progress == sorted(progress)  # nothing answered is ever lost
    finish(cmd)
    text = report.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) == RECORDS  # exactly one row per input record
    assert text == baseline


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(
    index_path: Path, inputs: list[Path], baseline: str, tmp_path: Path
) -> None:
    job, report = tmp_path / "job", tmp_path / "report.jsonl"
    cmd = command(index_path, inputs, job, report)
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while process.poll() is None and answered(job) < 300:
            time.sleep(0.005)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert f"resume with: refs check --resume --job {job}" in err
    assert "Traceback" not in err
    assert 300 <= answered(job) < RECORDS
    assert not report.exists()
    finish(cmd)
    assert report.read_text(encoding="utf-8") == baseline
