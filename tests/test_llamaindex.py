"""newsdesk inside llama-index (ui/llamaindex.py): our retriever under llama-index's own
RetrieverQueryEngine, our query and chat engines, MetadataFilters, and the retriever over a real
server on 127.0.0.1. A real engine over the seed article throughout; MockLLM only where llama-index
itself needs an LLM."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from llama_index.core.llms import ChatMessage, MessageRole, MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.schema import MetadataMode
from llama_index.core.vector_stores.types import (
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
)

from qa.engine import QuestionError
from qa.types import CANNOT_ANSWER, Filters
from tests.conftest import free_port
from tests.llm_fixtures import seeded_store_fixture  # noqa: F401 (fixture)
from tests.served import in_thread
from ui.llamaindex import (
    FilterError,
    NewsdeskChatEngine,
    NewsdeskQueryEngine,
    NewsdeskRetriever,
    ServerError,
)
from ui.llamaindex_nodes import filters_of

SEED = "aleppo-offensive"
KEY = "llamaindex-test-key-0123456789"
META = {"article_id", "title", "source", "published", "section", "story_group", "quote"}


@pytest.fixture(scope="module")
def seed_engine(seeded_store, embedder):  # type: ignore[no-untyped-def]
    from qa.engine import Engine

    settings, store = seeded_store
    return Engine(settings, store, embedder)


@pytest.fixture(scope="module")
def body(seed_engine) -> str:  # type: ignore[no-untyped-def]
    return seed_engine.article(SEED).body


def assert_exact(nodes, body: str) -> None:  # type: ignore[no-untyped-def]
    for n in nodes:
        meta = n.node.metadata
        assert set(meta) >= META and meta["article_id"] == SEED
        assert body[meta["start"] : meta["end"]] == meta["quote"]
        assert meta["quote"] in n.node.text
        assert body[n.node.start_char_idx : n.node.end_char_idx] == n.node.text


def test_the_retriever_gives_passages_with_their_article_and_exact_span(seed_engine, body) -> None:  # type: ignore[no-untyped-def]
    nodes = NewsdeskRetriever(seed_engine, top_k=3).retrieve("Why now?")
    passages = seed_engine.retrieve("Why now?", 3)
    assert [n.node.text for n in nodes] == [p.text for p in passages]
    assert [n.score for n in nodes] == [p.score for p in passages]
    assert_exact(nodes, body)
    meta = nodes[0].node.metadata
    record = seed_engine.article(SEED)
    assert meta["title"] == record.title and meta["source"] == record.source
    assert meta["story_group"] == SEED  # no syndicated copy: its own group
    assert meta["section"] == "Why now?"
    assert nodes[0].node.node_id == f"{SEED}:{meta['start']}-{meta['end']}"
    assert nodes[0].node.ref_doc_id == SEED
    # What an LLM reading the node is shown: the article, not our offsets.
    shown = nodes[0].node.get_content(MetadataMode.LLM)
    assert "title: What do we know" in shown and "start:" not in shown


def test_llama_index_answers_over_our_retriever(seed_engine) -> None:  # type: ignore[no-untyped-def]
    retriever = NewsdeskRetriever(seed_engine, top_k=3)
    query_engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM())
    response = query_engine.query("Why now?")
    expected = retriever.retrieve("Why now?")
    assert [n.node.node_id for n in response.source_nodes] == [n.node.node_id for n in expected]
    assert all(n.node.metadata["quote"] for n in response.source_nodes)
    # MockLLM echoes its prompt: llama-index's synthesizer was given our passages.
    assert expected[0].node.text[:60] in str(response)

    streaming = RetrieverQueryEngine.from_args(retriever, llm=MockLLM(), streaming=True)
    streamed = streaming.query("Why now?")
    assert len(list(streamed.response_gen)) > 10 and len(streamed.source_nodes) == 3


def test_the_query_engine_keeps_our_answer_and_citations(seed_engine, body) -> None:  # type: ignore[no-untyped-def]
    answer = seed_engine.ask("Why now?")
    response = NewsdeskQueryEngine(engine=seed_engine).query("Why now?")
    assert response.response == answer.answer and not answer.refused
    assert response.metadata == answer.to_json()
    assert response.metadata["focus"]["article_ids"] == [SEED]
    assert all(s["supported"] for s in response.metadata["sentences"])
    nodes = response.source_nodes
    assert [n.node.metadata["ref"] for n in nodes] == [c.ref for c in answer.citations]
    assert [n.node.metadata["quote"] for n in nodes] == [c.quote for c in answer.citations]
    assert_exact(nodes, body)
    for ref, node in enumerate(nodes, start=1):
        assert f"[{ref}]" in response.response and node.node.metadata["story_group"] == SEED


def test_a_refusal_has_no_sources(seed_engine) -> None:  # type: ignore[no-untyped-def]
    response = NewsdeskQueryEngine(engine=seed_engine).query("Who won the 2022 World Cup?")
    assert response.response == CANNOT_ANSWER and response.source_nodes == []
    assert response.metadata["refused"] is True


def test_the_query_engine_streams_then_fills_in_the_sources(seed_engine, body) -> None:  # type: ignore[no-untyped-def]
    answer = seed_engine.ask("Why now?")
    response = NewsdeskQueryEngine(engine=seed_engine, streaming=True).query("Why now?")
    assert response.source_nodes == [] and response.metadata is None  # nothing known yet
    assert "".join(response.response_gen) == answer.answer
    assert response.metadata == answer.to_json()
    assert [n.node.metadata["quote"] for n in response.source_nodes] == [
        c.quote for c in answer.citations
    ]
    assert_exact(response.source_nodes, body)
    assert str(response) == response.get_response().response == answer.answer
    # Unread: str() reads the stream to its end.
    fresh = NewsdeskQueryEngine(engine=seed_engine, streaming=True).query("Why now?")
    assert str(fresh) == answer.answer and len(fresh.source_nodes) == len(answer.citations)


def test_a_bad_question_fails_at_once(seed_engine) -> None:  # type: ignore[no-untyped-def]
    for streaming in (False, True):
        with pytest.raises(QuestionError, match="empty"):
            NewsdeskQueryEngine(engine=seed_engine, streaming=streaming).query("   ")
    with pytest.raises(QuestionError):
        NewsdeskChatEngine(seed_engine).stream_chat("")


def test_the_chat_engine_keeps_the_story_of_the_conversation(seed_engine) -> None:  # type: ignore[no-untyped-def]
    chat = NewsdeskChatEngine(seed_engine)
    first = chat.chat("What has Turkey demanded?")
    assert "Turkey" in first.response and first.source_nodes
    follow = chat.stream_chat("And why now?")
    assert follow.source_nodes == []
    text = "".join(follow.response_gen)
    assert text == follow.response == follow.metadata["answer"]
    # our first answer is quoted word for word in the story's article (qa/asking/focus.py)
    assert follow.metadata["focus"]["reason"].startswith("the conversation quotes")
    assert [n.node.metadata["quote"] for n in follow.source_nodes] == [
        c["quote"] for c in follow.metadata["citations"]
    ]
    history = chat.chat_history
    assert [m.role for m in history] == [MessageRole.USER, MessageRole.ASSISTANT] * 2
    assert history[-1].content == follow.metadata["answer"]  # the checked answer, remembered
    chat.reset()
    assert chat.chat_history == []

    # A history given by the caller replaces the seed_engine's own, as in llama-index's engines.
    given = [
        ChatMessage(role=MessageRole.USER, content="What has Turkey demanded?"),
        ChatMessage(role=MessageRole.ASSISTANT, content=first.response),
    ]
    again = asyncio.run(chat.achat("And why now?", chat_history=given))
    assert again.metadata["focus"] == follow.metadata["focus"]
    assert len(chat.chat_history) == 4


def test_the_chat_engine_streams_asynchronously(seed_engine) -> None:  # type: ignore[no-untyped-def]
    async def run() -> tuple[str, object]:
        chat = NewsdeskChatEngine(seed_engine)
        response = await chat.astream_chat("What has Turkey demanded?")
        text = "".join([delta async for delta in response.async_response_gen()])
        return text, response

    text, response = asyncio.run(run())
    assert "Turkey" in text and response.response == response.metadata["answer"]  # type: ignore[attr-defined]
    assert response.source_nodes  # type: ignore[attr-defined]


def test_metadata_filters_map_to_ours() -> None:
    def one(key: str, value: object, op: str = "==") -> MetadataFilter:
        return MetadataFilter(key=key, value=value, operator=FilterOperator(op))

    both = MetadataFilters(
        filters=[
            one("source", "AFP"),
            one("published", "2024-11-01", ">"),
            one("published", 20241130, "<="),
            MetadataFilters(
                filters=[one("article_id", "a"), one("article_id", ["b", "c"], "in")],
                condition=FilterCondition.OR,
            ),
        ]
    )
    assert filters_of(both) == Filters(
        article_ids=("a", "b", "c"),
        sources=("AFP",),
        published_from=20241102,
        published_to=20241130,
    )
    assert filters_of(MetadataFilters(filters=[one("published", "2024-11-29")])) == Filters(
        published_from=20241129, published_to=20241129
    )
    assert filters_of(None) is None
    bad = [
        ([one("title", "x")], "not 'title'"),
        ([one("source", "AFP", "!=")], "'!='"),
        ([one("published", "someday", ">=")], "unreadable date"),
        ([one("published", "2024-12-01", ">"), one("published", "2024-11-30", "<")], "no date"),
        ([one("article_id", "a"), one("article_id", "b")], "exclude every value"),
    ]
    for filters, message in bad:
        with pytest.raises(FilterError, match=message):
            filters_of(MetadataFilters(filters=filters))
    mixed = MetadataFilters(filters=[one("source", "AFP"), one("article_id", "a")], condition="or")
    with pytest.raises(FilterError, match="one key"):
        filters_of(mixed)
    with pytest.raises(FilterError, match="'not'"):
        filters_of(MetadataFilters(filters=[one("source", "AFP")], condition="not"))


def test_filters_narrow_what_is_retrieved(seeded) -> None:  # type: ignore[no-untyped-def]
    report = seeded.ingest_text(
        '{"id": "port-1", "title": "Port reopens", "body": "The port of Latakia reopened on '
        'Monday after the offensive.", "published_at": "2024-12-02", "source": "Wire"}',
        "extra.jsonl",
    )
    assert report.added == ["port-1"]
    question = "Why did the port reopen after the offensive?"

    def ids(*filters: MetadataFilter) -> set[str]:
        retriever = NewsdeskRetriever(seeded, filters=MetadataFilters(filters=list(filters)))
        return {n.node.metadata["article_id"] for n in retriever.retrieve(question)}

    assert ids() == {SEED, "port-1"}
    assert ids(MetadataFilter(key="source", value="Wire")) == {"port-1"}
    assert ids(MetadataFilter(key="article_id", value=SEED)) == {SEED}
    assert ids(MetadataFilter(key="published", value="2024-12-02", operator=">=")) == {"port-1"}
    assert ids(MetadataFilter(key="published", value="2024-12-02", operator=">")) == set()
    (node,) = NewsdeskRetriever(seeded, top_k=1).retrieve("Latakia port reopened")
    assert node.node.metadata["published"] == "2024-12-02"
    assert node.node.metadata["source"] == "Wire"
    author = MetadataFilters(filters=[MetadataFilter(key="author", value="x")])
    # When built, not at the first question (the query engine's pydantic wraps it, a ValueError too).
    for build in (
        NewsdeskRetriever,
        NewsdeskChatEngine,
        lambda e, filters: NewsdeskQueryEngine(engine=e, filters=filters),
    ):
        with pytest.raises(ValueError, match="not 'author'"):
            build(seeded, filters=author)


@pytest.fixture(scope="module")
def server(seed_engine) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The API over the seeded engine, served by uvicorn on a free loopback port, with a key."""
    from qa.settings import Settings
    from ui.api import create_app

    settings = Settings(
        data_dir=seed_engine.settings.data_dir,
        server={"api_keys": f"{KEY}:query", "rate_limit_per_minute": 0},
    )
    with in_thread(create_app(settings, seed_engine)) as url:
        yield url


