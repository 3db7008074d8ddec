"""The named-entity labels a question's answer carries: "which team" an ORG, "who" a PERSON.

The asked word is the interrogative's noun ("which team", "what company", "which former pope":
the first of the three words after "which"/"what" that the map knows, before the question's frame
words) or "who" itself. Which labels each asked word gets is not listed by hand: it is fitted by
eval/fit_answer_types.py on third-party questions (RealTimeQA's dev weeks: spaCy's NER on the gold
answer where the question's pages say it) and read from entity_types.json beside this file. A word
the fit never saw (or saw too rarely to trust) asks for no label, and the answerer falls back to
its other signals.

A sentence holds the answer's type when it names an entity of an asked label that the question
does not itself name: "Damar Hamlin" does not answer "Which team does Damar Hamlin play for?".
The entity spans come from ingest (Chunk.entities, index/news/entities.py), so nothing here runs
a model. Pure functions.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path

from qa.words import QUESTION_FRAME, singular, tokens

FITTED = Path(__file__).with_name("entity_types.json")
# "Who is Linda Yaccarino?", "who was Tyre Nichols": the copula, then a name (not "the new CEO").
_DEFINITION = re.compile(r"\b[Ww]ho(?:'s| is| was| are| were) (?!The\b|A\b|An\b)[A-Z]")
WHO = "who"
NOUN_WINDOW = 3  # "which former Soviet republic": the noun comes within three words


@functools.cache
def fitted_labels(path: Path = FITTED) -> dict[str, frozenset[str]]:
    """asked word -> labels, as eval/fit_answer_types.py wrote them."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {word: frozenset(labels) for word, labels in data["labels"].items()}


def asked_word(question: str, known: Iterable[str]) -> str | None:
    """The word that names what the question asks for: the first word after "which"/"what"
    (within NOUN_WINDOW words, before a frame word) that `known` holds, singular; "who" for a
    question asking "who"/"whom", unless it asks who a named one is ("Who was Tyre Nichols?":
    a description of the name is asked, not another entity)."""
    words = tokens(question)
    keys = set(known)
    for position, word in enumerate(words):
        if word in ("who", "whom"):
            return WHO if WHO in keys and not _DEFINITION.search(question) else None
        if word not in ("which", "what"):
            continue
        for after in words[position + 1 : position + 1 + NOUN_WINDOW]:
            if after in QUESTION_FRAME:
                break
            noun = singular(after)
            if noun in keys:
                return noun
        return None
    return None


def asked_entity(question: str) -> tuple[str | None, frozenset[str]]:
    """The asked word and the entity labels the question's answer carries (empty: no fitted
    type)."""
    table = fitted_labels()
    word = asked_word(question, table)
    labels = table.get(word, frozenset()) if word else frozenset()
    return (word, labels) if labels else (None, frozenset())


def holds_entity(
    labels: frozenset[str],
    entities: Iterable[tuple[int, int, str]],
    body_text: str,
    offset: int,
    question_words: frozenset[str],
) -> bool:
    """Whether a sentence names an entity of one of `labels` that the question does not name.
    `entities` are (start, end, label) in body offsets; `body_text` starts at body offset `offset`
    (a chunk's text and its start)."""
    for start, end, label in entities:
        if label not in labels:
            continue
        words = set(tokens(body_text[start - offset : end - offset]))
        if words - question_words:
            return True
    return False
