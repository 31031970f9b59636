"""Field rules: one small function per field, printed value against the registry's.

Each rule returns a `Check`: the outcome (agree, cosmetic, mismatch,
lost-characters, missing, or absent when one side has nothing to compare) and,
unless the field agrees, a `FieldDiff` with the registry's value as the
suggestion and a one-line reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from refs.compare.journals import journal_similarity
from refs.compare.text import fold, title_similarity
from refs.ids import DOI_IN_PROSE
from refs.model import DiffKind, FieldDiff, Item, Person
from refs.normalize.pages import normalize_pages
from refs.normalize.text import LOST, mark_lost_characters
from refs.work import Work, record_years

# A check's outcome: a diff kind, or agreement, or nothing to compare on one side; and
# SHORT_FORM, a printed title that is a short form of the registry's (its flag is cosmetic,
# but on its own it says less than a title that agrees: the resolver asks for more).
AGREE, ABSENT, SHORT_FORM = "agree", "absent", "short-form"
COSMETIC, MISMATCH, LOST_CHARS, MISSING = (
    DiffKind.COSMETIC, DiffKind.MISMATCH, DiffKind.LOST_CHARS, DiffKind.MISSING)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Check:
    field: str
    outcome: str
    diff: FieldDiff | None = None


def _diff(field: str, kind: DiffKind, printed: str | None, registry: str | None, why: str) -> Check:
    return Check(field, kind, FieldDiff(field, kind, printed, registry, why))


def check_title(item: Item, work: Work, similarity: float | None = None) -> Check:
    registry = " ".join(p for p in (work.title, work.subtitle) if p) if work.title else None
    if registry is None:
        return Check("title", ABSENT)
    if not item.title:
        return _diff("title", MISSING, None, registry, "the reference prints no title")
    sim = similarity if similarity is not None else work_title_similarity(item.title, work)
    if fold(item.title) in (fold(registry), fold(work.title or "")):
        return Check("title", AGREE)
    if LOST in item.title and sim >= 90:
        return _diff(
            "title", LOST_CHARS, item.title, work.title, "characters lost in the printed title"
        )
    dropped = _dropped_words(item.title, registry, work.title or "") if sim >= 80 else None
    if dropped:
        why = f"words missing from the printed title: {dropped}"
        return _diff("title", LOST_CHARS, item.title, work.title, why)
    if sim >= 97:
        return Check("title", AGREE)
    if sim >= 90:
        return _diff("title", COSMETIC, item.title, work.title, "spelling differs slightly")
    if is_short_form(item.title, work.title or ""):
        why = "the printed title is a short form of the registry's"
        return Check("title", SHORT_FORM, FieldDiff("title", COSMETIC, item.title, work.title, why))
    return _diff(
        "title", MISMATCH, item.title, work.title, f"a different title ({sim:.0f}% similar)"
    )


def is_short_form(printed: str, registry: str) -> bool:
    """Is `printed` the registry's title cut short, its terms perhaps abbreviated?

    `Direct evidence of MSC tropism` for `Direct Evidence of Mesenchymal Stem Cell Tropism
    for Tumor and Wounding Microenvironments…`: the printed words are the registry title's
    first words, in order, an acronym standing for the words it abbreviates (`MSC`,
    `MSCs`). At least three printed words, and fewer words than the registry's.
    """
    words, full = fold(printed).split(), fold(registry).split()
    if len(words) < 3 or len(words) >= len(full) or words[0] != full[0]:
        return False
    at = 0
    for word in words:
        if at < len(full) and word == full[at]:
            at += 1
            continue
        letters = word[:-1] if word.endswith("s") and len(word) > 2 else word
        span = len(letters)
        initials = "".join(w[0] for w in full[at : at + span])
        if span < 2 or not letters.isalpha() or initials != letters:
            return False
        at += span
    return at < len(full)


def _dropped_words(printed: str, *registry: str) -> str | None:
    """The words the print left out when it is the registry's title minus a few words.

    A print that ends before the registry's subtitle is the main title, not a title with
    lost words; one the parser cut short is told apart later, by the text (`compare`).
    """
    words = fold(printed).split()
    for title in registry:
        full = fold(title).split()
        if not words or len(words) >= len(full) or words[0] != full[0]:
            continue
        kept, missing = iter(words), []
        want = next(kept)
        for word in full:
            if word == want:
                want = next(kept, "")
            else:
                missing.append(word)
        if not want and len(missing) <= max(2, len(full) // 5):
            return " ".join(missing)
    return None


def work_title_similarity(title: str, work: Work) -> float:
    """0–100: the printed title against the work's title, with and without its subtitle."""
    full = " ".join(p for p in (work.title, work.subtitle) if p)
    return max(title_similarity(title, work.title or ""), title_similarity(title, full))


