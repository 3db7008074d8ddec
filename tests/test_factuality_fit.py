"""The factuality calibration's pure parts: the blind split is fixed by document, and the fit keeps
the share of faithful sentences it is asked to while flagging what it can (eval/fit_factuality.py)."""

from __future__ import annotations

from eval.consistency_data import split_of, summary_sentences
from eval.fit_factuality import fit, kept, measure


def row(label: int, score: float, codes: list[str], alignment: float = 1.0) -> dict:  # type: ignore[type-arg]
    return {"label": label, "sentences": [{"score": score, "alignment": alignment, "codes": codes}]}


def test_the_blind_split_is_fixed_by_document_and_about_thirty_percent() -> None:
    sides = [split_of("qags-cnndm", f"doc{i}") for i in range(2000)]
    assert sides == [split_of("qags-cnndm", f"doc{i}") for i in range(2000)]
    assert 0.26 < sides.count("blind") / len(sides) < 0.34


def test_summary_sentences_split_at_full_stops() -> None:
    assert summary_sentences("Lyon beat Bastia 2-0. The win<n>puts them top.") == [
        "Lyon beat Bastia 2-0.",
        "The win puts them top.",
    ]


def test_a_clause_check_flag_counts_only_above_its_gate() -> None:
    loose = row(1, 0.8, ["actor"], alignment=0.3)
    assert not kept(loose, 0.5, {"actor": 0.2})
    assert kept(loose, 0.5, {"actor": 0.4})
    assert not kept(row(1, 0.8, ["number"], alignment=0.0), 0.5, {"number": 1.0})  # not gated
    assert not kept(row(1, 0.4, []), 0.5, {})


def test_the_fit_keeps_the_faithful_share_asked_for() -> None:
    # faithful sentences score high; errors score low or carry an actor flag at a tight alignment;
    # faithful ones with actor flags align loosely
    rows = [row(1, 0.9, []) for _ in range(80)]
    rows += [row(1, 0.9, ["actor"], alignment=0.3) for _ in range(20)]
    rows += [row(0, 0.2, []) for _ in range(30)]
    rows += [row(0, 0.9, ["actor"], alignment=0.9) for _ in range(30)]
    assert measure(rows, 0.0, {}) == (0.8, 0.5)
    found = fit(rows, 0.9)
    assert found is not None
    threshold, gates, faithful_kept, errors_flagged = found
    assert faithful_kept >= 0.9 and errors_flagged == 1.0
    assert 0.2 < threshold <= 0.9 and 0.3 < gates["actor"] <= 0.9
    # out of reach (a check that is not gated flags the faithful one): hold today's kept share
    unreachable = fit([row(1, 0.9, ["number"]), row(1, 0.9, []), row(0, 0.2, [])], 0.9)
    assert unreachable is not None and unreachable[2:] == (0.5, 1.0)
