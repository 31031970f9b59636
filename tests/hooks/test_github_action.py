"""The GitHub Action (action.yml): its definition, and its check script run here as GitHub would."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hooks_support import (
    BIN,
    CLEAN_BIB,
    DVORAK_DOI,
    KIDD_DOI,
    ROOT,
    WRONG_BIB,
    help_options,
    long_options,
    sample_index,
)

yaml: Any = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit (the dev extra)")

ACTION = ROOT / "action.yml"
SCRIPT = ROOT / "scripts" / "github-action-check.sh"


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    loaded = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def steps(action: dict[str, Any]) -> list[dict[str, Any]]:
    found = action["runs"]["steps"]
    assert isinstance(found, list)
    return found


def check_step(action: dict[str, Any]) -> dict[str, Any]:
    (step,) = [s for s in steps(action) if s.get("id") == "check"]
    return step


# --- the definition ----------------------------------------------------------------------
def test_a_composite_action_with_documented_inputs(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    assert action["name"] and action["description"]
    inputs = action["inputs"]
    assert {"paths", "fail-on", "source", "mailto", "index", "python-version"} <= set(inputs)
    assert inputs["paths"]["required"] is True
    for name, spec in inputs.items():
        assert spec.get("description"), f"input {name} has no description"
        assert spec.get("required") or "default" in spec, f"input {name}: no default"
    assert set(action["outputs"]) == {"report", "exit-code"}
    for output in action["outputs"].values():
        assert "steps.check.outputs." in output["value"]


def test_every_input_is_used_and_none_is_expanded_inside_a_script(
    action: dict[str, Any],
) -> None:
    used: set[str] = set()
    for step in steps(action):
        text = yaml.safe_dump(step)
        used |= set(re.findall(r"\$\{\{\s*inputs\.([\w-]+)", text))
        if "run" in step:
            assert step.get("shell") == "bash", f"{step['name']}: a composite run step needs shell"
            # inputs reach scripts through env only: no ${{ inputs.x }} pasted into shell code
            assert "${{" not in step["run"], f"{step['name']}: expression inside run"
    assert used == set(action["inputs"])


def test_refs_is_installed_from_the_actions_own_checkout(action: dict[str, Any]) -> None:
    (install,) = [s for s in steps(action) if s.get("name") == "Install refs"]
    assert install["env"]["REFS_ACTION_PATH"] == "${{ github.action_path }}"
    assert 'pip install --quiet --disable-pip-version-check "$REFS_ACTION_PATH"' in install["run"]
    assert "refs-action-venv" in install["env"]["REFS_VENV"]
    assert check_step(action)["env"]["REFS_BIN"].endswith("/refs-action-venv/bin/refs")
    (setup,) = [s for s in steps(action) if "uses" in s]
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"


def test_the_check_step_runs_the_script_with_every_input_in_env(action: dict[str, Any]) -> None:
    step = check_step(action)
    assert step["run"] == 'bash "$GITHUB_ACTION_PATH/scripts/github-action-check.sh"'
    assert SCRIPT.is_file()
    env = step["env"]
    for name in set(action["inputs"]) - {"python-version"}:
        variable = "INPUT_" + name.upper().replace("-", "_")
        assert env[variable] == "${{ inputs." + name + " }}"


def test_the_options_the_action_passes_are_refs_check_options() -> None:
    script = SCRIPT.read_text(encoding="utf-8")
    passed = long_options(" ".join(re.findall(r"args\+?=\((.*)\)", script)))
    assert {"--format", "--output", "--fail-on", "--source", "--index", "--mailto"} <= passed
    assert passed <= help_options(), passed - help_options()
    assert "--format markdown" in script  # what $GITHUB_STEP_SUMMARY renders


# --- the script, run as the action runs it ------------------------------------------------
@pytest.fixture
def github(tmp_path: Path) -> dict[str, str]:
    """An environment like a runner's: summary, output and temp files, and refs on PATH."""
    if shutil.which("bash") is None:
        pytest.skip("the action's script needs bash")
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")  # the script appends
    (tmp_path / "github-output").write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",  # the action puts its venv's refs there
        RUNNER_TEMP=str(runner_temp),
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_OUTPUT=str(tmp_path / "github-output"),
        REFS_INDEX=str(sample_index(tmp_path / "index.sqlite")),
        INPUT_SOURCE="index",  # the action's default is crossref: no network in the tests
        NO_COLOR="1",
    )
    return env


@pytest.fixture
def bibs(tmp_path: Path) -> Path:
    """A repository checkout with a wrong and a clean BibTeX file."""
    repo = tmp_path / "checkout"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "a-wrong.bib").write_text(WRONG_BIB, encoding="utf-8")
    (repo / "refs" / "b-clean.bib").write_text(CLEAN_BIB, encoding="utf-8")
    return repo


