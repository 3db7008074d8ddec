"""The type of answer a factoid question asks for, and sentences that hold it (sentences written here)."""

import pytest

from qa.asking.answer_types import (
    COUNT,
    DATE,
    DISTANCE,
    DURATION,
    FUTURE_DATE,
    MARGIN,
    MONEY,
    NAME,
    PLACE,
    RACE_TIME,
    SHARE,
    TEMPERATURE,
    holds,
    number_value,
    wanted,
)
from qa.asking.kinds import classify


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many sailors were rescued?", COUNT),
        ("And how many were hurt?", COUNT),
        ("According to the police, how many were arrested?", COUNT),
        ("How much did the bridge cost?", MONEY),
        ("How much is the club worth?", MONEY),
        ("How far is the village from the border?", DISTANCE),
        ("How long will the strike last?", DURATION),
        ("By how much did turnout fall?", MARGIN),
        ("What share of voters backed the plan?", SHARE),
        ("When did the ferry sink?", DATE),
        ("In which year was the dam built?", DATE),
        ("When will the council decide?", FUTURE_DATE),
        ("Where did the ferry sink?", PLACE),
        ("Which countries sent aid?", PLACE),
        ("What is the new vaccine called?", NAME),
        ("What was his time?", RACE_TIME),
        ("What is the water temperature?", TEMPERATURE),
        ("What did the mayor do?", None),
        ("What kind of ship was it?", None),
        # a "where" or "when" inside a long question's clause is not what it asks
        ("Which club, praised where it counts, signed the striker in the summer window?", None),
        ("What is the name of the company that sold the ferry and bought the port?", None),
        ("Who is the man on trial, where his lawyers dispute the charges?", None),
    ],
)
def test_what_a_question_asks_for(question: str, kind: str | None) -> None:
    assert wanted(question) == kind


@pytest.mark.parametrize(
    ("kind", "sentence", "held"),
    [
        (COUNT, "Rescuers said twenty sailors were pulled from the sea.", True),
        (COUNT, "Some 12,000 applicants will receive the letter.", True),
        (COUNT, "No one was hurt, officials said.", False),
        (MONEY, "The club was sold for 900 million złotys.", True),
        (MONEY, "The bill came to €20,000 in fines.", True),
        (MONEY, "The ministry spent 1.2% of its GDP on roads.", True),
        (MONEY, "The exact price was kept secret.", True),
        (MONEY, "The club has 301 shops.", False),
        (DISTANCE, "The village lies about 40 kilometres from the border.", True),
        (DISTANCE, "The comet is some 300 light-years from Earth.", True),
        (DISTANCE, "The village lies near the border.", False),
        (DURATION, "Workers must reply within twenty working days.", True),
        (DURATION, "A day on the moon lasts 29 Earth days.", True),
        (MARGIN, "She won by 12 seconds, finishing ahead of the champion.", True),
        (MARGIN, "She won the race in Boston.", False),
        (MARGIN, "The council passed the plan by 12 votes.", True),
        (SHARE, "Turnout reached 55 percent.", True),
        (DATE, "The first tremor struck at 7:37 p.m.", True),
        (DATE, "The files were deleted only after Reuters called the firm.", True),
        (DATE, "The files were deleted.", False),
        (FUTURE_DATE, "The council will vote on March 3.", True),
        (FUTURE_DATE, "The council voted on Monday.", False),
        (PLACE, "The ferry sank near Lamma Island.", True),
        (PLACE, "The ferry sank in February.", False),
        (PLACE, "Divers arrived at 4:00 A.M.", False),
        (NAME, 'The ministry named it "Clean Rivers".', True),
        (NAME, "The ministry praised the plan.", False),
        (RACE_TIME, "He crossed the line in 2:06:11.", True),
        (RACE_TIME, "The polls closed at 8:00 p.m.", False),
        (TEMPERATURE, "The water was 4 degrees Celsius.", True),
        (TEMPERATURE, "The temperature was right.", False),
    ],
)
def test_sentences_that_hold_the_type(kind: str, sentence: str, held: bool) -> None:
    assert holds(kind, sentence) is held


def test_numbers_in_words_have_values() -> None:
    assert number_value("twenty") == 20 and number_value("forty-two") == 42
    assert number_value("1,426") == 1426 and number_value("several") is None


def test_a_question_that_only_asks_for_a_number_names_nothing() -> None:
    assert classify("How many?").bare and classify("How far?").bare
    assert not classify("How many died?").bare
