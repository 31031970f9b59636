"""Splitting pasted text into references, with line spans."""

from __future__ import annotations

import re
import textwrap
from functools import cache

from hypothesis import given
from hypothesis import strategies as st

from refs.split import join_lines, split_references
from refs.split.signals import author_score, end_score


def texts(pasted: str) -> list[str]:
    """Each chunk as the one-line reference string the parser sees."""
    return [join_lines(c.text.split("\n")) for c in split_references(pasted)]


def test_number_alone_on_its_line() -> None:
    chunks = split_references("1.\nFirst ref. 2001;1:1.\n2.\nSecond ref. 2002;2:2.\n")
    assert [(c.number, c.text, c.start_line, c.end_line) for c in chunks] == [
        (1, "First ref. 2001;1:1.", 2, 2),
        (2, "Second ref. 2002;2:2.", 4, 4),
    ]


def test_numbered_on_the_same_line_in_three_forms() -> None:
    for label in ("{}.", "[{}]", "{})"):
        text = "\n".join(
            f"{label.format(n)} Author A. Title {n}. J. 2001;{n}:1." for n in (1, 2, 3)
        )
        chunks = split_references(text)
        assert [c.number for c in chunks] == [1, 2, 3]
        assert chunks[1].text == "Author A. Title 2. J. 2001;2:1."


def test_numbered_reference_wrapped_over_lines() -> None:
    chunks = split_references(
        "[1] Author A. A long title\n    that wraps. J. 2001;1:1.\n[2] B. 2002.\n"
    )
    assert chunks[0].text == "Author A. A long title\nthat wraps. J. 2001;1:1."
    assert (chunks[0].start_line, chunks[0].end_line) == (1, 2)


def test_hal_blocks_keep_their_doi_and_url_lines() -> None:
    text = (
        "A. B, Title, Journal, vol.1, pp.1-2, 2001.\nDOI : 10.1234/a\n\nURL : http://x.org/a\n\n"
        "C. D, Other, Journal, vol.2, pp.3-4, 2002.\nDOI : 10.1234/b\n"
    )
    chunks = split_references(text)
    assert len(chunks) == 2
    assert chunks[0].text.splitlines()[1:] == ["DOI : 10.1234/a", "URL : http://x.org/a"]
    assert (chunks[0].start_line, chunks[0].end_line) == (1, 4)


def test_one_reference_per_line() -> None:
    chunks = split_references("Ref one, 2001.\nRef two, 2002.\n\n")
    assert [c.text for c in chunks] == ["Ref one, 2001.", "Ref two, 2002."]


def test_whole_document_uses_the_reference_section() -> None:
    text = (
        "Title\n\nBody text 1. with numbers.\n2. more body\n\nReferences\n1.\nA ref.\n2.\nB ref.\n"
    )
    assert [c.text for c in split_references(text)] == ["A ref.", "B ref."]


def test_nothing_to_split() -> None:
    assert split_references("") == []
    assert split_references("\n\n  \n") == []


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


def test_apa_wrapped_flush_left() -> None:
    chunks = split_references(APA_FLUSH_LEFT)
    assert [join_lines(c.text.split("\n")) for c in chunks] == APA
    assert [(c.start_line, c.end_line) for c in chunks] == [
        (1, 2), (3, 5), (6, 7), (8, 10), (11, 13), (14, 14), (15, 16)
    ]  # fmt: skip


def test_apa_wrapped_with_hanging_indent() -> None:
    pasted = "\n".join(
        line for ref in APA for line in textwrap.wrap(ref, 72, subsequent_indent="    ")
    )
    assert texts(pasted) == APA


def test_first_line_indent() -> None:
    pasted = "\n".join(
        line
        for ref in APA
        for line in textwrap.wrap(ref, 76, initial_indent="    ", break_on_hyphens=False)
    )
    assert texts(pasted) == APA


def test_apa_one_per_line_is_left_alone() -> None:
    assert texts("\n".join(APA)) == APA


HARVARD_HANGING = """\
Bourdieu, P. (1986) 'The forms of capital', in Richardson, J.G. (ed.) Handbook
   of theory and research for the sociology of education. New York: Greenwood
   Press, pp. 241–258.
Castells, M. (2010) The rise of the network society. 2nd edn. Chichester:
   Wiley-Blackwell.
Ostrom, E. (1990) Governing the commons: the evolution of institutions for
   collective action. Cambridge: Cambridge University Press.
"""


