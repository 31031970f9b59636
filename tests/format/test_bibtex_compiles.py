"""The exported .bib of both seed lists through BibTeX and biber, in minimal LaTeX documents.

`refs clean` writes each seed list's .bib (default index source, isolated XDG dirs);
then pdflatex → bibtex → pdflatex with the `plain` style, and pdflatex → biber →
pdflatex with biblatex. Neither may warn about an entry, every key must reach the
.bbl, and the last pdflatex run must have no error. Needs Debian's texlive-latex-base
(pdflatex, bibtex), texlive-latex-recommended (etoolbox), texlive-bibtex-extra
(biblatex) and biber; each test skips, naming what is missing, without them.

The documents declare U+FFFD, which the exporter keeps on purpose (a character lost
upstream, see refs.export.bibtex): pdfLaTeX knows no glyph for it, and a document
citing such an entry has to say how to show it. The pure tests at the end need no TeX.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from refs.cli import app
from refs.export import to_bibtex
from refs.export.bibtex import bibtex_pages, escape_latex, protect_title
from refs.model import Date, Item, Person, Reference, Span
from refs.readers import read_bibtex

ROOT = Path(__file__).resolve().parents[2]
SEEDS = {
    "hal": ROOT / "refs" / "hal-ovarian-cancer.txt",
    "medsci": ROOT / "refs" / "medsci-2014-microenvironment.txt",
}
APT = "apt-get install -y --no-install-recommends"
CLASSIC_PACKAGES = "texlive-latex-base"
BIBLATEX_PACKAGES = "texlive-latex-base texlive-latex-recommended texlive-bibtex-extra biber"

PREAMBLE = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\DeclareUnicodeCharacter{FFFD}{\textbf{?}}
"""
CLASSIC = (
    PREAMBLE
    + r"""\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""
)
BIBLATEX = (
    PREAMBLE
    + r"""\usepackage[backend=biber]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""
)
_KEY = re.compile(r"^@\w+\{([^,\s]+),", re.MULTILINE)


def tex_missing(programs: tuple[str, ...], styles: tuple[str, ...]) -> list[str]:
    """The programs not on PATH and the LaTeX packages kpsewhich cannot find."""
    missing = [name for name in programs if shutil.which(name) is None]
    if styles and not missing:
        found = subprocess.run(
            ["kpsewhich", *styles], capture_output=True, text=True, check=False
        ).stdout.split()
        missing += [s for s in styles if not any(f.endswith("/" + s) for f in found)]
    return missing


def needs(
    programs: tuple[str, ...], styles: tuple[str, ...], packages: str
) -> pytest.MarkDecorator:
    missing = tex_missing(programs, styles)
    return pytest.mark.skipif(
        bool(missing),
        reason=f"needs {', '.join(missing)}: Debian {packages} ({APT} {packages})",
    )


needs_bibtex = needs(("pdflatex", "bibtex", "kpsewhich"), (), CLASSIC_PACKAGES)
needs_biber = needs(
    ("pdflatex", "biber", "kpsewhich"), ("biblatex.sty", "etoolbox.sty"), BIBLATEX_PACKAGES
)


