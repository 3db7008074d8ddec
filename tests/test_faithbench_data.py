"""FaithBench's span annotations become sentence labels as eval/faithbench_data.py documents:
Unwanted anywhere in a sentence makes it an error, Questionable alone leaves it out, Benign or
nothing keeps it faithful, and an introduction ending with ':' states nothing."""

from __future__ import annotations

from eval.faithbench_data import Mark, label_sentences

SUMMARY = (
    "Here is a summary of the passage:\n\n"
    "The film grossed $181 million worldwide. It had a production budget of $160 million. "
    "Critics praised its effects. Sheryl Lee Ralph starred in it."
)


def _mark(span: str, labels: set[str], annotator: str = "a") -> Mark:
    start = SUMMARY.index(span)
    return Mark(start, start + len(span), frozenset(labels), annotator)


def test_unwanted_questionable_benign_and_nothing() -> None:
    marks = [
        _mark("production", {"Unwanted", "Unwanted.Intrinsic"}, "a"),
        _mark("production budget", {"Unwanted", "Unwanted.Intrinsic"}, "b"),
        _mark("praised", {"Questionable"}),
        _mark("Sheryl Lee Ralph", {"Unwanted", "Unwanted.Extrinsic"}),
        _mark("worldwide", {"Benign"}),
    ]
    found = [(s.text, s.label, s.errors, s.annotators) for s in label_sentences(SUMMARY, marks)]
    assert found == [
        ("The film grossed $181 million worldwide.", 1, (), 0),
        ("It had a production budget of $160 million.", 0, ("intrinsic",), 2),
        ("Sheryl Lee Ralph starred in it.", 0, ("extrinsic",), 1),
    ]


def test_a_span_across_two_sentences_marks_both_and_untyped_is_unwanted() -> None:
    marks = [_mark("worldwide. It had", {"Unwanted"})]
    labels = [(s.label, s.errors) for s in label_sentences(SUMMARY, marks)]
    assert labels[:2] == [(0, ("unwanted",)), (0, ("unwanted",))]
    assert labels[2:] == [(1, ()), (1, ())]


def test_list_markers_are_not_sentences() -> None:
    summary = "Key points:\n1. Rates rose to 5%. Markets fell.\n- Oil slipped.\n"
    marks = [Mark(summary.index("5%"), summary.index("5%") + 2, frozenset({"Unwanted"}), "a")]
    found = [(s.text, s.label) for s in label_sentences(summary, marks)]
    assert found == [("Rates rose to 5%.", 0), ("Markets fell.", 1), ("Oil slipped.", 1)]