def test_harvard_hanging_indent() -> None:
    assert texts(HARVARD_HANGING) == [
        "Bourdieu, P. (1986) 'The forms of capital', in Richardson, J.G. (ed.) Handbook of "
        "theory and research for the sociology of education. New York: Greenwood Press, "
        "pp. 241–258.",
        "Castells, M. (2010) The rise of the network society. 2nd edn. Chichester: "
        "Wiley-Blackwell.",
        "Ostrom, E. (1990) Governing the commons: the evolution of institutions for collective "
        "action. Cambridge: Cambridge University Press.",
    ]


CHICAGO = """\
Foucault, Michel. Discipline and Punish: The Birth of the Prison. Translated by
Alan Sheridan. New York: Vintage Books, 1995.
———. The History of Sexuality. Vol. 1, An Introduction. Translated by Robert
Hurley. New York: Pantheon Books, 1978.
Geertz, Clifford. The Interpretation of Cultures: Selected Essays. New York:
Basic Books, 1973.
Spivak, Gayatri Chakravorty. "Can the Subaltern Speak?" In Marxism and the
Interpretation of Culture, edited by Cary Nelson and Lawrence Grossberg,
271–313. Urbana: University of Illinois Press, 1988.
"""


def test_chicago_with_same_author_dashes() -> None:
    chunks = split_references(CHICAGO)
    assert [c.text.split("\n")[0][:12] for c in chunks] == [
        "Foucault, Mi", "———. The His", "Geertz, Clif", "Spivak, Gaya"
    ]  # fmt: skip
    assert texts(CHICAGO)[3].endswith(
        "Grossberg, 271–313. Urbana: University of Illinois Press, 1988."
    )


VANCOUVER = """\
Okafor CN, Lindqvist B, Tanaka H. Serum ferritin and early mortality in sepsis:
a prospective cohort study. Crit Care Med. 2019;47(3):312-20.
Whitfield JB, Zhu G, Madden PA, Neale MC, Heath AC, Martin NG. The genetics of
alcohol intake and of alcohol dependence. Alcohol Clin Exp Res. 2004;28(8):1153-
60.
Nguyen TT, Rossi M. Dose-dependent effects of vitamin D on bone density in post-
menopausal women: an immuno-
logical perspective. J Bone Miner Res. 2015;30(5):812-9.
Ødegaard KJ. Fatigue after stroke. Stroke. 2011;42(6):1583-8.
"""


def test_vancouver_wrapped_and_hyphenated() -> None:
    assert texts(VANCOUVER) == [
        "Okafor CN, Lindqvist B, Tanaka H. Serum ferritin and early mortality in sepsis: "
        "a prospective cohort study. Crit Care Med. 2019;47(3):312-20.",
        "Whitfield JB, Zhu G, Madden PA, Neale MC, Heath AC, Martin NG. The genetics of "
        "alcohol intake and of alcohol dependence. Alcohol Clin Exp Res. 2004;28(8):1153-60.",
        "Nguyen TT, Rossi M. Dose-dependent effects of vitamin D on bone density in "
        "postmenopausal women: an immunological perspective. J Bone Miner Res. "
        "2015;30(5):812-9.",
        "Ødegaard KJ. Fatigue after stroke. Stroke. 2011;42(6):1583-8.",
    ]


def test_bulleted_list() -> None:
    pasted = (
        "• Sato, K. (2003). Ion channels in the heart. Circulation Research, 92, 1–9.\n"
        "• Ivanova, E. A., & Petrov, D. (2009). A very long title on the mechanics of\n"
        "  granular flows. Journal of Fluid Mechanics, 624, 33–56.\n"
        "• Kowalski, J. (2012). Notes. Physics Today, 65(1), 10.\n"
    )
    assert [c.text.split("\n")[0][:8] for c in split_references(pasted)] == [
        "Sato, K.", "Ivanova,", "Kowalski"
    ]  # fmt: skip


def test_web_page_link_buttons_are_dropped() -> None:
    pasted = (
        "1. Watson, J. D. & Crick, F. H. C. Molecular structure of nucleic acids. Nature 171, "
        "737–738 (1953).\n\nArticle  ADS  CAS  PubMed  Google Scholar \n\n"
        "2. Sanger, F., Nicklen, S. & Coulson, A. R. DNA sequencing with chain-terminating "
        "inhibitors. Proc. Natl Acad. Sci. USA 74, 5463–5467 (1977). [PubMed] [Google Scholar]\n"
        "Download references\n"
    )
    assert [c.text[-10:] for c in split_references(pasted)] == ["38 (1953).", "67 (1977)."]


def test_a_page_break_inside_a_wrapped_list() -> None:
    lines = APA_FLUSH_LEFT.splitlines()
    pasted = "\n".join([*lines[:8], "", *lines[8:]])  # a blank line inside de Vries (2018)
    assert texts(pasted) == APA


