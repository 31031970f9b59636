"""Review reports of verified lists: a self-contained HTML page and a Markdown summary.

Both take the JSON records of `refs.report.record()`, so `refs clean` and `refs check`
render the same report.
"""

from __future__ import annotations

from refs.html.report import STATUS_INFO, render_html, render_markdown

__all__ = ["STATUS_INFO", "render_html", "render_markdown"]
