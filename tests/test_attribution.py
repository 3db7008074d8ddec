"""Speakers of news sentences and the alias gazetteer (index/attribution.py, index/aliases.py)."""

from __future__ import annotations

import pytest

from index.aliases import canonical, entity_keys, same_entity
from index.attribution import attribute, attribute_all


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
