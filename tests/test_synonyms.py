"""Word families and spelled-out abbreviations (sentences written here)."""

from index.store.bm25 import _stemmer, analyse
from qa.synonyms import abbreviation_in, kin, met_by_kin

STEMMER = _stemmer()


def terms(text: str) -> list[str]:
    return analyse([text], STEMMER)[0]


def test_a_question_word_meets_the_words_news_writes_for_it() -> None:
    died = terms("died")[0]
    assert met_by_kin(died, terms("Rescuers said 12 were killed in the blast"), terms)
    assert met_by_kin(died, terms("The confirmed death toll rose to 31"), terms)
    assert met_by_kin(terms("worth")[0], terms("The sale price is 40 million euros"), terms)
    assert met_by_kin(terms("called")[0], terms("The ministry named it Clean Rivers"), terms)
    assert not met_by_kin(died, terms("The mayor praised the volunteers"), terms)
    # a count of countries or of lawmakers, written as nations or as the body that voted
    assert met_by_kin(terms("countries")[0], terms("While 54 nations have signed the pact"), terms)
    assert met_by_kin(terms("lawmakers")[0], terms("The legislature voted 66 to 27"), terms)
    assert kin(terms("volunteers")[0], terms) == frozenset()  # in no family


def test_abbreviations_are_met_where_the_text_spells_them_out() -> None:
    assert abbreviation_in("FAA", "It wrote to the U.S. Federal Aviation Administration in May.")
    assert abbreviation_in("DOJ", "the Department of Justice opened a case")
    assert abbreviation_in("TV", "the largest television network")
    assert abbreviation_in("MPs", "members of parliament voted against it")
    assert not abbreviation_in("FAA", "the Federal Reserve raised rates")
    assert not abbreviation_in("UN", "Unity Now, a new party")  # two letters: only a known spelling
    assert not abbreviation_in("Ford", "the Federal Office of Road Data")  # not an abbreviation
