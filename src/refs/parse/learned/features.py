"""Token features for the CRF, one function shared by training and inference.

`featurize(tokens)` turns a tokenised reference into one list of feature strings per
token: what the token is (lower-cased word, shape, case, digits, punctuation, kind),
which small word lists it is in (given names, months, journal words and abbreviations,
publisher and place words, cue words such as `pp`, `vol`, `eds`; data files in `words/`,
read on first use), whether it lies in a stretch printed exactly like a journal,
publisher or place name of the training data (the `Lexicon` the training writes beside
the model), where it stands (relative position, the punctuation around it, inside
brackets or quotes, sentence index × after a year × after `In`, sentences still to come,
a number ahead in its sentence, an editor cue just ahead or behind), and the same for its
neighbours. Every feature string costs tagging time, so there are no redundant ones; the
features of a word alone are cached, so tagging costs little more than the CRF itself.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType

from refs.parse.learned.tokens import Token

__all__ = ["FEATURES_VERSION", "LEXICON_LABELS", "Lexicon", "featurize", "lexicon_key"]

# Bump when the features change: a model is only valid with the features it was trained on.
FEATURES_VERSION = 5

# A lexicon of whole fields seen in the training data: folded text → the labels it had
# there (a subset of LEXICON_LABELS). Journal, publisher and place names recur across
# references, so a stretch printed exactly like a known journal is most likely a journal:
# this is what tells `Preventing Chronic Disease` (a journal) from the end of a title.
LEXICON_LABELS = {"container-title": "c", "publisher": "p", "location": "l"}
LEXICON_MAX_TOKENS = 16  # the longest stretch looked up (tokens)
LEXICON_MIN_KEY = 4  # shorter keys (`In`, `pp`) say nothing


class Lexicon:
    """Known fields (folded text → label codes), and what makes looking them up cheap: the
    first LEXICON_MIN_KEY characters of every key and the longest key, so a stretch that
    cannot become a key is given up early."""

    __slots__ = ("codes", "heads", "longest")

    def __init__(self, codes: Mapping[str, str]) -> None:
        self.codes = {k: v for k, v in codes.items() if len(k) >= LEXICON_MIN_KEY and v}
        self.heads = frozenset(k[:LEXICON_MIN_KEY] for k in self.codes)
        self.longest = max(map(len, self.codes), default=0)

    def __len__(self) -> int:
        return len(self.codes)


# --- the word lists (words/*.txt) --------------------------------------------------------------

WORDS = Path(__file__).with_name("words")
# Each list and the feature a token in it gets, in the order the features are added.
_LISTS = (
    ("given", "given"),
    ("months", "month"),
    ("journal", "jour"),
    ("publisher", "pub"),
    ("place", "place"),
)


def _entries(name: str) -> list[str]:
    """The entries of `words/<name>.txt`, in file order: one a line; blank and `#` lines skipped."""
    text = (WORDS / f"{name}.txt").read_text(encoding="utf-8")
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


@cache
def word_lists() -> tuple[tuple[str, frozenset[str]], ...]:
    """(feature, words) for each list: given names, months, journal, publisher and place words.

    Read on first use, once."""
    return tuple((feature, frozenset(_entries(name))) for name, feature in _LISTS)


@cache
def cue_words() -> Mapping[str, str]:
    """Cue word → the class its feature is named after (`pp` → `page`), from `words/cues.txt`.

    Read on first use, once."""
    cues: dict[str, str] = {}
    for entry in _entries("cues"):
        word, cls = entry.split()
        cues[word] = cls
    return MappingProxyType(cues)


_ROMAN = re.compile(
    r"^(?=[ivxlcdm]+$)m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$"
)
_YEAR = re.compile(r"^(?:1[5-9]\d\d|20[0-3]\d)[a-z]?$")
_OPEN = frozenset("([{")
_CLOSE = frozenset(")]}")
_QUOTES_OPEN = frozenset("“«‘„")
_QUOTES_CLOSE = frozenset("”»’")
_SENTENCE_END = frozenset(".?!")


def _shape(word: str) -> str:
    out: list[str] = []
    for ch in word[:12]:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "a"  # letters without case: CJK, Arabic, Hebrew…
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


@lru_cache(maxsize=1 << 16)
def _word(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the token's own features, the short ones its neighbours see), for one token text."""
    low = word.lower()
    first = word[0]
    if "doi.org/" in low and low.endswith("/"):
        kind = "resolver"
    elif "://" in low or low.startswith("www."):
        kind = "url"
    elif low.startswith("10.") and "/" in low:
        kind = "doi"
    elif first == "<" and word.endswith(">") and len(word) > 2:
        kind = "tag"
    elif first.isalnum():
        kind = "word"
    else:
        kind = "punct"
    shape = _shape(word)
    # The kind is said only where it is not implied (a word has a shape, punctuation is itself).
    feats: list[str] = [] if kind in ("word", "punct") else [f"k={kind}"]
    short: list[str] = list(feats)
    if kind == "word":
        w = low[:20]
        feats += [f"w={w}", f"sh={shape}"]
        short += [f"w={w}", f"sh={shape}"]
        n = len(word)
        feats.append(f"len={min(n, 6)}")
        if n > 3:
            feats.append(f"s3={low[-3:]}")
        if word.isdigit():
            feats.append(f"dig={min(n, 5)}")
            if _YEAR.match(low):
                feats.append("year")
                short.append("year")
        elif _YEAR.match(low):
            feats.append("year")
            short.append("year")
        elif any(c.isdigit() for c in word):
            feats.append("alnum")
        if word.isupper() and n > 1:
            feats.append("upper")
        elif first.isupper():
            feats.append("cap")
        elif word.islower():
            feats.append("lower")
        if n == 1 and first.isupper():
            feats.append("init")
            short.append("init")
        if _ROMAN.match(low) and n <= 6:
            feats.append("roman")
        for name, lexicon in word_lists():
            if low in lexicon:
                feats.append(name)
                short.append(name)
        cue = cue_words().get(low)
        if cue is not None:
            feats.append(f"cue={cue}")
            short.append(f"cue={cue}")
        if not word.isascii():
            feats.append("nonascii")
    elif kind == "punct":
        feats.append(f"w={word}")
        short.append(f"w={word}")
        cue = cue_words().get(word)
        if cue is not None:
            feats.append(f"cue={cue}")
    return tuple(feats), tuple(short)


