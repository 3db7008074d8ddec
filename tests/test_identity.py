"""Who is X: the question's name (qa/asking/identity.py), the sentences that say who X is, read from
spaCy's real parse (qa/extractive/identity.py), and the answer end to end on a real index. Every
text is written here in the style of news pages: nothing is copied from a real page."""

from __future__ import annotations

import json

import pytest

from index.formats.loaders import parse_jsonl
from qa.asking.asked import read
from qa.asking.identity import identity_name
from qa.extractive.identity import DEFINES, NAMES, RENAMES, identity_scores
from qa.types import Filters


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Who was Dana Ruiz?", "Dana Ruiz"),
        ("Who is Stanislav Orlik?", "Stanislav Orlik"),
        ("who's Marta de Vries", "Marta de Vries"),
        ("And who is W.J. Hodge?", "W.J. Hodge"),
        ("Who is the mayor?", None),  # asks for a name, not about one
        ("Who is behind Harbor Kitchen?", None),  # an agent
        ("Who were the firefighters who died?", None),
        ("Who owned the boat?", None),
        ("Who is running the inquiry?", None),
    ],
)
def test_identity_name(question: str, name: str | None) -> None:
    assert identity_name(question) == name


def test_identity_question_binds_no_verb() -> None:
    asked = read("Who was Dana Ruiz?")
    assert (asked.kind, asked.identity, asked.verb) == ("who", "Dana Ruiz", None)
    assert read("Who owned the boat?").verb == "owned"


STORY = [
    "Two other passengers were treated at the scene.",
    "Dana Ruiz was not as fortunate.",
    "The 17-year-old Westfield High School senior was killed when the bus left the road.",
    '"She was always laughing," her coach said of Dana.',
    "Stanislav Orlik, head of the region's transport authority, said the road would be inspected.",
    "Orlik was a key architect of the safety plan.",
    "The plan was adopted in 2019, teacher Marco Bell said.",
    "The crew left on Tuesday.",
]


def test_descriptions_of_the_name_score_above_mentions() -> None:
    ruiz = identity_scores("Dana Ruiz", STORY)
    assert ruiz[:4] == [0.0, NAMES, RENAMES, NAMES]  # the renaming follows the name as subject
    orlik = identity_scores("Stanislav Orlik", STORY)
    assert orlik[4:6] == [DEFINES, DEFINES]  # an apposition, a copular noun
    assert identity_scores("Marco Bell", STORY)[6] == DEFINES  # a title before the name
    assert identity_scores("Nobody Here", STORY) == [0.0] * len(STORY)


def test_an_adjective_a_group_or_a_namesake_is_no_description() -> None:
    texts = ["Dana Ruiz was lucky.", "The group met on Friday.", "Then spoke Mara Ruiz, her aunt."]
    assert identity_scores("Dana Ruiz", texts)[:2] == [NAMES, 0.0]
    assert identity_scores("Dana Ruiz", texts)[2] < DEFINES  # another Ruiz


CRASH = {
    "id": "bus-crash",
    "title": "School bus crash on Route 9 kills a student",
    "published_at": "2024-03-08",
    "body": "\n\n".join(STORY[:4])
    + "\n\nMore:Father of Dana Ruiz, a friend of the family, says he is 'grateful'",
}


def test_who_is_answered_with_the_description(engine) -> None:  # type: ignore[no-untyped-def]
    engine.ingest_loaded(parse_jsonl(json.dumps(CRASH), "news.jsonl"))
    answer = engine.ask("Who was Dana Ruiz?", filters=Filters(article_ids=("bus-crash",)))
    assert not answer.refused
    assert answer.sentences[0].text.startswith("The 17-year-old Westfield High School senior")
    assert all("More:" not in s.text for s in answer.sentences)  # the promo is furniture
