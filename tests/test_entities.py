"""Named entities at ingest (index/news/entities.py, the real spaCy model) and the answer types
they give "which airline" / "who" questions (qa/asking/entity_types.py), on shippable Wikinews."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from index.chunking import ChunkingConfig, chunk_article
from index.news.entities import MAX_CHARS, find_entities
from index.store.bm25 import _stemmer, analyse
from index.store.records import chunk_meta, stored_chunk
from index.types import Article
from qa.asking.asked import read
from qa.asking.entity_types import (
    FITTED,
    WHO,
    asked_entity,
    asked_word,
    fitted_labels,
    holds_entity,
)
from qa.extractive.compose import compose, profile, score_sentences
from qa.types import Passage

WIKINEWS = Path(__file__).resolve().parents[1] / "eval" / "data" / "wikinews" / "articles.jsonl"
ONTONOTES = {
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
}  # fmt: skip
STEMMER = _stemmer()


def wikinews(article_id: str) -> Article:
    for line in WIKINEWS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == article_id:
            return Article(id=row["id"], title=row["title"], body=row["body"])
    raise KeyError(article_id)


MAHAN = "wn-germany-bans-mahan-air-of-iran-citing-c35222"


def words(text: str) -> int:
    return len(text.split())


def test_entities_are_typed_spans_of_the_body() -> None:
    article = wikinews(MAHAN)
    body = article.body
    found = find_entities(body, [(0, len(body))])
    assert found == tuple(sorted(found))
    assert all(0 <= a < b <= len(body) and label in ONTONOTES for a, b, label in found)
    named = {(body[a:b], label) for a, b, label in found}
    assert ("Mahan Air", "ORG") in named  # our capitalised-words rule cannot tell it from a person
    assert ("Mike Pompeo", "PERSON") in named
    assert ("Germany", "GPE") in named


def test_chunks_carry_their_entities_through_the_store() -> None:
    article = wikinews(MAHAN)
    chunks = chunk_article(
        article, words, ChunkingConfig(max_tokens=60, overlap_tokens=10, entities=True)
    )
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.entities, chunk.text
        assert all(chunk.start <= a < b <= chunk.end for a, b, _ in chunk.entities)
        assert stored_chunk(chunk.id, chunk_meta(chunk, article)).chunk == chunk
    first = chunks[0]
    start, end = first.sentences[0]
    assert {article.body[a:b] for a, b, _ in first.entities_in(start, end)} >= {"Mahan Air"}
    # without entities the chunks are the same passages, and a different version
    bare = chunk_article(article, words, ChunkingConfig(60, 10, entities=False))
    assert [c.text for c in bare] == [c.text for c in chunks]
    assert not any(c.entities for c in bare) and bare[0].version != first.version


def test_bad_input_is_read_without_error() -> None:
    assert find_entities("", []) == ()
    assert find_entities("   ", [(0, 0)]) == ()
    no_punctuation = " ".join(["word"] * 4000)  # one "sentence" longer than MAX_CHARS
    assert len(no_punctuation) > MAX_CHARS
    assert find_entities(no_punctuation, [(0, len(no_punctuation))]) == ()
    abbreviations = "Dr. Mr. U.S. No. p.m. Oct. " * 200
    found = find_entities(abbreviations, [(0, len(abbreviations))])
    assert all(0 <= a < b <= len(abbreviations) for a, b, _ in found)


def test_asked_word_and_labels() -> None:
    table = fitted_labels()
    assert "ORG" in table["airline"] and "PERSON" in table[WHO]
    assert asked_word("Which airline did Germany ban?", table) == "airline"
    # the noun within three words, past an adjective the fit never saw
    assert asked_word("Germany banned which Iranian airline this week?", table) == "airline"
    assert asked_word("Who won the election?", table) == WHO
    # who a named one is: a description is asked, not another entity
    assert asked_word("Who was Hamid Arabnejad Khanooki?", table) is None
    assert asked_entity("Which seed did the FDA add to its list?") == (None, frozenset())
    assert asked_entity("Why did Germany ban the airline?") == (None, frozenset())


def test_a_sentence_holds_the_type_only_with_an_entity_the_question_does_not_name() -> None:
    body = "Germany banned Mahan Air on Monday. Germany said so on Monday."
    entities = find_entities(body, [(0, 35), (36, len(body))])
    question = read("Which airline did Germany ban?")
    word, labels = question.entity_asked
    assert word == "airline" and "ORG" in labels
    first = [e for e in entities if e[1] <= 35]
    second = [e for e in entities if e[0] >= 36]
    assert holds_entity(labels, first, body, 0, question.words)
    assert not holds_entity(labels, second, body, 0, question.words)


def wikinews_idf() -> Callable[[str], float]:
    """BM25's idf over the Wikinews articles' bodies, so frame words ("which", "did") weigh little."""
    bodies = [
        json.loads(line)["body"] for line in WIKINEWS.read_text(encoding="utf-8").splitlines()
    ]
    frequency = Counter(t for terms in analyse(bodies, STEMMER) for t in set(terms))
    n = len(bodies)
    return lambda t: math.log((n - frequency[t] + 0.5) / (frequency[t] + 0.5) + 1)


@pytest.mark.parametrize(
    "question", ["Which airline did Germany ban?", "Germany banned which airline on Monday?"]
)
def test_which_airline_is_answered_by_the_sentence_naming_it(question: str) -> None:
    article = wikinews(MAHAN)
    chunks = chunk_article(
        article, words, ChunkingConfig(max_tokens=120, overlap_tokens=20, entities=True)
    )
    passages = [Passage(chunk=c, score=1.0) for c in chunks]
    answer = compose(read(question), passages, lambda t: analyse([t], STEMMER)[0], wikinews_idf())
    assert not answer.refused
    assert "Mahan Air" in answer.citations[0].quote


def test_the_fit_keeps_frequent_labels_of_words_asked_often_enough() -> None:
    from eval.fit_answer_types import fit

    counts = {
        "team": Counter({"ORG": 13, "GPE": 4, "": 3}),  # GPE under the share: ORG alone
        "chain": Counter({"PERSON": 4, "ORG": 3}),  # both labels
        "animal": Counter({"": 8}),  # answers that are no entity
        "golfer": Counter({"PERSON": 2}),  # too rare to trust
    }
    assert fit(counts) == {"team": ["ORG"], "chain": ["ORG", "PERSON"]}


def test_the_shipped_table_is_what_the_fit_makes_of_its_own_counts() -> None:
    from eval.fit_answer_types import fit

    data = json.loads(FITTED.read_text(encoding="utf-8"))
    assert data["labels"] == fit({w: Counter(c) for w, c in data["counts"].items()})


def test_entities_are_off_unless_the_setting_turns_them_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.settings import Settings

    assert Settings().chunking.config().entities is False  # the ingest-speed goal (README)
    monkeypatch.setenv("NEWSDESK_CHUNKING__ENTITIES", "true")
    on = Settings().chunking.config()
    assert (
        on.entities is True
        and on.key != Settings(chunking={"entities": False}).chunking.config().key
    )


def test_without_stored_entities_a_typed_question_scores_as_an_untyped_one() -> None:
    # NEWSDESK_CHUNKING__ENTITIES=false (the default): no sentence could show the label asked, so
    # the entity type must not cost every sentence its rank (answers stay as without the feature)
    article = wikinews(MAHAN)
    bare = chunk_article(article, words, ChunkingConfig(max_tokens=120, overlap_tokens=20))
    passages = [Passage(chunk=c, score=1.0) for c in bare]
    asked = read("Which airline did Germany ban?")
    assert asked.entity_asked[1]  # the question does ask for an ORG

    def stem(t: str) -> list[str]:
        return analyse([t], STEMMER)[0]

    def scores(entity_typed: bool) -> list[float]:
        found = score_sentences(profile(asked, stem, entity_typed), passages, stem, wikinews_idf())
        return [c.score for c in found]

    answer = compose(asked, passages, stem, wikinews_idf())
    assert [c.score for c in answer.citations] == [round(s, 4) for s in scores(False)][
        : len(answer.citations)
    ]
    assert scores(True) != scores(False)  # what an entity-typed reading would have cost
