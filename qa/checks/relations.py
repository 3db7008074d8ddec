"""Relation: who did what to whom, read through spaCy's dependency parse.

The actor check compares the names before a claim's first verb; it cannot see an object, a passive
voice or a common noun ("the council sued the company" for "the company sued the council",
"Smith was beaten by Jones" for "Smith beat Jones"). This check parses the claim and the cited
sentences that use the claim's verb, and reads each verb's roles: the agent (active subject, or the
passive's "by" phrase) and the patient (direct object, or passive subject). A claim's relation is
wrong when a cited sentence with the same verb has its two roles the other way round and no cited
sentence has them the claim's way.

Only relations with both roles filled by nouns or names are compared (a pronoun's referent is
not known here), and only cited sentences using the claim's verb (same lemma): a paraphrase with
another verb is left to the other checks. The parser is en_core_web_sm 3.8 (MIT; LAS 0.90), loaded
without its NER (index/news/entities.py loads that one at ingest).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from index.news.entities import MODEL
from index.sentences import function_words
from qa.words import same_name, tokens

PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
MAX_SENTENCES = 3  # cited sentences parsed per claim: the check's time stays bounded
_NOMINAL = {"NOUN", "PROPN"}


@dataclass(frozen=True)
class Relation:
    verb: str  # lemma
    agent: str  # the head's words, proper names whole ("Manchester United")
    patient: str
    proper: tuple[bool, bool]  # whether agent / patient are names

    def reads(self) -> str:
        return f"{self.agent} did '{self.verb}' to {self.patient}, not the reverse"


@functools.cache
def parser() -> Any:
    """The parsing pipeline, loaded once (about 0.5 s)."""
    import spacy

    info = spacy.info(MODEL)
    others = [p for p in info.get("pipeline", []) if p not in PIPES]
    return spacy.load(MODEL, exclude=others)


def _phrase(token: Any) -> str:
    """A noun's head with the proper-name words compounded into it ("Manchester United")."""
    if token.pos_ != "PROPN":
        return token.lemma_.lower()
    words = [t for t in token.children if t.dep_ == "compound" and t.pos_ == "PROPN"]
    return " ".join(t.text for t in sorted([*words, token], key=lambda t: t.i))


def _with_conjuncts(tokens: Iterable[Any]) -> list[Any]:
    out = []
    for token in tokens:
        out.append(token)
        out.extend(t for t in token.conjuncts if t.dep_ == "conj")
    return out


def _roles(verb: Any) -> tuple[list[Any], list[Any]]:
    agents: list[Any] = []
    patients: list[Any] = []
    for child in verb.children:
        if child.dep_ == "nsubj":
            agents.append(child)
        elif child.dep_ in ("nsubjpass", "dobj"):
            patients.append(child)
        elif child.dep_ == "agent":
            agents.extend(t for t in child.children if t.dep_ == "pobj")
    return _with_conjuncts(agents), _with_conjuncts(patients)


def relations_of(doc: Any) -> list[Relation]:
    """Every (verb, agent, patient) of a parsed text whose two roles are nouns or names."""
    found = []
    for verb in doc:
        if verb.pos_ != "VERB":
            continue
        agents, patients = _roles(verb)
        for agent in agents:
            for patient in patients:
                if agent.pos_ in _NOMINAL and patient.pos_ in _NOMINAL:
                    found.append(
                        Relation(
                            verb.lemma_.lower(),
                            _phrase(agent),
                            _phrase(patient),
                            (agent.pos_ == "PROPN", patient.pos_ == "PROPN"),
                        )
                    )
    return found


def _same(a: str, b: str) -> bool:
    return a.lower() == b.lower() or same_name(a, b)


def reversed_relation(claim: Sequence[Relation], cited: Sequence[Relation]) -> Relation | None:
    """A cited relation that is one of the claim's with agent and patient swapped, when no cited
    relation has the claim's order; None otherwise."""
    for mine in claim:
        same_verb = [r for r in cited if r.verb == mine.verb]
        if any(_same(r.agent, mine.agent) and _same(r.patient, mine.patient) for r in same_verb):
            continue
        if _same(mine.agent, mine.patient):
            continue  # "officials met officials": no order to get wrong
        for theirs in same_verb:
            if _same(theirs.agent, mine.patient) and _same(theirs.patient, mine.agent):
                return theirs
    return None


@functools.lru_cache(maxsize=512)
def _parsed_relations(text: str) -> tuple[Relation, ...]:
    return tuple(relations_of(parser()(text)))


def _content(text: str) -> list[str]:
    stop = function_words()
    return [t for t in tokens(text) if len(t) > 2 and t not in stop]


def may_reverse(claim: str, sentence: str) -> bool:
    """Whether `sentence` could state one of the claim's relations the other way round, read
    without parsing (a parse costs milliseconds): it shares two of the claim's content words and
    either has them in another order or only one of the two is passive-looking (has "by"). Two
    words kept in the same order in the same voice keep their roles."""
    theirs = _content(sentence)
    first = {w: i for i, w in reversed(list(enumerate(theirs)))}
    shared = [first[w] for w in dict.fromkeys(_content(claim)) if w in first]
    if len(shared) < 2:
        return False
    if shared != sorted(shared):
        return True
    return (" by " in f" {claim.lower()} ") != (" by " in f" {sentence.lower()} ")


def check_relation(claim: str, aligned_sentence: str, cited_sentences: Sequence[str]) -> str | None:
    """Why the claim's who-did-what-to-whom is the cited text's the other way round, or None."""
    candidates = [
        s for s in dict.fromkeys([aligned_sentence, *cited_sentences]) if may_reverse(claim, s)
    ][:MAX_SENTENCES]
    if not candidates:
        return None
    mine = _parsed_relations(claim)
    if not mine:
        return None
    cited = [r for s in candidates for r in _parsed_relations(s)]
    theirs = reversed_relation(mine, cited)
    if theirs is None:
        return None
    return f"who did what to whom differs: the passage says {theirs.reads()}"
