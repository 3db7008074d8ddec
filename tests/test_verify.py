"""Citation verification on the seed article's real passages, with the real embedding model."""

from __future__ import annotations

import dataclasses

import pytest

from qa.checks.verify import Checker, parse_refs, split_answer, verify
from qa.llm.answer import build_answer
from qa.types import CANNOT_ANSWER, Passage
from tests.llm_fixtures import seeded_store_fixture  # noqa: F401 (the `seeded_store` fixture)

PREPARED = "Dareen Khalifa, a researcher at the International Crisis Group think tank, said the rebels had prepared months for this offensive."
TRUCE = "The rebels, working in a joint operations room, launched their attack the same day a Hezbollah-Israel truce came into effect in neighbouring Lebanon."
TURKEY = 'Turkey has demanded an end to "attacks" on the rebel enclave of Idlib in Syria, where Syrian and Russian warplanes launched air strikes.'
KILLED = "The violence has killed at least 311 people"


@pytest.fixture(scope="module")
def setup(seeded_store, embedder):  # type: ignore[no-untyped-def]
    from qa.engine import Engine

    settings, store = seeded_store
    engine = Engine(settings, store, embedder)
    passages = engine.retrieve("Why did the rebels attack now and what did Turkey demand?", top_k=8)
    bm25 = engine.retriever.bm25()
    return passages, Checker(bm25.analyse, bm25.idf, embedder.embed), store


def number(passages: list[Passage], needle: str) -> int:
    return next(n for n, p in enumerate(passages, start=1) if needle in p.text)


def other_section(passages: list[Passage], than: int) -> int:
    section = passages[than - 1].chunk.section
    return next(n for n, p in enumerate(passages, start=1) if p.chunk.section != section)


# -- parsing (pure) -------------------------------------------------------------------------------


def test_markers_before_or_after_the_full_stop_belong_to_their_sentence() -> None:
    answer = "Rebels attacked on Wednesday [1]. They took Aleppo. [2][3] Turkey objected [1, 4]"
    assert split_answer(answer) == [
        ("Rebels attacked on Wednesday.", [1]),
        ("They took Aleppo.", [2, 3]),
        ("Turkey objected", [1, 4]),
    ]


def test_abbreviations_do_not_split_a_sentence() -> None:
    assert split_answer("The U.S. Army and Dr. Smith did not comment [2].") == [
        ("The U.S. Army and Dr. Smith did not comment.", [2])
    ]


def test_ref_lists_and_ranges() -> None:
    assert parse_refs("1, 2;3") == [1, 2, 3]
    assert parse_refs("2-4") == [2, 3, 4]
    assert parse_refs("1-999") == [1, 999]  # no explosion


# -- support ------------------------------------------------------------------------------------


def test_copied_sentences_are_supported_with_exact_spans(setup) -> None:  # type: ignore[no-untyped-def]
    passages, checker, store = setup
    a, b = number(passages, PREPARED), number(passages, TRUCE)
    result = verify(f"{PREPARED} [{a}] {TRUCE[:-1]} [{b}].", passages, checker)
    assert [s.supported for s in result.sentences] == [True, True]
    assert result.citations_given == result.citations_kept == 2
    spans = [s.spans[0] for s in result.sentences]
    assert [s.quote for s in spans] == [PREPARED, TRUCE]
    body = store.bodies(["aleppo-offensive"])["aleppo-offensive"]
    assert all(body[s.start : s.end] == s.quote for s in spans)


def test_a_paraphrase_is_supported(setup) -> None:  # type: ignore[no-untyped-def]
    passages, checker, _ = setup
    n = number(passages, PREPARED)
    said = f"Khalifa, of the International Crisis Group, said the rebels spent months preparing the offensive [{n}]."
    check = verify(said, passages, checker).sentences[0]
    assert check.supported and check.spans[0].quote == PREPARED


def test_ids_never_given_are_dropped(setup) -> None:  # type: ignore[no-untyped-def]
    passages, checker, _ = setup
    n, unknown = number(passages, TRUCE), len(passages) + 3
    result = verify(f"{TRUCE} [{n}][{unknown}] {PREPARED} [{unknown}]", passages, checker)
    first, second = result.sentences
    assert first.supported and first.cited == (n,) and first.dropped == (unknown,)
    assert not second.supported and second.cited == () and "not given" in (second.problem or "")
    assert (result.citations_given, result.citations_kept) == (3, 1)


def test_an_invented_sentence_is_not_supported(setup) -> None:  # type: ignore[no-untyped-def]
    passages, checker, _ = setup
    check = verify(
        "The offensive was financed by a Norwegian shipping company [1].", passages, checker
    )
    assert not check.sentences[0].supported
    assert check.sentences[0].problem == "the cited passages do not say this"


def test_a_true_sentence_cited_to_the_wrong_passage_is_not_supported(setup) -> None:  # type: ignore[no-untyped-def]
    passages, checker, _ = setup
    wrong = other_section(passages, number(passages, TURKEY))
    assert not verify(f"{TURKEY} [{wrong}]", passages, checker).sentences[0].supported


def test_quotations_must_be_verbatim_in_a_cited_passage(setup) -> None:  # type: ignore[no-untyped-def]
    passages, checker, _ = setup
    n = number(passages, "framed it as a defensive move")
    real = (
        f"Khalifa said the rebels “framed it as a defensive move against regime escalation” [{n}]."
    )
    invented = f'Khalifa said the rebels "will be in Damascus by Christmas" [{n}].'
    # the check itself, whatever the fitted calibration makes a note
    result = verify(f"{real} {invented}", passages, dataclasses.replace(checker, notes=frozenset()))
    assert result.sentences[0].supported
    assert "framed it as a defensive move" in result.sentences[0].spans[0].quote
    assert not result.sentences[1].supported
    assert result.sentences[1].problem == "a quotation that no cited passage contains"