@pytest.fixture(scope="module")
def bib_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each seed list cleaned against the default index, as the CLI writes it."""
    base = tmp_path_factory.mktemp("bib")
    env = {"XDG_DATA_HOME": str(base / "data"), "XDG_CACHE_HOME": str(base / "cache")}
    runner = CliRunner()
    out: dict[str, Path] = {}
    for name, seed in SEEDS.items():
        out[name] = base / f"{name}.bib"
        made = runner.invoke(app, ["clean", str(seed), "-o", str(out[name])], env=env)
        assert made.exit_code == 0, made.stderr
    return out


def cite_keys_of(bib: Path) -> list[str]:
    keys = _KEY.findall(bib.read_text(encoding="utf-8"))
    assert len(keys) == 50, f"{bib.name}: {len(keys)} entries"
    return keys


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=300, check=False
    )


def pdflatex(cwd: Path) -> None:
    done = run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd)
    log = (cwd / "doc.log").read_text(encoding="utf-8", errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert done.returncode == 0 and not errors, f"pdflatex failed: {errors}\n{done.stdout[-2000:]}"


def document(tmp_path: Path, bib: Path, tex: str) -> Path:
    shutil.copyfile(bib, tmp_path / "refs.bib")
    (tmp_path / "doc.tex").write_text(tex, encoding="utf-8")
    return tmp_path


# What each bibliography tool writes in its .blg about a bad entry, and how its .bbl
# names a cited key.
COMPLAINT = {
    "bibtex": re.compile(r"^Warning--|error message|---line"),
    "biber": re.compile(r"> (WARN|ERROR) - "),
}
CITED = {
    "bibtex": re.compile(r"\\bibitem\{([^}]+)\}"),
    "biber": re.compile(r"\\entry\{([^}]+)\}"),
}


def compile_silently(bib: Path, tex: str, tool: str, tmp_path: Path) -> None:
    """pdflatex → `tool` → pdflatex: the tool exits 0 without a complaint in its .blg,
    every key of `bib` reaches the .bbl, and both pdflatex runs are clean."""
    work = document(tmp_path, bib, tex)
    pdflatex(work)
    done = run([tool, "doc"], work)
    blg = (work / "doc.blg").read_text(encoding="utf-8", errors="replace")
    complaints = [line for line in blg.splitlines() if COMPLAINT[tool].search(line)]
    assert done.returncode == 0, done.stdout[-2000:]
    assert complaints == [], "\n".join(complaints)
    bbl = (work / "doc.bbl").read_text(encoding="utf-8", errors="replace")
    assert set(cite_keys_of(bib)) <= set(CITED[tool].findall(bbl))
    pdflatex(work)


# --- TeX ----------------------------------------------------------------------


@pytest.mark.slow
@needs_bibtex
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_bibtex_plain_is_silent(seed: str, bib_files: dict[str, Path], tmp_path: Path) -> None:
    compile_silently(bib_files[seed], CLASSIC, "bibtex", tmp_path)


@pytest.mark.slow
@needs_biber
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_biber_biblatex_is_silent(seed: str, bib_files: dict[str, Path], tmp_path: Path) -> None:
    compile_silently(bib_files[seed], BIBLATEX, "biber", tmp_path)


# --- the exporter, without TeX ------------------------------------------------


def as_refs(*items: Item) -> list[Reference]:
    return [
        Reference(index=i, text="", span=Span(i, i), item=item, style="test")
        for i, item in enumerate(items, start=1)
    ]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("interferon-α2b", r"interferon-{$\alpha$}2b"),
        ("Γ-secretase and ε", r"{$\Gamma$}-secretase and {$\varepsilon$}"),
        ("Β cells (Greek capital)", "{B} cells (Greek capital)"),
        ("≤5 µm at −80 °C", r"{$\leq$}5 µm at {$-$}80 °C"),
        ("CO₂ and Ca²⁺", r"CO{\textsubscript{2}} and Ca²{\textsuperscript{+}}"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("é ü ß Œ – “q” → ± × · °", "é ü ß Œ – “q” → ± × · °"),
        ("lost \ufffd kept", "lost \ufffd kept"),
    ],
)
def test_what_pdflatex_cannot_typeset_is_spelled_in_latex(text: str, written: str) -> None:
    assert escape_latex(text) == written


def test_spelled_characters_are_braced_in_titles() -> None:
    # Braces keep BibTeX's sentence case off them: `$\Gamma$` would become `$\gamma$`.
    assert protect_title("Role of TGF-β and γδ T cells") == (
        r"Role of {TGF-{$\beta$}} and {$\gamma$}{$\delta$} {T} cells"
    )


def test_page_ranges_with_a_minus_sign_still_get_a_double_hyphen() -> None:
    assert bibtex_pages("12\u221234") == "12--34"
    assert bibtex_pages("e1002345") == "e1002345"


def test_greek_and_math_read_back_as_written() -> None:
    item = Item(
        author=(Person(family="Müller", given="Jörg"),),
        issued=Date(2014),
        title="TNF-α, IFN-γ and ≥2 Δ-mutants",
        container_title="Journal",
    )
    back = read_bibtex(to_bibtex(as_refs(item)))
    assert [r.item for r in back] == [item]


def test_greek_prose_stays_utf8_while_greek_symbols_become_math() -> None:
    assert escape_latex("Η επίδραση της θεραπείας") == "{H} επίδραση της θεραπείας"
    assert (
        escape_latex("γδ T cells and TNF-α") == r"{$\gamma$}{$\delta$} T cells and TNF-{$\alpha$}"
    )
