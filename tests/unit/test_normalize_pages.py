"""`refs.normalize.pages`: page ranges, issues, an issue printed in the volume."""

from __future__ import annotations

import pytest

from refs.normalize.pages import normalize_issue, normalize_pages, split_volume_issue


@pytest.mark.parametrize(
    ("printed", "normal"),
    [
        ("2154-64", "2154-2164"),
        ("6698.–6702.", "6698-6702"),
        ("E2110.–E2116.", "E2110-E2116"),
        ("A28.–A31.", "A28-A31"),
        ("58..", "58"),
        ("p.15313", "15313"),
        ("pp. 1--10", "1-10"),
        ("10-29", "10-29"),
        ("e0015313", "e0015313"),
    ],
)
def test_pages(printed: str, normal: str) -> None:
    assert normalize_pages(printed) == normal


@pytest.mark.parametrize(
    ("printed", "normal"),
    [("suppl 5", "Suppl 5"), ("(Suppl 2)", "Suppl 2"), ("15 Supplement", "15 Suppl"), ("8", "8")],
)
def test_issue(printed: str, normal: str) -> None:
    assert normalize_issue(printed) == normal


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("163-63", "163-163"),  # a one-page article with its last page shortened
        ("1–3, 10–1", "1-3, 10-11"),  # several ranges, each expanded
        ("8–10, 12", "8-10, 12"),
        ("20170132. doi.org/", "20170132"),  # a link the parser left behind
        ("1–4. https://doi.org/10.1/x", "1-4"),
        ("604.4–604", "604.4-604"),  # a form not understood: dashes made plain, kept
        ("viii + 342", "viii + 342"),
    ],
)
def test_page_forms(printed: str, expected: str) -> None:
    assert normalize_pages(printed) == expected


@pytest.mark.parametrize(
    ("volume", "expected"),
    [
        ("39(2-3)", ("39", "2-3")),
        ("11 (9)", ("11", "9")),
        ("2, nos. 3-4", ("2", "3-4")),
        ("12 no. 5", ("12", "5")),
        ("15(Suppl 2)", ("15", "Suppl 2")),
        ("113", ("113", None)),
        ("2014", ("2014", None)),
        ("9697 96973B", ("9697 96973B", None)),
    ],
)
def test_issue_read_out_of_the_volume(volume: str, expected: tuple[str, str | None]) -> None:
    assert split_volume_issue(volume) == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("1,234-1,240", "1234-1240"), ("100-10. Epub 2013 Dec 5", "100-110"), ("12, 14", "12, 14")],
)
def test_thousands_separators_and_epub_dates_in_pages(printed: str, expected: str) -> None:
    assert normalize_pages(printed) == expected
