"""Find and canonicalise identifiers: DOI, PMID, PMCID, HAL id.

Pure functions. A DOI is canonicalised to its bare form (`10.prefix/suffix`),
case kept as printed (DOIs compare case-insensitively: use `doi_key`).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

# A DOI inside arbitrary text: 10.NNNN[.NNNN]/suffix, suffix up to whitespace.
# SICI DOIs hold `<` and `>` (`…<979::aid-bies12>3.0.co;2-o`): kept; a `>` closing
# an angle-bracketed DOI is trimmed below.
_DOI_IN_TEXT = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/[^\s\"]+", re.IGNORECASE)
_DOI_EXACT = re.compile(r"^10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+$")
# Leading forms users paste: doi:, DOI :, https://doi.org/, dx.doi.org…
_DOI_PREFIX = re.compile(
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
    re.compile(r"^(?P<article>10\.\d{4,9}/.+?)\.s\d{3,4}$", re.IGNORECASE),
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


def clean_doi(text: str) -> str | None:
    """Canonicalise one printed DOI (`DOI : 10.1/x.`, `https://doi.org/…`, a URL).

    Returns the bare DOI, or None when the text holds no DOI.
    """
    value = unquote(text.strip()) if "%2f" in text.lower() else text.strip()
    value = _DOI_PREFIX.sub("", value)
    match = _DOI_IN_TEXT.search(value)
    if match is None:
        return None
    doi = match.group(0)
    # A query string or fragment is a URL's, never a DOI's (in the forms we accept).
    doi = re.split(r"[?#]|</", doi, maxsplit=1)[0]  # a query, fragment or closing HTML tag
    prev = None
    while prev != doi:
        prev = doi
        doi = _URL_TAILS.sub("", doi)
        doi = doi.rstrip(_TRAILING_PUNCT) if not _balanced_tail(doi) else doi
    return doi if _DOI_EXACT.match(doi) else None


def _balanced_tail(doi: str) -> bool:
    """Keep a closing bracket that closes one opened inside the DOI: S1471-4914(01)02016-0."""
    if not doi or doi[-1] not in ")]>":
        return False
    opener = {")": "(", "]": "[", ">": "<"}[doi[-1]]
    return doi.count(opener) >= doi.count(doi[-1])


def find_dois(text: str) -> list[str]:
    """Every DOI in free text (URLs included), canonicalised, in order, unique."""
    out: list[str] = []
    for match in _DOI_IN_TEXT.finditer(text):
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
