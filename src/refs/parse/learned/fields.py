"""Labelled fields → `Item`: the trained parser's reading of what the tagger found.

`parse_learned(text)` tags `text` (`crf.tag`), takes its fields (`crf.fields_of`) and builds
an `Item` the way the rule parsers build theirs: authors and editors split into `Person`s
(refs.normalize.names), the date read into `Date`, the type guessed from the labels found,
volume, issue and pages left as printed for the normalisers. Never raises on bad input:
what could not be read is said in the diagnostics.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from refs.model import Date, Item, Person
from refs.normalize.names import parse_name
from refs.parse.learned.crf import MAX_TOKENS, Field, fields_of, tag

__all__ = ["LOW_CONFIDENCE", "parse_learned", "read_date", "split_people"]

LOW_CONFIDENCE = 0.5  # below this probability of the best labelling, say so

# --- labelled fields → Item --------------------------------------------------------------------

_MARKUP = re.compile(r"</?[A-Za-z][^<>]{0,80}>")
_ABBREVIATING = frozenset({"author", "editor", "container-title"})
_LETTERS = re.compile(r"[^\W\d_]+")
_INNER_ABBREVIATION = re.compile(r"[^\W\d_]\.\s")


def _text(text: str, field: Field) -> str:
    """The printed text of a field, with the period of a final abbreviation or initial and a
    closing bracket that belongs to it."""
    value = text[field.start : field.end]
    after = text[field.end : field.end + 2]
    if (
        after[:1] == "."
        and field.label in _ABBREVIATING
        # the last word (in the last 40 characters): matched at the start of the reversed
        # text, where a search for `[^\W\d_]+$` would be tried at every position
        and (last := _LETTERS.match(value[-40:][::-1]))
    ):
        word = last.group()[::-1]
        if field.label in ("author", "editor") and len(word) <= 2 and word[0].isupper():
            value += "."  # an initial: `Hinton, G.`
        elif (
            field.label == "container-title"
            and not (word.isupper() and len(word) > 1)  # `Proc. IEEE` has no period to add
            and (len(word) <= 3 or _INNER_ABBREVIATION.search(value))
        ):
            value += "."  # an abbreviated journal: `J. Mol. Biol.`
    elif "(" in value and value.count("(") > value.count(")") and after.lstrip()[:1] == ")":
        value += ")"
    if "<" in value:
        value = _MARKUP.sub("", value)
    return " ".join(value.split())


def _merged(text: str, fields: list[Field]) -> list[Field]:
    """Join runs of one label separated only by punctuation (`Title: subtitle` split at `:`)."""
    out: list[Field] = []
    for field in fields:
        if out and out[-1].label == field.label:
            gap = text[out[-1].end : field.start]
            if len(gap) <= 3 and not any(c.isalnum() for c in gap):
                out[-1] = Field(field.label, out[-1].start, field.end)
                continue
        out.append(field)
    return out


def parse_learned(text: str) -> tuple[Item, list[str]]:
    """Tag `text` and build an Item; diagnostics say what is missing or uncertain."""
    if not text.strip():
        return Item(), ["empty reference"]
    tagged = tag(text)
    diagnostics: list[str] = []
    if len(tagged.tokens) == MAX_TOKENS:
        diagnostics.append(f"learned parser: very long reference, read its first {MAX_TOKENS} tokens")  # fmt: skip
    fields = _merged(text, fields_of(tagged.tokens, tagged.labels))
    by_label: dict[str, list[str]] = {}
    for field in fields:
        value = _text(text, field)
        if value:
            by_label.setdefault(field.label, []).append(value)

    # The first value of each label (looked up with dict.get: no function call per field).
    first = {label: values[0] for label, values in by_label.items()}
    authors, et_al = split_people(" ; ".join(by_label.get("author", [])))
    last_author = next((f for f in reversed(fields) if f.label == "author"), None)
    if last_author and _ET_AL.match(text, last_author.end, last_author.end + 12):
        et_al = True  # `et al.` printed after the names but left outside them
    editors, _ = split_people(" ; ".join(by_label.get("editor", [])), editors=True)
    issued = read_date(" ".join(by_label.get("date", [])))
    notes = by_label.get("note", [])
    item = Item(
        type=_guess_type(by_label),
        author=tuple(authors),
        editor=tuple(editors),
        et_al=et_al,
        issued=issued,
        title=first.get("title"),
        container_title=first.get("container-title"),
        volume=first.get("volume"),
        issue=first.get("issue") or _issue_read_as_volume(text, fields),
        page=first.get("pages"),
        publisher=first.get("publisher"),
        publisher_place=first.get("location"),
        edition=first.get("edition"),
        DOI=first.get("doi"),
        URL=first.get("url"),
        note="; ".join(notes) if notes else None,
    )
    missing = [
        name
        for name, value in (("author", item.author), ("title", item.title), ("date", item.issued))
        if not value
    ]
    if not fields:
        diagnostics.append("learned parser: nothing bibliographic read")
    elif missing:
        diagnostics.append(f"learned parser: no {', '.join(missing)} read")
    if fields and tagged.probability < LOW_CONFIDENCE:
        diagnostics.append(
            f"learned parser: low confidence ({tagged.probability:.2f}); check the fields"
        )
    repeated = [k for k in ("title", "container-title", "date") if len(by_label.get(k, [])) > 1]
    if repeated:
        diagnostics.append(f"learned parser: several {', '.join(repeated)} segments, kept the first")  # fmt: skip
    return item, diagnostics


# An issue cue just before a field: `Nr. 48`, `no 3`, `n° 12`, `Heft 2`.
_ISSUE_CUE = re.compile(r"(?:\b(?:no|nos|nr|n|num|issue|heft|h|fasc)\.?|n°|nº|№)\s*$", re.I)


def _issue_read_as_volume(text: str, fields: Sequence[Field]) -> str | None:
    """A second volume after an issue cue (`23 (1935), Nr. 48`) is the issue: the tagger
    reads the number after a cue it knows as a volume when the volume came earlier."""
    volumes = [f for f in fields if f.label == "volume"]
    if len(volumes) < 2:
        return None
    second = volumes[1]
    if _ISSUE_CUE.search(text[max(0, second.start - 8) : second.start]):
        return _text(text, second) or None
    return None


_THESIS = re.compile(r"thes[ie]s|thèse|dissertation|ph\.?\s?d|mémoire|habilitation")
_REPORT = re.compile(r"\breport\b|rapport|bericht|working paper")
# Every _CONFERENCE match holds one of these (free of i, s and k, which match other letters
# too: ı, ſ, K); testing them first skips the slow pattern for most container titles.
_CONFERENCE_HINTS = ("conf", "ymp", "wor", "congre", "colloqu", "tagung", "meet", "proc")
_CONFERENCE = re.compile(
    r"\b(?:conf|conference|symp|symposium|workshop|congress|colloque|colloquium|tagung|meeting)\b"
    r"|proceedings of|\bproc\. of\b",
    re.IGNORECASE,
)


def _guess_type(by_label: dict[str, list[str]]) -> str:
    notes = " ".join(by_label.get("note", [])).lower()
    if notes and _THESIS.search(notes):
        return "thesis"
    if notes and _REPORT.search(notes):
        return "report"
    container = " ".join(by_label.get("container-title", [])).lower()
    if container:
        if any(hint in container for hint in _CONFERENCE_HINTS) and _CONFERENCE.search(container):
            return "paper-conference"
        if "editor" in by_label or ("publisher" in by_label and "volume" not in by_label):
            return "chapter"
        return "article-journal"
    if "publisher" in by_label or "location" in by_label or "edition" in by_label:
        return "book"
    if "url" in by_label and "title" in by_label:
        return "webpage"
    return "article-journal"


# --- names -------------------------------------------------------------------------------------

_ET_AL = re.compile(
    r"[,;]?\s*(?:\bet\s*al\b\.?|\bet\s+coll\b\.?|\band\s+others\b|\bu\.\s*a\.|…|\.{3})",
    re.IGNORECASE,
)
_EDITOR_CUE = re.compile(
    r"\(\s*(?:eds?|hrsg|hrg|hgg|hg|éds?|dir|coord|editors?)\.?\s*\)|^\s*(?:in\s*:?\s*)?(?:edited\s+by|ed\.\s+by|eds?\.|hrsg\.?\s+von|hg\.?\s+von|sous la direction de)\s+|[,\s]+(?:eds?|hrsg|hrg|hgg|hg|éds?|dir|coord|editors?)\.?\s*$",
    re.IGNORECASE,
)
# A conjunction between names. The spaces and comma printed before it are left in place:
# the segments are cut at commas and stripped of them anyway, and a pattern that starts
# with the conjunction is far cheaper to search than one starting with `\s*,?\s*`.
_CONJ = re.compile(r"(?:&|(?<!\w)(?:and|und|et|[yiи]))\s+", re.IGNORECASE)
_INITIAL_DOT = re.compile(r"\b[A-Z]\.")
_INITIALS_ONLY = re.compile(r"^(?:[A-Z][a-z]?\.?\s*-?\s*){1,4}$")
_INITIAL_WORD = re.compile(r"^[A-Z][a-z]?\.?$|^[A-Z]\.-?[A-Z]\.?$|^[A-Z]{2,3}$")
_GIVEN_WORD = re.compile(r"^[A-ZÀ-Þ][^\W\d_]*(?:-[A-ZÀ-Þ][^\W\d_]*)?\.?$")
_PAREN_GIVEN = re.compile(r"^(?P<family>[^()]+?)\s*\((?P<given>[^()\d]{1,20})\)$")
_INSTITUTION = re.compile(
    r"\b(?:department|institut[e]?|organi[sz]ation|association|commission|ministry|ministère|"
    r"agency|society|group|committee|council|university|universit[äé]t?|office|bank|"
    r"collaboration|consortium|foundation|board|centre|center|bureau|service|team|"
    r"government|nations|federal|national|world|international|ltd|inc)\b",
    re.IGNORECASE,
)
_PARTICLE_WORDS = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du",
                             "des", "la", "le", "ter", "ten", "dos", "das", "do"})  # fmt: skip


def split_people(text: str, editors: bool = False) -> tuple[list[Person], bool]:
    """An author (or editor) list as printed → Persons, and whether it ends in et al."""
    if not text:
        return [], False
    value = " ".join(text.split()).strip(" ,;:.-–—")
    if editors:
        value = _EDITOR_CUE.sub(" ", value).strip(" ,;:.")
    et_al = False
    if _may_say_et_al(value.lower()):
        value, found = _ET_AL.subn("", value)
        et_al = found > 0
    value = value.strip(" ,;:")
    if not value:
        return [], et_al
    if (  # the cheap tests first
        ";" not in value
        and value.count(",") <= 1
        and not _INITIAL_DOT.search(value)
        and _INSTITUTION.search(value)
    ):
        return [Person(literal=value.strip(" ,.;"))], et_al
    people: list[Person] = []
    for part in value.split(";"):
        part = part.strip(" ,")
        if not part:
            continue
        segments = [s.strip(" .,") for s in _CONJ.sub(", ", part).split(",")]
        segments = [s for s in segments if s and any(c.isalnum() for c in s)]
        if ";" in value and len(segments) == 2 and _pairs(segments[0], segments[1]):
            people.append(_person(f"{segments[0]}, {segments[1]}"))
            continue
        i = 0
        while i < len(segments):
            seg = segments[i]
            if i + 1 < len(segments) and _pairs(seg, segments[i + 1]):
                people.append(_person(f"{seg}, {segments[i + 1]}"))
                i += 2
            else:
                people.append(_person(seg))
                i += 1
    return [p for p in people if p.family or p.literal or p.given], et_al


def _may_say_et_al(low: str) -> bool:
    """Whether lower-cased text holds the letters every _ET_AL match does (none has another
    case form, as i and s have ı and ſ): most author lists do not, and these `in` tests are
    far cheaper than trying the pattern at each position."""
    return (
        ("et" in low and ("al" in low or "coll" in low))
        or ("and" in low and "other" in low)
        or "u." in low
        or "…" in low
        or "..." in low
    )


def _pairs(family: str, given: str) -> bool:
    """Whether `family, given` is one inverted name (`Siegel, R. L.`, `Keil, Sylvester`)."""
    fam_words = family.split()
    if not fam_words or len(fam_words) > 4 or any(_INITIAL_WORD.match(w) for w in fam_words):
        return False
    if any(map(str.isdigit, family + given)):
        return False
    compact = given.replace(" ", "")
    if _INITIALS_ONLY.match(given) or _INITIALS_ONLY.match(compact + "."):
        return True
    core = [w for w in fam_words if w.lower() not in _PARTICLE_WORDS]
    given_words = given.split()
    return (
        len(core) == 1
        and 1 <= len(given_words) <= 3
        and all(_GIVEN_WORD.match(w) or _INITIAL_WORD.match(w) for w in given_words)
    )


def _person(text: str) -> Person:
    match = _PAREN_GIVEN.match(text.strip()) if ")" in text else None
    if match:  # `Bonhomme (Fl.)`: the French bibliographic form
        text = f"{match.group('family')}, {match.group('given')}"
    person = parse_name(text)
    if person.family is None and person.literal is None and person.given and " " not in text:
        return Person(family=text.strip(" ."))
    return person


# --- dates -------------------------------------------------------------------------------------

_YEAR_IN = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_MONTH_NUMBERS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar janvier janv enero jänner",
        "february feb februar février févr fevrier febrero",
        "march mar märz mars marzo",
        "april apr avril avr abril",
        "may mai mayo",
        "june jun juni juin junio",
        "july jul juli juillet juil julio",
        "august aug août aout agosto",
        "september sep sept septembre septiembre",
        "october oct oktober octobre octubre",
        "november nov novembre noviembre",
        "december dec dezember décembre déc decembre diciembre",
    ),
    1,
):
    for _name in _names.split():
        _MONTH_NUMBERS[_name] = _number
_WORD = re.compile(r"[^\W\d_]+|\d+")


def read_date(text: str) -> Date | None:
    """`(2016)`, `June 12, 1998`, `12 juin 1998`, `2016 Dec 1`, `1996b` → Date."""
    year = _YEAR_IN.search(text)
    if year is None:
        return None
    words = _WORD.findall(text)
    month = next((_MONTH_NUMBERS[w.lower()] for w in words if w.lower() in _MONTH_NUMBERS), None)
    day = None
    if month is not None:
        for i, w in enumerate(words):
            if w.lower() in _MONTH_NUMBERS:
                near = [words[j] for j in (i - 1, i + 1) if 0 <= j < len(words)]
                days = [int(d) for d in near if d.isdigit() and len(d) <= 2 and 1 <= int(d) <= 31]
                day = days[0] if days else None
                break
    return Date(int(year.group(1)), month, day)
