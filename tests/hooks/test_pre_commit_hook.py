"""The pre-commit hook (.pre-commit-hooks.yaml): its definition, and real commits through it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from hooks_support import (
    BIN,
    CLEAN_BIB,
    DVORAK_DOI,
    KIDD_DOI,
    REFS,
    ROOT,
    WRONG_BIB,
    help_options,
    long_options,
    sample_index,
)

yaml: Any = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit (the dev extra)")

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
PRE_COMMIT = BIN / "pre-commit"
# pip's own cache, found before the tests move XDG_CACHE_HOME: the hook's environment is
# installed from the package registry, and the cache spares downloading it every time.
PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pip"
)


@pytest.fixture(scope="module")
def hook() -> dict[str, Any]:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (found,) = [h for h in hooks if h["id"] == "refs-check"]
    assert isinstance(found, dict)
    return found


def needs_pre_commit() -> None:
    if shutil.which("git") is None:
        pytest.skip("the pre-commit hook tests need git")
    if not PRE_COMMIT.exists():
        pytest.skip(f"the pre-commit hook tests need pre-commit ({PRE_COMMIT}): "
                    "pip install -e '.[dev]'")  # fmt: skip


# --- the definition ----------------------------------------------------------------------
def test_the_manifest_is_valid_for_pre_commit() -> None:
    needs_pre_commit()
    done = subprocess.run(
        [str(PRE_COMMIT), "validate-manifest", str(MANIFEST)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_hook_runs_refs_check_once_over_the_staged_files(hook: dict[str, Any]) -> None:
    assert hook["entry"] == "refs check"
    assert hook["language"] == "python"  # pre-commit pip-installs this repository
    assert hook["pass_filenames"] is True
    assert hook["require_serial"] is True  # one process: one index build, one cache writer
    files = re.compile(hook["files"])
    for name in ("refs.bib", "paper/references.bib", "library.json", "export.ris"):
        assert files.search(name), name
    for name in ("refs.txt", "notes.bib.txt", "setup.py", "refs.bibx", "bib"):
        assert not files.search(name), name


def test_the_hooks_arguments_are_refs_check_options_and_stay_offline(
    hook: dict[str, Any],
) -> None:
    args = hook["args"]
    assert long_options(args) <= help_options(), long_options(args) - help_options()
    assert args[args.index("--source") + 1] == "index"  # the local index: no network
    fail_on = args[args.index("--fail-on") + 1].split(",")
    assert "wrong" in fail_on and "unknown" not in fail_on  # unknown: "not in a small index"


def run_entry(
    hook: dict[str, Any], files: list[Path], index: Path
) -> subprocess.CompletedProcess[str]:
    """What pre-commit runs: the entry, the args, then the file names."""
    entry = hook["entry"].split()
    assert entry[0] == "refs"
    command = [str(REFS), *entry[1:], *hook["args"], *map(str, files)]
    env = dict(os.environ, REFS_INDEX=str(index))
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_the_entry_with_its_args_fails_on_a_wrong_doi_in_any_of_the_files(
    hook: dict[str, Any], tmp_path: Path
) -> None:
    index = sample_index(tmp_path / "index.sqlite")
    wrong, clean = tmp_path / "wrong.bib", tmp_path / "clean.bib"
    wrong.write_text(WRONG_BIB, encoding="utf-8")
    clean.write_text(CLEAN_BIB, encoding="utf-8")
    done = run_entry(hook, [clean, wrong], index)
    assert done.returncode == 1, done.stderr
    assert f"| ✗ Wrong DOI | {DVORAK_DOI} | {KIDD_DOI} |" in done.stdout  # the Markdown report
    assert "| ✓ Confirmed | 1 |" in done.stdout
    assert "failing (--fail-on): 1 wrong" in done.stderr
    done = run_entry(hook, [clean], index)
    assert done.returncode == 0, done.stderr


# --- real commits through pre-commit -----------------------------------------------------
def git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def hook_repository(where: Path, env: dict[str, str]) -> str:
    """A git repository of this checkout as it is on disk, committed; its commit.

    pre-commit installs a hook repository at a commit. This checkout may have changes
    nobody committed yet (and `pre-commit try-repo` leaves out untracked files), so
    the tracked and untracked files that git does not ignore are copied and committed
    in a repository of their own; the checkout's git state is only read.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a tracked file someone deleted is left out
            (where / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, where / name)
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "refs")):
        done = git(where, env, *args)
        assert done.returncode == 0, done.stderr
    return git(where, env, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture
def isolated(tmp_path: Path) -> dict[str, str]:
    """HOME, XDG dirs, git config and PRE_COMMIT_HOME of the test's own; the sample index."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "PRE_COMMIT", "REFS_", "VIRTUAL_ENV"))}  # fmt: skip
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PIP_CACHE_DIR=PIP_CACHE,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.org",
        REFS_INDEX=str(sample_index(tmp_path / "index.sqlite")),
        NO_COLOR="1",
    )
    return env


@pytest.mark.slow
def test_a_commit_with_a_wrong_doi_fails_and_a_clean_one_passes(
    tmp_path: Path, isolated: dict[str, str]
) -> None:
    needs_pre_commit()
    env = isolated
    hooks = tmp_path / "hook-repo"
    hooks.mkdir()
    rev = hook_repository(hooks, env)

    project = tmp_path / "paper"
    project.mkdir()
    assert git(project, env, "init", "-q").returncode == 0
    config = {"repos": [{"repo": str(hooks), "rev": rev, "hooks": [{"id": "refs-check"}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    installed = subprocess.run(
        [str(PRE_COMMIT), "install"], cwd=project, env=env, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    (project / "notes.txt").write_text("not a bibliography\n", encoding="utf-8")
    bib = project / "references.bib"
    bib.write_text(WRONG_BIB, encoding="utf-8")
    git(project, env, "add", ".pre-commit-config.yaml", "notes.txt", "references.bib")

    started = time.monotonic()
    failed = git(project, env, "commit", "-m", "wrong DOI")  # installs the hook's env first
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, output
    assert re.search(r"refs check \(DOIs of the bibliography\)\.+Failed", output), output
    assert f"| references.bib:1 (entry 1) | ✗ Wrong DOI | {DVORAK_DOI} | {KIDD_DOI} |" in output
    assert "failing (--fail-on): 1 wrong" in output
    assert "notes.txt" not in output  # only the files the hook's `files` matches
    assert git(project, env, "rev-parse", "--verify", "-q", "HEAD").returncode != 0
    first = time.monotonic() - started

    bib.write_text(CLEAN_BIB, encoding="utf-8")
    git(project, env, "add", "references.bib")
    bib.write_text(WRONG_BIB, encoding="utf-8")  # unstaged: pre-commit checks what is staged
    passed = git(project, env, "commit", "-m", "clean")
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert re.search(r"refs check \(DOIs of the bibliography\)\.+Passed", output), output
    committed = git(project, env, "show", "HEAD:references.bib").stdout
    assert committed == CLEAN_BIB
    assert bib.read_text(encoding="utf-8") == WRONG_BIB  # the unstaged change is kept
    print(f"pre-commit: first commit (env install) {first:.0f} s")
