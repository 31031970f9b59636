"""Formatted bibliographies: targets, orders, inputs."""

from __future__ import annotations

import pytest

from refs.export.csl import Target, format_bibliography, format_entries, items_of
from refs.model import Date, Item, Person, Reference, Span

MIRZA = Item(
    author=(Person(family="Mirza", given="M. R."), Person(family="Monk", given="B. J.")),
    issued=Date(2016, 12, 1),
    title="Niraparib <maintenance> & *therapy* [trial]",
    container_title="New England Journal of Medicine",
    volume="375",
    issue="22",
    page="2154-2164",
    DOI="10.1056/NEJMoa1611310",
)
SIEGEL = Item(author=(Person(family="Siegel", given="R."),), issued=Date(2012),
              title="Cancer statistics, 2012", container_title="CA Cancer J Clin")  # fmt: skip


def test_numbered_styles_keep_the_cited_order_author_date_styles_sort() -> None:
    assert [e.position for e in format_entries([SIEGEL, MIRZA], "vancouver")] == [0, 1]
    assert [e.position for e in format_entries([SIEGEL, MIRZA], "apa")] == [1, 0]
    assert all(e.label is None for e in format_entries([SIEGEL, MIRZA], "apa"))


def test_text_document_is_one_entry_per_line() -> None:
    text = format_bibliography([MIRZA, SIEGEL], "vancouver")
    lines = text.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("1. Mirza MR, Monk BJ. Niraparib <maintenance> & *therapy*")
    assert lines[1].startswith("2. Siegel R.")


def test_html_is_escaped_and_self_contained() -> None:
    page = format_bibliography([MIRZA], "apa", target=Target.html)
    assert page.startswith("<!DOCTYPE html>")
    assert "Niraparib &lt;maintenance&gt; &amp; *therapy*" in page
    assert "<i>New England Journal of Medicine</i>" in page
    assert "http" not in page.split("<body>")[0]  # no stylesheet or script from anywhere


def test_html_numbered_entries_put_the_number_in_its_own_column() -> None:
    page = format_bibliography([MIRZA], "vancouver", target=Target.html)
    assert '<div class="csl-left-margin">1.</div><div class="csl-right-inline">Mirza MR' in page


def test_markdown_escapes_and_emphasises() -> None:
    text = format_bibliography([MIRZA], "apa", target=Target.markdown)
    assert r"Niraparib \<maintenance\> & \*therapy\* \[trial\]" in text
    assert "*New England Journal of Medicine*" in text


def test_rtf_is_a_document_with_escaped_unicode() -> None:
    rtf = format_bibliography([MIRZA], "ieee", target=Target.rtf)
    assert rtf.startswith("{\\rtf1") and rtf.rstrip().endswith("}")
    assert "[1]\\tab " in rtf
    assert "\\u8220?" in rtf  # “
    assert "{\\i New England Journal of Medicine}" in rtf
    assert rtf.isascii()


def test_a_locale_changes_terms_and_dates() -> None:
    (entry,) = format_entries([MIRZA], "vancouver", locale="fr")
    assert "1 déc 2016" in entry.text


def test_csl_json_dicts_work_like_items_and_unknown_keys_are_dropped() -> None:
    data = MIRZA.to_csl("x") | {"custom": {"hal-id": "hal-1"}, "abstract-x": 1}
    assert format_entries([data], "nature")[0].text == format_entries([MIRZA], "nature")[0].text


def test_an_entry_nothing_was_read_from_keeps_its_text() -> None:
    ref = Reference(1, "Some unparseable line", Span(1, 1), Item(), "generic")
    (item,) = items_of([ref])
    assert item.title == "Some unparseable line"
    assert "Some unparseable line" in format_bibliography([item], "vancouver")


def test_no_items_no_entries() -> None:
    assert format_entries([], "apa") == []


@pytest.mark.parametrize("style", ["vancouver", "apa", "chicago", "harvard", "nature"])
def test_each_target_renders_every_entry(style: str) -> None:
    for target in Target:
        assert len(format_entries([MIRZA, SIEGEL], style, target=target)) == 2
