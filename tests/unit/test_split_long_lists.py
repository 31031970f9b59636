"""Numbered lists past 9,999 entries: every entry kept, numbers of any length, time linear
in the number of entries (issue 18, item 5)."""

from __future__ import annotations

import re

import pytest

from refs.split import signals, split_references

N = 10_200

FORMS = {
    "dot": "{n}. {ref}",
    "bracket": "[{n}] {ref}",
    "paren": "{n}) {ref}",
    "alone": "{n}\n{ref}",
}


def _entry(n: int) -> str:
    return f"Author A. Title {n}. J Test. 2001;1:1-2."


def _numbered(count: int, form: str, skip: frozenset[int] = frozenset()) -> str:
    return "\n".join(
        FORMS[form].format(n=n, ref=_entry(n)) for n in range(1, count + 1) if n not in skip
    )


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_entry_of_a_long_list_is_kept(form: str) -> None:
    chunks = split_references(_numbered(N, form))
    assert len(chunks) == N
    assert [c.number for c in chunks] == list(range(1, N + 1))
    assert [c.text for c in chunks[9_998:10_001]] == [_entry(n) for n in (9_999, 10_000, 10_001)]
    assert chunks[-1].text == _entry(N)


@pytest.mark.parametrize("form", ["dot", "bracket", "alone"])
def test_a_list_starting_past_9999(form: str) -> None:
    text = "\n".join(FORMS[form].format(n=n, ref=_entry(n)) for n in range(99_990, 100_011))
    chunks = split_references(text)
    assert [c.number for c in chunks] == list(range(99_990, 100_011))


@pytest.mark.parametrize("form", ["dot", "bracket", "alone"])
def test_a_missing_label_past_1000_does_not_merge_the_rest(form: str) -> None:
    """Numbers from 1000 on, out of sequence, are years (`2005. Title`): the label after a
    missing one is still in sequence, so the rest of the list is not merged into one."""
    chunks = split_references(_numbered(N, form, skip=frozenset({1_500, 10_100})))
    assert len(chunks) == N - 2
    assert [c.number for c in chunks][-3:] == [N - 2, N - 1, N]
    assert chunks[1_498].text == _entry(1_499)


def test_a_year_starting_a_wrapped_line_is_still_no_label() -> None:
    text = (
        "1. Smith J. A title. Proc. of the Conf. on Things,\n2005. pp. 1-9.\n2. Jones K. B. 2001."
    )
    chunks = split_references(text)
    assert [c.number for c in chunks] == [1, 2]


def test_run_together_labels_past_9999() -> None:
    line = " ".join(f"{n}. {_entry(n)}" for n in range(9_998, 10_003))
    assert [c.number for c in split_references(line)] == list(range(9_998, 10_003))


def _author_calls(count: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """How many `author_score` calls, and characters they were given, splitting a numbered
    list of `count` entries: a count of operations, not seconds."""
    calls = chars = 0
    real = signals.author_score

    def counting(line: str) -> float:
        nonlocal calls, chars
        calls += 1
        chars += len(line)
        return real(line)

    for module in ("refs.split.signals", "refs.split.runon", "refs.split", "refs.split.join"):
        if hasattr(__import__(module, fromlist=["_"]), "author_score"):
            monkeypatch.setattr(f"{module}.author_score", counting)
    split_references(_numbered(count, "dot"))
    return calls, chars


def test_splitting_time_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work per entry stays the same from 4,000 to 16,000 entries (the benchmark's
    `split: long numbered lists` table shows the seconds)."""
    small = _author_calls(4_000, monkeypatch)
    large = _author_calls(16_000, monkeypatch)
    assert large[0] <= 4.4 * small[0]
    assert large[1] <= 4.4 * small[1]


def test_split_runon_reads_a_bounded_stretch_per_candidate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One long paragraph of unnumbered references run together: each candidate cut reads
    a bounded stretch of text, not the rest of the paragraph."""
    seen: list[int] = []
    real = signals.author_score

    def counting(line: str) -> float:
        seen.append(len(line))
        return real(line)

    monkeypatch.setattr("refs.split.runon.author_score", counting)
    text = " ".join(
        f"Smith J, Jones K. Title {n} here. J Test. 2001;1:1-{n + 1}." for n in range(3_000)
    )
    chunks = split_references(text)
    assert len(chunks) == 3_000
    assert max(seen) <= 1_000
    assert all(re.match(r"Smith J, Jones K\. Title \d+ here\.", c.text) for c in chunks)
