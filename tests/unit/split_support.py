"""Shared by the tests of `refs.split`: reference lists to paste, Hypothesis strategies."""

from __future__ import annotations

import re

from hypothesis import strategies as st

from refs.split import join_lines, split_references


def texts(pasted: str) -> list[str]:
    """Each chunk as the one-line reference string the parser sees."""
    return [join_lines(c.text.split("\n")) for c in split_references(pasted)]


# --- unnumbered references wrapped over lines (a PDF's reference list, copied) ----------

APA = [
    "Abramowitz, J. S., Deacon, B. J., & Whiteside, S. P. H. (2019). Exposure therapy for "
    "anxiety: Principles and practice (2nd ed.). Guilford Press.",
    "Baddeley, A. (2012). Working memory: Theories, models, and controversies. Annual Review "
    "of Psychology, 63, 1–29. https://doi.org/10.1146/annurev-psych-120710-100422",
    "Cohen, S., Janicki-Deverts, D., & Miller, G. E. (2007). Psychological stress and disease. "
    "JAMA, 298(14), 1685–1687. https://doi.org/10.1001/jama.298.14.1685",
    "de Vries, H., & O'Brien, K. M. (2018). Self-efficacy and the intention to quit smoking "
    "among adolescents in the Netherlands. Health Education Research, 33(2), 112–124.",
    "Müller-Lüdenscheidt, H., van der Berg, A., & Novák, P. (2021). Immunological markers of "
    "chronic fatigue: A multicentre cohort study. Brain, Behavior, and Immunity, 94, 201–212.",
    "World Health Organization. (2020). Global tuberculosis report 2020. WHO.",
    "Zhang, W. (2016). Sleep and memory consolidation in older adults. Sleep, 39(4), 821–830.",
]


APA_FLUSH_LEFT = """\
Abramowitz, J. S., Deacon, B. J., & Whiteside, S. P. H. (2019). Exposure therapy
for anxiety: Principles and practice (2nd ed.). Guilford Press.
Baddeley, A. (2012). Working memory: Theories, models, and controversies. Annual
Review of Psychology, 63, 1–29. https://doi.org/10.1146/annurev-psych-120710-
100422
Cohen, S., Janicki-Deverts, D., & Miller, G. E. (2007). Psychological stress and
disease. JAMA, 298(14), 1685–1687. https://doi.org/10.1001/jama.298.14.1685
de Vries, H., & O'Brien, K. M. (2018). Self-efficacy and the intention to quit
smoking among adolescents in the Netherlands. Health Education Research, 33(2),
112–124.
Müller-Lüdenscheidt, H., van der Berg, A., & Novák, P. (2021). Immunological
markers of chronic fatigue: A multicentre cohort study. Brain, Behavior, and
Immunity, 94, 201–212.
World Health Organization. (2020). Global tuberculosis report 2020. WHO.
Zhang, W. (2016). Sleep and memory consolidation in older adults. Sleep, 39(4),
821–830.
"""


def first_lines(pasted: str) -> list[str]:
    return [c.text.split("\n")[0] for c in split_references(pasted)]


# --- for the properties -----------------------------------------------------------------

_WORDS = st.sampled_from(
    ["Smith,", "J.", "A.", "(2001).", "Title", "of", "the", "work.", "Journal,", "12(3),",
     "33–45.", "https://doi.org/10.1000/abc.", "van", "der", "Berg,", "et", "al.", "2005;12:33-45.",
     "immuno-", "logy", "IL-", "6", "1.", "2.", "[3]", "4)", "•", "———.", "In:", "Müller,", "&",
     "and", "pp.", "Press.", "WHO.", "x", "Ødegaard", "KJ,", "(Eds.),", "10.1016/j.cell.", "—"]
)  # fmt: skip


_LINES = st.lists(
    st.tuples(st.sampled_from(["", " ", "    "]), st.lists(_WORDS, max_size=14)).map(
        lambda t: t[0] + " ".join(t[1])
    ),
    max_size=14,
)


def _solid(text: str) -> str:
    return re.sub(r"\s+", "", text)
