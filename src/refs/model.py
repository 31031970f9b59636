"""The record model: frozen dataclasses, no I/O.

A `Reference` is one entry of a user's list: the text as printed, where it came
from (line span), the fields parsed from it (`Item`, which maps 1:1 onto a
CSL-JSON item), every repair the normalisers made and any diagnostics.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

# CSL-JSON keys of the scalar string fields an `Item` carries, in output order.
SCALAR_FIELDS: tuple[str, ...] = (
    "title",
    "container-title",
    "container-title-short",
    "volume",
    "issue",
    "page",
    "publisher",
    "publisher-place",
    "edition",
    "DOI",
    "URL",
    "PMID",
    "PMCID",
    "ISBN",
    "ISSN",
    "note",
)

# CSL-JSON key -> Python attribute name.
ATTR: dict[str, str] = {key: key.replace("-", "_") for key in SCALAR_FIELDS}


@dataclass(frozen=True, slots=True)
class Person:
    """A name as CSL-JSON has it: family/given, or a literal for an institution."""

    family: str | None = None
    given: str | None = None
    particle: str | None = None  # CSL "non-dropping-particle": van, de, von…
    suffix: str | None = None
    literal: str | None = None

    def to_csl(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.literal is not None:
            out["literal"] = self.literal
        if self.family is not None:
            out["family"] = self.family
        if self.given is not None:
            out["given"] = self.given
        if self.particle is not None:
            out["non-dropping-particle"] = self.particle
        if self.suffix is not None:
            out["suffix"] = self.suffix
        return out

    @classmethod
    def from_csl(cls, data: dict[str, Any]) -> Person:
        def opt(key: str) -> str | None:
            value = data.get(key)
            return str(value) if value not in (None, "") else None

        particle = opt("non-dropping-particle") or opt("dropping-particle")
        return cls(
            family=opt("family"),
            given=opt("given"),
            particle=particle,
            suffix=opt("suffix"),
            literal=opt("literal"),
        )

    def map_names(self, fn: Callable[[str], str]) -> Person:
        """`fn` applied to each non-empty family, given and literal name.

        Returns this same object when `fn` changes nothing, so callers that map
        every name of every reference make no copies in the common case.
        """

        def apply(value: str | None) -> str | None:
            return fn(value) if value else value

        family, given, literal = apply(self.family), apply(self.given), apply(self.literal)
        if (family, given, literal) == (self.family, self.given, self.literal):
            return self
        return replace(self, family=family, given=given, literal=literal)

    def display(self) -> str:
        if self.literal:
            return self.literal
        family = " ".join(p for p in (self.particle, self.family) if p)
        return ", ".join(p for p in (family, self.given) if p)


@dataclass(frozen=True, slots=True)
class Date:
    """A CSL date: year, optionally month and day."""

    year: int
    month: int | None = None
    day: int | None = None

    def parts(self) -> list[int]:
        return [p for p in (self.year, self.month, self.day) if p is not None]

    def to_csl(self) -> dict[str, list[list[int]]]:
        return {"date-parts": [self.parts()]}


@dataclass(frozen=True, slots=True)
class Item:
    """The bibliographic fields of a reference, one attribute per CSL-JSON key."""

    type: str = "article-journal"
    author: tuple[Person, ...] = ()
    editor: tuple[Person, ...] = ()
    issued: Date | None = None
    title: str | None = None
    container_title: str | None = None
    container_title_short: str | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    publisher: str | None = None
    publisher_place: str | None = None
    edition: str | None = None
    DOI: str | None = None
    URL: str | None = None
    PMID: str | None = None
    PMCID: str | None = None
    ISBN: str | None = None
    ISSN: str | None = None
    note: str | None = None
    hal_id: str | None = None  # no CSL variable: exported under "custom"
    et_al: bool = False  # the printed author list ends in "et al."

    def get(self, key: str) -> str | None:
        """A scalar field by its CSL-JSON key."""
        value: str | None = getattr(self, ATTR[key])
        return value

    def with_field(self, key: str, value: str | None) -> Item:
        changes: dict[str, Any] = {ATTR[key]: value}
        return replace(self, **changes)

    def to_csl(self, item_id: str | None = None) -> dict[str, Any]:
        """This item as a CSL-JSON object (valid against the CSL data schema)."""
        out: dict[str, Any] = {}
        if item_id is not None:
            out["id"] = item_id
        out["type"] = self.type
        if self.author:
            out["author"] = [p.to_csl() for p in self.author]
        if self.editor:
            out["editor"] = [p.to_csl() for p in self.editor]
        if self.issued is not None:
            out["issued"] = self.issued.to_csl()
        for key in SCALAR_FIELDS:
            value = self.get(key)
            if value is not None:
                out[key] = value
        custom: dict[str, Any] = {}
        if self.hal_id is not None:
            custom["hal-id"] = self.hal_id
        if self.et_al:
            custom["et-al"] = True
        if custom:
            out["custom"] = custom
        return out

    @classmethod
    def from_csl(cls, data: dict[str, Any]) -> Item:
        """Build an item from a CSL-JSON object; unknown keys are ignored."""

        def text(value: Any) -> str | None:
            if value is None or value == "" or isinstance(value, (dict, list)):
                return None
            return str(value)

        def people(key: str) -> tuple[Person, ...]:
            raw = data.get(key)
            if not isinstance(raw, list):
                return ()
            return tuple(Person.from_csl(p) for p in raw if isinstance(p, dict))

        custom = data.get("custom") if isinstance(data.get("custom"), dict) else {}
        assert isinstance(custom, dict)
        kwargs: dict[str, Any] = {ATTR[key]: text(data.get(key)) for key in SCALAR_FIELDS}
        return cls(
            type=str(data.get("type") or "article-journal"),
            author=people("author"),
            editor=people("editor"),
            issued=date_from_csl(data.get("issued")),
            hal_id=text(custom.get("hal-id")),
            et_al=bool(custom.get("et-al", False)),
            **kwargs,
        )


def date_from_csl(value: Any) -> Date | None:
    """Read a CSL date object (`date-parts`, or `raw`/`literal` with a year)."""
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            nums = [int(p) for p in parts[0][:3]]
        except (TypeError, ValueError):
            nums = []
        if nums:
            month = nums[1] if len(nums) > 1 else None
            day = nums[2] if len(nums) > 2 else None
            return Date(nums[0], month, day)
    for key in ("raw", "literal"):
        raw = value.get(key)
        if isinstance(raw, str):
            match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", raw)
            if match:
                return Date(int(match.group(1)))
    return None


@dataclass(frozen=True, slots=True)
class Span:
    """Where a reference sits in its input: 1-based inclusive line numbers."""

    start_line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class Repair:
    """One change a normaliser made: which field, which step, before and after."""

    field: str
    step: str
    before: str
    after: str

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "step": self.step, "before": self.before, "after": self.after}


@dataclass(frozen=True, slots=True)
class Reference:
    """One parsed entry of a list, with its provenance."""

    index: int  # 1-based position in the list
    text: str  # the reference as printed (its lines joined)
    span: Span
    item: Item
    style: str  # which parser read it: hal, vancouver, generic, bibtex, csl-json, ris
    doi_input: str | None = None  # the DOI exactly as printed, before normalising
    key: str | None = None  # citation key, when the input had one
    alt_dois: tuple[str, ...] = ()  # DOIs found elsewhere in the entry (e.g. in a URL)
    repairs: tuple[Repair, ...] = ()
    diagnostics: tuple[str, ...] = field(default=())

    @property
    def parsed(self) -> bool:
        """False when nothing bibliographic could be read from the text."""
        return self.item.title is not None or bool(self.item.author) or self.item.DOI is not None

    def to_json(self) -> dict[str, Any]:
        """The `--to json` record: index, text, span, parsed CSL item, repairs."""
        return {
            "index": self.index,
            "text": self.text,
            "lines": [self.span.start_line, self.span.end_line],
            "style": self.style,
            "key": self.key,
            "doi_input": self.doi_input,
            "parsed": self.item.to_csl(self.key or f"ref{self.index}"),
            "alt_dois": list(self.alt_dois),
            "repairs": [r.to_json() for r in self.repairs],
            "diagnostics": list(self.diagnostics),
        }


class DiffKind(StrEnum):
    """How a printed field differs from the registry's."""

    MISMATCH = "mismatch"  # another value: the registry's is suggested
    COSMETIC = "cosmetic"  # the same value written differently (spelling, case, abbreviation)
    LOST_CHARS = "lost-characters"  # characters or words lost in an export (`???`)
    MISSING = "missing"  # one side has no value where the other has one


