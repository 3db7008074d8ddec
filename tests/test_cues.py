"""Cue families and name binding of the explainer kinds, on sentences written for these tests:
each would fail without its mechanism (graded cues, the asked verb bound to a name, a time that
is not a cause, a story that says it does not know)."""

from __future__ import annotations

from collections import Counter

import pytest

from index.types import SentenceTag
from qa.asking.asked import Asked, read
from qa.asking.hinges import question_verb
from qa.asking.kinds import cause_asked, classify, direction_asked
from qa.extractive import agents, cues
from qa.extractive.explainer import Context, Sentence, kind_score


def _sentence(text: str, lede: bool = False) -> Sentence:
    return Sentence(0, 0, len(text), text, SentenceTag(0, lede), None, 0, None)


def _who_context(question: str) -> tuple[Asked, Context]:
    asked = read(question)
    verb = asked.verb
    assert verb is not None
    stem = verb[:-2] if verb.endswith("ed") else verb  # the stemmer's "owned" -> "own"
    return asked, Context((), agents.verb_pattern(verb, stem), agents.role_nouns(verb, stem))


def test_passive_agent_binds_the_asked_verb() -> None:
    asked, context = _who_context("Who owned the ferry?")
    owned = kind_score(asked, _sentence("The Aurora was owned by Baltic Lines."), context)
    named = kind_score(asked, _sentence("The ferry Aurora sank near Gotland on Friday."), context)
    assert owned == 1.0
    assert named < owned


def test_active_subject_and_irregular_verb_bind() -> None:
    asked, context = _who_context("Who won the final?")
    assert kind_score(asked, _sentence("Veteran Maria Lopes won the final."), context) == 1.0


def test_agent_phrase_without_the_asked_verb() -> None:
    asked, context = _who_context("Who is running the inquiry?")
    led = _sentence("The inquiry began by hiring accounting firm Grant Morrow.")
    plain = _sentence("The inquiry began in March, according to Reuters.")
    assert kind_score(asked, led, context) > kind_score(asked, plain, context)


def test_role_noun_in_apposition_binds() -> None:
    asked, context = _who_context("Who brought the case?")
    text = "The court sided with the plaintiff, Anna Berger, a teacher from Graz."
    assert kind_score(asked, _sentence(text), context) == 1.0


def test_no_verb_to_bind_after_a_preposition() -> None:
    assert question_verb("Who was on board?") is None
    assert question_verb("Who is running the inquiry?") == "running"


def test_unnamed_person_is_not_an_answer() -> None:
    text = "She was attacked by two guards and an unidentified third guard."
    assert agents.unnamed(["third", "guard"], text)
    assert not agents.unnamed(["third", "guard"], "The third guard, Tom Reyes, was fired.")


def test_involved_prefers_the_names_the_story_repeats() -> None:
    story = [
        "Judge Ida Holm fined Vesta Mining on Monday.",
        "Vesta Mining said it would appeal, and Holm declined to comment.",
        "Vesta Mining employs 300 people in Kiruna.",
        "The weather in Lulea was mild, said Erik Sand of SMHI.",
    ]
    context = Context(names=agents.name_counts(story))
    involved = read("Who is involved?")
    assert (involved.kind, involved.bare) == ("involved", True)
    scores = [kind_score(involved, _sentence(s), context) for s in story]
    assert scores[0] > scores[3]
    assert scores[1] > scores[3]


def test_why_graded_cause_purpose_and_time() -> None:
    cause = "the plant closed because demand collapsed."
    purpose = "the forms are part of an effort to clear the backlog."
    timing = "the strike began after talks broke down."
    assert cues.why_score(cause, bare=False) == 1.0
    assert 0 < cues.why_score(purpose, bare=False) < 1.0
    assert cues.why_score(timing, bare=True) == 1.0
    assert 0 < cues.why_score(timing, bare=False) < 1.0


def test_a_clock_time_is_not_a_cause() -> None:
    assert cues.why_score("the fire started some time after 2 a.m.", bare=False) == 0.0
    assert cues.why_score("it has run the route since the 1980s.", bare=False) == 0.0
    # asked for a cause, a purpose does not answer
    assert cause_asked("What caused the blackout?")
    assert cues.why_score("crews worked to restore power.", bare=False, cause_asked=True) == 0.0


def test_story_that_does_not_know_the_cause() -> None:
    assert cues.cause_unknown("officials have not determined a cause for the blackout.")
    assert cues.cause_unknown("the cause of the crash is under investigation.")
    assert not cues.cause_unknown("a falling tree was the cause of the blackout.")


def test_reason_of_the_asked_event() -> None:
    assert cues.reason_of(["sue"], "she sued in vienna for libel and won.")
    assert not cues.reason_of(["sue"], "the newspaper printed the story in vienna.")
    sentence = _sentence("Berger sued in Vienna for libel and won.")
    assert kind_score(read("Why did she sue?"), sentence, Context(("sue",))) == 1.0


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("the leak could cause blindness in children.", 1.0),
        ("the ban seriously damaged trust in the regulator.", 1.0),
        ("this is the first such finding in the region.", 0.8),
        ("the council would meet on tuesday.", 0.5),
        ("the council met on tuesday.", 0.0),
    ],
)
def test_stakes_graded(text: str, score: float) -> None:
    assert cues.stakes_score(text) == score


@pytest.mark.parametrize(
    "text",
    [
        "the approval of the ministry is still awaited.",
        "the deal still has to be approved by the regulator.",
        "the old drugs are to be retired.",
        "the court sent the case back, remanding it to the lower court.",
        "a follow-on study will start in may.",
    ],
)
def test_pending_steps_are_next(text: str) -> None:
    assert cues.next_score(text) == 1.0


def test_next_direction_asked() -> None:
    assert direction_asked("Where is the cyclone heading now?")
    heading = cues.next_score("the cyclone was westbound as it left fiji.", direction_asked=True)
    other = cues.next_score("the airport will reopen on monday.", direction_asked=True)
    assert heading > other
    assert cues.next_score("the airport will reopen on monday.") < 1.0  # a bare "will"


def test_question_kinds_for_heading_and_taking_part() -> None:
    assert classify("Where is the cyclone heading now?").kind == "next"
    assert classify("Where did the cyclone make landfall?").kind == "where"
    assert classify("Who took part?").kind == "involved"


def test_name_counts_skip_days_and_function_words() -> None:
    counts = agents.name_counts(["On Monday, The Hague said.", "It rained on Monday in Hague."])
    assert counts["Monday"] == 0
    assert counts["Hague"] == 2
    assert isinstance(counts, Counter)
