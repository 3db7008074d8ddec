"""Suite records that carry a conversation: `history` and `filters` reach the engine (in process and
over `/v1/ask`), `answer` may list acceptable answers, correct citations are judged by article and
supporting sentence, and results are reported by question kind. Real model, real Chroma, and a real
`newsdesk serve` on loopback for the HTTP path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from eval.configs import RunConfig
from eval.explainer import as_asked, by_mode, questions_for, table, verdict
from eval.questions import (
    WIKINEWS_CORPUS,
    Question,
    QuestionFilters,
    load_questions,
    parse_question,
)
from eval.report import Analysis, markdown
from eval.results import Reply, score
from eval.runner import ConfigRun, run_http, run_in_process
from eval.scoring import correct_citation, lenient_correct, strict_correct
from eval.suites import Suite
from eval.targets import InProcess, retrieval_question
from tests.test_eval_cli import served_copy

REFUSAL = "The indexed articles do not contain enough information to answer this question."
ARAMCO = "wn-oil-facilities-in-saudi-arabia-hit-by-8a4f36"
ROUHANI = "wn-iran-s-president-rouhani-tells-foreign-22b5bf"
MAHAN = "wn-germany-bans-mahan-air-of-iran-citing-c35222"
HOUTHIS = "What did the Houthi spokesperson say about the attacks?"
MAHAN_HISTORY = [
    {"role": "user", "content": "Tell me about Germany banning the Iranian airline Mahan Air"},
    {"role": "assistant", "content": "Germany on Monday banned Iranian airline Mahan Air."},
]


def reply(text: str, citations: list[dict[str, Any]] = (), refused: bool = False) -> dict:  # type: ignore[assignment]
    return {
        "answer": REFUSAL if refused else text,
        "refused": refused,
        "backend": "extractive",
        "citations": list(citations),
        "sentences": [{"text": text, "refs": [1], "supported": True}],
        "degraded": None,
    }


# -- records: list answers, history, filters ----------------------------------------------------


def test_a_list_of_answers_is_a_list_not_its_python_text() -> None:
    q = parse_question({"question": "Which show?", "answer": ["Squid Game", "Ojingeo Geim"]}, 1)
    assert q.answers == ("Squid Game", "Ojingeo Geim") and "[" not in q.answer
    assert q.answer_keys == ("Squid Game", "Ojingeo Geim")  # each acceptable answer is a key
    # lenient: a word shared with ANY acceptable answer (before, "['Squid" never matched "Squid")
    assert lenient_correct(q, reply("It was Squid Game [1]."))
    assert lenient_correct(q, reply("Ojingeo as it is known [1]."))
    assert not lenient_correct(q, reply("A quiz show [1]."))
    assert strict_correct(q, reply("The hit was Ojingeo Geim [1]."))
    assert not strict_correct(q, reply("The hit was Squid [1]."))
    single = parse_question({"question": "Who?", "answer": "Squid Game"}, 2)
    assert single.answers == ("Squid Game",) and single.answer == "Squid Game"
    assert parse_question({"question": "How many?", "answer": 7}, 3).answers == ("7",)


def test_history_filters_and_article_id_are_read_and_checked(tmp_path: Path) -> None:
    q = parse_question(
        {
            "question": "Why now?",
            "kind": "why",
            "article_id": MAHAN,
            "history": MAHAN_HISTORY,
            "filters": {"article_ids": [MAHAN], "published_from": "2019-01-01"},
        },
        1,
    )
    assert q.type == "why" and q.article_id == MAHAN
    assert q.history == (
        ("user", MAHAN_HISTORY[0]["content"]),
        ("assistant", MAHAN_HISTORY[1]["content"]),
    )
    assert q.filters == QuestionFilters(article_ids=(MAHAN,), published_from="2019-01-01")
    assert q.filters.as_json() == {"article_ids": [MAHAN], "published_from": "2019-01-01"}
    bad = [
        {"question": "a?", "history": "Tell me about it"},
        {"question": "b?", "history": [{"role": "system", "content": "x"}]},
        {"question": "c?", "filters": {"article_id": ["x"]}},
        {"question": "d?", "filters": {"published_to": "last Tuesday"}},
        {"question": "e?", "filters": {"sources": "Wikinews"}},
        {"question": "f?", "answer": {"text": "x"}},
        {"question": "g?", "article_id": 12},
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in bad), encoding="utf-8")
    errors = load_questions(path).errors
    assert [e.split(":")[1] for e in errors] == [str(n) for n in range(1, 8)]
    assert "history must be a list" in errors[0] and "role: user|assistant" in errors[1]
    assert "unknown filter(s) article_id" in errors[2] and "unreadable date" in errors[3]
    assert "filters.sources must be a list" in errors[4] and "answer must be a string" in errors[5]


# -- correct citations and the report by kind ----------------------------------------------------

SAID = Question(
    "x1",
    "What did Tehran say?",
    answer="Foreign forces are a calamity.",
    answer_keys=("calamity",),
    evidence=("Your presence has always been a calamity",),
    type="said",
    article_id=ROUHANI,
)


def cite(article_id: str, quote: str, text: str | None = None) -> dict[str, Any]:
    return {"ref": 1, "article_id": article_id, "quote": quote, "text": text or quote}


def test_a_correct_citation_is_from_the_right_article_and_holds_the_evidence() -> None:
    good = cite(ROUHANI, '"Your presence has always been a calamity for this region," he said.')
    assert correct_citation(SAID, reply("A calamity [1].", [good]))
    assert not correct_citation(SAID, reply("A calamity [1].", [{**good, "article_id": ARAMCO}]))
    # the passage holds the evidence but the supporting sentence cited is another one
    loose = cite(ROUHANI, "He spoke in Tehran.", "He spoke in Tehran. " + good["quote"])
    assert not correct_citation(SAID, reply("In Tehran [1].", [loose]))
    assert correct_citation(SAID, reply("In Tehran [1].", [loose]), "text")
    assert correct_citation(SAID, reply("", refused=True)) is False
    assert correct_citation(replace(SAID, answerable=False, evidence=()), reply("x")) is None
    assert correct_citation(
        replace(SAID, article_id=None), reply("x [1].", [{**good, "article_id": ARAMCO}])
    )


def test_results_are_reported_by_kind_and_by_mode() -> None:
    unanswerable = replace(SAID, id="x2", question="What did Moscow say?", answerable=False,
                           answer="", answer_keys=(), evidence=())  # fmt: skip
    no_story = Question("x3", "Why?", answerable=False, type="no_story")
    questions = questions_for([SAID, unanswerable, no_story], ["chat", "scoped"])
    assert [q.id for q in questions] == ["chat/x1", "chat/x2", "chat/x3", "scoped/x1", "scoped/x2"]
    scoped = as_asked(SAID, "scoped")
    assert scoped.filters == QuestionFilters(article_ids=(ROUHANI,)) and scoped.history == ()
    good = cite(ROUHANI, "Your presence has always been a calamity for this region.")
    replies = {
        "chat/x1": reply("A calamity [1].", [good]),
        "chat/x2": reply("", refused=True),
        "chat/x3": reply("Some passage [1].", [good]),
        "scoped/x1": reply("", refused=True),
        "scoped/x2": reply("", refused=True),
    }
    results = [score(q, Reply(replies[q.id], 5.0)) for q in questions]
    figures = by_mode(results)
    assert list(figures) == ["chat", "scoped"] and list(figures["chat"]) == [
        "all",
        "said",
        "no_story",
    ]
    chat, scoped_figures = figures["chat"], figures["scoped"]
    assert (chat["said"].cited, chat["said"].refused, chat["all"].refused) == (1.0, 1.0, 0.5)
    assert chat["no_story"].refused == 0.0 and chat["no_story"].cited is None
    assert (scoped_figures["all"].cited, scoped_figures["all"].wrongly_refused) == (0.0, 1.0)
    assert "not met" in verdict(scoped_figures["all"]) and "(goal 0.85: met)" in verdict(
        chat["said"]
    )
    assert table(chat).splitlines()[2].split()[:3] == ["said", "1", "1.000"]
    # the eval report: one row per kind, with the cited-right column
    run = ConfigRun(RunConfig(), {"target": "in-process"}, results)
    analysis = Analysis.of(run)
    assert set(analysis.by_type) == {"all", "said", "no_story"}
    assert analysis.summary["cited_ok"] == 1 / 2
    report = markdown(Suite("t", questions, ()), [analysis], {"created": "now"}, None)
    assert "| said | 4 |" in report and "cited right" in report


# -- the engine receives them: in process and over HTTP ----------------------------------------


class Recording:
    """A real engine whose `ask` calls are also written down."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.calls = engine, []

    def ask(self, question: str, **kwargs: Any) -> Any:
        self.calls.append((question, kwargs))
        return self.engine.ask(question, **kwargs)

    def retrieve(self, question: str, **kwargs: Any) -> Any:
        return self.engine.retrieve(question, **kwargs)


