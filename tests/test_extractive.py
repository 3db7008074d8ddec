"""The offline answerer as a pure function over hand-made passages."""

import numpy as np

from index.chunking import sentences_of
from index.store.bm25 import _stemmer, analyse
from index.types import Chunk
from qa.asking.asked import read
from qa.asking.counted import counted_noun
from qa.asking.kinds import scoring_kind
from qa.extractive.compose import compose
from qa.types import CANNOT_ANSWER, Passage

STEMMER = _stemmer()


def terms(text: str) -> list[str]:
    return analyse([text], STEMMER)[0]


def one(_term: str) -> float:
    return 1.0


BODY = (
    "Why would anyone ask? The storm reached the coast on Monday. "
    "Officials said 40 people were evacuated because the river rose. "
    "The mayor praised the volunteers."
)


def passage(section: str | None = None, body: str = BODY) -> Passage:
    assert body != BODY or len(sentences_of(body)) == 4
    return _passage_of(body, section)


def _passage_of(body: str, section: str | None = None) -> Passage:
    spans = sentences_of(body)
    chunk = Chunk(
        id="a@v#0",
        article_id="a",
        version="v",
        index=0,
        text=body,
        start=0,
        end=len(body),
        section=section,
        title="Storm",
        sentences=tuple(spans),
    )
    return Passage(chunk=chunk, score=1.0)


def test_answer_cites_exact_spans() -> None:
    answer = compose(read("How many people were evacuated?"), [passage()], terms, one)
    assert not answer.refused and answer.backend == "extractive"
    first = answer.citations[0]
    assert BODY[first.start : first.end] == first.quote
    assert "40 people were evacuated" in first.quote
    assert answer.answer.startswith(f"{first.quote} [1]")
    assert [s.refs for s in answer.sentences] == [[c.ref] for c in answer.citations]


def test_refuses_when_evidence_is_weak() -> None:
    answer = compose(read("Who won the 2022 World Cup?"), [passage()], terms, one)
    assert answer.refused and answer.answer == CANNOT_ANSWER and not answer.citations


def test_refuses_without_passages() -> None:
    assert compose(read("Anything?"), [], terms, one).refused


def test_a_question_in_the_text_is_never_the_answer() -> None:
    answer = compose(read("Why would anyone ask?"), [passage()], terms, one)
    assert all(not c.quote.endswith("?") for c in answer.citations)


def test_section_heading_answers_its_own_question() -> None:
    answer = compose(read("Why now?"), [passage(section="Why now?")], terms, one)
    assert not answer.refused
    assert "because the river rose" in answer.citations[0].quote  # the causal sentence first


def test_counted_thing_must_be_named() -> None:
    assert counted_noun("How many Russian troops are stationed in Syria?") == "troops"
    assert counted_noun("How many refugees fled Aleppo?") == "refugees"
    assert compose(read("How many refugees were evacuated?"), [passage()], terms, one).refused


def test_sentence_vectors_steer_the_choice() -> None:
    p = passage()
    vectors = np.eye(4, dtype=np.float32)
    chosen = Passage(chunk=p.chunk, score=1.0, sentence_vectors=vectors)
    answer = compose(read("The mayor?"), [chosen], terms, one, question_vector=vectors[3])
    assert answer.citations[0].quote == "The mayor praised the volunteers."


def test_question_kinds() -> None:
    assert scoring_kind("Why now?") == "why"
    assert scoring_kind("How many died?") == "count"
    assert scoring_kind("On which day did it start?") == "when"
    assert scoring_kind("Who heads the group?") == "who"


def test_a_plural_ends_the_counted_phrase() -> None:
    assert counted_noun("How many employees move to the new owner?") == "employees"
    assert counted_noun("How many TV stations does it run?") == "stations"


def test_people_are_counted_by_what_happened_to_them() -> None:
    body = "The mayor said three families were evacuated. Police said 39 are confirmed dead."
    answer = compose(read("How many people died?"), [_passage_of(body)], terms, one)
    assert not answer.refused and "39 are confirmed dead" in answer.citations[0].quote


def test_a_question_word_is_met_by_its_family() -> None:
    body = "The 40 sailors were praised by the mayor. Rescuers said 12 sailors were killed."
    answer = compose(read("How many sailors died?"), [_passage_of(body)], terms, one)
    assert "12 sailors were killed" in answer.citations[0].quote


def test_an_answer_of_the_type_asked_answers_the_asking_words() -> None:
    body = "The old lighthouse stands 12 kilometres from the harbour. The mayor opened it."
    answer = compose(read("How far is the lighthouse?"), [_passage_of(body)], terms, one)
    assert not answer.refused and "12 kilometres" in answer.citations[0].quote
    # a sentence without a distance is ranked below one with it, not refused outright
    body = "The lighthouse was painted white. The lighthouse is 3 miles out."
    answer = compose(read("How far away is the lighthouse?"), [_passage_of(body)], terms, one)
    assert "3 miles" in answer.citations[0].quote
