"""citeproc-py is patched on first use, not at import, and patching twice is harmless."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from citeproc import model

from refs.export.csl import format_entries, patches

# What refs patches, written out here so the test does not trust `patches.PATCHES` alone.
PATCHED = [
    ("CitationStylesElement", "get_macro"),
    ("Text", "calls_variable"),
    ("Locale", "get_term"),
    ("Date", "render_single_date"),
    ("Text", "_variable"),
    ("Substitute", "render"),
    ("Name", "initialize"),
    ("Date", "process"),
    ("Date_Part", "process"),
    ("Key", "sort_keys"),
    ("FormatNumber", "_format_last_page"),
]
ITEM = {"type": "article-journal", "title": "A title", "issued": {"date-parts": [[2016, 12, 1]]}}


def test_the_patch_table_is_the_list_above() -> None:
    assert [(cls.__name__, name) for cls, name, _ in patches.PATCHES] == PATCHED


def test_importing_patches_nothing_the_first_format_does() -> None:
    """In a fresh interpreter: other tests here have already formatted (and so patched)."""
    script = textwrap.dedent(
        f"""
        import json
        from citeproc import model

        patched = {PATCHED!r}

        def methods():
            return [getattr(getattr(model, cls), name) for cls, name in patched]

        before = methods()
        import refs.export.csl
        from refs.export.csl import patches
        after_import = methods()
        installed_at_import = patches.installed()
        refs.export.csl.format_entries([{ITEM!r}], "vancouver")
        after_format = methods()
        patches.install()
        after_second_install = methods()
        print(json.dumps({{
            "unchanged_by_import": [a is b for a, b in zip(before, after_import)],
            "installed_at_import": installed_at_import,
            "changed_by_format": [a is not b for a, b in zip(before, after_format)],
            "installed_after_format": patches.installed(),
            "unchanged_by_second_install": [
                a is b for a, b in zip(after_format, after_second_install)
            ],
        }}))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    seen = json.loads(run.stdout)
    every = [True] * len(PATCHED)
    assert seen["unchanged_by_import"] == every
    assert seen["installed_at_import"] is False
    assert seen["changed_by_format"] == every
    assert seen["installed_after_format"] is True
    assert seen["unchanged_by_second_install"] == every


def test_install_twice_changes_nothing() -> None:
    patches.install()
    first = [getattr(getattr(model, cls), name) for cls, name in PATCHED]
    entries = [e.text for e in format_entries([ITEM] * 2, "chicago")]
    patches.install()
    patches.install()
    assert [getattr(getattr(model, cls), name) for cls, name in PATCHED] == first
    assert [e.text for e in format_entries([ITEM] * 2, "chicago")] == entries
