"""The sentence weights: the stored file loads (or a bad one is a named error), the scorer combines
the signals with the weights it is given, and the fit runs on real records of a shippable sample
(the seed article and its questions, through the real engine), deterministically."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from eval.questions import load_questions
from eval.sentence_fit import arrays, fit, loss_and_gradient, measure
from eval.sentence_records import QuestionRecord, load_records, record_question, save_records
from qa.extractive import compose
from qa.extractive.weights import HAND, SIGNALS, WEIGHTS_FILE, WeightsError, load, parse, save

SEED_QUESTIONS = Path(__file__).resolve().parent.parent / "eval" / "data" / "seed_questions.jsonl"


def test_the_answerer_uses_the_stored_weights_or_the_hand_ones() -> None:
    assert load(WEIGHTS_FILE) == compose.WEIGHTS
    if not WEIGHTS_FILE.is_file():
        assert compose.WEIGHTS == HAND


def test_weights_round_trip_and_missing_file_means_hand(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    assert load(path) == HAND
    changed = replace(
        HAND, linear=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9), untyped=0.5, keep_ratio=0.6
    )
    save(changed, path)
    assert load(path) == changed


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ([], "expected an object"),
        ({"linear": {"semantic": 1.0}}, "missing"),
        ({"linear": {**dict.fromkeys(SIGNALS, 0.1), "extra": 1.0}}, "unknown"),
        ({"linear": dict.fromkeys(SIGNALS, 0.0)}, "every signal weight is 0"),
        ({"linear": dict.fromkeys(SIGNALS, 0.1), "untyped": 2.0, "untyped_entity": 0.7}, "untyped"),
        ({"linear": dict.fromkeys(SIGNALS, float("nan"))}, "semantic"),
    ],
)
def test_bad_weights_are_named_errors(raw: object, named: str) -> None:
    with pytest.raises(WeightsError, match=named):
        parse(raw)


def test_a_file_that_is_not_json_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(WeightsError, match=r"w\.json"):
        load(path)


@pytest.fixture(scope="module")
def seed_records(tmp_path_factory: pytest.TempPathFactory, embedder) -> list[QuestionRecord]:  # type: ignore[no-untyped-def]
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings
    from tests.conftest import SEEDS

    settings = Settings(data_dir=tmp_path_factory.mktemp("weights") / "data")
    engine = Engine(settings, Store.open(settings.data_dir, None, settings.collection), embedder)
    try:
        engine.ingest_paths([SEEDS])
        return [
            record_question(
                engine, q.id, "seed", q.question, q.evidence, ["aleppo-offensive"], passages=5
            )
            for q in load_questions(SEED_QUESTIONS).questions
            if q.answerable and q.evidence
        ]
    finally:
        engine.close()


def test_scores_are_the_weighted_signals(seed_records: list[QuestionRecord]) -> None:
    candidate = seed_records[0].candidates[0]
    weights = replace(HAND, linear=(0, 0, 0, 0, 0, 0, 1.0, 0, 0))  # position only
    assert weights.score(candidate.signals) == candidate.signals[6]
    assert HAND.score(candidate.signals, untyped=True) == pytest.approx(
        0.7 * sum(w * s for w, s in zip(HAND.linear, candidate.signals, strict=True))
    )


def test_the_scorer_ranks_by_the_weights_it_is_given(seeded) -> None:  # type: ignore[no-untyped-def]
    from qa.asking.asked import read

    asked = read("Why now?")
    passages = seeded.retriever.retrieve(asked.text, 5)
    bm25 = seeded.retriever.bm25()
    question = compose.profile(asked, bm25.analyse)
    first_only = replace(HAND, linear=(0, 0, 0, 0, 0, 0, 1.0, 0, 0))
    ranked = compose.score_sentences(question, passages, bm25.analyse, bm25.idf, None, first_only)
    assert ranked[0].signals[6] == 1.0  # a passage's first sentence leads
    assert [c.score for c in ranked] == sorted((c.signals[6] for c in ranked), reverse=True)


def test_records_round_trip(tmp_path: Path, seed_records: list[QuestionRecord]) -> None:
    path = tmp_path / "records.jsonl"
    save_records(seed_records, path)
    assert load_records(path) == seed_records


def test_the_gradient_is_the_loss_slope(seed_records: list[QuestionRecord]) -> None:
    import numpy as np

    data = arrays(seed_records, 5)
    hand = np.array([*HAND.linear, HAND.untyped])
    params = np.concatenate([hand + 0.05, [np.log(0.2)]])
    _, grad = loss_and_gradient(params, data, hand, 0.5)
    for i in range(len(params)):
        step = np.zeros_like(params)
        step[i] = 1e-6
        up, _ = loss_and_gradient(params + step, data, hand, 0.5)
        down, _ = loss_and_gradient(params - step, data, hand, 0.5)
        assert grad[i] == pytest.approx((up - down) / 2e-6, rel=1e-3, abs=1e-6)


def test_the_fit_is_deterministic_and_pulled_to_the_hand_weights(
    seed_records: list[QuestionRecord],
) -> None:
    import numpy as np

    assert len(arrays(seed_records, 5).starts) >= 10  # the sample has something to fit
    free = fit(seed_records, HAND, 0.0, 5)
    assert fit(seed_records, HAND, 0.0, 5) == free
    held = fit(seed_records, HAND, 1e4, 5)
    assert np.allclose(held.linear, HAND.linear, atol=2e-3)
    data = arrays(seed_records, 5)
    hand = np.array([*HAND.linear, HAND.untyped])

    def loss(w: object) -> float:  # at its best temperature
        return min(
            loss_and_gradient(np.array([*w.linear, w.untyped, t]), data, hand, 0.0)[0]  # type: ignore[attr-defined]
            for t in np.linspace(-6, 2, 81)
        )

    assert loss(free) < loss(HAND)  # it fits what it is given
    assert measure(seed_records, free).questions == len(seed_records)


def test_shipped_weights_name_what_they_were_fitted_on() -> None:
    if not WEIGHTS_FILE.is_file():
        pytest.skip("no fitted weights shipped: the hand weights are the default")
    raw = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert raw["fitted_on"]["by"] == "python -m eval.fit_sentence"


def test_a_new_name_is_one_the_question_does_not_hold() -> None:
    question = compose.Profile(
        words=frozenset({"who", "leads", "the", "syrian", "rebels"}), terms=(), kind="who"
    )
    assert compose.new_name(question, "The rebels are led by Abu Mohammed al-Jolani.") == 1.0
    assert compose.new_name(question, "The rebels of the Syrian north advanced.") == 0.0
    assert (
        compose.new_name(question, "Rebels advanced.") == 0.0
    )  # a sentence's first word is no name
