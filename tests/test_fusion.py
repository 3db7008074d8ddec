import pytest

from qa.retrieval.fusion import reciprocal_rank_fusion


def test_items_found_by_both_rankers_win() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=60)
    assert [i for i, _ in fused] == ["a", "c", "b", "d"]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_weights_and_empty_rankings() -> None:
    assert reciprocal_rank_fusion([[], []]) == []
    fused = reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0, 2.0])
    assert [i for i, _ in fused] == ["b", "a"]
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])


def test_relative_fusion_keeps_how_far_ahead_a_hit_is() -> None:
    from qa.retrieval.fusion import relative_score_fusion

    # BM25 finds one chunk far ahead (a rare name); dense ranks it low among near-equal ones.
    dense = [("y", 0.60), ("z", 0.58), ("x", 0.55), ("w", 0.50)]
    bm25 = [("x", 12.0), ("y", 2.0), ("z", 1.5)]
    fused = relative_score_fusion([dense, bm25])
    assert fused[0][0] == "x"
    assert dict(fused)["x"] == pytest.approx(0.5 + 1.0)
    assert dict(fused)["y"] == pytest.approx(1.0 + 0.5 / 10.5)
    assert dict(fused)["w"] == pytest.approx(0.0)
    # the same lists by rank alone put y first: what relative fusion is for
    ranks = [[i for i, _ in dense], [i for i, _ in bm25]]
    assert reciprocal_rank_fusion(ranks)[0][0] == "y"


def test_relative_fusion_edge_cases() -> None:
    from qa.retrieval.fusion import relative_score_fusion

    assert relative_score_fusion([[], []]) == []
    assert relative_score_fusion([[("a", 3.0)], []]) == [("a", 1.0)]  # one hit: full marks
    fused = relative_score_fusion([[("a", 1.0), ("b", 0.0)], [("b", 5.0)]], weights=[1.0, 2.0])
    assert fused == [("b", 2.0), ("a", 1.0)]
    with pytest.raises(ValueError):
        relative_score_fusion([[("a", 1.0)]], weights=[1.0, 2.0])
