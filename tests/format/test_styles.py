"""Style and locale names: aliases, files, dependent styles, suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from refs.errors import InputError
from refs.export.csl.styles import (
    ALIASES,
    installed_locales,
    installed_styles,
    resolve_locale,
    resolve_style,
    search_styles,
)


@pytest.mark.parametrize(("alias", "target"), sorted(ALIASES.items()))
def test_every_alias_names_an_installed_style(alias: str, target: str) -> None:
    assert target in installed_styles()
    style = resolve_style(alias)
    assert style.name == target
    assert b"<bibliography" in style.xml


def test_the_issue_names_resolve_to_the_expected_files() -> None:
    expected = {"vancouver": "nlm-citation-sequence", "ama": "american-medical-association",
                "apa": "apa", "nature": "nature", "chicago": "chicago-author-date",
                "harvard": "harvard-cite-them-right", "ieee": "ieee", "lancet": "the-lancet",
                "bmj": "bmj", "elsevier-vancouver": "elsevier-vancouver"}  # fmt: skip
    assert {name: resolve_style(name).name for name in expected} == expected


@pytest.mark.parametrize("spelling", ["Vancouver", " vancouver ", "VANCOUVER", "vancouver.csl"])
def test_names_are_forgiving(spelling: str) -> None:
    assert resolve_style(spelling).name == "nlm-citation-sequence"


def test_spaces_and_underscores_read_as_hyphens() -> None:
    assert resolve_style("chicago author date").name == "chicago-author-date"
    assert resolve_style("the_lancet").name == "the-lancet"


def test_numbered_and_author_date_styles_say_which_they_are() -> None:
    assert resolve_style("vancouver").numbered
    assert not resolve_style("apa").numbered
    assert resolve_style("apa").citation_format == "author-date"


def test_a_dependent_style_formats_with_its_parent_and_keeps_its_own_locale() -> None:
    style = resolve_style("plos-one")
    assert style.parent == "plos"
    assert b"<bibliography" in style.xml
    german = [
        name
        for name, path in sorted(installed_styles().items())
        if path.parent.name == "dependent" and b'default-locale="de-DE"' in path.read_bytes()[:600]
    ]
    usable = []
    for name in german[:40]:
        try:
            usable.append(resolve_style(name))
        except InputError as error:  # a few point at note styles with no bibliography
            assert "through its parent" in str(error)
    assert usable
    assert all(style.default_locale == "de-DE" for style in usable)
    assert any(b'default-locale="de-DE"' not in style.xml[:2000] for style in usable)


def test_an_unknown_style_suggests_close_names() -> None:
    with pytest.raises(InputError) as error:
        resolve_style("vancover")
    message = str(error.value)
    assert "unknown style 'vancover'" in message
    assert "did you mean vancouver" in message
    assert "--list-styles" in message
    assert "\n" not in message


def test_a_style_file_is_read(tmp_path: Path) -> None:
    copy = tmp_path / "mine.csl"
    copy.write_bytes(installed_styles()["nature"].read_bytes())
    style = resolve_style(str(copy))
    assert style.name == str(copy)
    assert style.title == "Nature"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b"this is not xml", r"not a CSL style: not XML \(line 1\)"),
        (b"<html><body/></html>", "the root element is <html>"),
        (
            b'<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info><title>C</title>'
            b"</info><citation><layout/></citation></style>",
            "defines no bibliography",
        ),
    ],
)
def test_a_file_that_is_not_a_usable_style_is_one_clear_error(
    tmp_path: Path, content: bytes, says: str
) -> None:
    bad = tmp_path / "bad.csl"
    bad.write_bytes(content)
    with pytest.raises(InputError, match=says):
        resolve_style(str(bad))


def test_a_missing_style_file() -> None:
    with pytest.raises(InputError, match="no such style file"):
        resolve_style("./nowhere/mine.csl")


@pytest.mark.parametrize(
    ("asked", "got"),
    [
        ("fr", "fr-FR"),
        ("en_gb", "en-GB"),
        ("pt-br", "pt-BR"),
        ("de-AT", "de-AT"),
        ("EN-us", "en-US"),
    ],
)
def test_locales_are_forgiving(asked: str, got: str) -> None:
    assert resolve_locale(asked) == got


def test_the_default_locale_is_the_styles() -> None:
    assert resolve_locale(None, resolve_style("nature")) == "en-GB"
    assert resolve_locale(None, resolve_style("vancouver")) == "en-US"
    assert resolve_locale(None) == "en-US"


def test_an_unknown_locale_suggests_installed_ones() -> None:
    with pytest.raises(InputError, match=r"unknown locale 'fr-XX'; did you mean fr-CA, fr-FR"):
        resolve_locale("fr-XX")
    assert "en-US" in installed_locales()


def test_search_finds_aliases_names_and_titles() -> None:
    found = dict(search_styles("vancouver"))
    assert "vancouver -> nlm-citation-sequence" in found
    assert "elsevier-vancouver" in found
    titles = dict(search_styles("citing medicine"))
    assert "nlm-citation-sequence" in titles
    assert search_styles("zzzz-no-such-style") == []
    assert len(search_styles()) > 10_000
