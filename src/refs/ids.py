"""Find and canonicalise identifiers: DOI, PMID, PMCID, HAL id.

Pure functions. A DOI is canonicalised to its bare form (`10.prefix/suffix`),
case kept as printed (DOIs compare case-insensitively: use `doi_key`).

The DOI patterns of the whole package live here, once; other modules build theirs
from these pieces rather than writing `10\\.\\d{4,9}` again.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

# --- DOI pattern pieces --------------------------------------------------------------
# Strings, to embed in a larger pattern. A DOI is `10.`, a registrant code of 4–9
# digits, maybe subdivided (`10.1000.10/…`), a `/` and a suffix.
#
# The registrant code's digits are ASCII: Crossref's are, and `10.١٢٣٤/x` is no DOI.
DOI_PREFIX = r"10\.[0-9]{4,9}"
DOI_SUBDIVISIONS = r"(?:\.[0-9]+)*"
# Variant: `\d` (a str pattern's `\d` is any script's decimal digit: `١`, `४`, …). The
# text heuristics (splitting, tokens, masking identifiers in a reference's text) and
# `clean_doi(whole=True)` have always read the prefix so; kept as it was, because
# moving them to DOI_PREFIX would change how text with such digits is cut and read.
DOI_PREFIX_ANY_DIGITS = r"10\.\d{4,9}"
DOI_SUBDIVISIONS_ANY_DIGITS = r"(?:\.\d+)*"
# A DOI-looking token in running text, as the text heuristics see it: no subdivided
# registrant code (as they always were), the suffix up to whitespace, punctuation and all.
DOI_IN_PROSE = DOI_PREFIX_ANY_DIGITS + r"/\S+"

# --- DOI patterns --------------------------------------------------------------------
# A DOI inside arbitrary text: 10.NNNN[.NNNN]/suffix, suffix up to whitespace or `"`.
# SICI DOIs hold `<` and `>` (`…<979::aid-bies12>3.0.co;2-o`): kept; a `>` closing
# an angle-bracketed DOI is trimmed by `clean_doi`.
DOI_IN_TEXT = re.compile(rf"{DOI_PREFIX}{DOI_SUBDIVISIONS}/[^\s\"]+", re.IGNORECASE)
# A whole string that is a DOI (what `clean_doi` returns).
DOI_EXACT = re.compile(rf"^{DOI_PREFIX}{DOI_SUBDIVISIONS}/\S+$")
# A whole string that is a DOI standing alone, for `clean_doi(whole=True)`: the same as
# DOI_EXACT but with any-script digits (the variant above), as `check.inputs` read it.
DOI_WHOLE = re.compile(rf"^{DOI_PREFIX_ANY_DIGITS}{DOI_SUBDIVISIONS_ANY_DIGITS}/\S+$")
# What Crossref's API accepts as a DOI: its filter validation (else a batch gets a 400)
# and Cayenne's `doi-not-valid`. A value validated as asked, not a printed DOI found:
# any number of registrant digits (ASCII), any suffix, spaces included. The client
# (`sources.crossref_api`) and the local server (`serve.filters`) both hold to it.
CROSSREF_DOI_PREFIX = r"10\.[0-9]{4,}"
CROSSREF_DOI = re.compile(rf"^{CROSSREF_DOI_PREFIX}(?:\.[0-9]+)*/.+$", re.ASCII)

# Leading forms users paste: doi:, DOI :, https://doi.org/, dx.doi.org…
_RESOLVER_PREFIX = re.compile(
    r"^\s*(?:doi\s*:\s*|(?:https?://)?(?:dx\.)?doi\.org/|info:doi/|urn:doi:)+", re.IGNORECASE
)
# Path tails publishers append after the DOI in their URLs.
_URL_TAILS = re.compile(
    r"/(?:pdf|pdfdirect|epdf|full|abstract|fulltext|html|meta|epub|summary|references)/?$",
    re.IGNORECASE,
)
_TRAILING_PUNCT = ".,;:)]}>'\""

# Supplementary/component DOIs: the article DOI followed by a file suffix.
# PLOS: .s001 (supplement), .g001 (figure), .t001 (table); JCI: DS1 (supplemental data).
_COMPONENT_SUFFIXES = (
    re.compile(r"^(?P<article>10\.1371/journal\.[a-z]+\.\d{7})\.[sgt]\d{3,4}$", re.IGNORECASE),
    re.compile(r"^(?P<article>10\.1172/jci\d+)ds\d+$", re.IGNORECASE),
    re.compile(r"^(?P<article>10\.7717/peerj\.\d+)/supp-\d+$", re.IGNORECASE),  # PeerJ
    re.compile(rf"^(?P<article>{DOI_PREFIX_ANY_DIGITS}/.+?)\.s\d{{3,4}}$", re.IGNORECASE),
)

_PMCID = re.compile(r"\bPMC(\d{4,9})\b", re.IGNORECASE)
_PMID_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/(\d{1,9})")
_HAL_URL = re.compile(
    r"hal(?:\.archives-ouvertes)?\.[a-z.]+/(?:[a-z]+/)?((?:hal|inserm|tel|cea|halshs|hal-pasteur"
    r"|[a-z]+)-\d{8})",
    re.IGNORECASE,
)


def doi_key(doi: str) -> str:
    """The comparison key of a canonical DOI: lower-cased."""
    return doi.lower()


def clean_doi(text: str, *, whole: bool = False) -> str | None:
    """Canonicalise one printed DOI (`DOI : 10.1/x.`, `https://doi.org/…`, a URL).

    Returns the bare DOI, or None when the text holds no DOI.

    `whole`: the text is one DOI on its own (a DOI-list line, a DOI column): once its
    `doi:`/resolver prefix is off, a DOI standing alone (`DOI_WHOLE`) is kept with every
    character, nothing trimmed (a trailing `.` or `)`, a `/full`, a `?`…); anything
    else is canonicalised as without `whole`.
    """
    value = unquote(text.strip()) if "%2f" in text.lower() else text.strip()
    if whole:
        # A value that starts with white space (only `%20`… decoded can) keeps its prefix.
        bare = value if value[:1].isspace() else _RESOLVER_PREFIX.sub("", value)
        return bare if DOI_WHOLE.match(bare) else clean_doi(value)
    value = _RESOLVER_PREFIX.sub("", value)
    match = DOI_IN_TEXT.search(value)
    if match is None:
        return None
    doi = match.group(0)
    # A query string or fragment is a URL's, never a DOI's (in the forms we accept), but
    # for the check character `#` that ends a SICI DOI (`…3.0.co;2-#`).
    doi = re.split(r"\?|(?<!;2-)#|</", doi, maxsplit=1)[0]  # a query, fragment or HTML tag
    prev = None
    while prev != doi:
        prev = doi
        doi = _URL_TAILS.sub("", doi)
        doi = doi.rstrip(_TRAILING_PUNCT) if not _balanced_tail(doi) else doi
    return doi if DOI_EXACT.match(doi) else None


def _balanced_tail(doi: str) -> bool:
    """Keep a closing bracket that closes one opened inside the DOI: S1471-4914(01)02016-0."""
    if not doi or doi[-1] not in ")]>":
        return False
    opener = {")": "(", "]": "[", ">": "<"}[doi[-1]]
    return doi.count(opener) >= doi.count(doi[-1])


def find_dois(text: str) -> list[str]:
    """Every DOI in free text (URLs included), canonicalised, in order, unique."""
    out: list[str] = []
    for match in DOI_IN_TEXT.finditer(text):
        doi = clean_doi(match.group(0))
        if doi and doi_key(doi) not in {doi_key(d) for d in out}:
            out.append(doi)
    return out


def split_component(doi: str) -> tuple[str, str | None]:
    """(article DOI, component suffix) for a supplementary-file DOI, else (doi, None)."""
    for pattern in _COMPONENT_SUFFIXES:
        match = pattern.match(doi)
        if match:
            article = match.group("article")
            return article, doi[len(article) :]
    return doi, None


def find_pmcid(text: str) -> str | None:
    match = _PMCID.search(text)
    return f"PMC{match.group(1)}" if match else None


def find_pmid(text: str) -> str | None:
    match = _PMID_URL.search(text)
    return match.group(1) if match else None


def find_hal_id(text: str) -> str | None:
    match = _HAL_URL.search(text)
    return match.group(1).lower() if match else None