@lru_cache(maxsize=1 << 16)
def _context(word: str) -> tuple[tuple[str, ...], ...]:
    """The short features of `word` as its neighbours see it: from 2 after, 1 after, 1 before, 2 before.

    Index 0 is for the token two places after `word` (`-2:` features), 1 for the next
    token (`-1:`), 2 for the previous token (`+1:`), 3 for the one two places before (`+2:`).
    """
    short = _word(word)[1]
    return tuple(tuple(f"{offset}:{f}" for f in short) for offset in ("-2", "-1", "+1", "+2"))


@lru_cache(maxsize=1 << 16)
def _bigram(first: str, second: str) -> tuple[str, str]:
    """The bigram feature of two neighbouring tokens as the second sees it, and as the first."""
    pair = f"{_bigram_key(first)}|{_bigram_key(second)}"
    return "bg-=" + pair, "bg+=" + pair


@lru_cache(maxsize=1024)
def _chunk(left: str, right: str) -> tuple[str]:
    return (f"lrp={left}{right}",)


@lru_cache(maxsize=1 << 16)
def _bigram_key(word: str) -> str:
    low = word.lower()
    if low.isdigit():
        return "Y" if _YEAR.match(low) else f"D{min(len(low), 4)}"
    return low[:15]


_IN_WORDS = frozenset({"in", "dans", "im"})


@lru_cache(maxsize=64)
def _gz(codes: str) -> tuple[str, ...]:
    return tuple(f"gz={c}" for c in sorted(set(codes)))