def test_blank_line_separated_wrapped_references() -> None:
    pasted = "\n\n".join("\n".join(textwrap.wrap(ref, 60)) for ref in APA)
    assert texts(pasted) == APA


def test_a_single_wrapped_reference() -> None:
    pasted = "Baddeley, A. (2012). Working memory: Theories, models, and\ncontroversies. Annual Review of Psychology, 63, 1–29."
    assert len(split_references(pasted)) == 1


# --- flush left: where a line stops, against the list's column width ------------------

# Two references that an author pattern cannot tell apart: a title first (`Beowulf:`), and
# a place opening a wrapped line (`Philadelphia:`). The list's lines give a column width
# of 74 characters (`_width`); a line ending at 64 or 62 characters is not short enough on
# its own to end a reference.
_AROUND = (
    "Baddeley, A. (2012). Working memory: Theories, models, and controversies.\n"
    "Annual Review of Psychology, 63, 1–29.\n"
    "{}\n"
    "Cohen, S., Janicki-Deverts, D., & Miller, G. E. (2007). Psychological stress\n"
    "and disease. Journal of the American Medical Association, 298, 1685–1687.\n"
    "Zhang, W. (2016). Sleep and memory consolidation in older adults. Sleep,\n"
    "39(4), 821–830."
)


def first_lines(pasted: str) -> list[str]:
    return [c.text.split("\n")[0] for c in split_references(pasted)]


def test_a_line_with_room_for_the_next_word_ended_its_reference() -> None:
    # `Beowulf:` would have fitted after `… California.` (64 + 1 + 8 < 74): the line was
    # not wrapped there, its reference ended.
    pasted = _AROUND.format(
        "Hull, Matthew S. Government of Paper: The Materiality of Bureaucracy in Urban\n"
        "Pakistan. Berkeley: The Regents of the University of California.\n"
        "Beowulf: A New Verse Translation. Translated by Seamus Heaney. New York:\n"
        "Farrar, Straus and Giroux, 2000."
    )
    assert [line[:8] for line in first_lines(pasted)] == [
        "Baddeley", "Hull, Ma", "Beowulf:", "Cohen, S", "Zhang, W"
    ]  # fmt: skip


def test_a_line_without_room_for_the_next_word_was_wrapped() -> None:
    # `Philadelphia:` would not have fitted after `… 271–313.` (62 + 1 + 13 > 74): the line
    # was wrapped there, though it ends in a page range.
    pasted = _AROUND.format(
        'Spivak, Gayatri Chakravorty. "Can the Subaltern Speak?" In Marxism and the\n'
        "Interpretation of Culture, ed. by Cary Nelson et al., 271–313.\n"
        "Philadelphia: University of Pennsylvania Press, 1988."
    )
    chunks = split_references(pasted)
    assert len(chunks) == 4
    assert chunks[1].text.endswith("Philadelphia: University of Pennsylvania Press, 1988.")


def test_a_line_of_capitals_is_full_with_fewer_characters() -> None:
    # 59 characters against a width of 73: by characters `Eur.` would have fitted after
    # it, but in a proportional font these capitals are as wide as the full lines around
    # (Helvetica: 33,700 units against 32,700-33,900). The room is read both ways and
    # the smaller taken, so the line was wrapped and the journal goes with its authors.
    pasted = _AROUND.format(
        "MESNARD DIDIER, MIGINIAC LUCIEN, FATOME MARCEL, LAVAL JEAN.\n"
        "Eur. J. Med. Chem. 15, 247 (1980)."
    )
    chunks = split_references(pasted)
    assert len(chunks) == 4
    assert chunks[1].text.endswith("Eur. J. Med. Chem. 15, 247 (1980).")


