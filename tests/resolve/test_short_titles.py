"""A correct DOI is not called `wrong` because the input shortens the title (issue 18, item 3).

`clean` and `check` give the same verdict on the same reference: a shortened title whose
record agrees on the authors and the year is the cited work, with a cosmetic title note.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from refs.cli import app
from refs.compare.fields import is_short_form

KIDD = ("Direct Evidence of Mesenchymal Stem Cell Tropism for Tumor and Wounding "
        "Microenvironments Using In Vivo Bioluminescent Imaging")  # fmt: skip
SHORT = "Direct evidence of MSC tropism"


@pytest.mark.parametrize(
    ("printed", "short"),
    [
        (SHORT, True),
        ("Direct evidence of MSCs tropism", True),  # a plural acronym
        ("Direct evidence of mesenchymal stem cell tropism", True),
        ("Direct evidence", False),  # two words say too little
        ("Indirect evidence of MSC tropism", False),  # another first word
        ("Direct evidence of tumour tropism", False),  # a word the title does not have
        (KIDD, False),  # the whole title is no short form
    ],
)
def test_is_short_form(printed: str, short: bool) -> None:
    assert is_short_form(printed, KIDD) is short


def test_clean_and_check_confirm_a_shortened_title(tmp_path: Path) -> None:
    runner = CliRunner()
    ris = tmp_path / "short.ris"
    ris.write_text(
        f"TY  - JOUR\nAU  - Kidd, S.\nT1  - {SHORT}\nPY  - 2009\nDO  - 10.1002/stem.187\nER  - \n",
        encoding="utf-8",
    )
    csv = tmp_path / "short.csv"
    csv.write_text(
        f"title,doi,year,authors\n{SHORT},10.1002/stem.187,2009,Kidd\n", encoding="utf-8"
    )
    cleaned = runner.invoke(app, ["clean", str(ris), "--to", "json"])
    assert cleaned.exit_code == 0, cleaned.stderr
    checked = runner.invoke(app, ["check", str(csv), "-q", "--fail-on", "wrong"])
    assert checked.exit_code == 0, checked.stderr
    for row in (json.loads(cleaned.stdout), json.loads(checked.stdout)):
        assert (row["doi_status"], row["doi"]) == ("confirmed", "10.1002/stem.187")
        [title] = [f for f in row["flags"] if f["field"] == "title"]
        assert title["kind"] == "cosmetic" and "short form" in title["why"]


def test_a_short_title_alone_does_not_make_a_doi_the_cited_works(tmp_path: Path) -> None:
    """Without the authors agreeing, a title that is only a short form is not enough."""
    ris = tmp_path / "other.ris"
    ris.write_text(
        f"TY  - JOUR\nAU  - Nobody, N.\nT1  - {SHORT}\nPY  - 1990\nDO  - 10.1002/stem.187\nER  - \n",
        encoding="utf-8",
    )
    cleaned = CliRunner().invoke(app, ["clean", str(ris), "--to", "json"])
    assert json.loads(cleaned.stdout)["doi_status"] == "wrong"
