"""`refs.split.lines`: unnumbered references wrapped over lines, told apart line by line."""

from __future__ import annotations

import textwrap

from split_support import APA, APA_FLUSH_LEFT, first_lines, texts

from refs.split import join_lines, split_references


def test_one_reference_per_line() -> None:
    chunks = split_references("Ref one, 2001.\nRef two, 2002.\n\n")
    assert [c.text for c in chunks] == ["Ref one, 2001.", "Ref two, 2002."]


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
