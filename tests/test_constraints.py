"""Hard constraints and the kind of answer asked, on sentences written here."""

from qa.asking.answer_types import wanted
from qa.asking.constraints import name_met, of_kind_asked, question_constraints, unmet


def test_numbers_and_dates_in_the_forms_news_writes_them() -> None:
    assert of_kind_asked(
        "count", "Rescuers said twenty sailors died.", wanted("How many sailors died?")
    )
    assert of_kind_asked(
        "when", "The first tremor struck at 7:37 p.m.", wanted("When did it strike?")
    )
    assert of_kind_asked(
        "when",
        "The site was only closed after Reuters called.",
        wanted("When was the site closed?"),
    )
    assert of_kind_asked(
        "count", "The price is 900 million złotys.", wanted("How much is the deal worth?")
    )
    assert not of_kind_asked(
        "count", "The deal covers 301 shops.", wanted("How much is the deal worth?")
    )


def test_a_typed_question_needs_its_type() -> None:
    assert not of_kind_asked(
        "other", "The wreck was found in 1999.", wanted("What is the ship called?")
    )
    assert of_kind_asked("other", 'They named it "Blue Star".', wanted("What is the ship called?"))
    assert not of_kind_asked(
        "other",
        "The temperature is right for life.",
        wanted("What is the planet's surface temperature?"),
    )
    assert not of_kind_asked(
        "when", "The council voted on Monday.", wanted("When will the council vote?")
    )
    # kinds answered from the story's structure have no type here
    assert of_kind_asked(
        "why", "Costs rose because of the war.", wanted("Why did it cost so much?")
    )


def test_an_abbreviation_is_met_where_it_is_spelled_out() -> None:
    assert name_met("FAA", "Ford wrote to the U.S. Federal Aviation Administration on May 2.")
    constraints = question_constraints("How many TV channels does it run?")
    assert unmet(constraints, ["It runs over 40 television channels."], []) == []
    assert unmet(constraints, ["It runs over 40 radio channels."], []) == ["TV"]


def test_the_day_of_a_date_is_not_a_figure_the_evidence_must_repeat() -> None:
    # the question's date bounds the search (qa/asking/time_scope.py); its year is still a year
    asked = question_constraints("What has changed for the Kurds in Syria since 9 October 2019?")
    assert asked.numbers == () and asked.years == ("2019",)
    assert not unmet(asked, ["Kurdish forces in Syria withdrew on Tuesday."], [2019])
    assert question_constraints("How many were arrested on 2 March?").numbers == ()
    # a figure beside the date still has to be met
    assert question_constraints("Which 2 ministers resigned after 3 June 2021?").numbers == ("2",)
