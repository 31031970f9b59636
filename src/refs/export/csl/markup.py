"""How formatted text is written per target: markup for citeproc-py, and whole documents.

No I/O. A `Markup` is the formatter citeproc-py calls for each font change; `render`
joins formatted `Entry`s into a text, Markdown, HTML or RTF document.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from refs.errors import InputError

__all__ = ["MARKUPS", "Entry", "Markup", "Target", "render"]


class Target(StrEnum):
    text = "text"
    html = "html"
    markdown = "markdown"
    rtf = "rtf"


@dataclass(frozen=True, slots=True)
class Entry:
    """One formatted entry, in the target's markup."""

    position: int  # 0-based index of the item in the input
    label: str | None  # the number as the style prints it ("1.", "[1]"); None for author-date
    body: str

    @property
    def text(self) -> str:
        return f"{self.label} {self.body}" if self.label else self.body


# --- markup per target ---------------------------------------------------------------------


def _same(text: str) -> str:
    return text


def _tag(name: str, attrs: str = "") -> Callable[[str], str]:
    return lambda text: f"<{name}{attrs}>{text}</{name}>" if text else text


def _around(mark: str) -> Callable[[str], str]:
    """Markdown emphasis: the marks hug the text, spaces stay outside."""

    def wrap(text: str) -> str:
        core = text.strip()
        if not core:
            return text
        start = text[: len(text) - len(text.lstrip())]
        end = text[len(text.rstrip()) :]
        return f"{start}{mark}{core}{mark}{end}"

    return wrap


def _rtf_group(control: str) -> Callable[[str], str]:
    return lambda text: f"{{\\{control} {text}}}" if text else text


_MD_SPECIAL = re.compile(r"[\\`*<>\[\]]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


class Markup:
    """A citeproc-py formatter: how text is escaped and how each font change is written."""

    def __init__(
        self,
        preformat: Callable[[str], str],
        italic: Callable[[str], str] = _same,
        bold: Callable[[str], str] = _same,
        light: Callable[[str], str] = _same,
        underline: Callable[[str], str] = _same,
        sup: Callable[[str], str] = _same,
        sub: Callable[[str], str] = _same,
        small_caps: Callable[[str], str] = _same,
    ) -> None:
        def typed(wrap: Callable[[str], str]) -> Callable[[Any], str]:
            return lambda text: wrap(str(text))

        self.preformat = typed(preformat)
        self.Italic = self.Oblique = typed(italic)
        self.Bold = typed(bold)
        self.Light = typed(light)
        self.Underline = typed(underline)
        self.Superscript = typed(sup)
        self.Subscript = typed(sub)
        self.SmallCaps = typed(small_caps)


MARKUPS: dict[Target, Markup] = {
    Target.text: Markup(_same),
    Target.html: Markup(
        lambda t: html.escape(t, quote=False),
        italic=_tag("i"),
        bold=_tag("b"),
        light=_tag("span", ' style="font-weight:lighter"'),
        underline=_tag("u"),
        sup=_tag("sup"),
        sub=_tag("sub"),
        small_caps=_tag("span", ' style="font-variant:small-caps"'),
    ),
    Target.markdown: Markup(
        lambda t: _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), t),
        italic=_around("*"),
        bold=_around("**"),
        sup=_tag("sup"),
        sub=_tag("sub"),
    ),
    Target.rtf: Markup(
        lambda t: t.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}"),
        italic=_rtf_group("i"),
        bold=_rtf_group("b"),
        underline=_rtf_group("ul"),
        sup=_rtf_group("super"),
        sub=_rtf_group("sub"),
        small_caps=_rtf_group("scaps"),
    ),
}


# --- documents ----------------------------------------------------------------------------


def render(
    entries: Sequence[Entry], target: Target, *, title: str = "Bibliography", lang: str = "en-US"
) -> str:
    if target is Target.text:
        return "".join(f"{e.text}\n" for e in entries)
    if target is Target.markdown:
        return "\n".join(f"{e.text}\n" for e in entries)
    if target is Target.html:
        return _html_document(entries, title, lang)
    if target is Target.rtf:
        return _rtf_document(entries)
    raise InputError(f"unknown output {target!r}")  # pragma: no cover - StrEnum is closed


def _html_document(entries: Sequence[Entry], title: str, lang: str) -> str:
    numbered = any(e.label for e in entries)
    rows = []
    for e in entries:
        if numbered:
            inner = (
                f'<div class="csl-left-margin">{html.escape(e.label or "")}</div>'
                f'<div class="csl-right-inline">{e.body}</div>'
            )
        else:
            inner = e.body
        rows.append(f'  <div class="csl-entry">{inner}</div>\n')
    layout = (
        ".csl-entry{display:flex;gap:.5em}.csl-left-margin{min-width:2.5em;text-align:right}"
        if numbered
        else ".csl-entry{padding-left:2em;text-indent:-2em}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:Georgia,serif;line-height:1.5;max-width:48em;margin:2em auto;"
        f"padding:0 1em}}.csl-entry{{margin:0 0 .6em}}{layout}</style>\n</head>\n<body>\n"
        f'<div class="csl-bib-body">\n{"".join(rows)}</div>\n</body>\n</html>\n'
    )


def _rtf_document(entries: Sequence[Entry]) -> str:
    lines = [
        "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1{\\fonttbl{\\f0\\froman Times New Roman;}}\\f0\\fs24"
    ]
    for e in entries:
        text = f"{e.label}\\tab {e.body}" if e.label else e.body
        lines.append(f"{{\\pard\\fi-567\\li567\\sa120 {_rtf_unicode(text)}\\par}}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _rtf_unicode(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if code < 128:
            out.append(char)
            continue
        units = char.encode("utf-16-be")
        for i in range(0, len(units), 2):
            unit = int.from_bytes(units[i : i + 2], "big")
            out.append(f"\\u{unit - 65536 if unit > 32767 else unit}?")
    return "".join(out)
