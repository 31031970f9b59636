"""The one table of what each status and notice means to a reader, for every report.

`refs clean`'s page and summary, `refs check`'s reports and its `--fail-on retracted`
all read their labels and severities from here, so an expression of concern is an
alert everywhere or nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from refs.model import Status


@dataclass(frozen=True, slots=True)
class StatusInfo:
    label: str  # what a reader sees, with the icon, in place of a colour
    icon: str
    meaning: str
    style: str  # the terminal's colour (rich markup)


STATUS_INFO: dict[Status, StatusInfo] = {
    Status.WRONG: StatusInfo("Wrong DOI", "✗", "the printed DOI belongs to another work", "bold red"),
    Status.UNKNOWN: StatusInfo("Unknown DOI", "?", "the printed DOI is not registered in the source", "red"),
    Status.INVALID: StatusInfo("Invalid", "!", "the record could not be read", "magenta"),
    Status.SUPPLEMENT: StatusInfo("Supplement DOI", "§", "the DOI is a supplement's, not the article's", "yellow"),
    Status.AMBIGUOUS: StatusInfo("Ambiguous", "≈", "several records match about equally well", "yellow"),
    Status.UNAVAILABLE: StatusInfo("Unavailable", "…", "the source could not be asked", "cyan"),
    Status.NONE: StatusInfo("No match", "–", "no record matches the reference", "dim"),
    Status.FOUND: StatusInfo("DOI found", "+", "a DOI was found for a reference printed without one", "green"),
    Status.CONFIRMED: StatusInfo("Confirmed", "✓", "the DOI is the cited work's", "green"),
    Status.UNVERIFIED: StatusInfo("Not verified", "○", "not checked against a source", "dim"),
}  # fmt: skip

# Notices that make a citation unsafe, shown as alerts and counted by `--fail-on retracted`;
# others (corrections, errata…) are notes.
SEVERE_NOTICES = frozenset({"retraction", "withdrawal", "removal", "expression_of_concern"})


def notice_kind(kind: str) -> str:
    """A notice kind in one spelling: `Expression of Concern` → `expression_of_concern`."""
    return kind.lower().replace(" ", "_").replace("-", "_")


def is_severe(kind: str) -> bool:
    """Does a notice of this kind make citing the work unsafe?"""
    kind = notice_kind(kind)
    return kind in SEVERE_NOTICES or "retract" in kind


def notice_label(kind: str) -> str:
    return kind.replace("_", " ").replace("-", " ").capitalize()