def test_reference_starts_without_initials() -> None:
    # Each of these opened a reference glued to the one before it: a surname with `et al`,
    # a corporate author with its acronym and year, a surname before initials in brackets,
    # `Surname, Given;` or `… und`, `Surname I 2013`, capitals, a given name first.
    pasted = (
        "Baddeley, A. (2012). Working memory: Theories, models, and controversies.\n"
        "Annual Review of Psychology, 63, 1–29.\n"
        "Bragg, H. S. (2009). Pesticide residues in soils of former sugar cane fields.\n"
        "Journal of Environmental Quality, 38, 1120–1131, with a published erratum.\n"
        "Department of Defense, United States (DoD). 2011. Unified Facilities Criteria.\n"
        "Washington, DC: Department of Defense.\n"
        "Tinker, J., Kravtsov, A. V., Klypin, A., Abazajian, K., & Warren, M. (2008).\n"
        "The Astrophysical Journal, 688, 709–728. Published by the AAS, 2008.\n"
        "Millar, et al., Lancet 2(8665), 712-714 (1989)\n"
        "Cohen, S., Janicki-Deverts, D., & Miller, G. E. (2007). Psychological stress\n"
        "and disease. Journal of the American Medical Association, 298, 1685–1687."
    )
    assert [line[:8] for line in first_lines(pasted)] == [
        "Baddeley", "Bragg, H", "Departme", "Tinker, ", "Millar, ", "Cohen, S"
    ]  # fmt: skip
    for start, score in [
        ("Devic et al., Plant Physiol and Biochem., 35(4)", 3.0),
        ("Richard (H.), Gauthier (E.), Paysages et forêts", 3.0),
        ("Environmental Protection Agency, United States (EPA). 2010. ProUCL", 2.5),
        ("Kegler, Ulrike; Prengel, Annedore (2003): Die Montessori-Schule", 2.5),
        ("Alkier, Stefan und Ralph Brucker. (Hrsg.) Exegese", 2.5),
        ("O’KEEFFE, Jamie, WILLINSKY, John et MAGGIO, Lauren", 2.5),
        ("Gurarie V 2013 Logarithmic operators", 2.0),
        ("AMERICAN PSYCHIATRIC ASSOCIATION. DSM IV-TR Manuel", 1.5),
        ("ARS Ile de France (ARS). Renforcer et développer", 1.5),
        ("Feng Luo and Stephan Tillmann, Angle structures", 1.0),
        ("김영상, 김영익, '증강현실을 적용한 관광지'", 2.5),
        ("周向永.趙俊偉.李亞氷, 1996, 辽宁开原", 2.5),
        ("田尻義了, 2003, 弥生時代小形仿製鏡", 2.5),
        ("국가안보, 국민안전학회지, 제1권, pp. 243-272, 2015.", 0.0),  # a wrapped line
    ]:
        assert author_score(start) == score, start


def test_a_number_or_a_separator_after_a_short_line_that_ended_a_reference() -> None:
    # A line opening with a number, a dash or a year, or following a `;`, continues a
    # wrapped reference, unless the line before ended one well short of the margin: a
    # stray list number (`17.Creed`), a `- ` list, a year-first style (`1991: Ulf`), a
    # reference closed by `;`. After a line that ran to the margin they go on joining.
    pasted = (
        "Baddeley, A. (2012). Working memory: Theories, models, and controversies.\n"
        "Annual Review of Psychology, 63, 1–29.\n"
        "17.Creed PA, Hicks RE, Machin MA. Behavioural plasticity and mental health\n"
        "outcomes. J Occup Health Psychol. 2001;6:137-51.\n"
        "- Y. GAUDEMET, « L’administration au grand jour : France », in Société de\n"
        "législation comparée, 1983, p. 39 et s.\n"
        "1991: Ulf Preuss-Lausitz: Widersprüche im Schulreformprozeß. Ansätze\n"
        "flächendeckender Integration. Weinheim: Beltz.\n"
        "Hegel, G. W. F. (1986). Werke in zwanzig Bänden. Frankfurt am Main: Suhrkamp.\n"
        "20 vols. Edited by E. Moldenhauer and K. M. Michel.\n"
        "H. Linschitz and J. Connolly, J. Am. Chem. Soc. 90, 2979 (1968);\n"
        "M. Zaccanti, B. Deissler, C. D'Errico, M. Fattori, Nat. Phys. 5, 586 (2009).\n"
        "Kurz, T. & Weiss, C. Surface plasmon modes, Phys. Rev. Lett. 86, 5413 (2001);\n"
        "J. Smith, Phys. Rev. B 64, 1120 (2001).\n"
        "Cohen, S., Janicki-Deverts, D., & Miller, G. E. (2007). Psychological stress\n"
        "and disease. Journal of the American Medical Association, 298, 1685–1687."
    )
    assert [(c.start_line, c.end_line) for c in split_references(pasted)] == [
        (1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 11), (12, 12), (13, 14), (15, 16)
    ]  # fmt: skip