@dataclass(frozen=True, slots=True)
class FieldDiff:
    """What one field of the reference says against the registry, and why it matters."""

    field: str  # CSL-JSON key: title, author, container-title, volume, issue, page, issued, DOI
    kind: DiffKind
    printed: str | None
    registry: str | None  # also the suggested correction
    why: str

    def to_json(self) -> dict[str, str | None]:
        return {"field": self.field, "printed": self.printed, "registry": self.registry,
                "kind": self.kind, "why": self.why}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Notice:
    """A retraction, correction or expression of concern about the cited work."""

    kind: str
    doi: str | None
    source: str | None
    date: str | None

    def to_json(self) -> dict[str, str | None]:
        return {"kind": self.kind, "doi": self.doi, "source": self.source, "date": self.date}


class Status(StrEnum):
    """A reference's `doi_status`: the one list of them, most worrying first."""

    WRONG = "wrong"  # the printed DOI is another work's
    UNKNOWN = "unknown"  # the printed DOI is not in the source
    INVALID = "invalid"  # `refs check`: the record could not be read (the reason is in `why`)
    SUPPLEMENT = "supplement"  # the printed DOI is a supplementary file's
    AMBIGUOUS = "ambiguous"  # two candidates too close to choose
    UNAVAILABLE = "unavailable"  # the source did not answer: never a verdict
    NONE = "none"  # no DOI printed and none found
    FOUND = "found"  # no DOI printed; one was found
    CONFIRMED = "confirmed"  # the printed DOI is the cited work's
    UNVERIFIED = "unverified"  # not checked (`--no-verify`)


STATUSES: tuple[Status, ...] = tuple(Status)
# Verdicts that say the printed DOI is not to be trusted as it stands.
DOI_PROBLEMS = frozenset({Status.WRONG, Status.UNKNOWN, Status.SUPPLEMENT})


@dataclass(frozen=True, slots=True)
class Verdict:
    """What refs concludes about one reference against a source."""

    doi_status: Status
    doi: str | None  # the DOI refs stands behind
    confidence: float | None  # calibrated probability that `doi` is the cited work's
    flags: tuple[FieldDiff, ...] = ()
    updates: tuple[Notice, ...] = ()
    corrected: Item | None = None  # the reference with the registry's values
    source: str | None = None
    why: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "doi_status": self.doi_status,
            "doi": self.doi,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "flags": [f.to_json() for f in self.flags],
            "updates": [u.to_json() for u in self.updates],
            "why": self.why,
            "source": self.source,
        }
