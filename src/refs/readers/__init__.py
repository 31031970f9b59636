"""Readers of structured inputs: BibTeX, CSL-JSON and RIS text → `Reference`s.

Each takes the whole input as a string and does no I/O. Every record is passed
through `refs.normalize.normalize_item`, and the repairs are kept on it.
"""

from refs.readers.bibtex import read_bibtex
from refs.readers.csljson import read_csl_json
from refs.readers.ris import read_ris

__all__ = ["read_bibtex", "read_csl_json", "read_ris"]