_ORDINAL = re.compile(
    r"^(?:\d+(?:st|nd|rd|th|e|er|ème|ª|a)?|first|second|third|fourth|fifth|sixth|seventh|"
    r"eighth|ninth|tenth|rev|revised|new|expanded|enlarged|updated|international)$",
    re.IGNORECASE,
)
_ED_AHEAD = 25  # tokens
_ED_BEHIND = 8
_AND_WORDS = frozenset({"and", "und", "et", "y", "e", "i", "и"})
_REST = ("rs=0", "rs=1", "rs=2", "rs=3")
_POS = tuple(f"pos={k}" for k in range(10))


@lru_cache(maxsize=512)
def _state(
    sentence: int,
    paren: bool,
    quoted: bool,
    year: bool,
    and_: bool,
    in_: bool,
    close: bool,
) -> tuple[str, ...]:
    """The features of where a token stands (the state `featurize` carries along the string)."""
    # Sentence index × after the year × after `In`, in one feature (`st=1yi`).
    out = [f"st={sentence}{'y' if year else ''}{'i' if in_ else ''}"]
    if paren:
        out.append("paren")
    if quoted:
        out.append("quoted")
    if and_:
        out.append("afterand")
    if close:
        out.append("afterquote")
    return tuple(out)


_END = ("e0", "e1", "e2", "e3", "e4", "e5", "e5", "e5", "e8", "e8", "e8")


@lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    if word[0] == "<":
        return ""  # markup residue is not part of a name
    return "".join(c for c in word.casefold() if c.isalnum())


def lexicon_key(words: Sequence[str]) -> str:
    """A stretch of tokens as the lexicon keys it: letters and digits only, case-folded."""
    return "".join(_fold(w) for w in words)


def _lexicon_hits(words: Sequence[str], punct: Sequence[bool], lexicon: Lexicon) -> list[str]:
    """For each token, the lexicon codes of the known fields it lies in (`gz=c`, …).

    A stretch counts only when it is printed as a field would be: it starts at the
    beginning, after punctuation, a number or `In`, and ends at the end, before punctuation
    or before a number (`Journal of X 12(3)`).
    """
    n = len(words)
    out = [""] * n
    folds = [_fold(w) for w in words]
    codes, heads, longest = lexicon.codes, lexicon.heads, lexicon.longest
    # Where a field may end: before punctuation, a number or the end.
    ends = [punct[k + 1] or words[k + 1].isdigit() for k in range(n - 1)] + [True]
    after = True  # whether a field may start here (the start, after punctuation, a number, `In`)
    for i in range(n):
        word, may_start = words[i], after
        after = punct[i] or word.isdigit() or word.lower() in _IN_WORDS
        if punct[i] or not may_start:
            continue
        key = folds[i]
        if len(key) >= LEXICON_MIN_KEY and key[:LEXICON_MIN_KEY] not in heads:
            continue  # the common case: no known field starts with this word
        for j in range(i, min(n, i + LEXICON_MAX_TOKENS)):
            if j > i:
                key += folds[j]
                if len(key) > longest:
                    break
            if len(key) < LEXICON_MIN_KEY:
                continue
            if key[:LEXICON_MIN_KEY] not in heads:
                break
            if ends[j] and not punct[j] and (found := codes.get(key)):
                for k in range(i, j + 1):
                    out[k] += found
    return out