def test_short_references_with_a_few_wrapped_at_the_margin() -> None:
    # Nearly every line holds a year and ends like a reference, as in a list one per line;
    # but the longest lines end mid-reference and the next line certainly continues them.
    pasted = (
        "A. Werthmüller et al., Hyp. Interact. 103 (1996) 147.\n"
        "T. Matsuzaki et al., Nucl. Instr. Meth. A 465 (2001) 365.\n"
        "S. G. Basiladze et al., Zh. Eksp. Teor. Fiz. 49 (1965) 1042 [Sov. Phys. JETP 22\n"
        "(1966) 725].\n"
        "M. Bonesini et al., J. Instrum. 12 (2017) C03035.\n"
        "N. C. Mukhopadhyay, Phys. Rep. 30 (1977) 1.\n"
        "R. Brun and F. Rademakers, Nucl. Instrum. Meth. A 389 (1997) 81 [Comput. Phys. 12\n"
        "(1998) 3].\n"
        "D. Bakalov et al., Phys. Lett. A 379 (2015) 151.\n"
        "S. Agostinelli et al., Nucl. Instr. Meth. A 506 (2003) 250.\n"
        "L. Schellenberg et al., Muonic Atoms and Molecules (1993) 187 [Hyperfine Int. 82\n"
        "(1993) 5].\n"
        "A. Dupays, Phys. Rev. A 72 (2005) 054501.\n"
        "V. A. Andreev et al., Phys. Rev. C 91 (2015) 055502.\n"
        "C. Chiccoli, V. I. Korobov et al., Muon Catal. Fusion 7 (1992) 87 [Sov. Phys. 55\n"
        "(1992) 12]."
    )
    spans = [(c.start_line, c.end_line) for c in split_references(pasted)]
    assert spans == [
        (1, 1), (2, 2), (3, 4), (5, 5), (6, 6), (7, 8), (9, 9), (10, 10), (11, 12), (13, 13),
        (14, 14), (15, 16)
    ]  # fmt: skip


def test_a_list_s_own_way_of_starting_references_is_learnt() -> None:
    # `Given Surname: Title` is a weak author pattern. Four references surely start so
    # (first, or after a short line ending one); the fifth follows a line that ran to the
    # margin, and starts the same way.
    pasted = (
        "Georg Feuser: Ideengeschichte der Integration und ihre Folgen. In: Handlexikon der\n"
        "Integrationspädagogik. Bochum: projekt verlag 2008, S. 82-90.\n"
        "Jutta Schöler: Die Arbeit von Milani-Comparetti und ihre Bedeutung für die\n"
        "schulische Integration. Berlin: Luchterhand 1995, S. 10-20.\n"
        "Helmut Reiser: Positionspapier zur Fortsetzung der schulischen Integration von\n"
        "behinderten Kindern in Hessen. Frankfurt: Diesterweg 1993, S. 279-283.\n"
        "Ulf Preuss-Lausitz: Widersprüche im Schulreformprozess. Ansätze flächendeckender\n"
        "Integration in West-Berlin und Erfahrungen. Weinheim und Basel: Beltz Verlag 1991.\n"
        "Wolfgang Jantzen: Sonderschule und Infrastruktur. Weinheim: Beltz 1981, S. 73-100."
    )
    assert [(c.start_line, c.end_line) for c in split_references(pasted)] == [
        (1, 2), (3, 4), (5, 6), (7, 8), (9, 9)
    ]  # fmt: skip


def test_a_year_after_a_comma_does_not_start_a_reference() -> None:
    # The date after a corporate author is set off by a full stop or brackets, with more
    # after it; a year after a comma, or ending the line, is as often a wrapped line's.
    assert author_score("World Health Organization. (2020). Global tuberculosis report.") > 0
    assert author_score("Fundação João Pinheiro. 2015. Déficit Habitacional no Brasil") > 0
    assert author_score("Refinement Workshop, 1992.") == 0
    assert author_score("Portland, OR, April 1991.") == 0
    assert author_score("EMBO J 1997; 16:2307-2318.") == 0  # a journal's year
    assert author_score("Gurarie V 2013 Logarithmic operators") > 0


def test_how_a_line_ends() -> None:
    assert end_score("Pacific. October. (HC17)") > 0  # a closing bracket
    assert end_score("arXiv:1405.6722 [hep-ph]") > 0
    assert end_score("Schaye, J., 2004, ApJ, 609, 667") > 0  # a page or article number
    # A quote or a question mark closes a title, and the reference goes on.
    assert end_score("Lord Irving, “The Development of Human Rights,”") < 0
    assert end_score("Spivak, Gayatri Chakravorty. Can the Subaltern Speak?") < 0


# --- numbered lists --------------------------------------------------------------------

NUMBERED_PARAGRAPH = (
    "1. Okafor CN, Lindqvist B, Tanaka H. Serum ferritin and early mortality in sepsis. "
    "Crit Care Med. 2019;47(3):312-20. 2. Whitfield JB, Zhu G. The genetics of alcohol "
    "intake. Alcohol Clin Exp Res. 2004;28(8):1153-60. 3. Nguyen TT, Rossi M. Vitamin D "
    "and bone density in 2. trimester pregnancies. J Bone Miner Res. 2015;30(5):812-9."
)


