"""The trained tagger: reference string → labelled tokens → fields (runs of one label).

The model (`model.crfsuite`, package data, trained by `refs.training.parser`) is opened
once, on first use. Tagging gives one label per token; runs of one label, cut to their
core (`core_span`: no edge punctuation, markup or cue words), are the fields. This span
convention is the one the training converts the labelled data to (`refs.training.parser`
imports it from here). `refs.parse.learned.fields` builds the `Item` from the fields.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from refs.parse.learned.features import Lexicon, featurize
from refs.parse.learned.tokens import Token, tokenize

__all__ = [
    "LABELS",
    "MODEL_PATH",
    "OUTSIDE",
    "Field",
    "available",
    "book_title",
    "core_span",
    "fields_of",
    "tag",
]

LABELS: tuple[str, ...] = (
    "author", "editor", "title", "container-title", "volume", "issue", "pages", "date",
    "publisher", "location", "edition", "doi", "url", "note", "other",
)  # fmt: skip
OUTSIDE = "O"  # separators between fields
MODEL_PATH = Path(__file__).with_name("model.crfsuite")


def lexicon_path(model: Path) -> Path:
    return model.with_name(model.stem + "-lexicon.txt.gz")


# Known journal, publisher and place names from the training data (features.Lexicon), one
# `codes<TAB>key` per line, gzipped; written by the training beside the model.
LEXICON_PATH = lexicon_path(MODEL_PATH)
MAX_TOKENS = 400  # longer strings are tagged on their first MAX_TOKENS tokens


class Field(NamedTuple):
    """A run of tokens with one label: the label and its character offsets."""

    label: str
    start: int
    end: int


class Tagged(NamedTuple):
    tokens: list[Token]
    labels: list[str]
    probability: float


_lock = threading.Lock()  # a crfsuite Tagger holds its sequence: one caller at a time


@cache
def _tagger() -> Any:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_PATH))
    return tagger


@cache
def _lexicon() -> Lexicon:
    return read_lexicon(LEXICON_PATH)


def read_lexicon(path: Path) -> Lexicon:
    """The lexicon written by `write_lexicon`; empty when the file is missing."""
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except FileNotFoundError:
        return Lexicon({})
    pairs = (line.partition("\t") for line in text.splitlines())
    return Lexicon({key: codes for codes, _, key in pairs})


def write_lexicon(path: Path, codes: Mapping[str, str]) -> None:
    """Sorted lines, gzip without a timestamp: the same training gives the same bytes."""
    lines = "".join(f"{codes[key]}\t{key}\n" for key in sorted(codes))
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(lines.encode("utf-8"), compresslevel=9, mtime=0))
    tmp.replace(path)


def available() -> bool:
    """Whether the model file and python-crfsuite are there."""
    if not MODEL_PATH.is_file():
        return False
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        return False
    return True


def model_info(path: Path = MODEL_PATH) -> str:
    """Labels and feature counts of a model file (for the training log and the benchmark)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    try:
        info = tagger.info()
        return f"{len(info.labels)} labels, {len(info.state_features):,} state features"
    finally:
        tagger.close()


def tag(text: str) -> Tagged:
    """Tokens of `text`, a label for each, and the probability of the tagger's labelling
    (before `book_title` renames a run, which the tagger did not weigh)."""
    if not text.isprintable():  # lone surrogates cannot reach crfsuite (UTF-8); NULs end C strings
        text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "?")
    tokens = tokenize(text)[:MAX_TOKENS]
    if not tokens:
        return Tagged([], [], 1.0)
    xseq = featurize(tokens, _lexicon())
    tagger = _tagger()
    with _lock:
        labels: list[str] = tagger.tag(xseq)
        probability: float = tagger.probability(labels)
    return Tagged(tokens, book_title(labels), probability)


_BOOK_SIGNS = frozenset({"publisher", "location"})
_SERIAL_SIGNS = frozenset({"volume", "issue", "pages", "title"})


