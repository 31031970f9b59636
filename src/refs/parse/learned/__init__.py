"""The trained reference parser: a CRF tagger for the styles the rule parsers do not know.

`parse_learned(text)` → `(Item, diagnostics)`, like the rule parsers. The model ships as
package data (`model.crfsuite`, see NOTICE.md for the data it was trained on) and is
opened on first use; `available()` says whether it is there. Training is an offline
step (`make train-parser`, `refs.parse.learned.train`), never imported at run time.
"""

from __future__ import annotations

from refs.parse.learned.crf import LABELS, available, parse_learned, tag

__all__ = ["LABELS", "available", "parse_learned", "tag"]
