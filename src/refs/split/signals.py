"""Line-level signals: does a line look like the start of a reference, does one end on it.

Each signal is a cheap regex over one stripped line; `lines.py` weighs them. Names are
matched with Unicode letter classes (built once below), so `Müller-Lüdenscheidt, H.`,
`O'Brien, K.`, `van der Berg, A.` and Cyrillic surnames count as authors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from refs.ids import DOI_IN_PROSE


def _char_class(keep: Callable[[str], bool]) -> str:
    """The letters below U+2000 that `keep` accepts, as regex class ranges."""
    chars = [chr(c) for c in range(0x41, 0x2000) if keep(chr(c))]
    ranges: list[str] = []
    first = prev = chars[0]
    for ch in [*chars[1:], ""]:
        if ch and ord(ch) == ord(prev) + 1:
            prev = ch
            continue
        ranges.append(first if first == prev else f"{first}-{prev}")
        first = prev = ch
    return "".join(ranges)


UP = _char_class(str.isupper)
LO = _char_class(str.islower)

# A surname: `Smith`, `LeCun`, `McDonald`, `O'Brien`, `D’Amico`, `Lévi-Strauss`, or in
# capitals (`HAREL-BIRAUD`), after optional particles (`van der`, `de la`, `d'`).
_NAME = rf"[{UP}](?:[{LO}]+(?:[{UP}][{LO}]+)?|[{LO}]*['’][{UP}]?[{LO}]+)(?:-[{UP}]?[{LO}]+)*"
_CAPS = rf"(?:[{UP}]['’])?[{UP}]{{2,}}(?:[-'’][{UP}]{{2,}})*"  # `O’KEEFFE`
_PARTICLE = (
    r"(?:(?:[Vv][ao]n|[Dd](?:e|er|en|el|ella|i|a|u|os|as)|[Ll][ae]|[Tt]e[nr]|[Zz]u|St\.?)\s+)*"
    r"(?:[dDlL]['’])?"
)
_PARTICLE_NAME = re.compile(rf"^{_PARTICLE}(?=[{UP}])")
_SURNAME = (
    rf"{_PARTICLE}(?:{_NAME}|{_CAPS})"
    rf"(?:\s+(?:(?:d[aeiou]|de[lns]|della|dos|das|van|von|der|la|le|y)\s+)+{_NAME})?"
)  # `Mendes da Costa`, `García de la Torre`
# A Han character, kana or Hangul: scripts without case.
_CJK = r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
# A word of an organisation's name, and its acronym in brackets (`(EPA)`, `(DoD)`).
_ORG_WORD = (
    rf"(?:[{UP}][\w’'&.-]*|of|for|and|the|on|de|du|des|la|le|da|do|e|et|y|für|und|der|di|del)"
)
_ACRONYM = rf"\([{UP}][{UP}{LO}&.]*[{UP}]\)"
# Initials: `J.`, `J. K.`, `J.-P.`, `A.P.`, `Ch.`
_INITIALS = rf"[{UP}][{LO}]?\.(?:\s?-?\s?[{UP}][{LO}]?\.)*"
_YEAR = r"(?:1[6-9]|20)\d\d[a-z]?\b"

# Capitalised words that start continuation lines, never authors (`In J. Smith (Ed.)`).
_NOT_NAME = re.compile(
    r"(?!(?:In|The|On|Of|And|For|From|With|To|At|By|An?|Retrieved|Available|Accessed|Paper"
    r"|Vol|Proc|Proceedings|Journal|Editor|Edited|Ed|Eds|Press|See|Part|Chapter|Pages?)"
    r"(?=[\s:,]|$))"
)
# Publishers and places open many continuation lines (`Springer-Verlag, Berlin.`,
# `McGraw-Hill, New York`); the weaker patterns below do not count them as names.
_PUBLISHER_OR_PLACE = re.compile(
    r"(?:Springer(?:-Verlag)?|Elsevier|Wiley|McGraw-Hill|Routledge|Sage|Pergamon|Academic"
    r"|Blackwell|Kluwer|Macmillan|Penguin|Oxford|Cambridge|London|Berlin|Heidelberg|Paris"
    r"|Boston|Chicago|Amsterdam|Basel|Leipzig|Princeton|Tokyo|Washington|Philadelphia"
    r"|Abingdon|Glencoe|Newburyport|Louisville|Shanghai|Beijing|New|Los|San|Upper|Thousand"
    r"|Hoboken|Dordrecht|Stuttgart|Munich|München|Wien|Vienna|Zürich|Geneva|Genève|Madrid"
    r"|Rome|Roma|Milan|Milano|Toronto|Montreal|Sydney|Melbourne|Delhi|ACM|IEEE)\b[\s,.:]"
    r"|\w+,\s+(?:New|Berlin|Heidelberg|London|Oxford|Cambridge|Boston|Paris|Mass|Ill|Oxon)\b"
)

_SERIAL = r"(?:Journal|Review|Bulletin|Proceedings|Transactions|Annals|Letters|Reports?)\b"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b"
)

# (pattern, score, needles): the first pattern that matches gives the line's author score;
# a pattern with needles is tried only on a line holding one of them near its start.
_Pattern = tuple[re.Pattern[str], float, tuple[str, ...]]


# Patterns are kept as text here and compiled on first use (`_patterns`): with the Unicode
# letter classes they take ~0.3 s to compile, which every command paid on import.
_Entry = tuple[str, float, tuple[str, ...]]
_STRONG: list[_Entry] = [
    # `———.` / `--.`: same author as the previous reference (Chicago, MLA).
    (r"^(?:[—―]+|[-–]{2,}|_{2,})\s*[.,]", 4.0, ()),
    # `Hanahan, D., & …`, `Smith, J. A. (2001)`, `Dempster, A.P.,`
    (rf"^{_SURNAME}\s*,\s*{_INITIALS}(?=[\s,;:(]|$)", 3.0, ()),
    # `R. Siegel, D. …`, `J. Smith and …`, `A. DEHNEL, J. P. FINET et`
    (rf"^{_INITIALS}\s*{_SURNAME}(?=\s*,|\s+(?:and|&|et|und)\s)", 3.0, ()),
    # Vancouver with a second author or et al.: `Fridman R, Giaccone G`, `Park CC, et al.`,
    # `JEANNOT G., GUILLEMOT D.`
    (
        (
            rf"^{_SURNAME}\s+(?:[{UP}]{{1,3}}\b|{_INITIALS})\s*,\s*"
            rf"(?:{_SURNAME}\s+(?:[{UP}]{{1,3}}\b|{_INITIALS})|et al)"
        ),
        3.0,
        (),
    ),
    # Vancouver without commas: `Zhu L Chen C Shi WJ`
    (rf"^{_SURNAME}\s+[{UP}]{{1,3}}\s+{_SURNAME}\s+[{UP}]{{1,3}}\b", 3.0, ()),
    # Names in Chinese, Japanese or Korean, several (`김영상, 김영익,`, `周向永.趙俊偉.`) or one
    # before the year (`田尻義了, 2003,`): 2–4 characters each. (On the bench's strings
    # wrapped: 222 first lines, no wrapped line.)
    (rf"^{_CJK}{{2,3}}(?:\s?[,.、·]\s?{_CJK}{{2,3}})+(?=[\s,.(、·]|$)", 2.5, ()),
    (rf"^{_CJK}{{2,4}}\s?[,.]?\s?\(?{_YEAR}", 2.5, ()),
    # `Millar, et al.,`, `Devic et al.`, `Kuti I et al 2014`, `Bereni et alii`: a wrapped
    # line almost never starts with a lone surname before `et al`.
    (rf"^{_SURNAME}(?:\s+[{UP}]{{1,3}})?,?\s+et\s+al(?:ii\b|\.|\b)", 3.0, ("et al",)),
    # Initials in brackets (French): `Richard (H.), Gauthier (E.)`, `Niaux (R.),`
    (rf"^{_SURNAME}\s+\({_INITIALS}\)", 3.0, ("(",)),
    # A corporate author's acronym, then the year: `Department of Defense, United States
    # (DoD). 2011.`, `National Research Council (NRC), 2010,`
    (rf"^(?:{_ORG_WORD}[\s,]+){{1,8}}{_ACRONYM}[.,:]?\s+\(?{_YEAR}", 2.5, ("(",)),
]
_WEAK: list[_Entry] = [
    # `BARNAUD Nicolas,`, `HAREL-BIRAUD, Hélène.` (not `EFSA Journal,`)
    (rf"^{_CAPS},?\s+(?!{_SERIAL}){_NAME}(?:[-\s]{_NAME})?\s*[,.]", 2.5, ()),
    # `Morrison, Toni.`, `Cage, John, and …`, `Gabilliet, Jean-Paul (2010)`,
    # `MacKenzie, David N. 1975.`, `Hull, Matthew S. “Documents …”` (MLA, Chicago)
    (
        (
            rf"^{_SURNAME},\s+(?!{_MONTH}){_NAME}(?:\s+{_INITIALS}(?=\s|,|$)|(?:\s+{_NAME})?"
            rf"(?=[,.;]|\s+(?:and|&|\(|\(?{_YEAR})|\s+(?:und|et|y|e)\s))"
        ),  # … `Kegler, Ulrike;`, `Alkier, Stefan und …`
        2.5,
        (),
    ),
    # Vancouver, one author or no comma after: `Tang J.`, `Smith AB:`, `Gurarie V 2013`
    # (not a journal's year, `EMBO J 1997; 16:`)
    (
        (rf"^{_SURNAME}\s+[{UP}]{{1,3}}(?=[,.:;]|\s+(?:and|&)\s|\s+\(?{_YEAR}\)?(?!\s*;))"),
        2.0,
        (),
    ),
    # `SENNETT. Le travail`, `UNESCO, 2001`, `AMERICAN PSYCHIATRIC ASSOCIATION. DSM`
    (rf"^{_CAPS}(?:[\s-]+(?:{_CAPS}|DE|LA|DU|DES|ET|OF|AND|FOR|THE))*[.,]\s", 1.5, ()),
    # A corporate author's acronym: `ARS Ile de France (ARS). Renforcer …`
    (rf"^(?:{_ORG_WORD}[\s,]+){{1,8}}{_ACRONYM}[.,:]?\s", 1.5, ("(",)),
    # Given name first: `Ulrike Schildmann (Hrsg.):`, `Pablo C. Diaz, City`,
    # `Feng Luo and Stephan Tillmann`
    (
        (
            rf"^{_NAME}(?:\s+{_INITIALS})?\s+{_SURNAME}\s*"
            rf"(?=[(:]|,\s*[{UP}]|\s+(?:and|&|et|und)\s)"
        ),
        1.0,
        (),
    ),
    # The date after the first words, for corporate authors (`World Health Organization.
    # (2020). Global …`, `Fundação João Pinheiro. 2015. Déficit …`) and scripts without
    # case (`鄧颖芝(2006). …`): after a full stop or in brackets, and more follows. (A year
    # after a comma, or ending the line, starts as many wrapped lines as references:
    # `Refinement Workshop, 1992.`)
    (
        (rf"^[^\d\s][^\d]{{1,60}}?(?:\.\s+\(?|\s?\(){_YEAR}\)?[.,:]\s+\S"),
        1.0,
        ("(", ". "),
    ),
]
# A bullet opens a reference in lists pasted from web pages.
BULLET = re.compile(r"^\s*[•▪◦‣∙·*]\s+(?=\S)")
# A list number, a dash or a year before a word, opening a line: `17.Creed PA`, `[23].
# Surewicz WK`, `(63) Adamo`, `16-Lindquist TJ`, `- Y. GAUDEMET`, `1991: Ulf`, `2012 smith`
# (not `10th ed.`, `2001;12:33`). Such a line is a reference's start only after a line
# that ended one well short of the margin (`lines.py`). Up to 4 digits: in an unnumbered
# list a longer number opening a line is an article number or a page (numbered lists are
# cut by `runon.LABEL`, whose numbers have any length).
NUMBERED = re.compile(
    r"^\s*(?:\[\s*\d{1,4}\s*\]\.?\s*|\(\d{1,4}\)\s*|\d{1,4}(?:[.):-]\s*|\s+)|[-–]\s*)(?=[^\W\d_])"
)
# A reference's end, then a comma or semicolon: `… 90, 2979 (1968);`, `… 549-570;`, `1988),`
SEPARATED_END = re.compile(r"[\d)\]]\s*[,;]$")

# `DOI : …`, `URL : …`, a bare DOI/URL line: these finish the reference above them.
TAIL = re.compile(
    rf"^\s*(?:(?:DOI|URL|PMID|PMCID|HAL|ISBN|ISSN)\s*:|https?://\S+\s*$|doi\.org/|{DOI_IN_PROSE}\s*$)",
    re.IGNORECASE,
)

_END_ID = re.compile(rf"(?:\b{DOI_IN_PROSE}|https?://\S+|\bwww\.\S+|\bdoi:\s*\S+)$", re.I)
_END_PAGES_OR_YEAR = re.compile(
    r"(?:\d+\s*[-–—]\s*\d+|\b(?:1[6-9]|20)\d\d[a-z]?)\s*[)\]]?\s*[.;]?$"
)
_END_INITIAL = re.compile(rf"(?:^|[\s.(\-])[{UP}]\.$")
_END_ABBREVIATION = re.compile(
    r"\b(?:et al|pp?|[Vv]ol|[Nn]o|[Ee]ds?|J|Proc|Int|Trans|Rev|Natl|Acad|Sci|Res|Med|Am|Soc"
    r"|Conf|Univ|Dept|St|Dr|[Cc]h|vs|cf|Jr|Suppl|Bull|Ann)\.$"
)
# A line ending like this cannot end a reference.
_OPEN_CHARS = frozenset(",;:&/(-‐–—…")
_OPEN_WORDS = frozenset(
    {"and", "in", "of", "the", "for", "on", "to", "with", "by", "from", "at", "et", "und",
     "a", "an", "de", "du", "des", "la", "le", "eds", "ed", "edited", "von", "van", "der",
     "den", "del", "y", "e"}
)  # fmt: skip
_QUOTES = frozenset("\"“”'‘’«»?")
_LAST_WORD = re.compile(r"\w+$")
_TAIL_CHARS = 30
_HEAD = 100  # characters of a line where a pattern's needles are looked for


@cache
def _patterns() -> tuple[list[_Pattern], list[_Pattern]]:
    """_STRONG and _WEAK compiled, once."""
    strong = [(re.compile(p), score, needles) for p, score, needles in _STRONG]
    weak = [(re.compile(p), score, needles) for p, score, needles in _WEAK]
    return strong, weak


def author_score(line: str) -> float:
    """How much the start of `line` looks like the start of a reference (0 = not at all)."""
    line = line.strip()
    if not line:
        return 0.0
    if BULLET.match(line):
        return 4.0
    first = line[0]
    # Every pattern starts with a capital, a dash or a letter without case, but a name may
    # start with a particle (`van der Berg, A.`): a fast way out for most wrapped lines.
    if first.isdigit() or (first.islower() and not _PARTICLE_NAME.match(line)):
        return 0.0
    if not _NOT_NAME.match(line):
        return 0.0
    head = line[:_HEAD]
    strong, weak = _patterns()
    for pattern, score, needles in strong:
        if (not needles or any(n in head for n in needles)) and pattern.match(line):
            return score
    if _PUBLISHER_OR_PLACE.match(line):
        return 0.0
    for pattern, score, needles in weak:
        if (not needles or any(n in head for n in needles)) and pattern.match(line):
            return score
    return 0.0


def continues(line: str) -> bool:
    """`line` cannot start a reference: it starts in lower case, with a digit or punctuation
    (`(2011).`, `–215`), or is a `DOI :`/URL tail line."""
    line = line.strip()
    if not line or TAIL.match(line):
        return True
    first = line[0]
    if first.islower():  # `van der Berg, A.` and `de Souza` are names
        return not (_PARTICLE_NAME.match(line) and author_score(line) > 0)
    if first.isalpha() or first in "\"“”«‘’'¿¡" or BULLET.match(line):
        return False  # upper case, a script without case, a quoted title, a bullet
    return not line.startswith(("—", "―", "--", "––", "__"))


def _ends_with_id(line: str) -> bool:
    return bool(_END_ID.search(line.rsplit(None, 1)[-1]))


def _ends_in_number(tail: str) -> bool:
    """A quick test that `_END_PAGES_OR_YEAR` can match: a digit (or a year's letter, `2001a`)
    before the closing brackets, stops and spaces."""
    core = tail.rstrip(" .;)]")
    return bool(core) and (core[-1].isdigit() or (len(core) > 1 and core[-2].isdigit()))


def open_end(line: str) -> bool:
    """`line` ends mid-reference: a comma, `&`, a hyphen, `and`, `in`, …"""
    line = line.rstrip()
    if not line:
        return False
    if line[-1] in _OPEN_CHARS:
        return line[-1] == "-" or not _ends_with_id(line)
    if not line[-1].isalpha():
        return False
    match = _LAST_WORD.search(line, max(0, len(line) - _TAIL_CHARS))
    return match is not None and match.group() in _OPEN_WORDS


def end_score(line: str) -> float:
    """How much `line` looks like the end of a reference (negative: it runs on)."""
    line = line.rstrip()
    if not line:
        return 0.0
    if _ends_with_id(line):
        return 2.0
    tail = line[-_TAIL_CHARS:]  # the end patterns look no further back
    if _ends_in_number(tail) and _END_PAGES_OR_YEAR.search(tail):
        return 1.5
    last = line[-1]
    if last == ".":
        # (the patterns end at the line's end: searched from where they can start)
        if _END_INITIAL.search(line, max(0, len(line) - 3)):
            return -2.0  # `Smith, J. A.`, `and E.` at the end of a line: the authors go on
        return 0.0 if _END_ABBREVIATION.search(line, max(0, len(line) - 7)) else 1.0
    if last.isalpha():
        return -1.5
    # Measured on wrapped reference strings, as last lines against inner lines: a closing
    # bracket (`(HC17)`, `[hep-th]`) ends references 3–9 times as often, a number (an
    # article number, a page) twice as often; a quote or `?` closes a title that the
    # reference goes on after.
    if last in ")]":
        return 1.0
    if last.isdigit():
        return 0.5
    if last in _QUOTES:
        return -1.0
    return 0.0