def book_title(labels: list[str]) -> list[str]:
    """A book read as a container with no title (`Land Degradation and Society. London:
    Metheun, 1987.`): its first container run is the title.

    A container-title is the book or journal a part of it appears in; a reference with a
    publisher or place and no title, volume, issue or pages cites the book itself. The
    tagger's local features cannot see that nothing before or after is a title.
    """
    seen = set(labels)
    if "container-title" not in seen or not seen & _BOOK_SIGNS or seen & _SERIAL_SIGNS:
        return labels
    out = list(labels)
    i = out.index("container-title")
    while i < len(out) and out[i] == "container-title":
        out[i] = "title"
        i += 1
    return out


# Cue words left outside a field, at its start (LEAD) or end (TRAIL), lower-cased.
LEAD: dict[str, frozenset[str]] = {
    "editor": frozenset({"in", "ed", "eds", "edited", "by", "hrsg", "hg", "éd", "éds", "dir",
                         "coord", "par", "herausgegeben", "edd", "hrg", "hgg", "hrsgg"}),
    "container-title": frozenset({"in", "dans", "en", "im"}),
    "pages": frozenset({"pp", "p", "pages", "page", "pg", "s", "seiten", "с", "стр", "pág",
                        "págs", "ss"}),
    "volume": frozenset({"vol", "vols", "volume", "v", "t", "tome", "bd", "band", "jg", "т"}),
    "issue": frozenset({"no", "nos", "n", "nr", "num", "number", "issue", "heft", "h", "fasc",
                        "№"}),
    "doi": frozenset({"doi"}),
    "url": frozenset({"url", "available", "at", "from", "online", "retrieved", "retirado",
                      "recuperado", "de", "disponible", "sur", "en", "unter", "internet", "web"}),
}  # fmt: skip
TRAIL: dict[str, frozenset[str]] = {
    "editor": frozenset({"ed", "eds", "hrsg", "hg", "éd", "éds", "dir", "coord", "editor",
                         "editors", "par", "edd", "hrg", "hgg", "hrsgg"}),
    "pages": frozenset({"pp", "p", "s", "pages", "seiten", "с", "ss"}),
}  # fmt: skip


def is_edge(token: Token) -> bool:
    """Punctuation or a markup tag (a URL or DOI starts with a letter or digit)."""
    return not token.text[0].isalnum()


def _cue(token: Token, words: frozenset[str]) -> bool:  # words: LEAD or TRAIL of a label
    low = token.text.lower()
    return low in words or (low.endswith("doi.org/") and "doi" in words)


def core_span(tokens: Sequence[Token], i: int, j: int, label: str) -> tuple[int, int]:
    """The tokens [i, j) of one field without edge punctuation, markup and cue words."""
    lead, trail = LEAD.get(label), TRAIL.get(label)

    def has_word(a: int, b: int) -> bool:
        return any(t.text[0].isalnum() for t in tokens[a:b])

    changed = True
    while changed and i < j:
        changed = False
        while i < j and not tokens[i].text[0].isalnum():
            i, changed = i + 1, True
        while i < j and not tokens[j - 1].text[0].isalnum():
            j, changed = j - 1, True
        if lead and i < j and _cue(tokens[i], lead) and has_word(i + 1, j):
            i, changed = i + 1, True
        if trail and i < j and _cue(tokens[j - 1], trail) and has_word(i, j - 1):
            j, changed = j - 1, True
    return i, j


def fields_of(tokens: Sequence[Token], labels: Sequence[str]) -> list[Field]:
    """Runs of one label, each cut to its core (`core_span`); runs with no word are dropped."""
    out: list[Field] = []
    i, n = 0, len(tokens)
    while i < n:
        label = labels[i]
        j = i + 1
        while j < n and labels[j] == label:
            j += 1
        if label != OUTSIDE:
            a, b = core_span(tokens, i, j, label)
            if a < b:
                out.append(Field(label, tokens[a].start, tokens[b - 1].end))
        i = j
    return out
