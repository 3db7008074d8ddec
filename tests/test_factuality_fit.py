"""The factuality calibration's pure parts: the blind split is fixed by document, and the fit keeps
the share of faithful sentences it is asked to while flagging what it can (eval/fit_factuality.py)."""

from __future__ import annotations

from eval.consistency_data import split_of, summary_sentences
from eval.fit_factuality import evidence, fit, kept, measure, no_evidence


def row(  # type: ignore[type-arg]
    label: int, score: float, codes: list[str], alignment: float = 1.0, dataset: str = "a"
) -> dict:
    return {
        "label": label,
        "dataset": dataset,
        "sentences": [{"score": score, "alignment": alignment, "codes": codes}],
    }


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
    threshold, gates, notes, faithful_kept, errors_flagged = found
    assert notes == frozenset()
    assert faithful_kept >= 0.9 and errors_flagged == 1.0
    assert 0.2 < threshold <= 0.9 and 0.3 < gates["actor"] <= 0.9
    # out of reach (a check that is not gated flags the faithful one): hold today's kept share
    unreachable = fit([row(1, 0.9, ["number"]), row(1, 0.9, []), row(0, 0.2, [])], 0.9)
    assert unreachable is not None and unreachable[3:] == (0.5, 1.0)


def test_a_code_flagging_errors_no_more_often_than_the_base_rate_is_a_note() -> None:
    # base rate 0.25 in set "a"; "certainty" flags 20 faithful and 5 errors (the base rate),
    # "number" flags 20 errors and 5 faithful
    rows = [row(1, 0.9, []) for _ in range(125)]
    rows += [row(1, 0.9, ["certainty"]) for _ in range(20)] + [row(0, 0.9, ["certainty"])] * 5
    rows += [row(0, 0.9, ["number"]) for _ in range(20)] + [row(1, 0.9, ["number"])] * 5
    rows += [row(0, 0.9, []) for _ in range(25)]
    found = evidence(rows)
    assert found["certainty"]["errors"] == 5 and found["certainty"]["expected_errors"] == 6.2
    assert found["number"]["lift"] > 3 > 1 > found["certainty"]["lift"]
    assert no_evidence(found) == {"certainty"}
    # as a note it keeps the faithful sentences it flagged, and flags nothing
    assert kept(row(1, 0.9, ["certainty"]), 0.5, {}, frozenset({"certainty"}))
    assert not kept(row(1, 0.9, ["certainty", "number"]), 0.5, {}, frozenset({"certainty"}))


def test_the_fit_turns_codes_into_notes_until_each_set_keeps_its_share() -> None:
    # set "b" keeps only 0.8 while "number" blocks; with "number" a note it keeps all: the fit
    # notes "number" (and only it) when "b" must keep 0.9 on its own, not when only the pool must
    rows = [row(1, 0.9, [], dataset="a") for _ in range(200)]
    rows += [row(0, 0.9, ["addition"], dataset="a") for _ in range(40)]
    rows += [row(1, 0.9, [], dataset="b") for _ in range(16)]
    rows += [row(1, 0.9, ["number"], dataset="b") for _ in range(4)]
    rows += [row(0, 0.9, ["number"], dataset="b") for _ in range(2)]
    pooled = fit(rows, 0.9, may_note=("number", "addition"))
    assert pooled is not None and pooled[2] == frozenset()
    each = fit(rows, 0.9, each=("b",), may_note=("number", "addition"))
    assert each is not None and each[2] == frozenset({"number"})
    assert measure([r for r in rows if r["dataset"] == "b"], *each[:3])[0] == 1.0
