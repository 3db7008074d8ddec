"""The context bench's evidence rule (eval/prompt_evidence.py): the benchmark's, or the gold's words
in any case with nothing of a word or a decimal next to them."""

from __future__ import annotations

import pytest

from eval.prompt_evidence import benchmark_evidence_in, evidence_in, holds


@pytest.mark.parametrize(
    ("passage", "gold"),
    [
        ("The Senate voted to end the COVID-19 emergency.", "Covid-19"),  # the page's own case
        ("the women's\nbasketball final", "Women's basketball"),  # any whitespace between words
        ("prices rose 70% in a year", "70%"),
        ("a debt ceiling of $31.4 trillion.", "$31.4 trillion"),
        ("NewYork-based", "New York"),  # the benchmark's rule: spaces removed
    ],
)
def test_a_passage_holds_the_gold_in_its_own_case_or_spacing(passage: str, gold: str) -> None:
    assert holds(passage, gold)


@pytest.mark.parametrize(
    ("passage", "gold"),
    [
        ("It often rains.", "Ten"),  # inside a word, other case
        ("He scored 4.5 points", "four"),
        ("he won 14 of them", "Four"),
        ("rates of 8.19% and 0.555%", "0.55%"),  # a longer decimal is another number
        ("Jacksonville, Fla.", "Jacksonville, Florida"),  # another form is not normalised
    ],
)
def test_coincidences_do_not_count(passage: str, gold: str) -> None:
    assert not holds(passage, gold)


def test_a_number_as_a_word_in_another_case_needs_its_boundaries() -> None:
    assert holds("it took EIGHT years", "Eight")
    assert not holds("it took eighteen years", "Eight")


def test_the_benchmark_rule_alone_keeps_case() -> None:
    passages = ["The COVID-19 emergency ends."]
    assert evidence_in(passages, ["Covid-19"])
    assert not benchmark_evidence_in(passages, ["Covid-19"])
    assert benchmark_evidence_in(["The Covid - 19 emergency"], ["Covid-19"])


def test_a_gold_day_is_in_a_passage_naming_that_day_with_its_year() -> None:
    gold = "Monday, April 8, 2024"
    assert holds("after the total solar eclipse on April 8, 2024, the next one", gold)
    assert holds('text of the passage\ndates: "on Monday" = 2024-04-08', gold)  # the prompt's line
    assert not holds("The eclipse is on Monday, April 8.", gold)  # no year: not read as that day
    assert not holds("on April 9, 2024", gold)
    assert not holds("in 2024", "2024 eclipse")  # not a day: only the other rules apply
    assert not holds("on April 8, 2024", "April 8, 2024 at noon")  # a day and more
