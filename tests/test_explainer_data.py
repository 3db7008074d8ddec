"""The shipped Wikinews corpus and the explainer question set: the loader ingests every record as it is,
and every gold evidence string is an exact substring of its article's body."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.questions import EXPLAINER_QUESTIONS, WIKINEWS_CORPUS, load_questions
from eval.suites import load_suite
from index.formats.loaders import load_paths

KINDS = {"why", "what_happened", "who", "said", "stakes", "next", "count", "when", "where", "other"}


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    lines = WIKINEWS_CORPUS.read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


@pytest.fixture(scope="module")
def raw_questions() -> list[dict]:
    return [json.loads(line) for line in EXPLAINER_QUESTIONS.read_text("utf-8").splitlines()]


def test_the_loader_ingests_every_wikinews_record_unchanged(records: dict[str, dict]) -> None:
    loaded = load_paths([WIKINEWS_CORPUS])
    assert loaded.errors == [] and len(loaded.articles) == len(records) == 317
    for article in loaded.articles:
        record = records[article.id]
        assert (article.title, article.body) == (record["title"], record["body"])
        assert (article.source, article.url) == ("Wikinews", record["url"])
        assert article.published == int(record["published_at"].replace("-", ""))
    licence = (WIKINEWS_CORPUS.parent / "README.md").read_text(encoding="utf-8")
    assert "CC BY 2.5" in licence and "Original article: `<url>`" in licence
    assert (WIKINEWS_CORPUS.parent / "threads.json").is_file()


def test_every_evidence_string_is_in_its_articles_body(
    raw_questions: list[dict], records: dict[str, dict]
) -> None:
    missing = [
        (q["id"], e)
        for q in raw_questions
        for e in q["evidence"]
        if e not in records[q["article_id"]]["body"]
    ]
    assert missing == []


def test_the_question_set_has_the_size_and_spread_asked_for(
    raw_questions: list[dict], records: dict[str, dict]
) -> None:
    stories = [q for q in raw_questions if q["kind"] != "no_story"]
    assert len(stories) >= 150 and len({q["article_id"] for q in stories}) >= 30
    assert sum(not q["answerable"] for q in stories) >= 30
    assert {q["kind"] for q in stories} == KINDS
    for q in stories:
        assert q["article_id"] in records
        user, assistant = q["history"]
        assert (user["role"], assistant["role"]) == ("user", "assistant")
        body = records[q["article_id"]]["body"]
        assert body.startswith(assistant["content"])  # the topic turn's answer: the article's lede
        assert user["content"].rstrip("?") not in records[q["article_id"]]["title"]
        if q["answerable"]:
            assert q["evidence"] and q["answer_keys"] and q["answer"]
        else:
            assert not q["evidence"] and not q["answer_keys"]
    no_story = [q for q in raw_questions if q["kind"] == "no_story"]
    assert len(no_story) >= 10
    assert all(q["history"] == [] and not q["answerable"] for q in no_story)
    assert max(Counter(q["id"] for q in raw_questions).values()) == 1


def test_the_explainer_suite_loads_with_its_corpus() -> None:
    loaded = load_questions(EXPLAINER_QUESTIONS)
    assert loaded.errors == []
    suite = load_suite("explainer")
    assert load_suite("wikinews").questions == suite.questions
    assert suite.corpus == (WIKINEWS_CORPUS,) and "CC BY 2.5" in suite.note
    first = suite.questions[0]
    assert first.history and first.history[0][0] == "user" and first.article_id
    assert suite.collection(200, 40) == "eval-explainer-c200-o40"
    assert Path(WIKINEWS_CORPUS).stat().st_size > 1_000_000