def test_the_retriever_over_a_running_server_gives_the_same_nodes(seed_engine, server) -> None:  # type: ignore[no-untyped-def]
    seed_only = MetadataFilters(filters=[MetadataFilter(key="article_id", value=SEED)])
    local = NewsdeskRetriever(seed_engine, top_k=4, filters=seed_only).retrieve("Why now?")
    remote = NewsdeskRetriever(f"{server}/v1", top_k=4, filters=seed_only, api_key=KEY)
    nodes = remote.retrieve("Why now?")
    assert [n.node.node_id for n in nodes] == [n.node.node_id for n in local]
    assert [n.node.metadata for n in nodes] == [n.node.metadata for n in local]
    assert [n.node.text for n in nodes] == [n.node.text for n in local]
    assert asyncio.run(remote.aretrieve("Why now?"))[0].node.node_id == local[0].node.node_id
    with pytest.raises(ServerError, match="401: unauthorized"):
        NewsdeskRetriever(server, api_key="wrong-key-0123456789").retrieve("Why now?")
    with pytest.raises(ServerError, match="422: invalid"):
        NewsdeskRetriever(server, api_key=KEY, top_k=10_000).retrieve("Why now?")
    with pytest.raises(ServerError, match="cannot reach"):
        NewsdeskRetriever(f"http://127.0.0.1:{free_port()}", timeout=2).retrieve("Why now?")
