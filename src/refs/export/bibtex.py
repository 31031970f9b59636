"""`Reference`s → BibTeX, through bibtexparser v2's model and writer.

Text is escaped for LaTeX by hand, not by bibtexparser's encoding middleware:
that one rewrites `--` as `{\\textendash}` and non-ASCII as macros, and we want
UTF-8 and plain `--` page ranges. Words whose case carries meaning (DNA, IL-6,
mRNA, vitamin D) are braced so that sentence-case styles keep them.

UTF-8 is kept where pdfLaTeX's own UTF-8 input can typeset it (accented Latin
letters, quotes, dashes: what its T1 and TS1 font encodings declare), and so
XeLaTeX, LuaLaTeX and biber read it as it is. What pdfLaTeX cannot typeset but
has a LaTeX spelling for is written in that spelling, each in its own braces so
BibTeX's case changes leave it alone: Greek letters and math symbols as math
(`interferon-{$\\alpha$}2b`), super- and subscript characters with
\\textsuperscript / \\textsubscript; zero-width and direction marks are dropped.
U+FFFD, the mark of a character lost upstream, stays: a pdfLaTeX document that
cites such an entry says how to show it (`\\DeclareUnicodeCharacter{FFFD}{?}`),
and fixing the source is what the mark asks for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Block, Entry, Field, ImplicitComment
from bibtexparser.writer import BibtexFormat

from refs.export.keys import cite_keys
from refs.model import Date, Item, Person, Reference

__all__ = ["BIBTEX_TYPES", "to_bibtex"]

# CSL type → BibTeX entry type (the reader maps each of these back); else misc.
BIBTEX_TYPES: dict[str, str] = {
    "article-journal": "article",
    "article": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "thesis": "phdthesis",
    "report": "techreport",
    "manuscript": "unpublished",
    "pamphlet": "booklet",
    "webpage": "online",
    "dataset": "dataset",
    "software": "software",
}
_ARTICLES = frozenset({"article-journal", "article", "article-magazine", "article-newspaper"})
# Where BibTeX styles look for who published a thesis or a report.
_PUBLISHER_FIELD = {"thesis": "school", "report": "institution"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# LaTeX's markup characters.
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
}
# Characters pdfLaTeX's UTF-8 input cannot typeset with its standard fonts (T1, TS1:
# each was tried), and their LaTeX spelling. Greek capitals that look like Latin
# ones are those letters. ← → ↑ ↓, the ohm sign, ± × · µ ° ² are typeset: kept.
_GREEK_NAMES = (
    "alpha beta gamma delta varepsilon zeta eta theta iota kappa lambda mu nu xi pi rho"
    " varsigma sigma tau upsilon varphi chi psi omega vartheta phi varpi varrho epsilon"
    " Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
_GREEK = dict(zip("αβγδεζηθικλμνξπρςστυφχψωϑϕϖϱϵΓΔΘΛΞΠΣΥΦΨΩ", _GREEK_NAMES.split(" "), strict=True))
_MATH = {
    **{char: "\\" + name for char, name in _GREEK.items()},
    "\u2206": r"\Delta",  # increment
    "\u2212": "-",  # minus
    "\u2213": r"\mp",
    "\u2264": r"\leq",
    "\u2265": r"\geq",
    "\u2260": r"\neq",
    "\u2248": r"\approx",
    "\u2243": r"\simeq",
    "\u2245": r"\cong",
    "\u2261": r"\equiv",
    "\u223c": r"\sim",
    "\u221d": r"\propto",
    "\u226a": r"\ll",
    "\u226b": r"\gg",
    "\u221e": r"\infty",
    "\u221a": r"\surd",
    "\u2202": r"\partial",
    "\u2207": r"\nabla",
    "\u2208": r"\in",
    "\u2209": r"\notin",
    "\u2229": r"\cap",
    "\u222a": r"\cup",
    "\u2282": r"\subset",
    "\u2286": r"\subseteq",
    "\u2200": r"\forall",
    "\u2203": r"\exists",
    "\u2205": r"\emptyset",
    "\u2211": r"\sum",
    "\u220f": r"\prod",
    "\u222b": r"\int",
    "\u2217": r"\ast",
    "\u2218": r"\circ",
    "\u2219": r"\bullet",
    "\u22c5": r"\cdot",
    "\u2295": r"\oplus",
    "\u2297": r"\otimes",
    "\u2032": "'",  # prime
    "\u2033": "''",  # double prime
    "\u2113": r"\ell",
    "\u2194": r"\leftrightarrow",
    "\u21d0": r"\Leftarrow",
    "\u21d2": r"\Rightarrow",
    "\u21d4": r"\Leftrightarrow",
}
_SUPERSCRIPTS = dict(zip("⁰ⁱ⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ", "0i456789+-=()n", strict=True))
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", "0123456789+-=()", strict=True))
# Zero-width spaces and joiners, direction marks and embeddings, the byte-order mark.
_INVISIBLE = (
    "\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)
_LATEX_TEXT = str.maketrans(
    {
        **_LATEX_SPECIAL,
        **{char: "{$" + math + "$}" for char, math in _MATH.items()},
        **{
            char: "{" + latin + "}"
            for char, latin in zip("ΑΒΕΖΗΙΚΜΝΟΡΤΧ", "ABEZHIKMNOPTX", strict=True)
        },
        "ο": "o",  # omicron
        **{char: r"{\textsuperscript{" + sup + "}}" for char, sup in _SUPERSCRIPTS.items()},
        **{char: r"{\textsubscript{" + sub + "}}" for char, sub in _SUBSCRIPTS.items()},
        **dict.fromkeys(_INVISIBLE, ""),
    }
)
# A title word: leading punctuation, the word, trailing punctuation.
_WORD = re.compile(r"^([(\[\"'\u2018\u201c]*)(.*?)([)\]\"'\u2019\u201d.,:;!?]*)$")
_RANGE_DASH = re.compile(r"\s*(?:-+|[\u2010-\u2015\u2212])\s*")


def to_bibtex(refs: Sequence[Reference], notes: Sequence[Sequence[str]] | None = None) -> str:
    """A .bib text with one entry per reference, keyed by `cite_keys`.

    `notes[i]` are comment lines written above entry i (what a correction changed).
    """
    entries: list[Block] = []
    for i, (ref, key) in enumerate(zip(refs, cite_keys(refs), strict=True)):
        lines = notes[i] if notes else ()
        if lines:
            entries.append(ImplicitComment("\n".join(f"% {line}" for line in lines)))
        entries.append(Entry(BIBTEX_TYPES.get(ref.item.type, "misc"), key, _fields(ref.item)))
    fmt = BibtexFormat()  # type: ignore[no-untyped-call]  # its __init__ lacks "-> None"
    fmt.indent = "  "
    fmt.trailing_comma = True
    fmt.block_separator = "\n"
    return write_string(Library(entries), bibtex_format=fmt)


def _fields(item: Item) -> list[Field]:
    container = "journal" if item.type in _ARTICLES else "booktitle"
    values: list[tuple[str, str | None]] = [
        ("author", _names(item.author, item.et_al)),
        ("editor", _names(item.editor, et_al=False)),
        ("title", protect_title(item.title) if item.title else None),
        (container, _escaped(item.container_title)),
        ("shortjournal", _escaped(item.container_title_short)),
    ]
    fields = [Field(key, value) for key, value in values if value]
    fields.extend(_date_fields(item.issued))
    values = [
        ("volume", _escaped(item.volume)),
        ("number", _escaped(item.issue)),
        ("pages", bibtex_pages(item.page) if item.page else None),
        (_PUBLISHER_FIELD.get(item.type, "publisher"), _escaped(item.publisher)),
        ("address", _escaped(item.publisher_place)),
        ("edition", _escaped(item.edition)),
        ("doi", _identifier(item.DOI)),
        ("url", _identifier(item.URL)),
        ("pmid", _identifier(item.PMID)),
        ("pmcid", _identifier(item.PMCID)),
        ("isbn", _identifier(item.ISBN)),
        ("issn", _identifier(item.ISSN)),
        ("note", _escaped(item.note)),
        ("hal_id", _identifier(item.hal_id)),
    ]
    fields.extend(Field(key, value) for key, value in values if value)
    return fields


def _date_fields(issued: Date | None) -> list[Field]:
    if issued is None:
        return []
    fields = [Field("year", str(issued.year))]
    if issued.month:
        # `month = mar`: a macro every style knows, written unbraced.
        fields.append(Field("month", _MONTHS[issued.month - 1], enclosing="no-enclosing"))
        if issued.day:
            # Only BibLaTeX has a field for the day: its ISO `date`.
            iso = f"{issued.year:04d}-{issued.month:02d}-{issued.day:02d}"
            fields.append(Field("date", iso))
    return fields


def escape_latex(text: str) -> str:
    """Escape LaTeX's markup characters and spell out what pdfLaTeX cannot typeset.

    Other characters, non-ASCII included, are kept.
    """
    text = " ".join(text.split())
    if not _GREEK_WORD.search(text):
        return text.translate(_LATEX_TEXT)
    # Greek prose (`Η επίδραση`) stays UTF-8 for a Greek-aware setup; symbols as math.
    out, last = [], 0
    for word in _GREEK_WORD.finditer(text):
        out += [text[last : word.start()].translate(_LATEX_TEXT), word.group()]
        last = word.end()
    return "".join([*out, text[last:].translate(_LATEX_TEXT)])


# A Greek word, not a symbol: three letters or more, or one with an accent (tonos).
_GREEK_WORD = re.compile(
    r"[\u0370-\u03ff\u1f00-\u1fff]*[\u0386\u0388-\u038f\u0390\u03ac-\u03b0\u03ca-\u03ce\u1f00-\u1fff]"
    r"[\u0370-\u03ff\u1f00-\u1fff]*|[\u0370-\u03ff]{3,}"
)


def _escaped(text: str | None) -> str | None:
    return escape_latex(text) if text else None


def _identifier(value: str | None) -> str | None:
    # DOIs and URLs are written verbatim (`_` and `%` are literal there); only
    # braces, which would end the field, are dropped. The reader drops them too.
    return (value.replace("{", "").replace("}", "").strip() or None) if value else None


def bibtex_pages(page: str) -> str:
    """`12-34` / `12–34` → `12--34`; an article number is kept as is."""
    return escape_latex(_RANGE_DASH.sub("--", page))


def protect_title(title: str) -> str:
    """Escape a title and brace the words whose capitals must survive sentence case."""
    out: list[str] = []
    for position, token in enumerate(title.split()):
        match = _WORD.match(token)
        assert match is not None  # the pattern matches any token
        lead, word, trail = match.groups()
        core = escape_latex(word)
        if _keeps_case(word, first=position == 0):
            core = "{" + core + "}"
        out.append(escape_latex(lead) + core + escape_latex(trail))
    return " ".join(out)


def _keeps_case(word: str, *, first: bool) -> bool:
    """DNA, IL-6, CXCR4, mRNA, McDonald: a capital after the first letter.

    A lone capital (vitamin D, type I) is a symbol too, except a title's opening "A".
    """
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return False
    if any(c.isupper() for c in letters[1:]):
        return True
    return len(letters) == 1 and letters[0].isupper() and not first


def _names(people: Sequence[Person], et_al: bool) -> str | None:
    names = [_name(p) for p in people]
    if et_al:
        names.append("others")
    return " and ".join(names) or None


def _name(person: Person) -> str:
    """`Family, Given`, `von Family, Jr, Given`; an institution in its own braces."""
    family = " ".join(p for p in (person.particle, person.family) if p)
    if person.literal or not family:
        return "{" + _name_part(person.literal or person.given or "") + "}"
    parts = [family, person.suffix, person.given] if person.suffix else [family, person.given]
    return ", ".join(_name_part(p or "") for p in parts).rstrip(", ")


def _name_part(text: str) -> str:
    # A comma or a lone "and" inside a part would split the name: brace the part.
    escaped = escape_latex(text)
    if "," in text or re.search(r"\band\b", text, re.IGNORECASE):
        return "{" + escaped + "}"
    return escaped
