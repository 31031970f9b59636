"""A result table and its plain-text (Markdown pipe) rendering, pasteable into an issue note."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# A column whose cells all start with a number (counts, rates, "12/50 24%", "≥ 5,000") is
# right-aligned; any other column is left-aligned.
_NUMERIC = re.compile(r"^[~≥≤<>+\-]?\s*\d")


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table: column headers, rows of cells (anything `str()` can show), notes below."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]
    notes: Sequence[str] = field(default_factory=tuple)

    def render(self) -> str:
        """Aligned Markdown: `### title`, the pipe table, then the notes as a bullet list."""
        header = [_cell(c) for c in self.columns]
        if any(len(row) > len(header) for row in self.rows):
            raise ValueError(f"{self.title}: a row has more cells than there are columns")
        body = [[_cell(v) for v in row] + [""] * (len(header) - len(row)) for row in self.rows]
        widths = [max([len(header[i]), 3, *(len(r[i]) for r in body)]) for i in range(len(header))]
        right = [
            i > 0 and any(r[i] for r in body) and all(_NUMERIC.match(r[i]) for r in body if r[i])
            for i in range(len(header))
        ]

        def line(cells: Sequence[str]) -> str:
            padded = (
                c.rjust(w) if r else c.ljust(w)
                for c, w, r in zip(cells, widths, right, strict=True)
            )
            return "| " + " | ".join(padded) + " |"

        rule = (
            "|"
            + "|".join(
                ("-" * (w + 1) + ":") if r else ("-" * (w + 2))
                for w, r in zip(widths, right, strict=True)
            )
            + "|"
        )
        out = [f"### {self.title}", "", line(header), rule, *(line(r) for r in body)]
        if self.notes:
            out += ["", *(f"- {note}" for note in self.notes)]
        return "\n".join(out)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("|", "\\|")
