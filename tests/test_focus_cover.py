"""What a question asks about (qa/asking/focus_words.py, spaCy's real parse) and whether an answer
covers it (qa/extractive/focus_cover.py), down to the refusal on a real index. Every text is written
here in the style of news pages: nothing is copied from a real page."""

from __future__ import annotations

import json

import pytest

from index.formats.loaders import parse_jsonl
from index.store.bm25 import _stemmer, analyse
from qa.asking.focus_words import question_focus
from qa.extractive import focus_cover
from qa.extractive.focus_cover import checked, coverage, focus_terms, load_threshold
from qa.types import Filters

STEMMER = _stemmer()


def terms(text: str) -> list[str]:
    return analyse([text], STEMMER)[0]


def uniform(term: str) -> float:
    return 1.0


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        # the wh-phrase stands for the answer; the rest is what the answer must be about
        ("How many of the dead were children?", ("children",)),
        ("What are Harbor Kitchen's opening hours?", ("harbor", "kitchen", "opening", "hours")),
        ("How many migrants have been granted asylum?", ("granted", "asylum")),
        ("Which crossing has Poland closed?", ("poland", "closed")),
        ("How expensive is Copper Pot?", ("copper", "pot")),
        ("Has the mayor resigned?", ("mayor", "resigned")),
    ],
)
def test_focus_words_leave_out_the_answers_phrase(question: str, focus: tuple[str, ...]) -> None:
    assert question_focus(question) == focus


def test_coverage_is_the_weighted_share_met_by_the_text() -> None:
    asked = focus_terms(question_focus("What are Harbor Kitchen's opening hours?"), terms)
    assert (
        coverage(
            asked, "Harbor Kitchen is open from 11 a.m. to 9 p.m.; hours vary.", terms, uniform
        )
        == 1.0
    )
    named_only = coverage(asked, "Fans of the chef will love Harbor Kitchen.", terms, uniform)
    assert named_only == pytest.approx(0.5)  # harbor and kitchen of four terms
    assert coverage((), "anything", terms, uniform) == 1.0  # nothing asked, nothing to miss
    rare = {"hour": 3.0, "open": 1.0, "harbor": 1.0, "kitchen": 1.0}
    assert coverage(asked, "Harbor Kitchen's hours", terms, rare.__getitem__) == pytest.approx(
        5 / 6
    )


def test_a_word_of_the_family_is_met_at_a_discount() -> None:
    asked = focus_terms(("died",), terms)
    assert coverage(asked, "Two men were killed.", terms, uniform) == pytest.approx(
        focus_cover.KIN_CREDIT
    )


def test_which_questions_are_checked() -> None:
    assert checked("count", bare=False, identity=False, word_count=8)
    assert not checked("said", bare=False, identity=False, word_count=5)  # a speaker's quotes
    assert not checked("why", bare=True, identity=False, word_count=2)  # "Why now?"
    assert not checked("who", bare=False, identity=True, word_count=4)  # "Who is X?"
    assert not checked("count", bare=False, identity=False, word_count=30)  # several stories


def test_threshold_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert load_threshold(tmp_path / "absent.json") == 0.0  # no file: no check
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert load_threshold(bad) == 0.0
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"threshold": 0.42, "fitted_on": {}}), encoding="utf-8")
    assert load_threshold(good) == 0.42


GUIDE = {
    "id": "food-guide",
    "title": "Where to eat in Brackley now: three openings",
    "published_at": "2024-04-19",
    "body": (
        "Three kitchens opened downtown this month.\n\n"
        "Harbor Kitchen\n\n"
        "Chef Lena Park moved her Basque cooking into a former bank on Quay Lane.\n\n"
        "The menu changes every week and most plates at Harbor Kitchen cost under $20.\n\n"
        "Fans of her cooking at the Art Center will be pleased with Harbor Kitchen.\n\n"
        "Copper Pot\n\n"
        "Brothers Tom and Ray Hale serve stews from their grandmother's recipes at Copper Pot, "
        "which seats 40 people."
    ),
}


def test_an_answer_about_something_else_is_refused(engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    engine.ingest_loaded(parse_jsonl(json.dumps(GUIDE), "news.jsonl"))
    scope = Filters(article_ids=("food-guide",))
    hours = "What are Harbor Kitchen's opening hours?"
    monkeypatch.setattr(focus_cover, "THRESHOLD", 0.0)  # no fitted threshold: no check
    assert not engine.ask(hours, filters=scope).refused  # cites a sentence naming the venue
    monkeypatch.setattr(focus_cover, "THRESHOLD", 0.6)
    assert engine.ask(hours, filters=scope).refused
    # what the page does say is still answered, with the same threshold
    seats = engine.ask("How many people does Copper Pot seat?", filters=scope)
    assert not seats.refused and "40 people" in seats.answer
    cost = engine.ask("How much do plates at Harbor Kitchen cost?", filters=scope)
    assert not cost.refused and "$20" in cost.answer
