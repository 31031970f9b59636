"""Reading every input kind into records with locations; bad input as records with reasons."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from check_support import doi, write_lines

from refs import ids
from refs.check.inputs import (
    Input,
    InputRecord,
    Kind,
    Unusable,
    detect_kind,
    expand_inputs,
    parse_columns,
    read_records,
)
from refs.errors import InputError
from refs.resolve.doi import identifies_a_work


def searchable(record: InputRecord) -> bool:
    """Does the record print a title or authors (or no DOI), so the resolver may search?"""
    ref = record.reference
    return ref is not None and (record.doi is None or identifies_a_work(ref.item))


def records(path: Path, kind: Kind = Kind.auto, columns: str | None = None) -> list[InputRecord]:
    [source] = expand_inputs([str(path)], kind)
    return list(read_records(source, parse_columns(columns)))


@pytest.mark.parametrize(
    ("printed", "bare"),
    [
        ("10.5555/check.1", "10.5555/check.1"),
        ("doi:10.5555/check.1", "10.5555/check.1"),
        ("DOI: 10.5555/check.1", "10.5555/check.1"),
        ("https://doi.org/10.5555/check.1", "10.5555/check.1"),
        ("http://dx.doi.org/10.5555/check.1", "10.5555/check.1"),
        ("urn:doi:10.5555/check.1", "10.5555/check.1"),
        ("https://doi.org/10.5555%2Fcheck.1", "10.5555/check.1"),
        (
            "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0015313",
            "10.1371/journal.pone.0015313",
        ),
        # SICI DOIs hold < and >: kept whole when the DOI stands alone.
        (
            "10.1002/(SICI)1097-4636(199706)35:4<393::AID-JBM2>3.0.CO;2-E",
            "10.1002/(SICI)1097-4636(199706)35:4<393::AID-JBM2>3.0.CO;2-E",
        ),
    ],
)
def test_any_printed_doi_form_is_canonicalised(printed: str, bare: str) -> None:
    assert ids.clean_doi(printed, whole=True) == bare


def test_doi_list_reports_garbage_lines_with_reasons_and_goes_on(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "dois.txt", [
        "# my DOIs", doi(1), "", "not a DOI at all", f"doi:{doi(2)}",
        f"see {doi(3)} in the text", "10.5555", f"https://doi.org/{doi(4)}",
    ])  # fmt: skip
    got = records(path)
    assert [(r.line, r.doi, r.error is None) for r in got] == [
        (2, doi(1), True),
        (4, None, False),
        (5, doi(2), True),
        (6, None, False),
        (7, None, False),
        (8, doi(4), True),
    ]
    assert got[1].error == "not a DOI: 'not a DOI at all'"
    assert got[3].error is not None and got[3].error.startswith("not a DOI on its own")
    assert [r.seq for r in got] == [1, 2, 3, 4, 5, 6]
    assert len({r.id for r in got}) == len(got)
    assert all(not searchable(r) for r in got)


def test_undecodable_bytes_are_reported_on_their_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(f"{doi(1)}\n10.5555/caf\xe9\n\xff\xfe{doi(2)}\n{doi(3)}\n".encode("latin-1"))
    got = records(path, Kind.doi_list)
    assert [r.doi for r in got] == [doi(1), None, None, doi(3)]
    assert got[1].error == "not UTF-8: byte 0xe9 at column 12"
    assert got[2].error == "not UTF-8: byte 0xff at column 1"


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"", "is empty"), (b"\n  \n", "is empty"), (b"\x00\x01\x02binary", "binary")],
)
def test_files_with_nothing_to_read_are_unusable(tmp_path: Path, content: bytes, why: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(Unusable, match=why):
        records(path)


def test_csv_with_named_columns_gives_fields_to_compare(tmp_path: Path) -> None:
    path = tmp_path / "refs.csv"
    path.write_text(
        "Title,Authors,Publication Year,Journal,Volume,Pages,DOI\n"
        '"Rapid signalling, again",Moreau A.; Tanaka B.,2001,J Checks,3,101-111,doi:10.5555/check.1\n'
        ",,,,,,10.5555/check.2\n"
        ",,2003,,7,,https://doi.org/10.5555/check.3\n"
        "A title without DOI,Novak C.,,,,,\n"
        "Bad DOI row,,,,,,hello\n"
        ",,,,,,\n",
        encoding="utf-8",
    )
    got = records(path)
    assert [(r.line, r.entry, r.doi) for r in got] == [
        (2, 1, doi(1)), (3, 2, doi(2)), (4, 3, doi(3)), (5, 4, None), (6, 5, None),
    ]  # fmt: skip
    first = got[0].reference
    assert first is not None and first.item.title == "Rapid signalling, again"
    assert [p.family for p in first.item.author] == ["Moreau", "Tanaka"]
    assert first.item.page == "101-111" and first.item.issued is not None
    assert searchable(got[0])
    assert not searchable(got[1]) and got[1].reference is None  # a DOI alone
    assert not searchable(got[2]) and got[2].reference is not None  # DOI + year, volume
    assert searchable(got[3]) and got[3].doi is None  # searched for
    assert got[4].error == "not a DOI: 'hello'"


def test_csv_columns_by_option_semicolons_and_tsv(tmp_path: Path) -> None:
    semi = tmp_path / "semi.csv"
    semi.write_text(f"Identifier;Name\n{doi(1)};x\n{doi(2)};y\n", encoding="utf-8")
    assert [r.doi for r in records(semi, columns="doi=Identifier")] == [doi(1), doi(2)]
    assert [r.doi for r in records(semi, columns="doi=1")] == [doi(1), doi(2)]
    tsv = tmp_path / "table.tsv"
    tsv.write_text(f"doi\tnote\n{doi(5)}\tfine\n", encoding="utf-8")
    assert [(r.line, r.doi) for r in records(tsv)] == [(2, doi(5))]
    with pytest.raises(Unusable, match="no such column"):
        records(semi, columns="doi=Nope")
    with pytest.raises(InputError, match="--columns"):
        parse_columns("colour=3")


def test_a_doi_column_is_found_by_content_with_or_without_header(tmp_path: Path) -> None:
    plain = tmp_path / "noheader.csv"
    plain.write_text(f"a,{doi(1)}\nb,{doi(2)}\n", encoding="utf-8")
    assert [(r.line, r.doi) for r in records(plain)] == [(1, doi(1)), (2, doi(2))]
    headed = tmp_path / "header.csv"
    headed.write_text(f"name,link\na,{doi(1)}\nb,{doi(2)}\n", encoding="utf-8")
    assert [(r.line, r.doi) for r in records(headed)] == [(2, doi(1)), (3, doi(2))]


def test_csv_without_a_doi_column_is_unusable_with_the_columns_named(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,age\nann,3\nbob,4\n", encoding="utf-8")
    with pytest.raises(Unusable, match=r"no DOI column \(columns: 'name', 'age'\)"):
        records(path)


def test_json_lines_of_every_shape(tmp_path: Path) -> None:
    crossref = {"DOI": doi(4), "title": ["Crossref shape"], "author": [{"family": "Novak"}]}
    lines = [
        json.dumps({"doi": doi(1)}),
        json.dumps(
            {
                "DOI": doi(2),
                "type": "article-journal",
                "title": "CSL shape",
                "author": [{"family": "Moreau", "given": "A."}],
            }
        ),
        json.dumps({"doi": doi(3), "year": "2001", "journal": "J Checks", "pages": "1-2"}),
        json.dumps(crossref),
        "{not json",
        "[1, 2]",
        "",
        json.dumps({"title": "Only a title", "authors": "Rossi, P."}),
    ]
    got = records(write_lines(tmp_path / "refs.jsonl", lines))
    assert [r.line for r in got] == [1, 2, 3, 4, 5, 6, 8]
    assert [r.doi for r in got[:4]] == [doi(1), doi(2), doi(3), doi(4)]
    assert not searchable(got[0])
    assert searchable(got[1]) and searchable(got[3])
    assert got[2].reference is not None and got[2].reference.item.page == "1-2"
    assert got[4].error is not None and got[4].error.startswith("not JSON")
    assert got[5].error == "not a JSON object but array"
    last = got[6].reference
    assert last is not None and last.item.title == "Only a title" and got[6].doi is None


def test_structured_and_free_text_lists_keep_their_entries_and_lines(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{a,\n  title={Rapid signalling},\n  doi={10.5555/check.1}\n}\n\n"
        "@article{b,\n  doi = {https://doi.org/10.5555/check.2}\n}\n\n"
        "@article{broken,\n  title = {unclosed\n",
        encoding="utf-8",
    )
    got = records(bib)
    assert [(r.entry, r.line, r.doi) for r in got[:2]] == [(1, 1, doi(1)), (2, 6, doi(2))]
    assert searchable(got[0]) and not searchable(got[1])
    assert got[2].error is not None and "broken BibTeX entry" in got[2].error

    ris = write_lines(tmp_path / "refs.ris", [
        "TY  - JOUR", "TI  - Something", "DO  - 10.5555/check.3", "ER  - ", "",
        "TY  - JOUR", "DO  - 10.5555/check.4", "ER  - ",
    ])  # fmt: skip
    assert [(r.entry, r.line, r.doi) for r in records(ris)] == [(1, 1, doi(3)), (2, 6, doi(4))]

    csl = tmp_path / "refs.json"
    csl.write_text(json.dumps([{"type": "article-journal", "DOI": doi(5)},
                               {"type": "book", "title": "A book"}], indent=1))  # fmt: skip
    assert [r.doi for r in records(csl)] == [doi(5), None]

    text = write_lines(tmp_path / "list.txt", [
        "1. Moreau A, Tanaka B. Rapid signalling in zebrafish fins. J Checks. 2001;3:101-11.",
        "2. ???? ### !!!",
    ])  # fmt: skip
    got = records(text)
    assert [r.line for r in got] == [1, 2]
    assert searchable(got[0])


@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        (b"10.5555/x\n10.5555/y\n", "-", Kind.doi_list),
        (b"doi,title\n10.1/x,t\n", "-", Kind.csv),
        (b"DOI\tTitle\n", "-", Kind.tsv),
        (b'{"doi": "10.1/x"}\n', "-", Kind.jsonl),
        (b'[{"type": "book"}]', "-", Kind.csl_json),
        (b"@article{a, title={x}}\n", "-", Kind.bibtex),
        (b"TY  - JOUR\nER  - \n", "-", Kind.ris),
        (b"1. Smith J. A title. J X. 2001;1:1-2.\n", "-", Kind.text),
        (b'{"doi": "10.1/x"}\n', "refs.json", Kind.jsonl),
        (b"anything", "x.csv", Kind.csv),
    ],
)
def test_kind_detection(head: bytes, name: str, kind: Kind) -> None:
    assert detect_kind(head, name) is kind


def test_expanding_directories_globs_and_stdin(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    write_lines(tmp_path / "b" / "two.txt", [doi(2)])
    write_lines(tmp_path / "a.txt", [doi(1)])
    (tmp_path / "b" / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    write_lines(tmp_path / ".hidden" / "x.txt", [doi(9)])
    found = expand_inputs([str(tmp_path)])
    assert [Path(i.name).name for i in found] == ["a.txt", "two.txt"]
    globbed = expand_inputs([str(tmp_path / "**" / "*.txt"), str(tmp_path / "a.txt")])
    assert [Path(i.name).name for i in globbed] == ["a.txt", "two.txt"]  # each file once
    stdin = expand_inputs(["-"], stdin=io.BytesIO(f"{doi(3)}\n".encode()))
    assert [r.doi for r in read_records(stdin[0])] == [doi(3)]
    assert stdin[0].fingerprint().startswith("sha256:")
    with pytest.raises(InputError, match="no such file"):
        expand_inputs([str(tmp_path / "missing.txt")])
    with pytest.raises(InputError, match="no file matches"):
        expand_inputs([str(tmp_path / "*.nothing")])


def test_record_ids_are_the_input_and_position(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "dois.txt", [doi(1), doi(1)])
    [source] = expand_inputs([str(path)])
    assert isinstance(source, Input)
    first, second = read_records(source)
    assert first.id == f"{path.resolve()}:1" and second.id == f"{path.resolve()}:2"
