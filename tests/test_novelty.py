"""A sentence that adds nothing to the question or the page's labels (qa/extractive/novelty.py)."""

import json

from index.formats.loaders import parse_jsonl
from index.store.bm25 import _stemmer, analyse
from qa.extractive.novelty import adds_nothing
from qa.types import Filters

STEMMER = _stemmer()


def terms(text: str) -> list[str]:
    return analyse([text], STEMMER)[0]


def test_echoes_add_nothing_and_answers_add_something() -> None:
    question = terms("Who is behind Harbor Kitchen?")
    title = terms("The best new restaurants in Elmford")
    assert adds_nothing(terms("Harbor Kitchen"), question, title)
    assert adds_nothing(terms("New restaurants in Elmford: Harbor Kitchen"), question, title)
    assert not adds_nothing(terms("Chef Lena Park runs Harbor Kitchen."), question, title)
    assert adds_nothing([], question, title)  # "He said." names nothing


GUIDE = {
    "id": "eat-guide",
    "title": "Five new restaurants to try in Elmford this spring",
    "published_at": "2024-03-08",
    "body": (
        "Spring brings a crop of new places to eat across town.\n\n"
        "FOUR NEW\n\n"
        "Harbor Kitchen\n\n"
        "14 Dock St., Elmford; 555-0101\n\n"
        "Chef Lena Park, who cooks Basque food at her first restaurant, took over the old "
        "ferry office on Dock Street.\n\n"
        "The menu changes every week and most plates cost under $20.\n\n"
        "Copper Pot\n\n"
        "9 Mill Road, Elmford; 555-0199\n\n"
        "Brothers Tom and Ray Hale serve stews from their grandmother's recipes."
    ),
}


def test_the_heading_that_names_the_venue_is_not_who_is_behind_it(engine) -> None:  # type: ignore[no-untyped-def]
    engine.ingest_loaded(parse_jsonl(json.dumps(GUIDE), "news.jsonl"))
    answer = engine.ask(
        "Who is behind Harbor Kitchen?", filters=Filters(article_ids=("eat-guide",))
    )
    assert "Harbor Kitchen" not in [s.text for s in answer.sentences]