def test_numbered_references_run_together_in_a_paragraph() -> None:
    chunks = split_references(NUMBERED_PARAGRAPH)
    assert [c.number for c in chunks] == [1, 2, 3]
    assert chunks[1].text == (
        "Whitfield JB, Zhu G. The genetics of alcohol intake. Alcohol Clin Exp Res. "
        "2004;28(8):1153-60."
    )
    assert chunks[2].text.endswith(
        "in 2. trimester pregnancies. J Bone Miner Res. 2015;30(5):812-9."
    )
    assert {(c.start_line, c.end_line) for c in chunks} == {(1, 1)}


def test_bracketed_references_run_together_and_wrapped() -> None:
    pasted = (
        "[1] A. Vaswani et al., “Attention is all you need,” in Proc. NeurIPS, 2017, pp.\n"
        "5998–6008. [2] K. He, X. Zhang, S. Ren, and J. Sun, “Deep residual learning for\n"
        "image recognition,” in Proc. CVPR, 2016, pp. 770–778. [3] S. Hochreiter and J.\n"
        "Schmidhuber, “Long short-term memory,” Neural Comput., vol. 9, no. 8, pp.\n"
        "1735–1780, 1997.\n"
    )
    chunks = split_references(pasted)
    assert [(c.number, c.start_line, c.end_line) for c in chunks] == [
        (1, 1, 2), (2, 2, 3), (3, 3, 5)
    ]  # fmt: skip
    assert join_lines(chunks[1].text.split("\n")) == (
        "K. He, X. Zhang, S. Ren, and J. Sun, “Deep residual learning for image recognition,” "
        "in Proc. CVPR, 2016, pp. 770–778."
    )


def test_a_numbered_reference_starting_in_lower_case_with_a_year() -> None:
    # A title cut short at the start (`on the Market.`) after the next number: the year
    # near its start shows a reference, not a number inside the text.
    pasted = (
        "1. Smith J. A first title. J Med. 2001;1:1-9. 2. on the Market. Int. J. "
        "Nanomedicine 2014, 9, 4357–4373. 3. Jones K. Another title. J Biol. 2003;3:5-8."
    )
    assert [c.number for c in split_references(pasted)] == [1, 2, 3]


def test_one_line_of_a_numbered_list_holding_two_references() -> None:
    pasted = (
        "1. Lee S, Park J. Gut microbiota and obesity. Nutrients. 2018;10(3):1-12.\n"
        "2. Kim H. Probiotics in children. Pediatrics. 2017;140(2):e1-9. 3. Choi Y, Han M. "
        "Fibre intake and the microbiome. Gut. 2019;68(1):20-31.\n"
        "4. Jang W. Diet and mood. Nutr Rev. 2020;78(4):301-10.\n"
    )
    chunks = split_references(pasted)
    assert [(c.number, c.start_line) for c in chunks] == [(1, 1), (2, 2), (3, 2), (4, 3)]


def test_a_wrapped_line_starting_with_a_year_is_not_a_label() -> None:
    pasted = (
        "1. Marsh, R. and Okonjo, T.\n2005. Soil carbon in managed grasslands. Geoderma 12: 1–9.\n"
        "2. Haile, B. 2006. Grazing and erosion. Catena 4: 5–6.\n"
    )
    chunks = split_references(pasted)
    assert [c.number for c in chunks] == [1, 2]
    assert chunks[0].text.endswith("Geoderma 12: 1–9.")


def test_text_before_the_first_number_is_kept() -> None:
    chunks = split_references("Cited works\n1. A. Author, Title, 2001.\n2. B. Author, T, 2002.")
    assert [c.text for c in chunks] == [
        "Cited works",
        "A. Author, Title, 2001.",
        "B. Author, T, 2002.",
    ]
    assert [c.number for c in chunks] == [None, 1, 2]


# --- unnumbered references run together ------------------------------------------------


def test_unnumbered_references_run_together() -> None:
    pasted = (
        "Watson, J. D. & Crick, F. H. C. Molecular structure of nucleic acids. Nature 171, "
        "737–738 (1953). Sanger, F., Nicklen, S. & Coulson, A. R. DNA sequencing with "
        "chain-terminating inhibitors. Proc. Natl Acad. Sci. USA 74, 5463–5467 (1977). "
        "Zhang, W. (2016). Sleep and memory consolidation in older adults. Sleep, 39(4), "
        "821–830. https://doi.org/10.5665/sleep.5634 Baddeley, A. (2012). Working memory. "
        "Annual Review of Psychology, 63, 1–29."
    )
    assert [t[:10] for t in texts(pasted)] == [
        "Watson, J.",
        "Sanger, F.",
        "Zhang, W. ",
        "Baddeley, ",
    ]