def run_script(env: dict[str, str], cwd: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    for name, value in inputs.items():
        env = {**env, f"INPUT_{name.upper()}": value}
    return subprocess.run(
        ["bash", str(SCRIPT)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def outputs(env: dict[str, str]) -> dict[str, str]:
    lines = Path(env["GITHUB_OUTPUT"]).read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_a_wrong_doi_fails_the_step_and_the_report_is_in_the_summary(
    github: dict[str, str], bibs: Path
) -> None:
    # a glob with `**` on one line and nothing else: refs expands it, not the shell
    done = run_script(github, bibs, paths="refs/**/*.bib\n")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "failing (--fail-on): 1 wrong" in done.stdout  # refs' output is in the log
    summary = Path(github["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert summary.startswith("earlier step\n## refs check against index\n")
    assert "| Where | Status | Printed DOI | Proposed DOI |" in summary  # what to fix
    assert f"| refs/a-wrong.bib:1 (entry 1) | ✗ Wrong DOI | {DVORAK_DOI} | {KIDD_DOI} |" in summary
    assert "| ✓ Confirmed | 1 |" in summary  # the clean file, counted
    assert "<summary>refs check output (exit status 1)</summary>" in summary
    assert summary.endswith("</details>\n")
    out = outputs(github)
    assert out["exit-code"] == "1"
    report = Path(out["report"])  # kept under RUNNER_TEMP for later steps (an artifact)
    assert report.is_relative_to(github["RUNNER_TEMP"])
    assert report.read_text(encoding="utf-8").strip() in summary


def test_a_clean_file_passes_and_the_inputs_reach_refs(github: dict[str, str], bibs: Path) -> None:
    done = run_script(
        github,
        bibs,
        paths="refs/b-clean.bib",
        fail_on="wrong,unknown",
        mailto="ci@example.org",
        args="--workers 1  --from bibtex",
        report="out/refs.md",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    command = done.stdout.splitlines()[0]
    assert command == (
        "refs check refs/b-clean.bib --format markdown --output out/refs.md "
        "--fail-on wrong,unknown --source index --mailto ci@example.org --workers 1 --from bibtex"
    )
    # the report's directory is made: a missing one would fail the step with status 2
    assert "| ✓ Confirmed | 1 |" in (bibs / "out" / "refs.md").read_text(encoding="utf-8")
    assert outputs(github)["report"] == "out/refs.md"
    assert "(exit status 0)" in Path(github["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")


def test_fail_on_decides_the_status(github: dict[str, str], bibs: Path) -> None:
    done = run_script(github, bibs, paths="refs/a-wrong.bib refs/b-clean.bib", fail_on="retracted")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| ✗ Wrong DOI | 1 |" in Path(github["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")


def test_an_input_error_fails_with_status_2_and_says_so(github: dict[str, str], bibs: Path) -> None:
    done = run_script(github, bibs, paths="refs/b-clean.bib refs/nowhere.bib")
    assert done.returncode == 2
    assert "refs/nowhere.bib: no such file" in done.stdout
    summary = Path(github["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert "refs check stopped before writing a report (exit status 2)" in summary
    assert "refs/nowhere.bib: no such file" in summary
    assert outputs(github) == {"report": "", "exit-code": "2"}


def test_no_paths_is_a_usage_error(github: dict[str, str], bibs: Path) -> None:
    done = run_script(github, bibs, paths="  \n ")
    assert done.returncode == 2
    assert "no input" in done.stdout


def test_summary_false_leaves_the_job_summary_alone(github: dict[str, str], bibs: Path) -> None:
    done = run_script(github, bibs, paths="refs/a-wrong.bib", summary="false")
    assert done.returncode == 1
    assert Path(github["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8") == "earlier step\n"


def test_a_report_too_big_for_the_summary_is_cut_at_a_line(
    github: dict[str, str], bibs: Path
) -> None:
    lines = [f"10.5555/not-in-the-index.{n}" for n in range(60)]
    (bibs / "many.dois").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_script({**github, "REFS_SUMMARY_LIMIT": "2000"}, bibs, paths="many.dois")
    assert done.returncode == 1  # unknown is in refs' default --fail-on
    summary = Path(github["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    report = summary.split("*The report (", 1)[0].removeprefix("earlier step\n").rstrip()
    assert 1000 < len(report.encode()) <= 2000
    assert report.endswith("|")  # whole rows only
    assert "is cut here: GitHub keeps at most 1 MiB" in summary
    assert "| 10.5555/not-in-the-index.59 |" not in summary
