"""What the model is given, end to end: a real index (Chroma, the real embedder), the real `openai`
client and the recording fake server (tests/fake_openai.py). A story goes in whole when it fits the
budget, its follow-up joins it and its timeline, and a question naming two outlets gets both."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eval.context_bench import answer_prompt
from eval.questions import MULTIHOP_CORPUS
from index.types import Article
from tests.conftest import SEED_FILE
from tests.fake_openai import FakeOpenAI, parse_prompt
from tests.llm_fixtures import fake_fixture  # noqa: F401

THREADS = Path(__file__).parent / "data" / "wikinews_threads.jsonl"
SEED = "aleppo-offensive"
TOLL = "aleppo-toll"
# A follow-up as wires write them (written for this test): the monitor revises its toll two days on.
FOLLOW_UP = Article(
    TOLL,
    "Syria war monitor raises death toll to 412",
    "The Syrian Observatory for Human Rights said on Sunday that at least 412 people had been killed "
    "in the fighting, revising its earlier toll of 311.\n\nThe Britain-based monitor said 61 of the "
    "dead were civilians. Rebels led by Hayat Tahrir al-Sham now hold most of Aleppo, Syria's second "
    "city, and government forces have pulled back to the south.\n\nRussian and Syrian warplanes "
    "struck Idlib province on Saturday, the monitor said.",
    source="Wire",
    published=20241201,
)
OUTLETS = ("The Verge", "TechCrunch", "Fortune")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[tuple[Any, Any]]:  # type: ignore[no-untyped-def]
    from index.formats.loaders import load_paths
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("context") / "data")
    store = Store.open(settings.data_dir, None, settings.collection)
    engine = Engine(settings, store, embedder)
    title, body = SEED_FILE.read_text(encoding="utf-8").split("\n", 1)
    seed = Article(SEED, title, body, source="AFP", published=20241129)
    wire = [a for a in load_paths([MULTIHOP_CORPUS]).articles if a.source in OUTLETS]
    engine.ingest_articles([seed, FOLLOW_UP, *load_paths([THREADS]).articles, *wire])
    yield settings, store
    store.close()


def engine_for(index, embedder, fake: FakeOpenAI, **llm: Any):  # type: ignore[no-untyped-def]
    from qa.engine import Engine
    from qa.settings import LLMSettings

    settings, store = index
    configured = settings.model_copy(
        update={"llm": LLMSettings(base_url=fake.url, model="sentinel", **llm)}
    )
    return Engine(configured, store, embedder)


def prompt_of(fake: FakeOpenAI) -> tuple[dict[int, str], list[str], str]:
    """(passage texts by number, their titles, the user message) of the last answer prompt."""
    messages = answer_prompt(fake.requests)
    assert messages is not None, "no answer prompt was sent"
    user = next(m["content"] for m in messages if m["role"] == "user")
    return parse_prompt(messages)[1], re.findall(r"^title: (.*)$", user, re.M), user


def test_a_timeline_shows_the_storys_follow_up_with_its_revised_toll(index, embedder, fake) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for(index, embedder, fake)
    timeline = engine.timeline("Aleppo rebel offensive")
    assert timeline["article_ids"][:2] == [SEED, TOLL]
    events = [e for d in timeline["days"] for e in d["events"]]
    revised = [e for e in events if e["article_id"] == TOLL and "412" in e["quote"]]
    assert revised and revised[0]["date"] == "2024-12-01"  # "on Sunday", after the seed's days
    # articles named by the caller stay exactly those
    assert engine.timeline(None, [SEED])["article_ids"] == [SEED]


def test_a_scoped_story_goes_in_whole_and_a_small_budget_keeps_its_lede(
    index, embedder, fake
) -> None:  # type: ignore[no-untyped-def]
    from qa.types import Filters

    _, store = index
    chunks = store.chunks_of({SEED: store.versions()[SEED]})
    engine = engine_for(index, embedder, fake)
    fake.reset()
    engine.ask("What is at stake?", filters=Filters(article_ids=(SEED,)), backend="openai")
    passages, titles, _ = prompt_of(fake)
    assert len(passages) == len(chunks) > 5  # the whole article, not the top 5
    assert set(titles) == {chunks[0].chunk.title}  # the request named the article: no follow-up
    ordered = sorted(chunks, key=lambda c: c.chunk.index)
    # in article order (the text may be followed by its "dates:" line)
    assert all(passages[n + 1].startswith(c.chunk.text) for n, c in enumerate(ordered))

    small = engine_for(index, embedder, fake, context_tokens=700)
    fake.reset()
    small.ask("What is at stake?", filters=Filters(article_ids=(SEED,)), backend="openai")
    passages, _, user = prompt_of(fake)
    assert 1 <= len(passages) < len(chunks)
    assert (
        passages[1].startswith(ordered[0].chunk.text) and "part: lede" in user
    )  # the lede comes first
    assert embedder.count_tokens(user) <= 700 + 80  # the budget, plus the question's lines


def test_a_follow_up_question_in_a_chat_gets_the_newest_article(index, embedder, fake) -> None:  # type: ignore[no-untyped-def]
    from qa.types import Turn

    engine = engine_for(index, embedder, fake)
    history = (
        Turn("user", "What happened in the rebel offensive on Aleppo?"),
        Turn("assistant", "Rebel forces launched their biggest offensive in years on Aleppo."),
    )
    fake.reset()
    answer = engine.ask("How many people have died?", history=history, backend="openai")
    assert answer.focus is not None and SEED in answer.focus.article_ids
    passages, titles, _ = prompt_of(fake)
    assert FOLLOW_UP.title in titles and any("412" in t for t in passages.values())
    assert titles.index(FOLLOW_UP.title) > 0  # the story first, its follow-up after it


@pytest.mark.parametrize("by_model", [False, True], ids=["rule", "model"])
def test_a_question_naming_two_outlets_gets_an_article_of_each(
    index, embedder, fake, by_model
) -> None:  # type: ignore[no-untyped-def]
    # a budget of a few passages: each outlet's best passage comes before the rest
    engine = engine_for(index, embedder, fake, context_tokens=600, decompose=by_model)
    sources = {json.loads(line)["title"]: json.loads(line).get("source")
               for line in MULTIHOP_CORPUS.read_text(encoding="utf-8").splitlines()}  # fmt: skip
    question = (
        "Who is the individual associated with the cryptocurrency industry facing a criminal trial "
        "on fraud and conspiracy charges, as reported by both The Verge and TechCrunch?"
    )
    fake.reset()
    engine.ask(question, backend="openai")
    passages, titles, _ = prompt_of(fake)
    assert len(passages) <= 4
    outlets = {sources.get(t) for t in titles}
    assert {"The Verge", "TechCrunch"} <= outlets
    asked_to_split = [
        r for r in fake.requests if "separate searches" in r["messages"][0]["content"]
    ]
    assert len(asked_to_split) == by_model


def test_a_question_naming_one_thing_is_not_sent_to_the_model_to_split(
    index, embedder, fake
) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for(index, embedder, fake)
    fake.reset()
    engine.ask("What did the monitor say about the toll?", backend="openai")
    assert not [r for r in fake.requests if "separate searches" in r["messages"][0]["content"]]


def test_a_scope_too_long_to_go_in_whole_is_read_as_its_ledes_and_best_passages(
    index, embedder, fake
) -> None:  # type: ignore[no-untyped-def]
    from qa.extractive.story import from_filters
    from qa.types import Filters

    _, store = index
    ids = tuple(sorted(store.versions()))  # every article of the index: far more than 900 tokens
    engine = engine_for(index, embedder, fake, context_tokens=900)
    gather = engine.gather()
    whole = engine.retriever.story(ids, vectors=False)
    # the bound read from the BM25 index never exceeds what the story's passages count
    bound = engine.retriever.story_bound(ids)
    assert 900 < bound <= sum(gather.budget.size(p) for p in whole)
    question = "What did the monitor say about the toll?"
    scope = Filters(article_ids=ids)
    focus = from_filters(ids)
    assert focus is not None
    chosen = gather.passages(question, focus, scope, follow=False)
    best = engine.retriever.retrieve(question, 1, scope)[0]
    keys = [(p.chunk.article_id, p.chunk.index) for p in chosen]
    assert (best.chunk.article_id, best.chunk.index) in keys
    assert (best.chunk.article_id, 0) in keys  # with its article's lede
    assert sum(gather.budget.size(p) for p in chosen) <= 900
    assert all(p.sentence_vectors is not None for p in chosen)  # what verification reads
    order = [(p.published or 0, ids.index(p.chunk.article_id), p.chunk.index) for p in chosen]
    assert order == sorted(order)  # as the story is read


def test_an_open_questions_best_passage_comes_with_its_articles_lede_and_next_passage(
    index, embedder, fake
) -> None:  # type: ignore[no-untyped-def]
    from qa.types import Filters

    _, store = index
    engine = engine_for(index, embedder, fake, context_tokens=900)
    question = "Which highway linking Damascus and Aleppo did the rebels cut off?"
    best = engine.retriever.retrieve(question, 1, Filters())[0]
    article = {
        c.chunk.index: c.chunk
        for c in store.chunks_of({best.chunk.article_id: store.versions()[best.chunk.article_id]})
    }
    assert best.chunk.index > 0  # mid-article: its lede is not the passage itself
    chosen = engine.gather().passages(question, None, Filters())
    keys = [(p.chunk.article_id, p.chunk.index) for p in chosen]
    wanted = [
        (best.chunk.article_id, i)
        for i in (0, best.chunk.index, best.chunk.index + 1)
        if i in article
    ]
    assert keys[: len(wanted)] == wanted  # lede, best, next: as the article reads
    assert all(p.sentence_vectors is not None for p in chosen)  # what verification reads
    fake.reset()
    engine.ask(question, backend="openai")
    passages, _, _ = prompt_of(fake)
    assert passages[1].startswith(article[0].text)