def test_run_together_needs_an_author_and_a_year_on_both_sides() -> None:
    for pasted in (
        # no year after the cut
        "Zhang, W. (2016). Sleep in older adults. Sleep, 39(4), 821–830. Smith, J. argued "
        "that this sample was small.",
        # a title, not an author, after the page range
        "Zhang, W. (2016). Sleep in older adults. Sleep, 39(4), 821–830. Reprinted in "
        "Collected Papers, 2018.",
    ):
        assert len(split_references(pasted)) == 1


# --- whole documents --------------------------------------------------------------------

DOCUMENT = """\
Sleep and memory in older adults

Abstract
We studied 120 adults (Zhang, 2016).

1. Introduction
Sleep matters [1].

References
Baddeley, A. (2012). Working memory: Theories, models, and controversies. Annual
Review of Psychology, 63, 1–29.
Zhang, W. (2016). Sleep and memory consolidation in older adults. Sleep, 39(4),
821–830.

{after}
We thank the participants.
"""


def test_the_reference_section_ends_at_what_follows_it() -> None:
    for after in ("Acknowledgements", "Acknowledgments:", "Appendix A. Questionnaire",
                  "Supplementary Material", "Table 1. Participants", "Figure 2: Design"):  # fmt: skip
        chunks = split_references(DOCUMENT.format(after=after))
        assert [c.text[:9] for c in chunks] == ["Baddeley,", "Zhang, W."], after
        assert chunks[-1].end_line == 13


def test_a_caption_inside_the_references_does_not_end_them() -> None:
    text = DOCUMENT.format(after="Acknowledgements").replace(
        "Zhang, W. (2016)", "Figure 3. Recall by age group (n = 120).\nZhang, W. (2016)"
    )
    chunks = split_references(text)
    assert (chunks[0].text[:9], chunks[-1].text[:9]) == ("Baddeley,", "Zhang, W.")


def test_web_page_headings_after_the_references() -> None:
    for after in ("Author information", "Rights and permissions", "Funding: none."):
        chunks = split_references(DOCUMENT.format(after=after))
        assert [c.text[:9] for c in chunks] == ["Baddeley,", "Zhang, W."], after


def test_a_pasted_list_is_not_cut_at_a_table_line() -> None:
    # Without a `References` heading the text is a list: nothing is dropped.
    pasted = "Zhang, W. (2016). Sleep. Sleep, 39(4), 821–830.\nTable 1. Participants\n"
    assert len(split_references(pasted)) == 2


def test_page_numbers_are_neither_labels_nor_text() -> None:
    lines = APA_FLUSH_LEFT.splitlines()
    pasted = "\n".join(["References", *lines[:7], "", "12", "", *lines[7:], "", "13"])
    assert texts(pasted) == APA


def test_a_number_alone_in_a_wrapped_reference_is_its_text() -> None:
    pasted = (
        "Okafor CN, Lindqvist B. Sepsis and ferritin. Crit Care Med. 2019;47(3):312-20.\n"
        "Abebe T, Haile B. Grazing and soil erosion in the Ethiopian highlands, Catena,\n"
        "2009\n"
        "Nguyen TT, Rossi M. Vitamin D and bone density. J Bone Miner Res. 2015;30:812-9.\n"
    )
    assert texts(pasted)[1].endswith("highlands, Catena, 2009")


# --- joining a reference's lines ---------------------------------------------------------


def test_join_lines_undoes_hyphenation_only_inside_words() -> None:
    cases = {
        ("an immuno-", "logy study"): "an immunology study",
        ("Immuno-", "logical markers"): "Immunological markers",
        ("IL-", "6 levels"): "IL-6 levels",
        ("non-", "Small cell"): "non-Small cell",
        ("pp. 1658-", "1667."): "pp. 1658-1667.",
        ("pp. 1658–", "1667."): "pp. 1658–1667.",
        ("long-", "term effects"): "long-term effects",
        ("cell-", "based assays"): "cell-based assays",
        ("protein-", "protein binding"): "protein-protein binding",
        ("follow-", "up study"): "follow-up study",
        ("x-", "ray"): "x-ray",
        ("state-of-the-", "art methods"): "state-of-the-art methods",
        ("Title -", "Subtitle"): "Title - Subtitle",
        ("a soft\u00ad", "hyphen"): "a softhyphen",
        ("The end.", "Next"): "The end. Next",
    }
    for lines, joined in cases.items():
        assert join_lines(lines) == joined, lines