def three_stories(path: Path) -> Path:
    wanted = {ARAMCO, ROUHANI, MAHAN}
    lines = [
        line
        for line in WIKINEWS_CORPUS.read_text("utf-8").splitlines()
        if json.loads(line)["id"] in wanted
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def conversation_suite(corpus: Path) -> Suite:
    houthis = Question("houthis", HOUTHIS, type="said")
    return Suite(
        "conversations",
        [
            houthis,
            replace(houthis, id="houthis-scoped", filters=QuestionFilters(article_ids=(ROUHANI,))),
            replace(
                houthis,
                id="houthis-nowhere",
                filters=QuestionFilters(article_ids=("no-such-article",)),
            ),
            Question(
                "why-now",
                "Why now?",
                type="why",
                article_id=MAHAN,
                history=tuple((t["role"], t["content"]) for t in MAHAN_HISTORY),
            ),
        ],
        (corpus,),
    )


@pytest.fixture(scope="module")
def in_process(tmp_path_factory: pytest.TempPathFactory, embedder) -> tuple[Path, Suite, ConfigRun]:  # type: ignore[no-untyped-def]
    from qa.settings import Settings

    root = tmp_path_factory.mktemp("conversations")
    suite = conversation_suite(three_stories(root / "stories.jsonl"))
    settings = Settings(data_dir=root / "data")
    [run] = run_in_process(suite, [RunConfig()], settings, embedder, progress=False)
    return root / "data", suite, run


def test_filters_reach_the_engine_in_process(in_process) -> None:  # type: ignore[no-untyped-def]
    _, _, run = in_process
    results = {r.id: r for r in run.results}
    assert all(r.error is None for r in run.results)
    assert ARAMCO in results["houthis"].cited_articles  # unscoped: the drone-attack story
    scoped = results["houthis-scoped"]
    assert scoped.refused or set(scoped.cited_articles) == {ROUHANI}
    assert set(scoped.retrieved_articles) <= {ROUHANI}  # retrieval metrics use the filters too
    nowhere = results["houthis-nowhere"]
    assert nowhere.refused and nowhere.retrieved_articles == []


def test_history_and_filters_are_passed_as_our_types(in_process, embedder) -> None:  # type: ignore[no-untyped-def]
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings
    from qa.types import Filters, Turn

    data_dir, suite, run = in_process
    settings = Settings(data_dir=data_dir, collection=run.setup["collection"])
    store = Store.open(settings.data_dir, None, settings.collection)
    try:
        recording = Recording(Engine(settings, store, embedder))
        target = InProcess(recording)
        for question in suite.questions:
            target.ask(question)
    finally:
        store.close()
    calls = dict(recording.calls[i] for i in (1, 3))  # houthis-scoped, why-now
    assert (
        calls[HOUTHIS]["filters"] == Filters(article_ids=(ROUHANI,))
        and calls[HOUTHIS]["history"] == ()
    )
    assert calls["Why now?"]["history"] == tuple(
        Turn(t["role"], t["content"]) for t in MAHAN_HISTORY
    )
    assert calls["Why now?"]["filters"] is None
    assert recording.calls[0][1]["filters"] is None
    # retrieval metrics search for the follow-up as the engine reads it: with its story
    why_now = suite.questions[3]
    assert "Mahan Air" in retrieval_question(why_now) and "Why now" in retrieval_question(why_now)
    assert retrieval_question(suite.questions[0]) == HOUTHIS


@pytest.fixture(scope="module")
def service(in_process) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """`newsdesk serve` on a copy of the in-process run's index; short turns so an overlong one shows."""
    data_dir, _, run = in_process
    with served_copy(
        data_dir,
        NEWSDESK_SERVER__RATE_LIMIT_PER_MINUTE="0",
        NEWSDESK_SERVER__MAX_TURN_CHARS="100",
        NEWSDESK_COLLECTION=run.setup["collection"],
    ) as url:
        yield url


def test_history_and_filters_go_over_http_as_the_api_fields(in_process, service: str) -> None:  # type: ignore[no-untyped-def]
    _, suite, local = in_process
    long_turn = Question("long", "Why now?", history=(("user", "Mahan Air " * 20),))
    asked = Suite(suite.name, [*suite.questions, long_turn], ())
    [run] = run_http(asked, [RunConfig()], service, None, progress=False)
    results = {r.id: r for r in run.results}
    # the service answers each conversation exactly as the library did in process
    for expected in local.results:
        got = results[expected.id]
        assert got.error is None, got.error
        assert (got.answer, got.refused, got.cited_articles) == (
            expected.answer,
            expected.refused,
            expected.cited_articles,
        )
    assert results["houthis-nowhere"].refused
    # the history was sent: the service's own turn limit rejects the overlong one
    assert "HTTP 422" in (results["long"].error or "")