def test_a_note_keeps_its_code_and_reason_and_the_sentence_stays_supported(setup) -> None:  # type: ignore[no-untyped-def]
    passages, checker, _ = setup
    n = number(passages, "framed it as a defensive move")
    invented = f'Khalifa said the rebels "will be in Damascus by Christmas" [{n}].'
    blocking = verify(invented, passages, dataclasses.replace(checker, notes=frozenset()))
    assert not blocking.sentences[0].supported and blocking.sentences[0].codes[0] == "quote"
    noted = verify(invented, passages, dataclasses.replace(checker, notes=frozenset({"quote"})))
    check = noted.sentences[0]
    assert "quote" in check.codes  # still reported, with its reason, after any blocking problem
    quote = next(p for p in check.problems if p.code == "quote")
    assert quote.reason == "a quotation that no cited passage contains"
    assert check.supported == (check.problem is None)
    assert all(p.code == "quote" or not check.supported for p in check.problems)
    # every code a note: the sentence is supported, and the answer shows it with its notes
    everything = frozenset({"quote", "number", "polarity", "speaker", "actor", "certainty"})
    everything |= {"time", "entity", "addition"}
    shown = verify(invented, passages, dataclasses.replace(checker, notes=everything))
    assert shown.sentences[0].supported and shown.sentences[0].problem is None
    answer = build_answer(shown, passages, strict=False)
    assert answer is not None and answer.sentences[0].supported
    assert "quote" in answer.sentences[0].problems and answer.sentences[0].reasons


def test_numbers_must_appear_in_a_cited_passage(setup) -> None:  # type: ignore[no-untyped-def]
    passages, checker, _ = setup
    n = number(passages, KILLED)
    right, wrong = verify(
        f"The violence has killed at least 311 people [{n}]. The violence has killed at least 500 people [{n}].",
        passages,
        checker,
    ).sentences
    assert right.supported and not wrong.supported and "500" in (wrong.problem or "")


def test_an_unrelated_second_citation_is_not_kept(setup) -> None:  # type: ignore[no-untyped-def]
    passages, checker, _ = setup
    n = number(passages, TURKEY)
    unrelated = other_section(passages, n)
    check = verify(f"{TURKEY} [{n}][{unrelated}]", passages, checker).sentences[0]
    assert check.supported and [s.passage for s in check.spans] == [n]


def test_the_sentinel_is_a_refusal(setup) -> None:  # type: ignore[no-untyped-def]
    passages, checker, _ = setup
    assert verify(CANNOT_ANSWER, passages, checker).refused
    assert verify(CANNOT_ANSWER.rstrip("."), passages, checker).refused
    n = number(passages, TRUCE)
    mixed = verify(f"{TRUCE} [{n}] {CANNOT_ANSWER}", passages, checker)
    assert not mixed.refused and [s.text for s in mixed.sentences] == [TRUCE]


# -- the answer built from the checks ------------------------------------------------------------


def test_strict_mode_drops_unsupported_sentences_and_refs_are_renumbered(setup) -> None:  # type: ignore[no-untyped-def]
    passages, checker, store = setup
    a, b = number(passages, TRUCE), number(passages, PREPARED)
    text = (
        f"{TRUCE} [{a}] The offensive was financed by a Norwegian company [{a}]. {PREPARED} [{b}]"
    )
    result = verify(text, passages, checker)
    relaxed = build_answer(result, passages, strict=False)
    strict = build_answer(result, passages, strict=True)
    assert relaxed is not None and strict is not None
    assert [s.supported for s in relaxed.sentences] == [True, False, True]
    assert [s.refs for s in relaxed.sentences] == [[1], [], [2]]  # no [n] on what nothing supports
    assert (
        relaxed.answer
        == f"{TRUCE} [1] The offensive was financed by a Norwegian company. {PREPARED} [2]"
    )
    assert [s.text for s in strict.sentences] == [TRUCE, PREPARED]
    assert strict.answer == f"{TRUCE} [1] {PREPARED} [2]"
    assert [c.quote for c in strict.citations] == [TRUCE, PREPARED]
    body = store.bodies(["aleppo-offensive"])["aleppo-offensive"]
    assert all(body[c.start : c.end] == c.quote and c.quote in c.text for c in strict.citations)
    assert strict.backend == "openai" and strict.degraded is None and not strict.refused


def test_nothing_supported_is_shown_marked_or_in_strict_mode_no_answer(setup) -> None:  # type: ignore[no-untyped-def]
    passages, checker, _ = setup
    invented = "The offensive was financed by Norway [1]."
    shown = build_answer(verify(invented, passages, checker), passages, strict=False)
    assert shown is not None and not shown.citations and len(shown.sentences) == 1
    assert not shown.sentences[0].supported and shown.sentences[0].problems
    assert len(shown.sentences[0].reasons) == len(shown.sentences[0].problems)
    assert build_answer(verify(invented, passages, checker), passages, strict=True) is None
    for text in ("Plain words, no citation.", ""):  # nothing cited: nothing to show checked
        assert build_answer(verify(text, passages, checker), passages, strict=False) is None
    refusal = build_answer(verify(CANNOT_ANSWER, passages, checker), passages, strict=True)
    assert refusal is not None and refusal.refused and refusal.answer == CANNOT_ANSWER