def test_join_lines_rejoins_dois_and_urls() -> None:
    cases = {
        ("Cell. https://doi.org/10.1016/j.cell.", "2011.02.013"): (
            "Cell. https://doi.org/10.1016/j.cell.2011.02.013"
        ),
        ("https://doi.org/10.1000/", "xyz"): "https://doi.org/10.1000/xyz",
        ("doi:10.1037/0033-", "295X.84.2.191"): "doi:10.1037/0033-295X.84.2.191",
        ("https://www.example.org/reports/annual", "_2020.pdf"): (
            "https://www.example.org/reports/annual_2020.pdf"
        ),
        ("https://www.example.org/reports/annual", "report.pdf"): (
            "https://www.example.org/reports/annualreport.pdf"
        ),
        ("https://doi.org/10.1038/nature14539.", "Retrieved May 2020"): (
            "https://doi.org/10.1038/nature14539. Retrieved May 2020"
        ),
        ("https://www.example.org/news/", "Zbikowski, L. M. (2002)."): (
            "https://www.example.org/news/ Zbikowski, L. M. (2002)."
        ),
        ("https://doi.org/10.1038/nature14539", "PMID: 26017442"): (
            "https://doi.org/10.1038/nature14539 PMID: 26017442"
        ),
    }
    for lines, joined in cases.items():
        assert join_lines(lines) == joined, lines


def test_join_lines_skips_blank_lines_and_trims() -> None:
    assert join_lines(["  a b ", "", "   c  "]) == "a b c"
    assert join_lines([]) == ""


# --- properties --------------------------------------------------------------------------

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
_LABEL_CHARS = frozenset("0123456789.[])•")


def _solid(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _only_labels_removed(source: str, kept: str) -> bool:
    """`kept` is `source` with some label characters (list numbers, brackets, bullets) taken out."""

    @cache
    def fits(i: int, j: int) -> bool:
        if j == len(kept):
            return all(c in _LABEL_CHARS for c in source[i:])
        if i == len(source):
            return False
        if source[i] == kept[j] and fits(i + 1, j + 1):
            return True
        return source[i] in _LABEL_CHARS and fits(i + 1, j)

    return fits(0, 0)


@given(_LINES)
def test_splitting_loses_nothing_but_labels(lines: list[str]) -> None:
    text = "\n".join(lines)
    chunks = split_references(text)
    assert _only_labels_removed(_solid(text), _solid("".join(c.text for c in chunks)))
    assert all(c.text.strip() and c.start_line <= c.end_line for c in chunks)
    assert [c.start_line for c in chunks] == sorted(c.start_line for c in chunks)


@given(_LINES)
def test_joining_loses_nothing_but_line_end_hyphens(lines: list[str]) -> None:
    joined = join_lines(lines)
    assert "\n" not in joined
    assert _solid(joined).replace("-", "") == _solid("".join(lines)).replace("-", "")


@given(st.text(max_size=400))
def test_never_crashes_on_any_text(text: str) -> None:
    for chunk in split_references(text):
        assert chunk.start_line >= 1
        join_lines(chunk.text.split("\n"))


def test_page_numbers_alone_on_their_lines_are_not_labels() -> None:
    text = "\n".join([
        "12",
        "Smith, J. A. (2001). A study of mice. Journal of Mice, 3(2), 1-10.",
        "Jones, K. B. (2002). Another study of rats. Journal of Rats, 4(1), 11-20.",
        "Brown, L. (2003). Cats and dogs in the city. Urban Ecology, 5, 21-30.",
        "Green, M. P. (2004). Birds of the air. Ornithology Today, 6(3), 31-40.",
        "13",
        "White, N. (2005). Fish of the sea. Marine Biology, 7, 41-50.",
        "Black, O. Q. (2006). Trees of the forest. Forestry, 8(2), 51-60.",
    ])  # fmt: skip
    starts = [c.text.split(",")[0] for c in split_references(text)]
    for name in ("Smith", "Jones", "Brown", "Green", "White", "Black"):
        assert name in starts


def test_prefixes_before_a_vowel_keep_their_hyphen() -> None:
    assert join_lines(["a meta-", "analysis of anti-", "inflammatory drugs"]) == (
        "a meta-analysis of anti-inflammatory drugs"
    )
    assert join_lines(["the re-", "sults of anti-", "bodies"]) == "the results of antibodies"
