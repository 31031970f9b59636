"""The library API: its exported names are pinned, and each verb gives what its command gives."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import refs
from refs.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
HAL = ROOT / "refs" / "hal-ovarian-cancer.txt"


def test_exported_members() -> None:
    """A name leaves or joins the public API only on purpose (as httpx pins its own)."""
    assert refs.__all__ == [
        "Date",
        "DiffKind",
        "FieldDiff",
        "Item",
        "Notice",
        "Person",
        "Reference",
        "Repair",
        "Reviewed",
        "Settings",
        "Span",
        "Status",
        "Verdict",
        "check",
        "clean",
        "open_source",
        "parse",
        "parse_list",
        "parse_reference",
    ]
    for name in refs.__all__:
        assert getattr(refs, name).__module__.startswith("refs")


def test_the_verbs_stay_verbs_when_their_namesake_packages_load() -> None:
    import refs.check.run  # the packages `refs check` and the parsers live in
    import refs.cli
    import refs.parse.learned.crf

    assert callable(refs.check) and callable(refs.parse)
    assert refs.check.__module__ == refs.parse.__module__ == "refs.api"


def test_parse_reads_any_format() -> None:
    text = HAL.read_text(encoding="utf-8")
    parsed = refs.parse(text)
    assert len(parsed) == 50 and all(isinstance(r, refs.Reference) for r in parsed)
    bib = refs.parse("@article{k, title={A title}, author={Doe, Jane}, year={2001}}")
    assert (bib[0].style, bib[0].item.title) == ("bibtex", "A title")
    with pytest.raises(InputError):
        refs.parse("   ")


def test_clean_equals_the_command_row_for_row(tmp_path: Path) -> None:
    reviews = refs.clean(HAL.read_text(encoding="utf-8"))
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "refs", "clean", str(HAL), "--to", "json"],
        capture_output=True, text=True, timeout=120, env=env, check=True,
    )  # fmt: skip
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r.as_dict() for r in reviews] == rows
    statuses = {r.status for r in reviews}
    assert refs.Status.WRONG in statuses and refs.Status.CONFIRMED in statuses


def test_check_takes_dois_and_records() -> None:
    [kidd, wrong, junk, record] = refs.check([
        "https://doi.org/10.1002/stem.187",
        "doi:10.5555/not-registered.1",
        "no doi here",
        {"DOI": "10.1002/stem.187", "title": "Direct evidence of mesenchymal stem cell tropism "
         "for tumor and wounding microenvironments using in vivo bioluminescent imaging",
         "author": [{"family": "Kidd", "given": "S."}], "issued": {"date-parts": [[2009]]}},
    ])  # fmt: skip
    assert (kidd.status, kidd.verdict and kidd.verdict.doi) == ("confirmed", "10.1002/stem.187")
    assert kidd.verdict is not None and kidd.verdict.confidence is None  # nothing else compared
    assert wrong.status == refs.Status.UNKNOWN
    assert junk.status == refs.Status.INVALID and "not a DOI" in (
        junk.verdict.why if junk.verdict else ""
    )
    assert record.status == refs.Status.CONFIRMED
    assert record.verdict is not None and record.verdict.confidence is not None
    assert 0.5 < record.verdict.confidence <= 1.0  # calibrated: fields vouch for it


def test_the_readme_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Library") :]
    code = section[
        section.index("```python\n") + 10 : section.index("\n```", section.index("```python"))
    ]
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert "wrong" in capsys.readouterr().out  # the HAL list's wrong DOIs are printed
    assert namespace["row"] == namespace["reviews"][0].as_dict()  # type: ignore[index]
