"""Training: offline entry points, never imported at run time.

`python -m refs.training.parser` trains the reference tagger (`make train-parser`,
`refs/parse/learned/model.crfsuite`); `python -m refs.training.matcher` fits the matcher's
calibrated confidence (`make train-matcher`, `refs/data/matcher.json`). They may import the
runtime packages; nothing at run time imports them.
"""
