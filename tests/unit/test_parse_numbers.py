"""A volume numbered by year that the parser took for the date."""

from __future__ import annotations

import pytest

from refs.model import Date, Item
from refs.parse.numbers import year_volume


@pytest.mark.parametrize(
    ("text", "parsed_year", "volume", "year"),
    [
        ("Ferreira JM (2010) Lucas Sequences. Int J Differ Equ 2007:1–15", 2007, "2007", 2010),
        ("Moriceau, F. “DRESS”. Case Rep Crit Care, vol. 2020, 2016, pp. 1–4.", 2020, "2020", 2016),
        (
            "Choi, J.R., 2016. Pendulum. Physics Research International 2018, 1–9.",
            2016,
            "2018",
            2016,
        ),
        ("Doe, J. Title. Neural Plasticity, vol. 2009, pp. 1–2, 2009.", 2009, "2009", 2009),
    ],
)
def test_year_printed_where_the_volume_goes(
    text: str, parsed_year: int, volume: str, year: int
) -> None:
    fixed = year_volume(Item(issued=Date(parsed_year), page="1-15"), text)
    assert fixed.volume == volume
    assert fixed.issued == Date(year)


@pytest.mark.parametrize(
    "text",
    [
        "Smith, J. (2019). A title. Journal of Things, 2019, 12–15.",  # one year: the date
        "Smith, J. 2012. Title (1990-2000). Journal 2014, 5–9 (2015).",  # too many years
    ],
)
def test_left_alone_when_the_print_does_not_say(text: str) -> None:
    item = Item(issued=Date(2019), page="12-15")
    assert year_volume(item, text) == item
    parsed = Item(issued=Date(2019), volume="45")
    assert year_volume(parsed, text + " 2018, 3") == parsed  # a parsed volume is kept
