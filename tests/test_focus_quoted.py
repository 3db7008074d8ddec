"""A conversation is about the article our earlier answer quoted (qa/asking/focus.py), even when
other articles of the same story match the conversation as well or better. Texts written here."""

from __future__ import annotations

import json

from index.formats.loaders import parse_jsonl
from qa.asking.focus import dominant, quoted, story_text
from qa.types import Chunk, Passage, Turn

LEDE = (
    "At least 310 people were killed and hundreds more hurt when a 6.9-magnitude earthquake "
    "struck the hill town of Varna Dol before dawn on Sunday."
)
RESCUE = "Rescue teams from three neighbouring provinces reached the town by noon on Sunday."
ROUNDUP = {
    "id": "quake-roundup",
    "title": "Varna Dol earthquake among the region's deadliest in decades",
    "published_at": "2024-05-14",
    "body": (
        "The earthquake that struck Varna Dol on Sunday is among the deadliest in the region "
        "in decades.\n\nThe earthquake in Varna Dol killed at least 310 people, officials said, "
        "and the death toll from the earthquake is still rising.\n\n"
        "In 1987 an earthquake of magnitude 7.1 killed 2,000 people in the same valley, and an "
        "earthquake in 2003 killed 400."
    ),
}
REPORT = {
    "id": "quake-report",
    "title": "Strong quake hits Varna Dol",
    "published_at": "2024-05-12",
    "body": (
        f"{LEDE}\n\nThe epicentre was 12 kilometres north of Varna Dol, near Kosta, at a depth of 10 "
        f"kilometres, the national seismology office said.\n\n{RESCUE}"
    ),
}


def _passage(article: str, text: str) -> Passage:
    chunk = Chunk(f"{article}-0", article, "v1", 0, text, 0, len(text), None, article)
    return Passage(chunk=chunk, score=0.5)


def test_the_article_holding_the_answer_word_for_word_is_quoted() -> None:
    history = [Turn("user", "What happened in Varna Dol?"), Turn("assistant", f"{LEDE} [1]")]
    passages = [_passage("roundup", ROUNDUP["body"]), _passage("report", REPORT["body"])]
    assert quoted(history, passages) == ("report",)
    # a short shared phrase is not a quotation; no assistant turn, nothing quoted
    assert quoted([Turn("assistant", "An earthquake struck.")], passages) == ()
    assert quoted([Turn("user", LEDE)], passages) == ()


def test_a_follow_up_is_answered_from_the_quoted_article(engine) -> None:  # type: ignore[no-untyped-def]
    engine.ingest_loaded(parse_jsonl("\n".join(map(json.dumps, [ROUNDUP, REPORT])), "news.jsonl"))
    history = [
        Turn("user", "Is the Varna Dol earthquake among the region's deadliest in decades?"),
        Turn("assistant", f"{RESCUE} [1]"),
    ]
    # by the retrieved score mass alone the round-up would lead the focus
    assert dominant(engine.retrieve(story_text(history), 10))[0] == "quake-roundup"
    answer = engine.ask("Where was the epicentre?", history=history)
    assert answer.focus is not None and answer.focus.article_ids == ("quake-report",)
    assert not answer.refused and "12 kilometres north" in answer.answer
