"""Dates on an answer: each citation's publication date and the dates each sentence mentions.

Pure. Computed at answer time from the sentence text and the cited passage's publication date
(index/news/dates.py, cached per sentence), not stored at ingest: an answer's sentences are the
answer's own. A passage's relative dates for the LLM's prompt are stored at ingest instead
(index/news/dates.py `date_notes`, index/chunking.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from index.news.dates import iso_of, sentence_dates
from qa.types import Answer, AnswerSentence, Citation


def published_by_article(answer: Answer) -> dict[str, int | None]:
    return {p.chunk.article_id: p.published for p in answer.passages}


def with_dates(answer: Answer) -> Answer:
    """`answer` with `citations[i].published` and `sentences[i].dates` filled in."""
    published = published_by_article(answer)
    citations = [_dated_citation(c, published.get(c.article_id)) for c in answer.citations]
    day_of_ref = {c.ref: published.get(c.article_id) for c in answer.citations}
    sentences = [_dated_sentence(s, day_of_ref) for s in answer.sentences]
    return replace(answer, citations=citations, sentences=sentences)


def _dated_citation(citation: Citation, published: int | None) -> Citation:
    return citation if citation.published else replace(citation, published=iso_of(published))


def _dated_sentence(sentence: AnswerSentence, day_of_ref: dict[int, int | None]) -> AnswerSentence:
    if sentence.dates or not sentence.refs:
        return sentence
    # A sentence's relative dates are relative to the article it quotes (its first citation).
    day = day_of_ref.get(sentence.refs[0])
    return replace(sentence, dates=list(sentence_dates(sentence.text, day)))


def dated_events(events: Iterator[str | Answer]) -> Iterator[str | Answer]:
    """A stream of answer deltas whose final Answer gets its dates."""
    for event in events:
        yield with_dates(event) if isinstance(event, Answer) else event
