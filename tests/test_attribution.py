"""Speakers of news sentences and the alias gazetteer (index/news/attribution.py, index/news/aliases.py)."""

from __future__ import annotations

import pytest

from index.news.aliases import canonical, entity_keys, same_entity
from index.news.attribution import attribute, attribute_all, is_saying


@pytest.mark.parametrize(
    ("sentence", "role", "speaker"),
    [
        (
            '"They\'ve framed it as a defensive move," Khalifa said, as strikes intensified.',
            "quote",
            "Khalifa",
        ),
        (
            "Dareen Khalifa, a researcher at the International Crisis Group, said the rebels had prepared months.",
            "statement",
            "Dareen Khalifa",
        ),
        (
            "The violence has killed at least 311 people, said the Observatory, which relies on sources.",
            "statement",
            "Observatory",
        ),
        ('"It will be a test," Khalifa told AFP.', "quote", "Khalifa"),
        ("Rebels control most of Aleppo according to a monitor.", "attributed", "a monitor"),
        (
            'Meanwhile, "the presence has thinned out", said Aaron Stein, president of the institute.',
            "quote",
            "Aaron Stein",
        ),
        (
            "The Kremlin on Friday said it hoped Syria would quickly restore order.",
            "statement",
            "Kremlin",
        ),
        (
            'In a post on X, Caroline Rose, of the New Lines Institute, said the offensive appears to be "a way".',
            "quote",
            "Caroline Rose",
        ),
        (
            "Government forces offered little resistance, the war monitor said.",
            "statement",
            "the war monitor",
        ),
        ("The rebels launched their attack the same day a truce came into effect.", "", None),
    ],
)
def test_speaker_and_role(sentence: str, role: str, speaker: str | None) -> None:
    found = attribute(sentence)
    assert (found.role, found.speaker) == (role, speaker)


def test_inverted_verb_needs_a_short_subject() -> None:
    # '..., said the offensive appears to be ...' is reported speech with its speaker before the verb
    found = attribute("In a statement, the ministry said the offensive appears to be over.")
    assert found.speaker == "the ministry"


def test_pronouns_resolve_to_the_last_named_speaker() -> None:
    found = attribute_all(
        [
            '"They\'ve framed it as a defensive move," Khalifa said.',
            "The rebels launched their attack on Wednesday.",
            'But HTS are "also looking at the broader shift", she said.',
        ]
    )
    assert [a.speaker for a in found] == ["Khalifa", None, "Khalifa"]
    assert found[2].pronoun


def test_gazetteer() -> None:
    assert canonical("the Kremlin") == canonical("Moscow") == "Russia"
    assert canonical("Tehran") == "Iran" and canonical("Ankara") == "Turkey"
    assert canonical("Damascus") == canonical("the regime") == "Syria"
    assert entity_keys("Moscow and Tehran have pushed for a detente") == {"Russia", "Iran"}
    assert same_entity("Ankara", "Turkey") and not same_entity("Ankara", "Moscow")
    assert entity_keys("who said us") == set()  # "us" the pronoun is not the US
    assert entity_keys("The WHO said") == {"World Health Organization"}


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        # a verb inside the quotation ("posted") names no speaker: the ministry speaks
        ('"We will keep them posted on the talks," the ministry said.', "the ministry"),
        # a date is no speaker, though capitalised and before a verb-like noun ("claims")
        ("The March accord resulted in rival fishing claims in the bay.", None),
        (
            '"It is a good sign," said Tom Brady of the Acme–Beta Institute, who was not involved.',
            "Tom Brady",
        ),
        ('"Not yet," wrote student activist Lee Chan on Twitter.', "Lee Chan"),
        ('"I did not expect it," said Ana Kovac after the race.', "Ana Kovac"),
        (
            'Minister Omar Sy cited Article 9 of the charter and said, "We are safe."',
            "Minister Omar Sy",
        ),
        (
            'Jane Roe, a lawyer for the family, told the BBC after the verdict "we are relieved".',
            "Jane Roe",
        ),
        ("Acme further claimed the ruling was wrong.", "Acme"),
        ('"We are out of stock," said Mara Lind per ABC News.', "Mara Lind"),
        ('Acme released a statement which read, in part, "We disagree."', "Acme"),
        ('Foreign minister Ana Petrova called the accord "void".', "Ana Petrova"),
        ("The ministry denounced the summit, calling its conclusions unlawful.", "The ministry"),
        ('"Men and women are now equal," reads Judge Ola Berg\'s statement.', "Judge Ola Berg"),
        ("Italy and Egypt were openly called to join the talks.", None),
        # a possessed noun of speech that nobody reads out is no attribution
        ("The protests began after the government's decision.", None),
        ("The Coast Guard called off its search on Tuesday.", None),
    ],
)
def test_more_news_attributions(sentence: str, speaker: str | None) -> None:
    assert attribute(sentence).speaker == speaker


def test_possessed_speech_belongs_to_its_possessor() -> None:
    found = attribute("The government's counter-argument was that the law allows it.")
    assert found.speaker and "government" in found.speaker


def test_he_is_the_last_person_never_a_date() -> None:
    found = attribute_all(
        [
            "Maria Lopez won the final on Sunday.",
            'She said, "It felt good out there."',
            "The November accord resulted in rival claims.",
            '"We reject it," he said.',
        ]
    )
    assert found[1].speaker == "Maria Lopez"
    assert found[2].speaker is None and found[3].speaker == "Maria Lopez"


def test_a_quotation_whose_opening_was_missed_stays_with_its_speaker() -> None:
    found = attribute_all(
        [
            'Captain Mia Ross said the night had "a lot of confusion.',
            '[...] The dispatcher kept asking for information."',
            'However, she added, "there are no locked doors".',
        ]
    )
    assert [a.speaker for a in found] == ["Captain Mia Ross"] * 3


def test_speakers_carry_the_article_description_and_acronyms() -> None:
    found = attribute_all(
        [
            "Turkish President Ali Demir opened the summit.",
            "Demir said the border would stay closed.",
            "The Northern Coast Guard (NCG) ended its search on Tuesday.",
            "NCG Captain Mia Ross told the press no survivors were found.",
        ]
    )
    assert found[1].speaker == "Demir" and "Turkish President" in (found[1].phrase or "")
    assert "Northern Coast Guard" in (found[3].phrase or "")


def test_a_title_without_an_article_describes_the_speaker() -> None:
    found = attribute_all(
        [
            "Mara Lind, executive director of the Northern Grocers Association, said stock was low.",
            "Lind said deliveries would resume.",
        ]
    )
    assert "Northern Grocers Association" in (found[1].phrase or "")


def test_a_name_with_an_apposition_opens_on_a_person() -> None:
    # "Name, the ..., did X." makes Name the "he" of the quotation that follows
    found = attribute_all(
        [
            "Ravi Menon, the port's director and a former engineer, opposed the plan.",
            '"It will cost jobs," he said on Wednesday.',
        ]
    )
    assert found[1].speaker == "Ravi Menon"


def test_verbs_of_saying_in_any_form() -> None:
    assert all(is_saying(w) for w in ("say", "write", "tweet", "post", "warn", "deny", "said"))
    assert not any(is_saying(w) for w in ("buy", "build", "run", "a", "statement"))