def _family_key(person: Person) -> str:
    name = person.family or person.literal or ""
    return fold(name)


def _same_family(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return True
    # `Thawadi` for `Al Thawadi`, `Berg` for `van den Berg`: a particle or prefix lost.
    return a.split()[-1] == b.split()[-1] or a.endswith(" " + b) or b.endswith(" " + a)


def check_author(item: Item, work: Work) -> Check:
    printed = [k for k in map(_family_key, item.author) if k]
    registry = [k for k in map(_family_key, work.author) if k]
    if not printed or not registry:
        return Check("author", ABSENT)
    shown = ", ".join(p.display() for p in work.author[:3]) + (
        " et al." if len(work.author) > 3 else ""
    )
    if _same_family(printed[0], registry[0]):
        return Check("author", AGREE)
    if any(_same_family(printed[0], r) for r in registry[1:]):
        return _diff(
            "author", COSMETIC, item.author[0].display(), shown, "authors in another order"
        )
    given = fold(item.author[0].given or "")
    if given and _same_family(given, registry[0]):
        return _diff(
            "author", COSMETIC, item.author[0].display(), shown, "given and family names swapped"
        )
    if fuzz.ratio(printed[0], registry[0]) >= 80:
        return _diff(
            "author",
            COSMETIC,
            item.author[0].display(),
            shown,
            "first author's name spelt differently",
        )
    return _diff("author", MISMATCH, item.author[0].display(), shown, "another first author")


def registry_years(work: Work) -> frozenset[int] | set[int]:
    if work.years is not None:  # worked out when the record was read
        return work.years
    return record_years(work.raw, work.issued)


def check_year(item: Item, work: Work) -> Check:
    years = registry_years(work)
    if item.issued is None or not years:
        return Check("issued", ABSENT)
    if item.issued.year in years:
        return Check("issued", AGREE)
    shown = "/".join(str(y) for y in sorted(years))
    # A sparse record with a single date may hold the online-first year while the
    # print year is the next one (or the reverse): a year apart is then not an error.
    sparse = not any(k in work.raw for k in ("published-print", "published-online"))
    if sparse and len(years) == 1 and abs(item.issued.year - min(years)) == 1:
        why = f"the registry dates it {shown} (online first vs print?)"
        return _diff("issued", COSMETIC, str(item.issued.year), shown, why)
    return _diff(
        "issued", MISMATCH, str(item.issued.year), str(min(years)), f"the registry dates it {shown}"
    )


def check_container(item: Item, work: Work) -> Check:
    printed = item.container_title or item.container_title_short
    names = [n for n in (work.container_title, work.container_title_short) if n]
    if not printed or not names or not _NAME_WORD.search(printed):
        return Check("container-title", ABSENT)
    best = max(journal_similarity(printed, n) for n in names)
    if best >= 0.75:
        return Check("container-title", AGREE)
    return _diff("container-title", MISMATCH, printed, work.container_title, "another journal")


# A journal's name has a word of three letters or more; `no. 4` or `2014` is a misread.
_NAME_WORD = re.compile(r"[^\W\d_]{3,}")


def _numbers(value: str) -> list[str]:
    return [n.lstrip("0") or "0" for n in re.findall(r"\d+", value)]


def check_volume(item: Item, work: Work) -> Check:
    if not item.volume or not work.volume:
        return Check("volume", ABSENT)
    if fold(item.volume) == fold(work.volume) or _numbers(item.volume) == _numbers(work.volume):
        return Check("volume", AGREE)
    return _diff(
        "volume", MISMATCH, item.volume, work.volume, f"the registry has volume {work.volume}"
    )


def check_issue(item: Item, work: Work) -> Check:
    if not item.issue or not work.issue:
        return Check("issue", ABSENT)
    if fold(item.issue) == fold(work.issue) or _numbers(item.issue) == _numbers(work.issue):
        return Check("issue", AGREE)
    return _diff("issue", MISMATCH, item.issue, work.issue, f"the registry has issue {work.issue}")


def _page_key(page: str) -> str:
    return fold(page).lstrip("e").lstrip("0") or "0"


def check_page(item: Item, work: Work) -> Check:
    registry = work.page or work.article_number
    if not item.page or not registry:
        return Check("page", ABSENT)
    printed, reg = normalize_pages(item.page), normalize_pages(registry)
    p_first, _, p_last = printed.partition("-")
    r_first, _, r_last = reg.partition("-")
    if printed == reg or (
        _page_key(p_first) == _page_key(r_first) and (not p_last or not r_last or p_last == r_last)
    ):
        if printed != reg and fold(p_first) != fold(r_first):
            return _diff("page", COSMETIC, item.page, reg, "the same page, written another way")
        return Check("page", AGREE)
    if work.article_number and _page_key(printed) == _page_key(work.article_number):
        return Check("page", AGREE)
    if _page_key(p_first) == _page_key(r_first):
        return _diff("page", MISMATCH, item.page, reg, f"the article ends on page {r_last}")
    return _diff("page", MISMATCH, item.page, reg, f"the registry has pages {reg}")


RULES: tuple[Callable[[Item, Work], Check], ...] = (
    check_author, check_year, check_container, check_volume, check_issue, check_page)  # fmt: skip


def compare(
    item: Item, work: Work, title_sim: float | None = None, text: str | None = None
) -> list[Check]:
    """Every field rule, title first.

    With the reference's `text`, a field the parser missed but the text plainly
    prints counts as agreeing: evidence in favour, never a flag against.
    """
    checks = [check_title(item, work, title_sim), *(rule(item, work) for rule in RULES)]
    if text:
        folded, rest = _text_keys(text, item.title, item.container_title)
        checks = [_misread(c, item, work, rest) for c in checks]
        checks = [_from_text(c, work, folded) for c in checks]
    return checks


# DOIs and links hold numbers (`10.1155/2015/547521`) that are no year or page of the print.
_LINKS = re.compile(rf"\S*{DOI_IN_PROSE}|https?://\S+|www\.\S+")


# Dates that are not the work's: `Epub 2013 Dec 5`, `Accessed 2014`, `[cited 2015 Jan]`.
_ASIDES = re.compile(
    r"\b(?:epub(?: ahead of print)?|accessed|cited|retrieved|viewed|consulted)\b[^.;\]]*",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def _text_keys(text: str, title: str | None, container: str | None) -> tuple[str, str]:
    """The folded text (lost characters marked), and the folded text outside the parsed
    title and journal without asides: worked out once per reference, not per candidate."""
    unlinked = _LINKS.sub(" ", text)
    folded = fold(mark_lost_characters(unlinked))
    return folded, _outside(fold(_ASIDES.sub(" ", unlinked)), title, container)


def _outside(folded: str, *names: str | None) -> str:
    """The folded text without the parsed title and journal: numbers in names don't count.

    A title with lost characters is taken out piece by piece between the marks.
    """
    for name in names:
        for piece in fold(name).split(LOST) if name else ():
            piece = piece.strip()
            if len(piece) >= 4:
                folded = folded.replace(piece, " ")
    return f" {folded} "


def _misread(check: Check, item: Item, work: Work, rest: str) -> Check:
    """A year or pages mismatch where the text prints the registry's value too: a misread.

    The parser took the year or pages from elsewhere (a title, a volume, a page number
    read as a year); the registry's value printed in the reference, where no other parsed
    number accounts for it, is evidence it agrees.
    """
    if check.outcome != MISMATCH:
        return check
    page_parts = [fold(p) for p in normalize_pages(item.page or "").split("-") if p]
    if check.field == "issued":
        for year in map(str, registry_years(work)):
            # Printed as the volume, issue or pages (`2012;72(8):2013-20`) is no date; journals
            # that number volumes by year print it twice (`2014;2013:1-8`), once unparsed.
            taken = sum(year == v for v in (item.volume, item.issue, *page_parts))
            taken += year == work.volume and item.volume != year
            if rest.count(f" {year} ") > taken:
                return Check("issued", AGREE)
    elif check.field == "page" and (work.page or work.article_number):
        first, _, last = normalize_pages(work.page or work.article_number or "").partition("-")
        first, last = fold(first), fold(last)
        if page_parts and page_parts[0] == first:
            return check  # the same first page, another end: a real difference
        if first in (fold(item.volume or ""), fold(item.issue or "")):
            return check  # the number found is the volume or the issue
        # A page of one or two digits would be found anywhere (an issue, a day).
        printed = f" {first} {last} " in rest if last and last != first else f" {first} " in rest
        if len(first) >= 3 and printed:
            return Check("page", AGREE)
    return check


def title_in_text(text: str, work: Work) -> float:
    """0–100: how well the work's title appears somewhere in the (folded) reference text."""
    title = fold(work.title or "")
    if len(title) < 15 or " " not in title:
        return 0.0  # a short title would be found anywhere
    return float(fuzz.partial_ratio(title, text))


def _from_text(check: Check, work: Work, text: str) -> Check:
    if check.outcome == AGREE:
        return check
    words = f" {text} "
    # Words "missing" from a title the text prints whole: the parser cut it short.
    if check.field == "title" and check.outcome == LOST_CHARS and check.diff:
        if check.diff.why.startswith("words missing") and f" {fold(work.title or '')} " in words:
            return Check("title", AGREE)
        return check
    # A title with lost characters stays flagged even though the text holds most of it.
    if check.field == "title" and check.outcome in (MISSING, MISMATCH, COSMETIC, SHORT_FORM):
        title = fold(work.title or "")
        # A short title counts only printed whole, between word boundaries.
        short_and_whole = len(title) >= 10 and f" {title} " in words
        # The text prints the title with characters lost (`A Realist???c Widget`) where the
        # parser could not cut it out: lost characters, found in the text.
        printed = check.diff.printed if check.diff else None
        in_text = title_in_text(text, work)
        if LOST in (printed or text) and in_text >= 90:
            why = "characters lost in the printed title"
            return _diff("title", LOST_CHARS, printed, work.title, why)
        if short_and_whole or in_text >= 97:
            return Check("title", AGREE)
        return check
    if check.outcome != ABSENT:
        return check
    found = False
    if check.field == "author" and work.author:
        family = _family_key(work.author[0])
        found = bool(family) and f" {family.split()[-1]} " in words
    elif check.field == "issued":
        found = any(f" {y} " in words for y in registry_years(work))
    elif check.field == "container-title":
        found = any(
            n and f" {fold(n)} " in words
            for n in (work.container_title, work.container_title_short)
        )
    elif check.field == "volume" and work.volume:
        found = f" {fold(work.volume)} " in words
    elif check.field == "page" and (work.page or work.article_number):
        first = fold((work.page or work.article_number or "").split("-")[0])
        found = bool(first) and f" {first} " in words
    return Check(check.field, AGREE) if found else check


def copied_from(item: Item, other: Work, checks: Sequence[Check]) -> list[Check]:
    """Checks redone knowing the printed DOI is `other`'s, another work's (the HAL export case).

    Exports that take the metadata of the DOI they hold copy its volume and issue into
    the reference. A printed volume or issue equal to that other work's, where the cited
    work's record has none, is flagged as copied; one the cited work's record contradicts
    says where it came from.
    """
    values = {"volume": (item.volume, other.volume), "issue": (item.issue, other.issue)}

    def copied(check: Check) -> bool:
        printed, theirs = values.get(check.field, (None, None))
        return bool(printed and theirs) and _numbers(printed or "") == _numbers(theirs or "")

    # A contradicted field equal to the other work's, or volume and issue both equal to
    # its, proves the copying; then a field the cited work's record lacks is read as
    # copied too. (An issue 2 alone is a coincidence.)
    proven = any(c.outcome == MISMATCH and copied(c) for c in checks) or (
        sum(copied(c) for c in checks) >= 2
    )
    out = []
    for check in checks:
        if not copied(check) or check.outcome not in ((ABSENT, MISMATCH) if proven else ()):
            out.append(check)
            continue
        printed = values[check.field][0]
        source = f"copied from the record of the printed DOI {other.DOI} (another work)"
        registry = check.diff.registry if check.diff else None
        why = (f"{check.diff.why}; {source}" if check.diff
               else f"{source}; the cited work's record has no {check.field}")  # fmt: skip
        out.append(_diff(check.field, MISMATCH, printed, registry, why))
    return out


def prints_no_title(item: Item, work: Work) -> bool:
    """The reference prints no title of its own: the parser's "title" is the journal or a name list."""
    title = item.title
    if not title:
        return True
    # Words that could be a title's: not initials, numbers or the work's authors' names.
    names = {w for p in work.author for w in _family_key(p).split()}
    words = [w for w in fold(title).split() if w.isalpha() and len(w) > 2 and w not in names]
    if len(words) < 2:
        return True
    for name in (work.container_title, work.container_title_short):
        if name and (
            journal_similarity(title, name) >= 0.6 or f" {fold(name)} " in f" {fold(title)} "
        ):
            return True
    return False
