"""Figures written in words count as figures (sentences written here)."""

from index.store.bm25 import _stemmer, analyse
from qa.extractive.figures import figures

STEMMER = _stemmer()


def terms(text: str) -> list[str]:
    return analyse([text], STEMMER)[0]


def test_a_count_in_words_is_a_figure_of_what_follows() -> None:
    found = figures("The minister said twenty sailors have been confirmed dead.", terms)
    assert [(f.value, f.text) for f in found] == [(20.0, "twenty")]
    assert terms("sailors")[0] in found[0].thing
    assert [f.value for f in figures("Forty-two homes and 3 bridges were lost.", terms)] == [
        42.0,
        3.0,
    ]
    assert figures("It was a two-day strike.", terms) == []  # a compound is no count
