"""The one reading of a question (qa/asking/asked.py), on questions written for these tests."""

from __future__ import annotations

from qa.asking.answer_types import COUNT, DATE, MONEY
from qa.asking.asked import read
from qa.types import Turn

NEWEST = 20231215  # the newest article of an imagined index


def test_kind_subject_and_about() -> None:
    asked = read("What did the Norwegian coast guard say about the rescue?")
    assert (asked.kind, asked.subject, asked.about) == (
        "said",
        "the Norwegian coast guard",
        "the rescue",
    )
    assert asked.explainer and not asked.bare
    why = read("Why now?")
    assert (why.kind, why.bare, why.explainer) == ("why", True, True)
    assert read("Has the ferry captain been charged?").kind == "yesno"


def test_answer_type_and_hinge_words() -> None:
    count = read("How many river otters were tagged in Kerry?")
    assert (count.kind, count.wanted, count.scoring_kind) == ("count", COUNT, "count")
    assert count.counted_nouns == ("river", "otters")
    assert count.counted_noun == "otters"
    assert count.counted_words == ("river", "otters")
    assert read("How much did the new pier cost?").wanted == MONEY
    assert read("When will the pier open?").wanted != DATE  # a future date, not any date
    assert read("Has the ferry captain been charged?").participle == "charged"
    assert read("Who owned the ferry?").verb == "owned"
    assert read("Who was on board?").verb is None
    assert read("What caused the landslide?").cause_asked
    assert read("Where is the storm heading?").direction_asked


def test_constraints_names_years_and_numbers() -> None:
    asked = read("Did Mara Lindqvist win 3 races in Oslo in 2019?")
    assert "Mara Lindqvist" in asked.constraints.names
    assert asked.constraints.years == ("2019",)
    assert asked.constraints.numbers == ("3",)
    assert asked.capitalised_words == ("Mara", "Lindqvist", "Oslo")  # after the first word
    # a said-question's speaker met through the aliases is no longer a name to meet
    capital = read("What did Washington say about the tariffs?")
    assert "Washington" in capital.constraints.names
    assert not capital.constraints_without_speaker.names
    person = read("What did Mara Lindqvist say?")  # a person stays a name the passage must hold
    assert person.constraints_without_speaker == person.constraints


def test_time_bounds_and_about_now() -> None:
    since = read("What has the council decided since 2 March 2023?")
    assert since.time_bounds(NEWEST) == (20230303, None)
    assert since.about_now
    assert not read("Why now?").about_now
    compared = read("Was the Herald report consistent with the Tribune article before 1 May 2023?")
    assert compared.compares_reports and compared.time_bounds(NEWEST) == (None, None)


def test_follow_up_and_standalone_question() -> None:
    history = [
        Turn("user", "What happened at the Kerry pier?"),
        Turn("assistant", "The pier collapsed on Monday [1]."),
    ]
    follow = read("And the cause?", history)
    assert follow.follow_up
    assert follow.standalone.text == "What happened at the Kerry pier? And the cause?"
    assert follow.standalone is not follow and follow.standalone.text != follow.text
    alone = read("How many people were hurt when the Kerry pier collapsed on Monday?", history)
    assert not alone.follow_up
    assert alone.standalone is alone  # nothing folded in: the same reading
    assert read("What about the mayor?").follow_up  # a connective opens it


def test_terms_are_analysed_once_per_analyser() -> None:
    calls: list[str] = []

    def analyse(text: str) -> list[str]:
        calls.append(text)
        return text.lower().split()

    asked = read("How many otters?")
    assert asked.terms(analyse) == ("how", "many", "otters?")
    assert asked.terms(analyse) == ("how", "many", "otters?")
    assert calls == ["How many otters?"]
