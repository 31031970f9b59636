"""The trained reference parser: tokens, features, the span convention, Items, dispatch, fuzz."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refs.model import Date, Person
from refs.parse import parse_list, parse_reference
from refs.parse.learned import crf, features
from refs.parse.learned.crf import OUTSIDE, core_span, fields_of
from refs.parse.learned.features import Lexicon, featurize
from refs.parse.learned.fields import parse_learned, read_date, split_people
from refs.parse.learned.tokens import tokenize

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    name: ROOT / "refs" / f"examples-{name}.txt"
    for name in ("apa", "harvard", "ieee", "nature", "chicago", "mla", "german")
}

needs_model = pytest.mark.skipif(not crf.available(), reason="no model.crfsuite shipped")


# --- tokens and features -----------------------------------------------------------------------


def test_tokens_keep_offsets_urls_dois_and_markup_whole() -> None:
    text = "Keil, S. <i>L’État</i> 66(1), 7–30. https://doi.org/10.3322/caac.21332. www.x.org/a."
    tokens = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    words = [t.text for t in tokens]
    assert "<i>" in words and "</i>" in words and "L’État" in words
    assert "https://doi.org/" in words and "10.3322/caac.21332" in words
    assert "www.x.org/a" in words  # trailing period left out
    assert words[-1] == "."


def test_features_one_list_per_token_and_deterministic() -> None:
    tokens = tokenize("Siegel, R. L. (2016). Cancer statistics. CA, 66(1), 7–30.")
    first, again = featurize(tokens), featurize(tokens)
    assert first == again and len(first) == len(tokens)
    assert all(isinstance(f, str) for feats in first for f in feats)
    assert "year" in first[tokens.index(next(t for t in tokens if t.text == "2016"))]
    assert featurize([]) == []


# The word lists the shipped model was trained with (words/*.txt, formerly literals in
# features.py): entries, and sha256 of the JSON of their sorted entries (of the sorted
# (word, class) pairs for the cues), recorded from the literals before they moved.
WORD_LISTS = {
    "given": (331, "33f3ea01b0ced074"),
    "months": (66, "26170d16bcc6b04e"),
    "journal": (162, "d62ba84cb9140d54"),
    "publisher": (91, "81870bb277ec97f1"),
    "place": (157, "120c4bebb8135b1e"),
    "cues": (132, "1a3547adf13b0e1a"),
}


def _digest(entries: object) -> str:
    return hashlib.sha256(json.dumps(entries, ensure_ascii=False).encode()).hexdigest()[:16]


def test_word_lists_are_the_ones_the_model_was_trained_with() -> None:
    lists = dict(zip(("given", "months", "journal", "publisher", "place"),
                     (words for _, words in features.word_lists()), strict=True))  # fmt: skip
    got = {name: (len(words), _digest(sorted(words))) for name, words in lists.items()}
    cues = features.cue_words()
    got["cues"] = (len(cues), _digest(sorted(cues.items())))
    assert got == WORD_LISTS
    assert [feature for feature, _ in features.word_lists()] == ["given", "month", "jour", "pub", "place"]  # fmt: skip
    assert {"sylvester", "mai", "jahrbuch", "verlag", "heidelberg"} <= frozenset().union(*lists.values())  # fmt: skip
    assert (cues["pp"], cues["hrsg"], cues["&"], cues["№"]) == ("page", "edit", "and", "iss")
    for path in sorted(features.WORDS.glob("*.txt")):  # a header, then each entry once
        assert path.read_text(encoding="utf-8").startswith("# "), path.name
        entries = features._entries(path.stem)
        assert len(entries) == len(set(entries)), path.name


def test_word_lists_are_read_on_first_use() -> None:
    code = (
        "from refs.parse.learned import features as f\n"
        "assert f.word_lists.cache_info().currsize == 0 == f.cue_words.cache_info().currsize\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# Features of strings that touch every word list, recorded before the word lists moved to
# words/*.txt: the model is only right with the very features it was trained on.
PINNED_TEXTS = [
    "Keil, Sylvester and Jane Doe (2011). Summer in Paris. J. Test, vol. 3, no. 2, pp. 1-9. "
    "Cambridge University Press.",
    "Müller, H. (Hrsg.) (1998) Jahrbuch der Musik, 2nd edn. Berlin: Metzler, S. 12–30. "
    "doi: 10.1000/x1",
    "[9] A. Krizhevsky et al., “ImageNet,” Proc. IEEE, № 6, Jun. 2017. Retrieved from "
    "https://x.org/a",
    "Smith J, Zhang Y. The theory of everything. Cahiers d’études, t. 12, fasc. 3 & 4. Thèse, "
    "Université de Paris.",
]
PINNED_FEATURES = "3112215fd224533aa291da3ad4a643d7612a918875c77e52b6f52cca7fc5f2ca"
PINNED_WITH_LEXICON = "9c011eca118a7b7e42d72fc97d2c3857da86072ecc064dae373d71cad80f9e4b"


def test_features_are_the_ones_the_model_was_trained_with() -> None:
    def digest(lexicon: Lexicon | None) -> str:
        h = hashlib.sha256()
        for text in PINNED_TEXTS:
            h.update(json.dumps(featurize(tokenize(text), lexicon)).encode())
        return h.hexdigest()

    lexicon = Lexicon({"cambridgeuniversitypress": "p", "paris": "l", "jtest": "c"})
    assert (digest(None), digest(lexicon)) == (PINNED_FEATURES, PINNED_WITH_LEXICON)
    listed = ("given", "month", "jour", "pub", "place")
    tokens = tokenize(PINNED_TEXTS[0])
    assert [
        (t.text, [f for f in feats if f in listed or f.startswith("cue=")])
        for t, feats in zip(tokens, featurize(tokens), strict=True)
        if any(f in listed or f.startswith("cue=") for f in feats)
    ] == [
        ("Sylvester", ["given"]), ("and", ["cue=and"]), ("Jane", ["given"]),
        ("Summer", ["month"]), ("in", ["cue=in"]), ("Paris", ["place"]), ("J", ["jour"]),
        ("vol", ["cue=vol"]), ("no", ["cue=iss"]), ("pp", ["cue=page"]),
        ("Cambridge", ["pub", "place"]), ("University", ["pub"]), ("Press", ["pub"]),
    ]  # fmt: skip


# --- the span convention -----------------------------------------------------------------------


def _core(text: str, label: str) -> str:
    tokens = tokenize(text)
    a, b = core_span(tokens, 0, len(tokens), label)
    return text[tokens[a].start : tokens[b - 1].end] if a < b else ""


def test_core_drops_edge_punctuation_and_cue_words() -> None:
    assert _core("pp. 1-9.", "pages") == "1-9"
    assert _core("Vol. 12,", "volume") == "12"
    assert _core("In: Roger Lass, ed.", "editor") == "Roger Lass"
    assert _core("(2009).", "date") == "2009"
    assert _core("doi: 10.1000/x1", "doi") == "10.1000/x1"
    assert _core("«Anthroponymie et parenté»,", "title") == "Anthroponymie et parenté"
    assert _core("p.", "pages") == "p"  # a cue word alone is kept


def test_fields_are_runs_of_one_label_cut_to_their_core() -> None:
    text = "Smith J. (2001) Title. In: Book, pp. 1-2."
    tokens = tokenize(text)
    # Smith J . ( 2001 ) Title . In : Book , pp . 1 - 2 .
    labels = ["author", "author", "author", OUTSIDE, "date", OUTSIDE, "title", OUTSIDE,
              "container-title", "container-title", "container-title", OUTSIDE,
              "pages", "pages", "pages", "pages", "pages", "pages"]  # fmt: skip
    assert [(f.label, text[f.start : f.end]) for f in fields_of(tokens, labels)] == [
        ("author", "Smith J"),
        ("date", "2001"),
        ("title", "Title"),
        ("container-title", "Book"),
        ("pages", "1-2"),
    ]


def test_convert_harmonises_the_two_corpora() -> None:
    from refs.training.parser import convert

    def fields(source: str, text: str, spans: list[list[object]]) -> list[tuple[str, str]]:
        example = convert("x:1", source, text, spans)
        return [(f.label, text[f.start : f.end]) for f in example.gold]

    # GROBID has no edition label: its edition notes become editions, as AnyStyle tags them.
    text = "Sobolev spaces (2nd ed.), Elsevier."
    spans: list[list[object]] = [[0, 14, "title", "t"], [16, 24, "note", "note"]]
    assert ("edition", "2nd ed") in fields("grobid-train", text, spans)
    # A lead-in tagged alone as a note (`Retrieved from`) is a cue, outside every field.
    text = "A title. Retrieved from http://x.org/a"
    spans = [[0, 8, "title", "title"], [9, 23, "note", "note"], [24, 38, "url", "url"]]
    assert fields("anystyle-good", text, spans) == [("title", "A title"), ("url", "http://x.org/a")]
    # A leading reference number is `other` in both corpora (GROBID leaves it untagged).
    text = "[26] W. Myers, Nucl. Phys. 81 (1966) 1."
    assert fields("grobid-train", text, [[5, 13, "author", "author"]])[0] == ("other", "26")


# --- names and dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want", "et_al"),
    [
        (
            "Siegel, R. L., Miller, K. D., & Jemal, A",
            ["Siegel R. L.", "Miller K. D.", "Jemal A."],
            False,
        ),
        (
            "J. P. COLLMAN, J. P. BRAUMAN et J. L. SESSLER",
            ["COLLMAN J. P.", "BRAUMAN J. P.", "SESSLER J. L."],
            False,
        ),
        (
            "Horton ND, Biswal SS, Kehrer JP",
            ["Horton N. D.", "Biswal S. S.", "Kehrer J. P."],
            False,
        ),
        ("Kaplan, E.L. and Meier, P", ["Kaplan E. L.", "Meier P."], False),
        ("Keil, Sylvester and Jane Doe", ["Keil Sylvester", "Doe Jane"], False),
        ("A. Vaswani et al.", ["Vaswani A."], True),
        ("SMITH, J.; JONES, K", ["SMITH J.", "JONES K."], False),
        ("Bonhomme (Fl.), Guillin (S.)", ["Bonhomme Fl.", "Guillin S."], False),
        (
            "Lucas Popielski, Nelson Rodriguez and Xiao Hu",
            ["Popielski Lucas", "Rodriguez Nelson", "Hu Xiao"],
            False,
        ),
    ],
)
def test_split_people(text: str, want: list[str], et_al: bool) -> None:
    people, got_et_al = split_people(text)
    assert [f"{p.family} {p.given}" for p in people] == want
    assert got_et_al is et_al


def test_institution_and_editor_cues() -> None:
    assert split_people("Department for Child Protection and Family Support")[0] == [
        Person(literal="Department for Child Protection and Family Support")
    ]
    editors, _ = split_people("Badura, B. & Kickbusch, I. (eds)", editors=True)
    assert [p.family for p in editors] == ["Badura", "Kickbusch"]


def test_read_date() -> None:
    assert read_date("(2016)") == Date(2016)
    assert read_date("June 12, 1998") == Date(1998, 6, 12)
    assert read_date("12 juin 1998") == Date(1998, 6, 12)
    assert read_date("1996b") == Date(1996)
    assert read_date("n.d.") is None


# --- the trained model on lists of other styles ------------------------------------------------


# References of the example lists that end with no title: IEEE Duda et al.'s book (its title
# read as the edition), Nature LeCun et al. and Nature Einstein (a short title after the last
# initial read as one more name). Keep this number from growing when the model is retrained.
# (APA Siegel et al. has none from the model either; the APA rules read it, see
# refs.parse._parse.)
KNOWN_TITLE_GAPS = 3


@needs_model
def test_example_lists_parse_with_the_learned_parser() -> None:
    no_title = []
    for name, path in EXAMPLES.items():
        refs = parse_list(path.read_text(encoding="utf-8"))
        assert len(refs) >= 8, name
        for ref in refs:
            item = ref.item
            assert ref.style in ("learned", "authordate"), ref.text
            assert item.issued is not None and str(item.issued.year) in ref.text, ref.text
            assert item.author and item.author[0].family, ref.text
            assert item.author[0].family in ref.text, ref.text
            if not item.title:
                no_title.append(ref.text)
    assert len(no_title) <= KNOWN_TITLE_GAPS, no_title


@needs_model
def test_ieee_article() -> None:
    ref = parse_reference(
        '[9] A. Krizhevsky, I. Sutskever, and G. E. Hinton, "ImageNet classification with deep '
        'convolutional neural networks," Commun. ACM, vol. 60, no. 6, pp. 84–90, Jun. 2017, '
        "doi: 10.1145/3065386."
    )
    item = ref.item
    assert ref.style == "learned"
    assert [(p.family, p.given) for p in item.author] == [
        ("Krizhevsky", "A."),
        ("Sutskever", "I."),
        ("Hinton", "G. E."),
    ]
    assert item.title == "ImageNet classification with deep convolutional neural networks"
    assert item.container_title == "Commun. ACM"
    assert (item.volume, item.issue, item.page) == ("60", "6", "84-90")
    assert item.issued == Date(2017, 6)
    assert item.DOI == "10.1145/3065386"


@needs_model
def test_nature_article() -> None:
    ref = parse_reference(
        "Rumelhart, D. E., Hinton, G. E. & Williams, R. J. Learning representations by "
        "back-propagating errors. Nature 323, 533–536 (1986)."
    )
    item = ref.item
    assert [p.family for p in item.author] == ["Rumelhart", "Hinton", "Williams"]
    assert item.title == "Learning representations by back-propagating errors"
    assert item.container_title == "Nature"
    assert (item.volume, item.page, item.issued) == ("323", "533-536", Date(1986))


@needs_model
def test_harvard_book() -> None:
    item = parse_reference(
        "Giddens, A. (1984) The constitution of society: outline of the theory of "
        "structuration. Cambridge: Polity Press."
    ).item
    assert item.type == "book"
    assert item.title == "The constitution of society: outline of the theory of structuration"
    assert (item.publisher, item.publisher_place) == ("Polity Press", "Cambridge")


def test_rule_fallback_when_the_model_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crf, "MODEL_PATH", Path("/nonexistent/model.crfsuite"))
    ref = parse_reference("Bb, A. (2001). Title here. Journal, 1(2), 3-4.")
    assert ref.style == "authordate"
    assert ref.item.title == "Title here"


def test_seed_styles_stay_with_the_rule_parsers() -> None:
    for name, style in (
        ("hal-ovarian-cancer", "hal"),
        ("medsci-2014-microenvironment", "vancouver"),
    ):
        refs = parse_list((ROOT / "refs" / f"{name}.txt").read_text(encoding="utf-8"))
        assert {r.style for r in refs} == {style}


def test_training_code_is_not_imported_at_run_time() -> None:
    code = (
        "import sys; from refs.parse import parse_reference; import refs.resolve\n"
        "parse_reference('Keil, S. (2011). A title. J. Test, 1, 2-3.')\n"
        "assert not [m for m in sys.modules if m.startswith('refs.training')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --- bad input: never a crash, always a record with a diagnostic -------------------------------


def _check(text: str) -> None:
    item, diagnostics = parse_learned(text)
    complete = bool(item.author and item.title and item.issued)
    assert diagnostics or complete
    ref = parse_reference(text)
    assert ref.text == text
    assert ref.diagnostics or (ref.item.author and ref.item.title and ref.item.issued)


@settings(max_examples=150)
@given(st.text(max_size=400))
def test_random_unicode(text: str) -> None:
    _check(text)


@settings(max_examples=60)
@given(st.text(alphabet=st.sampled_from(".,;:()[]{}-–—?!\"'«»“”/\\&%$#@*+= \n"), max_size=300))
def test_only_punctuation(text: str) -> None:
    _check(text)
    assert parse_reference(text).diagnostics


@settings(max_examples=60)
@given(
    st.lists(
        st.sampled_from(
            [
                "<i>",
                "</i>",
                "<italic>",
                "</italic>",
                "<sup>2</sup>",
                "&amp;",
                "Smith",
                "J.",
                "(2001).",
                "Title",
                "of",
                "things.",
                "Nature",
                "12,",
                "1–9.",
            ]
        ),
        max_size=40,
    ).map(" ".join)
)
def test_markup_residue(text: str) -> None:
    _check(text)


@settings(max_examples=60)
@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x0590, max_codepoint=0x06FF)
        | st.sampled_from(" .,()0123456789"),
        max_size=300,
    )
)
def test_right_to_left_text(text: str) -> None:
    _check(text)


def test_nul_and_lone_surrogates() -> None:
    for text in ("Smith, J. (2001). Ti\x00tle. Nature 1, 2.", "Doe \ud800 (2001) x", "\udfff"):
        _check(text)


@settings(max_examples=60)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200))
def test_any_code_point(text: str) -> None:
    _check(text)


def test_very_long_strings() -> None:
    for text in ("Smith, J. (2001). " * 2000, "x" * 200_000, "a. " * 50_000, "1" * 100_000):
        _check(text)
    _, diagnostics = parse_learned("Smith, J. (2001). " * 2000)
    assert any("very long" in d for d in diagnostics) or not crf.available()


# --- the data split (needs ../shared) ----------------------------------------------------------


@needs_model
def test_held_out_split_matches_the_shipped_model(shared: Path) -> None:
    from refs.training import parser as train

    split_file = crf.MODEL_PATH.with_name("split.json")
    info = train.read_split(split_file)
    examples = train.load_examples(shared)
    train_part, heldout = train.split(examples, int(str(info["seed"])))
    assert [e.id for e in heldout] == info["heldout"]
    texts = {train.dedup_key(e.text) for e in train_part}
    assert not any(train.dedup_key(e.text) in texts for e in heldout)
    assert len(heldout) == round(0.1 * len(examples))


def test_convert_splits_anystyle_volume_and_trims_cues() -> None:
    from refs.training import parser as train

    text = "Doe, J. (2009). A title. Journal, vol. 3, no. 2, pp. 1-9."
    spans = [
        [0, 7, "author", "author"],
        [8, 15, "date", "date"],
        [16, 25, "title", "title"],
        [25, 34, "container-title", "journal"],
        [34, 49, "volume", "volume"],
        [49, 59, "pages", "pages"],
    ]
    example = train.convert("t:1", "anystyle-core", text, spans)
    assert [(f.label, text[f.start : f.end]) for f in example.gold] == [
        ("author", "Doe, J"),
        ("date", "2009"),
        ("title", "A title"),
        ("container-title", "Journal"),
        ("volume", "3"),
        ("issue", "2"),
        ("pages", "1-9"),
    ]
    assert [example.tokens[i].text for i, label in enumerate(example.labels) if label == OUTSIDE] == [
        ".", "(", ")", ".", ".", ",", "vol", ".", ",", "no", ".", ",", "pp", ".", "."
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("piece", "want"),
    [
        ("83, 1,", [("83", "volume"), ("1", "issue")]),
        ("38:6:", [("38", "volume"), ("6", "issue")]),
        ("n°68.", [("68", "issue")]),
        ("Tome 26, numéro 4,", [("26", "volume"), ("4", "issue")]),
        ("Vol. 41, No. 2, Part 1, Mai,", [("41", "volume"), ("2", "issue")]),
        ("23(1984)1,", [("23", "volume"), ("1984", "date"), ("1", "issue")]),
        ("Feb 2011;25(2):", [("2011", "date"), ("25", "volume"), ("2", "issue")]),
        ("<italic>29</italic>(10),", [("29", "volume"), ("10", "issue")]),
        ("Special Paper 307,", [("Special Paper 307,", "volume")]),  # not a shape it reads
        ("2 vols.", [("2 vols.", "volume")]),
    ],
)
def test_convert_reads_anystyle_volume_spans_number_by_number(
    piece: str, want: list[tuple[str, str]]
) -> None:
    from refs.training import parser as train

    got = train._split_volume(piece, 0, len(piece))
    assert [(piece[a:b], label) for a, b, label in got] == want


def test_lexicon_marks_known_fields_printed_as_fields() -> None:
    from refs.training import parser as train

    known = "Doe, J. (2009). A title. Preventing Chronic Disease, 3, 1-9."
    spans = [[0, 6, "author", "a"], [9, 13, "date", "d"], [16, 23, "title", "t"],
             [25, 51, "container-title", "j"], [53, 54, "volume", "v"], [56, 59, "pages", "p"]]  # fmt: skip
    lexicon = train.build_lexicon([train.convert("t:1", "grobid-train", known, spans)])
    assert lexicon == {"preventingchronicdisease": "c"}

    def marked(text: str) -> list[str]:
        tokens = tokenize(text)
        return [
            t.text
            for t, f in zip(tokens, featurize(tokens, Lexicon(lexicon)), strict=True)
            if "gz=c" in f
        ]

    assert marked("Roe, A. Other work. Preventing Chronic Disease 12(3), 4.") == [
        "Preventing", "Chronic", "Disease"
    ]  # fmt: skip
    # Inside a longer stretch of words it is not a field of its own.
    assert marked("Roe, A. On preventing chronic disease in mice. J Biol, 4.") == []
    assert "gz=c" not in str(featurize(tokenize("Preventing Chronic Disease.")))  # no lexicon


def test_lexicon_round_trips_through_its_file(tmp_path: Path) -> None:
    path = tmp_path / "m-lexicon.txt.gz"
    crf.write_lexicon(path, {"nature": "c", "cambridge": "lp"})
    first = path.read_bytes()
    assert crf.read_lexicon(path).codes == {"nature": "c", "cambridge": "lp"}
    crf.write_lexicon(path, {"cambridge": "lp", "nature": "c"})
    assert path.read_bytes() == first  # reproducible bytes
    assert not crf.read_lexicon(tmp_path / "missing.gz")


def test_corpus_agreement_scores_texts_both_projects_labelled(shared: Path) -> None:
    from refs.training import parser as train

    score = train.corpus_agreement(shared)
    assert score.references > 500  # ~630 texts are in both files
    assert 0.5 < score.macro_f1() < 1.0


def test_a_book_read_as_a_container_alone_is_the_title() -> None:
    from refs.parse.learned.crf import book_title

    book = ["author", "O", "container-title", "container-title", "O", "location", "O",
            "publisher", "O", "date"]  # fmt: skip
    assert book_title(book) == [("title" if x == "container-title" else x) for x in book]
    # A journal (volume, pages) or a chapter (a title before the book) keeps its container.
    journal = ["author", "O", "container-title", "O", "volume", "O", "pages"]
    chapter = ["author", "O", "title", "O", "container-title", "O", "publisher"]
    assert book_title(journal) == journal and book_title(chapter) == chapter
    # Without a publisher or place there is no sign of a book.
    assert book_title(["author", "container-title", "date"]) == [
        "author",
        "container-title",
        "date",
    ]


# Printed fields of the Chicago, MLA and German example lists, written with the lists.
EXPECTED_EXAMPLES = ROOT / "tests" / "data" / "expected" / "examples.jsonl"
EXAMPLE_FIELDS_FLOOR = 0.9  # share of printed fields read right (misses listed on failure)


def _key(value: object) -> str:
    return "".join(c for c in str(value).casefold() if c.isalnum())


@needs_model
def test_example_lists_in_other_styles_read_field_by_field() -> None:
    rows = [json.loads(line) for line in EXPECTED_EXAMPLES.read_text(encoding="utf-8").splitlines()]
    right, misses = 0, []
    for name in dict.fromkeys(row["list"] for row in rows):
        expected = [row for row in rows if row["list"] == name]
        refs = parse_list(EXAMPLES[name].read_text(encoding="utf-8"))
        assert len(refs) == len(expected), name
        for ref, row in zip(refs, expected, strict=True):
            item = ref.item
            got = {
                "family": item.author[0].family if item.author else None,
                "title": item.title,
                "container_title": item.container_title,
                "volume": item.volume,
                "issue": item.issue,
                "page": item.page,
                "year": item.issued.year if item.issued else None,
                "publisher": item.publisher,
            }
            for field, want in row.items():
                if field == "list" or want is None:
                    continue
                if _key(got[field]) == _key(want):
                    right += 1
                else:
                    misses.append(f"{name} {row['family']} {field}: {got[field]!r} ≠ {want!r}")
    total = right + len(misses)
    assert right / total >= EXAMPLE_FIELDS_FLOOR, misses


@needs_model
def test_an_issue_after_its_cue_read_as_a_second_volume_is_the_issue() -> None:
    from refs.parse.learned.crf import Field
    from refs.parse.learned.fields import _issue_read_as_volume

    text = "Die Naturwissenschaften 23 (1935), Nr. 48, S. 807–812."
    first, second = text.index("23"), text.index("48")
    volumes = [Field("volume", first, first + 2), Field("volume", second, second + 2)]
    assert _issue_read_as_volume(text, volumes) == "48"
    no_cue = "Die Naturwissenschaften 23 (1935), 48, S. 807–812."
    at = no_cue.index("48")
    assert _issue_read_as_volume(no_cue, [volumes[0], Field("volume", at, at + 2)]) is None
    assert _issue_read_as_volume(text, volumes[:1]) is None
