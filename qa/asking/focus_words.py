"""What a question asks about, read from its dependency parse: the words an answer must cover.

"What are Trellis's opening hours?" asks about Trellis's opening hours: a sentence that names
Trellis and says nothing of its hours does not answer it, however well it matches the story. "How
many of the dead were children?" asks about children, not the dead; "How many migrants have been
granted asylum in Poland?" about a grant of asylum in Poland, not any count of migrants. The words a
question asks about are its content words outside the phrase that stands for the answer: the
wh-word and what it modifies ("how many migrants", "which team", "how expensive") are the answer's
type (checked elsewhere: qa/asking/answer_types.py, counted.py), everything else the question names
(its verb, subject, object, their modifiers) is what the answer must be about.

The parse is spaCy's `en_core_web_sm` (qa/asking/parser.py loads it once); a question is a
dozen tokens, a few milliseconds. No word list: the parser's part-of-speech tags say which tokens
name something (nouns, proper nouns, verbs, adjectives, numbers), auxiliaries and pronouns never
do. Which share of these words must be met, and how much each weighs, is for the caller
(qa/extractive/focus_cover.py: idf-weighted, a threshold fitted on third-party questions).
"""

from __future__ import annotations

import functools
from typing import Any

from qa.asking.parser import parser

_NAMING = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
_WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})
# How a word joins the wh-word's phrase: "how [many] migrants", "which team", "how expensive".
_WH_PHRASE_DEPS = frozenset({"det", "advmod", "amod", "npadvmod", "nummod", "quantmod"})


def _wh_phrase(doc: Any) -> set[int]:
    """Token indexes of the phrase that stands for the answer: each wh-word, the adjective or
    adverb it opens ("how many", "how long"), and the noun these determine ("which crossing",
    "how many migrants", "how much money")."""
    phrase: set[int] = set()
    for token in doc:
        if token.tag_ not in _WH_TAGS:
            continue
        phrase.add(token.i)
        current = token
        # climb while the wh-word (or the word it opened) modifies its head within a phrase
        while current.dep_ in _WH_PHRASE_DEPS and current.head is not current:
            head = current.head
            if head.pos_ not in ("ADJ", "ADV", "NOUN", "PROPN", "NUM"):
                break
            phrase.add(head.i)
            if head.pos_ in ("NOUN", "PROPN"):
                break  # the noun the answer counts or names ends the phrase
            current = head
        # "How many of the dead": the partitive's noun belongs to what is counted
        for child in doc[current.i].children:
            if child.dep_ == "prep" and child.lower_ == "of":
                phrase.update(t.i for t in child.subtree)
    return phrase


def focus_words(doc: Any) -> tuple[str, ...]:
    """The words of a parsed question that name what it asks about, in order, lower-cased."""
    phrase = _wh_phrase(doc)
    words = [
        token.lower_
        for token in doc
        if token.i not in phrase and token.pos_ in _NAMING and not token.is_stop
    ]
    return tuple(dict.fromkeys(words))


@functools.lru_cache(maxsize=4096)
def question_focus(question: str) -> tuple[str, ...]:
    """`focus_words` of the question as parsed by the shared parser (cached per text)."""
    return focus_words(parser()(question))
