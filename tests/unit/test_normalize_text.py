"""`refs.normalize.text`: lost characters and mojibake."""

from __future__ import annotations

from refs.normalize.text import LOST, fix_mojibake, mark_lost_characters


def test_lost_characters_are_marked_not_kept() -> None:
    assert mark_lost_characters("carcinoma???associated") == f"carcinoma{LOST}associated"
    assert (
        mark_lost_characters("MCP-1-TNF? cross-regulatory") == f"MCP-1-TNF{LOST} cross-regulatory"
    )
    assert mark_lost_characters("anticancer therapies?") == "anticancer therapies?"
    assert mark_lost_characters("a magic bullet? Science") == "a magic bullet? Science"


def test_mojibake_is_repaired_but_typography_kept() -> None:
    assert fix_mojibake("Leucémie myÃ©loÃ¯de") == "Leucémie myéloïde"
    assert fix_mojibake("s’auto-activer") == "s’auto-activer"
