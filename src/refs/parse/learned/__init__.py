"""The trained reference parser: a CRF tagger for the styles the rule parsers do not know.

`parse_learned(text)` → `(Item, diagnostics)`, like the rule parsers. The model ships as
package data (`model.crfsuite`, see NOTICE.md for the data it was trained on) and is
opened on first use; `available()` says whether it is there. `crf` tags a string and cuts
its labels into fields, `fields` turns those into an `Item`, `features` (with its word lists
in `words/`) is what the tagger sees of each token. Training is an offline step
(`make train-parser`, `refs.training.parser`), never imported at run time.
"""

from __future__ import annotations

from refs.parse.learned.crf import LABELS, available, tag
from refs.parse.learned.fields import parse_learned

__all__ = ["LABELS", "available", "parse_learned", "tag"]
