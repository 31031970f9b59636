"""`refs.normalize.names`: personal names as printed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refs.normalize.names import parse_name, parse_vancouver_name


@pytest.mark.parametrize(
    ("printed", "family", "given"),
    [
        ("Fridman R", "Fridman", "R."),
        ("Mitsiades CS", "Mitsiades", "C. S."),
        ("Radons J.", "Radons", "J."),
        ("Sautès-Fridman C", "Sautès-Fridman", "C."),
        ("R. Siegel", "Siegel", "R."),
        ("J.-P. Abastado", "Abastado", "J.-P."),
        ("M. Ng", "Ng", "M."),
        ("Siegel, Rebecca L.", "Siegel", "Rebecca L."),
        ("Rebecca L. Siegel", "Siegel", "Rebecca L."),
        ("N.", None, "N."),
    ],
)
def test_names(printed: str, family: str | None, given: str) -> None:
    person = parse_name(printed)
    assert (person.family, person.given) == (family, given)


def test_particles() -> None:
    person = parse_name("Ludwig van Beethoven")
    assert (person.particle, person.family) == ("van", "Beethoven")
    person = parse_vancouver_name("van der Berg J")
    assert (person.particle, person.family, person.given) == ("van der", "Berg", "J.")


@given(text=st.text(max_size=120))
def test_name_parsing_never_crashes(text: str) -> None:
    parse_name(text)
    parse_vancouver_name(text)
