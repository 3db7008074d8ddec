"""Who the question asks about against who speaks (qa/extractive/speakers.py, index/news/aliases.py)."""

from __future__ import annotations

import pytest

from index.news.aliases import institution, speaking_for
from index.types import SentenceTag
from qa.asking.kinds import classify
from qa.extractive.speakers import said_score, speaker_meets


@pytest.mark.parametrize(
    ("subject", "who", "meets"),
    [
        ("Ankara", "Demir (Turkish President Ali Demir)", True),
        ("Turkey", "the Turkish Ministry of Foreign Affairs", True),
        ("Greece", "Greek prime minister Nikos Pappas speaking to a think tank", True),
        ("Washington", "US Secretary of State Ann Lee", True),
        ("the United States", "Defense Secretary Jon Doe", True),
        # a body asked about needs that body, not any voice of its country
        ("the Pentagon", "US President Ann Lee", False),
        ("the Pentagon", "Pentagon spokesman Jon Doe", True),
        # the President's office speaks through its own voices, not through any sentence naming him
        ("the White House", "United States President Ann Lee", False),
        ("the White House", "White House spokesman Jon Doe", True),
        ("the White House", "Press Secretary Mia Ross", True),
        ("the United States", "White House spokesman Jon Doe", True),
        ("the French interior minister", "French President Paul Morel", False),
        ("the French interior minister", "French interior minister Luc Roy", True),
        ("the Polish government", "Tesco", False),
        ("the Polish government", "a Polish government spokesman", True),
        # a role needs each of its words
        ("the boat's captain", "Coast Guard Captain Mia Ross", False),
        ("the judge", "Judge Ola Berg", True),
        ("her lawyers", "Jane Roe, a lawyer for the family", True),
        # a name needs the name; a surname is enough for a person, not for a company
        ("Mahan Air", "an airline spokesman", False),
        ("Joshua Wong", "student protester Joshua Wong", True),
        ("Lindsey Graham", "Senator Graham", True),
        ("the Coast Guard", "NCG Captain Mia Ross (NCG: Northern Coast Guard)", True),
    ],
)
def test_speaker_meets(subject: str, who: str, meets: bool) -> None:
    assert speaker_meets(subject, who) is meets


def test_washington_is_a_government_only_as_a_speaker() -> None:
    assert speaking_for("Washington") == "United States"
    assert institution("the Defense Department") == "Pentagon"


def test_said_about_a_topic_needs_the_topic() -> None:
    asked = classify("What did Johnson say about the ruling?")
    assert (asked.kind, asked.subject, asked.about) == ("said", "Johnson", "the ruling")
    tag = SentenceTag(0, False, "statement", "Johnson", "Johnson")
    assert said_score(asked.subject, asked.about, "Johnson said Britain must leave.", tag) == 0.0
    ruled = "Johnson said he disagreed with the ruling."
    assert said_score(asked.subject, asked.about, ruled, tag) == 1.0


def test_credited_speech_scores_below_speech() -> None:
    tag = SentenceTag(0, False, "attributed", "Acme", "Acme")
    assert said_score("Acme", None, "Sales fell, according to Acme.", tag) == 0.8


def test_the_met_speaker_is_no_longer_a_constraint() -> None:
    from qa.asking.constraints import without_speaker

    asked = classify("What did Washington say about the vote?")
    assert "Washington" not in without_speaker(
        "What did Washington say about the vote?", asked.subject
    )
    person = classify("What did Johnson say?")
    assert without_speaker("What did Johnson say?", person.subject) == "What did Johnson say?"
    other = classify("How many died in Washington?")
    assert (
        without_speaker("How many died in Washington?", other.subject)
        == "How many died in Washington?"
    )


def test_an_untagged_quotation_meets_a_person_by_the_surname() -> None:
    # the tagger took the wrong speaker (a noun of the relative clause); the subject asked with a
    # title is met by the surname opening the sentence, as a tagged speaker would be
    tag = SentenceTag(0, False, "quote", "bill", "bill")
    text = 'Okafor, who had signed the "clean water" bill, said that "every river matters."'
    assert said_score("Governor Okafor", None, text, tag) == 0.5
    assert said_score("Governor Okafor", None, 'The governor said "no."', tag) == 0.0
    assert said_score("Ada Okafor", None, 'Pat Bell said "no."', tag) == 0.0
    # a role is met by every word, not by its one capitalised word
    text = 'She told a guard, in French and English, "leave me alone."'
    assert said_score("the French interior minister", None, text, tag) == 0.0
    assert said_score("Okafor's lawyer", None, 'Ada Okafor said "I am innocent."', tag) == 0.0
