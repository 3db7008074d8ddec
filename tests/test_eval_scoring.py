"""The evaluation's scoring rules, on hand-made answers: pure functions, no model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eval.configs import ConfigError, RunConfig, expand, parse, settings_for
from eval.questions import Question, load_questions
from eval.results import Reply, failed, score
from eval.scoring import (
    citation_score,
    contains_evidence,
    gold_kind,
    lenient_correct,
    retrieval_score,
    strict_correct,
)
from eval.summary import grouped, summarise, weakest

REFUSAL = "The indexed articles do not contain enough information to answer this question."


def answer(text: str, cited: tuple[str, ...] = (), refused: bool = False, supported=None) -> dict:
    supported = supported if supported is not None else [True] * max(1, len(cited))
    return {
        "answer": REFUSAL if refused else text,
        "refused": refused,
        "backend": "extractive",
        "citations": [
            {"ref": i, "article_id": f"a{i}", "title": f"T{i}", "text": t}
            for i, t in enumerate(cited, 1)
        ],
        "sentences": [{"text": text, "refs": [1], "supported": s} for s in supported],
        "degraded": None,
    }


YES = Question("q1", "Did both report it?", answer="Yes", answer_keys=("Yes",), type="comparison")
WHO = Question(
    "q2",
    "Who is on trial?",
    answer="Sam Bankman-Fried",
    answer_keys=("Sam Bankman-Fried",),
    evidence=("The trial of Sam Bankman-Fried started Tuesday.", "FTX collapsed in November."),
    evidence_titles=("The FTX trial", "How FTX fell"),
    type="inference",
)
NULL = Question("q3", "Who won?", answerable=False, answer="Insufficient information.", type="null")


def test_gold_kinds() -> None:
    assert [gold_kind(q) for q in (YES, WHO, NULL)] == ["yes/no", "span", "refusal"]
    assert gold_kind(Question("q", "?", answer="")) == "open"


def test_yes_no_is_the_first_yes_or_no_of_the_answer() -> None:
    assert strict_correct(YES, answer("Yes. Both outlets said so [1]."))
    assert not strict_correct(YES, answer("No, although one says yes [1]."))
    assert not strict_correct(YES, answer("Both outlets reported it [1]."))  # never says yes
    # "nobody" is not "no": the first yes/no word here is "yes"
    assert strict_correct(YES, answer("Nobody denies it; yes [1]."))


def test_entities_must_appear_as_whole_words_after_normalising() -> None:
    assert strict_correct(WHO, answer("It is sam bankman fried [1]."))
    assert strict_correct(WHO, answer("SAM BANKMAN-FRIED, the founder [1]."))
    assert not strict_correct(WHO, answer("Bankman-Fried, the founder [1]."))
    assert not strict_correct(WHO, answer("x", refused=True))


def test_unanswerable_questions_must_be_refused() -> None:
    assert strict_correct(NULL, answer("", refused=True))
    assert not strict_correct(NULL, answer("Someone won [1]."))


def test_lenient_is_the_benchmarks_shared_word_rule() -> None:
    assert lenient_correct(WHO, answer("Sam did it [1]."))  # shares "sam"
    assert not lenient_correct(WHO, answer("Nobody knows [1]."))
    # a refusal reads as the benchmark's own "Insufficient information."
    assert lenient_correct(NULL, answer("", refused=True))
    assert not lenient_correct(WHO, answer("", refused=True))
    assert lenient_correct(Question("q", "?"), answer("anything")) is None  # no gold answer


def test_evidence_rule_ignores_spaces_and_newlines_only() -> None:
    assert contains_evidence("The trial of Sam\nBankman-Fried started", ["Sam Bankman-Fried"])
    assert contains_evidence("SamBankman-Fried", ["Sam Bankman-Fried"])
    assert not contains_evidence("sam bankman-fried", ["Sam Bankman-Fried"])  # case counts
    assert not contains_evidence("Sam\tBankman-Fried", ["Sam Bankman-Fried"])  # tabs count


@given(st.lists(st.sampled_from([" ", "\n", ""]), min_size=30, max_size=30))
def test_evidence_match_survives_any_spaces_and_newlines(gaps: list[str]) -> None:
    fact = "FTX collapsed in November."
    spaced = "".join(c + gap for c, gap in zip(fact.replace(" ", ""), gaps, strict=False))
    spaced += fact.replace(" ", "")[len(gaps) :]
    assert contains_evidence(f"Before. {spaced} After.", [fact])


def test_retrieval_scores_follow_the_benchmark() -> None:
    passages = [
        ("Other", "nothing here"),
        ("The FTX trial", "Intro. The trial of Sam Bankman-Fried started Tuesday."),
        ("Other", "still nothing"),
        ("Other", "and nothing"),
        ("How FTX fell", "FTX collapsed in November. More."),
    ]
    got = retrieval_score(WHO, passages)
    assert got is not None
    assert got.first_rank == 2 and got.hits(4) and got.hits(10)
    assert got.rr10 == pytest.approx(0.5)
    assert got.ap10 == pytest.approx((1 / 2 + 1 / 5) / 2)
    assert got.articles4 is False and got.articles10 is True
    assert retrieval_score(WHO, passages[2:4]).first_rank is None  # type: ignore[union-attr]
    assert retrieval_score(NULL, passages) is None  # no evidence: not ranked


def test_citation_precision_and_recall() -> None:
    cited = ("The trial of Sam Bankman-Fried started Tuesday.", "Unrelated passage.")
    got = citation_score(WHO, answer("Sam Bankman-Fried [1][2].", cited))
    assert got.precision == pytest.approx(0.5) and got.recall == pytest.approx(0.5)
    refused = citation_score(WHO, answer("", refused=True))
    assert refused.precision is None and refused.recall == 0.0
    assert citation_score(NULL, answer("", refused=True)).recall is None


def test_summary_counts_refusals_citations_and_latency() -> None:
    passages = [("The FTX trial", "The trial of Sam Bankman-Fried started Tuesday.", "a1")]
    results = [
        score(WHO, Reply(answer("Sam Bankman-Fried [1].", (passages[0][1],)), 10.0, passages)),
        score(YES, Reply(answer("", refused=True), 30.0, passages)),  # wrongly refused
        score(NULL, Reply(answer("", refused=True), 20.0, [])),  # rightly refused
        failed(NULL, "HTTP 500"),
    ]
    summary = summarise(results)
    assert summary["n"] == 4 and summary["errors"] == 1
    assert summary["strict"] == pytest.approx(2 / 4)
    assert summary["refusal_precision"] == pytest.approx(1 / 2)
    assert summary["refusal_recall"] == pytest.approx(1 / 2)  # the errored one was not refused
    assert summary["citation_precision"] == 1.0 and summary["citation_recall"] == 0.5
    assert summary["hits10"] == 1.0 and summary["supported"] == 1.0
    assert summary["p50_ms"] == pytest.approx(20.0)
    by_type = grouped(results, lambda r: r.type)
    assert list(by_type) == ["all", "inference", "comparison", "null"]
    assert weakest(by_type)[0] == ("comparison", 0.0)
    assert summarise([results[0]])["refusal_recall"] is None  # nothing to refuse: n/a, not 0


def test_question_files_parse_benchmark_and_user_records(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    records = [
        {"qid": 7, "query": "Who?", "answer": "Ann", "question_type": "inference_query",
         "evidence": [{"title": "T", "fact": "Ann did."}]},
        {"qid": 8, "query": "Why?", "answer": "Insufficient information.",
         "question_type": "null_query", "evidence": []},
        {"question": "What?", "evidence": ["a fact"], "answerable": True},
        {"question": "When?", "answerable": False},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\n")
    loaded = load_questions(path)
    assert not loaded.errors
    who, null, what, when = loaded.questions
    assert (who.id, who.type, who.evidence, who.evidence_titles) == (
        "7",
        "inference",
        ("Ann did.",),
        ("T",),
    )
    assert not null.answerable and null.type == "null" and null.answer_keys == ()
    assert what.type == "question" and what.evidence == ("a fact",) and gold_kind(what) == "open"
    assert not when.answerable and when.type == "unanswerable"


def test_bad_question_records_are_reported_by_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    lines = [
        json.dumps({"id": "a", "question": "ok?"}),
        "{not json",
        json.dumps({"id": "b", "question": "  "}),
        json.dumps({"id": "c", "question": "x" * 2001}),
        json.dumps({"id": "a", "question": "again?", "answerable": "yes"}),
        json.dumps({"id": "a", "question": "dup?"}),
    ]
    path.write_text("\n".join(lines))
    errors = load_questions(path).errors
    assert [e.split(":")[1] for e in errors[:4]] == ["2", "3", "4", "5"]
    assert "2000 characters" in errors[2] and "answerable" in errors[3]
    assert "used more than once: a" in errors[-1]


def test_configurations_parse_expand_and_validate() -> None:
    from qa.settings import Settings

    base = RunConfig(backend="extractive")
    assert [c.mode for c in expand(["modes"], base)] == ["hybrid", "dense", "bm25"]
    chunked = parse("chunk=120", base)
    assert (chunked.chunk, chunked.overlap, chunked.backend) == (120, 24, "extractive")
    assert parse("k=8,mode=bm25").keys() == {"top_k", "mode"}
    settings = settings_for(Settings(), parse("k=8,chunk=100,overlap=10,min_support=0.2"))
    assert settings.retrieval.top_k == 8 and settings.chunking.max_tokens == 100
    assert settings.answer.min_support == 0.2
    for bad, field in (("k=0", "top_k"), ("mode=fuzzy", "mode"), ("chunk=10", "max_tokens")):
        with pytest.raises(ConfigError, match=field):
            settings_for(Settings(), parse(bad))
    for bad in ("size=3", "k", "k=x"):
        with pytest.raises(ConfigError):
            parse(bad)
    with pytest.raises(ConfigError, match="twice"):
        expand(["mode=dense", "mode=dense"])
