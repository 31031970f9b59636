"""`refs.split.signals`: how a line starts (author patterns) and ends."""

from __future__ import annotations

from split_support import first_lines

from refs.split.signals import author_score, end_score


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
