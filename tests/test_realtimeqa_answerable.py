"""When a RealTimeQA question counts as answerable from its pages (eval/realtimeqa_data.py): its gold
in a sentence about the question, not anywhere. Pages and questions written for these tests."""

from __future__ import annotations

from eval.realtimeqa_data import Week, benchmark_questions, gold_forms, gold_on_topic

CUTS = "Which company announced it will begin making thousands of cuts to its workforce this week?"
HOLIDAY_GUIDE = (
    "Orlando is bright this holiday season. Walt Disney World's Animal Kingdom has a new parade.\n"
    "Tickets sell out early. Parking is free after 6 p.m."
)
CUTS_REPORT = (
    "Shares rose on Monday.\n"
    "Disney will cut 7,000 jobs as part of a cost-cutting plan, its chief executive said."
)


def _on_topic(question: str, gold: str, *bodies: str) -> bool:
    return gold_on_topic(question, gold, gold_forms(gold), bodies)


def test_a_gold_in_a_sentence_about_something_else_is_a_coincidence() -> None:
    assert not _on_topic(CUTS, "Disney", HOLIDAY_GUIDE)


def test_a_gold_in_a_sentence_sharing_a_content_word_with_the_question_counts() -> None:
    assert _on_topic(CUTS, "Disney", HOLIDAY_GUIDE, CUTS_REPORT)  # "cut", stemmed: "cuts"


def test_the_sentence_before_or_after_may_name_the_subject() -> None:
    heading = "New Covid variant spreads in India\nArcturus\nDoctors urge caution."
    assert _on_topic("What is the new Covid variant in India called?", "Arcturus", heading)
    after = "Arcturus was first seen in January. It is a Covid variant."
    assert _on_topic("What is the new Covid variant in India called?", "Arcturus", after)


def test_two_sentences_away_is_too_far() -> None:
    page = "A new Covid variant spreads in India. Schools stay open. Arcturus is a star."
    assert not _on_topic("What is the new Covid variant in India called?", "Arcturus", page)


def test_the_golds_own_words_do_not_make_a_sentence_about_the_question() -> None:
    # "strike" is a word of the gold: a sentence about another strike's films shares nothing else
    page = "What movies are delayed due to writers strike? Here is the list."
    assert not _on_topic("Which major strike in the US ended this week?", "Writers strike", page)
    assert _on_topic(
        "Which major strike in the US ended this week?",
        "Writers strike",
        "The writers strike ended on Wednesday after 148 days.",
    )


def test_a_question_of_only_the_golds_words_is_never_on_topic() -> None:
    assert not _on_topic("Writers strike?", "Writers strike", "The writers strike ended.")


def _question(qid: str, gold: str, on_topic: bool, in_pages: bool = True) -> dict:
    return {
        "id": qid,
        "question": f"question {qid}",
        "gold": gold,
        "evidence": gold_forms(gold),
        "article_ids": ["a"],
        "gold_in_pages": in_pages,
        "gold_on_topic": on_topic,
    }


def test_only_questions_with_their_gold_on_topic_are_asked_or_borrowed() -> None:
    host = Week(
        "20230106",
        {"a": {"body": "Disney opened a park."}},
        [_question("h1", "Disney", True), _question("h2", "Pixar", False)],
    )
    partner = Week(
        "20230310",
        {},
        [
            _question("p1", "Lego", False),  # a coincidence in its own week: not a question
            _question("p2", "Disney", True),  # on topic, but the host's pages hold "Disney"
            _question("p3", "Mattel", True),
        ],
    )
    rows = list(benchmark_questions(host, partner))
    assert [(r["id"], r["answerable"]) for r in rows] == [
        ("h1", True),
        ("p3@20230106", False),
    ]