def featurize(tokens: Sequence[Token], lexicon: Lexicon | None = None) -> list[list[str]]:
    """One list of feature strings per token (the CRF's input); `lexicon`: known fields."""
    n = len(tokens)
    if n == 0:
        return []
    words = [t.text for t in tokens]
    glob = ("b",)  # a bias per label
    contexts = [_context(w) for w in words]
    words_feats = [_word(w)[0] for w in words]
    bigrams = [_bigram(a, b) for a, b in itertools.pairwise(words)]
    punct = [not w[0].isalnum() for w in words]
    # The nearest punctuation before and after each token (chunk boundaries).
    left: list[str] = []
    last = "^"
    for i, word in enumerate(words):
        left.append(last)
        if punct[i]:
            last = word if len(word) == 1 else "<>"
    right: list[str] = [""] * n
    last = "$"
    for i in range(n - 1, -1, -1):
        right[i] = last
        if punct[i]:
            last = words[i] if len(words[i]) == 1 else "<>"
    chunk = [_chunk(a, b) for a, b in zip(left, right, strict=True)]
    hits = _lexicon_hits(words, punct, lexicon) if lexicon else None
    # An editor cue (`eds`, `(Hrsg.)`, `edited`) ahead in the same stretch (no year, quote or
    # `In` between) or a few tokens behind: names before `(Eds.)` or after `edited by` are
    # editors, not authors.
    ed_ahead = [False] * n
    ed_behind = [False] * n
    cues = cue_words()
    for k, word in enumerate(words):
        if cues.get(word.lower()) != "edit":
            continue
        if k and _ORDINAL.match(words[k - 1]):
            continue  # `2nd ed.`, `rev. ed.`: an edition, not editors
        for m in range(k - 1, max(-1, k - 1 - _ED_AHEAD), -1):
            w = words[m]
            if _YEAR.match(w) or w in _QUOTES_OPEN or w in _QUOTES_CLOSE or w == '"':
                break
            ed_ahead[m] = True
            if w.lower() in _IN_WORDS:
                break
        for m in range(k + 1, min(n, k + 1 + _ED_BEHIND)):
            ed_behind[m] = True
    # Sentences still to come (`rs=`), and whether a number (not a year) is ahead in this
    # sentence (`num>`): the sentence before `, 33(1), 135–146.` is a journal, not a title.
    rest = [""] * n
    num_ahead = [False] * n
    remaining = 0
    number = False
    for i in range(n - 1, -1, -1):
        word = words[i]
        if punct[i]:
            if word in _SENTENCE_END and i > 0 and len(words[i - 1]) > 2:
                remaining += 1
                number = False
        elif word.isdigit() and not _YEAR.match(word):
            number = True
        rest[i] = _REST[min(remaining, 3)]
        num_ahead[i] = number
    out: list[list[str]] = []
    depth = 0
    quoted = False
    seen_year = False
    seen_and = False  # `&`, `and`, `et`… before any year or sentence end: a name list's last name
    seen_in = False  # `In`, `in:`, `dans` after punctuation: a container follows
    seen_close = False  # a closing quote: a quoted title is over
    sentence = 0
    for i, word in enumerate(words):
        feats = [*glob, *words_feats[i], _POS[10 * i // n], *chunk[i]]
        feats += _state(
            min(sentence, 5), depth > 0, quoted, seen_year, seen_and, seen_in, seen_close
        )
        back = n - 1 - i
        if back <= 10:
            feats.append(_END[back])
        if i == 0:
            feats.append("first")
        elif tokens[i - 1].end == tokens[i].start:
            feats.append("glued")
        feats.append(rest[i])
        if num_ahead[i]:
            feats.append("num>")
        if ed_ahead[i]:
            feats.append("ed>")
        if ed_behind[i]:
            feats.append("ed<")
        if hits and hits[i]:
            feats += _gz(hits[i])
        if i >= 2:
            feats += contexts[i - 2][0]
        if i >= 1:
            feats += contexts[i - 1][1]
            feats.append(bigrams[i - 1][0])  # the bigram ending at token i
        if i + 1 < n:
            feats += contexts[i + 1][2]
            feats.append(bigrams[i][1])  # the bigram starting at token i
        if i + 2 < n:
            feats += contexts[i + 2][3]
        out.append(feats)
        # The state the next token sees.
        if punct[i]:
            if word in _OPEN:
                depth += 1
            elif word in _CLOSE and depth:
                depth -= 1
            elif word in _QUOTES_OPEN:
                quoted = True
            elif word in _QUOTES_CLOSE or (word == '"' and quoted):
                quoted = False
                seen_close = True
            elif word == '"':
                quoted = True
            elif word in _SENTENCE_END and i > 0 and len(words[i - 1]) > 2:
                sentence += 1
            elif word == "&" and not seen_year and not sentence:
                seen_and = True
        elif (
            not seen_in
            and word.lower() in _IN_WORDS
            and (i == 0 or punct[i - 1] or (i + 1 < n and words[i + 1] == ":"))
        ):
            seen_in = True
        elif not seen_year and _YEAR.match(word):
            seen_year = True
        elif not seen_and and not seen_year and not sentence and word in _AND_WORDS:
            seen_and = True
    return out
