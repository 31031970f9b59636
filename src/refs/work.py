"""The registry's side of a comparison: a `Work` record and the notices linked to it.

Data only, beside `refs.model` (the reference's side). `Work.from_message` reads the
`message` of a Crossref REST answer, or a record of the index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from refs.ids import clean_doi, doi_key
from refs.model import Date, Person, date_from_csl


@dataclass(frozen=True, slots=True)
class Relation:
    """A link from a work to a notice about it: retraction, correction, concern…"""

    kind: str  # e.g. "retraction", "correction", "expression_of_concern", "is-preprint-of"
    doi: str | None
    source: str | None = None  # e.g. "retraction-watch", "publisher"
    date: Date | None = None


@dataclass(frozen=True, slots=True)
class Work:
    """A Crossref work record: typed for the fields refs uses, the rest kept in `raw`."""

    DOI: str
    type: str = "journal-article"
    title: str | None = None
    subtitle: str | None = None
    container_title: str | None = None
    container_title_short: str | None = None
    author: tuple[Person, ...] = ()
    issued: Date | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    article_number: str | None = None
    ISSN: tuple[str, ...] = ()
    publisher: str | None = None
    updated_by: tuple[Relation, ...] = ()  # notices about this work
    update_to: tuple[Relation, ...] = ()  # when this work is itself a notice
    relation: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # e.g. is-part-of
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # Every year the record dates the work (issued, print, online), worked out once.
    years: frozenset[int] | None = field(default=None, compare=False, repr=False)

    def notices(self) -> tuple[Relation, ...]:
        """Notices about this work: `updated-by`, and `relation` links that name one.

        Some deposits link a retraction or a correction only as a relation
        (`is-retracted-by`, `correction`…), not as an update.
        """
        # A notice's own record links back to the work it updates: that is no notice.
        seen = {doi_key(r.doi) for r in (*self.updated_by, *self.update_to) if r.doi}
        linked: list[Relation] = []
        for kind, targets in self.relation.items():
            notice = _notice_kind(kind)
            if notice is None:
                continue
            for target in targets:
                doi = clean_doi(target)  # relation ids may be DOIs or doi.org URLs
                if doi and doi_key(doi) not in seen:
                    seen.add(doi_key(doi))
                    linked.append(Relation(notice, doi, "relation"))
        return self.updated_by + tuple(linked)

    @classmethod
    def from_message(cls, message: Mapping[str, Any]) -> Work:
        """Build from the `message` of `GET /works/{doi}` (or a list item)."""

        def first(key: str) -> str | None:
            value = message.get(key)
            if isinstance(value, list):
                value = next((v for v in value if isinstance(v, str) and v.strip()), None)
            return value.strip() if isinstance(value, str) and value.strip() else None

        def text(key: str) -> str | None:
            value = message.get(key)
            return str(value).strip() if value not in (None, "", []) else None

        authors = tuple(
            Person.from_csl(a) if not a.get("name") else Person(literal=str(a["name"]))
            for a in message.get("author") or []
            if isinstance(a, dict)
        )
        issued = work_date(message)
        relation: dict[str, tuple[str, ...]] = {}
        for kind, targets in (message.get("relation") or {}).items():
            if isinstance(targets, list):
                ids = tuple(
                    str(t.get("id")) for t in targets if isinstance(t, dict) and t.get("id")
                )
                relation[str(kind)] = ids
        return cls(
            DOI=str(message.get("DOI") or "").strip(),
            type=str(message.get("type") or "journal-article"),
            title=first("title"),
            subtitle=first("subtitle"),
            container_title=first("container-title"),
            container_title_short=first("short-container-title"),
            author=authors,
            issued=issued,
            volume=text("volume"),
            issue=text("issue"),
            page=text("page"),
            article_number=text("article-number"),
            ISSN=tuple(str(s) for s in message.get("ISSN") or [] if s),
            publisher=text("publisher"),
            updated_by=_relations(message.get("updated-by")),
            update_to=_relations(message.get("update-to")),
            relation=relation,
            raw=message,
            years=record_years(message, issued),
        )


# Relation types that point to a notice about the work, by the update type they stand for.
_NOTICE_RELATIONS = {
    "retraction": "retraction", "is-retracted-by": "retraction", "retracted-by": "retraction",
    "has-retraction": "retraction", "correction": "correction", "is-corrected-by": "correction",
    "corrected-by": "correction", "has-correction": "correction", "erratum": "erratum",
    "has-erratum": "erratum", "withdrawal": "withdrawal", "is-withdrawn-by": "withdrawal",
    "expression-of-concern": "expression_of_concern",
    "expression_of_concern": "expression_of_concern",
}  # fmt: skip


def _notice_kind(relation: str) -> str | None:
    return _NOTICE_RELATIONS.get(relation.lower())


_YEAR_KEYS = ("published-print", "published-online", "published")


def record_years(message: Mapping[str, Any], issued: Date | None) -> frozenset[int]:
    """Every year a record dates its work: the work's date, print, online, published."""
    dates = (issued, *(date_from_csl(message.get(key)) for key in _YEAR_KEYS))
    return frozenset(date.year for date in dates if date is not None)


def work_date(message: Mapping[str, Any]) -> Date | None:
    """The work's date: `issued`, else print, else online publication."""
    for key in ("issued", "published-print", "published-online", "published", "created"):
        date = date_from_csl(message.get(key))  # Crossref dates are CSL date objects
        if date is not None:
            return date
    return None


def _relations(value: Any) -> tuple[Relation, ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for entry in value:
        if not isinstance(entry, dict):
            continue
        date = entry.get("updated")
        out.append(
            Relation(
                kind=str(entry.get("type") or entry.get("label") or "update").lower(),
                doi=str(entry["DOI"]) if entry.get("DOI") else None,
                source=str(entry["source"]) if entry.get("source") else None,
                date=date_from_csl(date),
            )
        )
    return tuple(out)
