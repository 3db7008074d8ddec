"""Whether a sentence says who or what a name is ("Who was Tyree Smith?"), read from spaCy's parse.

A story says who someone is with the grammar of a definition, not with a word the question shares:
- an apposition: "Stanislaw Zaryn, head of Poland's national security department, said ...",
  "the comedian, Norm Macdonald";
- a copular definition: "Macdonald was a key architect of the show" (a noun after "be", not an
  adjective: "Tyree Smith wasn't as lucky" defines nothing);
- a title before the name: "activist Kamal Wells", "former JCPS principal Michelle Pennix";
- a renaming in the next sentence, news writing's way of going on about someone just named: "Tyree
  Smith wasn't as lucky. The 16-year-old Eastern High School student was killed ...": the subject is
  a definite description ("the", a modified singular noun, no name of its own) right after a
  sentence whose subject is the name.
A sentence that only mentions the name (a quote about them) says less. The regular expressions of
agents.py cannot see these shapes; the dependency parse of Explosion's `en_core_web_sm` (LAS 0.90)
does. Only the few sentences that name the asked name, and the one after each, are parsed, at ask
time (a few milliseconds a sentence once the model is loaded, ~1 s, on the first such question).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from qa.asking.parser import parser

DEFINES, RENAMES, NAMES = 1.0, 0.9, 0.4  # the kind scores of qa/extractive/explainer.py's "who"
_SUBJECTS = ("nsubj", "nsubjpass")
_BE = frozenset({"is", "was", "are", "were", "be", "been", "'s", "’s"})  # the parse has no lemmas
_DESCRIPTION_MODIFIERS = ("amod", "compound", "nummod", "npadvmod", "poss", "prep", "acl")


_WORD = re.compile(r"[\w\-]+")  # "Tyree's" is a mention of "Tyree"


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _name_words(name: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(name) if w[:1].isupper()}


def _mention_heads(doc: Any, words: set[str]) -> list[Any]:
    """The head token of each mention of the name: a token of the name whose head is outside it
    ("Smith" of "Tyree Smith"; "Tyree's" alone is a mention too), not part of another name."""
    heads = []
    for token in doc:
        if token.text.lower() in words and (
            token.head is token or token.head.text.lower() not in words
        ):
            other = [
                c
                for c in token.children
                if c.dep_ == "compound" and c.pos_ == "PROPN" and c.text.lower() not in words
            ]
            if not other:  # "Sherita Smith" is not "Tyree Smith"
                heads.append(token)
    return heads


def _is_description(token: Any) -> bool:
    """A common noun phrase ("head of ...", "the comedian"), not another name or a pronoun."""
    return token.pos_ == "NOUN"


def defines(doc: Any, name: str) -> bool:
    """The parsed sentence describes the name by an apposition, a copular noun or a title."""
    words = _name_words(name)
    for head in _mention_heads(doc, words):
        if any(c.dep_ == "appos" and _is_description(c) for c in head.children):
            return True  # "Zaryn, head of ..."
        if head.dep_ == "appos" and _is_description(head.head):
            return True  # "the comedian, Norm Macdonald"
        if (
            head.dep_ == "nsubj"
            and head.head.text.lower() in _BE
            and any(c.dep_ == "attr" and _is_description(c) for c in head.head.children)
        ):
            return True  # "Macdonald was a key architect of ..."
        title = [
            c
            for c in head.children
            if c.dep_ == "compound" and c.pos_ == "NOUN" and c.text.islower() and c.i < head.i
        ]
        if title:
            return True  # "activist Kamal Wells"
    return False


def names_subject(doc: Any, name: str) -> bool:
    """The name is the subject of the sentence's main clause ("Tyree Smith wasn't as lucky")."""
    words = _name_words(name)
    return any(h.dep_ in _SUBJECTS and h.head.dep_ == "ROOT" for h in _mention_heads(doc, words))


def renames(doc: Any) -> bool:
    """The main clause's subject is a definite description of one: "The 16-year-old Eastern High
    School student was killed" (a singular common noun after "the", modified, with no name
    heading it and no pronoun)."""
    for token in doc:
        if token.dep_ not in _SUBJECTS or token.head.dep_ != "ROOT":
            continue
        if token.tag_ != "NN":
            return False
        children = list(token.children)
        definite = any(c.dep_ == "det" and c.text.lower() == "the" for c in children)
        modified = any(c.dep_ in _DESCRIPTION_MODIFIERS for c in children)
        return definite and modified
    return False


def identity_scores(name: str, texts: Sequence[str]) -> list[float]:
    """For each sentence of a story (in article order), how much it says who `name` is:
    DEFINES, RENAMES (the sentence after one whose subject is the name), NAMES (mentions it) or 0.
    Only sentences that mention a word of the name, and the ones after them, are parsed."""
    words = _name_words(name)
    if not words:
        return [0.0] * len(texts)
    mentions = [bool(words & _words(t)) for t in texts]
    wanted = [i for i, m in enumerate(mentions) if m or (i > 0 and mentions[i - 1])]
    docs = dict(zip(wanted, parser().pipe(texts[i] for i in wanted), strict=True))
    scores = []
    for i, mentioned in enumerate(mentions):
        doc = docs.get(i)
        if doc is None:
            scores.append(0.0)
        elif mentioned and defines(doc, name):
            scores.append(DEFINES)
        elif i > 0 and mentions[i - 1] and names_subject(docs[i - 1], name) and renames(doc):
            scores.append(RENAMES)
        else:
            scores.append(NAMES if mentioned else 0.0)
    return scores
