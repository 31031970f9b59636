"""Exporters: `Reference`s → BibTeX, CSL-JSON or RIS text, with stable citation keys.

Each takes the references and returns a string; none does I/O. Bibliographies in a CSL
style are `refs.export.csl`, imported on its own (it loads citeproc-py and lxml).
"""

from refs.export.bibtex import to_bibtex
from refs.export.csljson import to_csl_json
from refs.export.keys import cite_keys
from refs.export.ris import to_ris

__all__ = ["cite_keys", "to_bibtex", "to_csl_json", "to_ris"]
