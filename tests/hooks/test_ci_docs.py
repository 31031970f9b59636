"""docs/ci.md: the snippets users paste are valid and use what the hook and the action have."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hooks_support import BIN, ROOT, help_options, long_options

yaml: Any = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit (the dev extra)")

DOC = ROOT / "docs" / "ci.md"


def snippets() -> list[Any]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return [yaml.safe_load(block) for block in blocks]


def hook_entries() -> list[dict[str, Any]]:
    """The `- id: refs-check` items: in the full config and the fragments."""
    found: list[dict[str, Any]] = []
    for snippet in snippets():
        if isinstance(snippet, dict) and "repos" in snippet:
            found += [h for repo in snippet["repos"] for h in repo["hooks"]]
        elif isinstance(snippet, list):
            found += [item for item in snippet if "uses" not in item]
    return found


def action_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for snippet in snippets():
        if isinstance(snippet, dict) and "jobs" in snippet:
            steps += [s for job in snippet["jobs"].values() for s in job["steps"]]
        elif isinstance(snippet, list):
            steps += [s for s in snippet if "uses" in s]
    return [s for s in steps if s["uses"].startswith("OWNER/refs@")]


def test_the_pre_commit_config_is_valid(tmp_path: Path) -> None:
    (config,) = [s for s in snippets() if isinstance(s, dict) and "repos" in s]
    if not (BIN / "pre-commit").exists():
        pytest.skip("needs pre-commit: pip install -e '.[dev]'")
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    done = subprocess.run(
        [str(BIN / "pre-commit"), "validate-config", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_hook_overrides_use_refs_check_options() -> None:
    entries = hook_entries()
    assert len(entries) >= 4 and {e["id"] for e in entries} == {"refs-check"}
    for entry in entries:
        args = entry.get("args", [])
        assert long_options(args) <= help_options(), args
        if "files" in entry:
            assert re.search(entry["files"], "paper/chapter-1.bib")
            assert not re.search(entry["files"], "package.json")


def test_the_workflow_uses_the_actions_inputs_and_outputs() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    steps = action_steps()
    assert len(steps) == 2
    for step in steps:
        assert set(step["with"]) <= set(action["inputs"])
        assert "paths" in step["with"]
    text = DOC.read_text(encoding="utf-8")
    for output in re.findall(r"steps\.refs\.outputs\.([\w-]+)", text):
        assert output in action["outputs"]
    for name in action["inputs"]:
        assert f"| `{name}` |" in text, f"input {name} is not in the table"
