"""index/news/dates.py: dates resolved against the publication date, and the labelled bench."""

from __future__ import annotations

import pytest

from eval.date_bench import accuracy, load_labels
from index.news.dates import event_day, resolve_dates, sentence_dates

FRIDAY = 20241129  # Friday 29 November 2024


def iso(sentence: str, published: int | None = FRIDAY) -> list[tuple[str, str]]:
    return [(m.text, m.iso()) for m in resolve_dates(sentence, published)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The rebels attacked on Wednesday.", [("on Wednesday", "2024-11-27")]),
        ("The talks will resume on Monday.", [("on Monday", "2024-12-02")]),
        ("The vote is on Friday.", [("on Friday", "2024-11-29")]),
        ("He arrived last Friday.", [("last Friday", "2024-11-22")]),
        ("Yesterday the toll rose.", [("Yesterday", "2024-11-28")]),
        (
            "Today the toll rose; tomorrow it may too.",
            [("Today", "2024-11-29"), ("tomorrow", "2024-11-30")],
        ),
        ("Fighting began last week.", [("last week", "2024-11-18/2024-11-24")]),
        ("It was agreed earlier this month.", [("earlier this month", "2024-11-01/2024-11-29")]),
        ("Prices rose last year.", [("last year", "2023")]),
        ("It happened on 29 November.", [("29 November", "2024-11-29")]),
        ("It happened on November 29, 2024.", [("November 29, 2024", "2024-11-29")]),
        ("It happened on Nov. 29.", [("Nov. 29", "2024-11-29")]),
        ("Filed 2024-11-29.", [("2024-11-29", "2024-11-29")]),
        ("The strike began in March.", [("in March", "2024-03")]),
        ("Elections will be held in March.", [("in March", "2025-03")]),
        ("It began in December.", [("in December", "2023-12")]),
        ("The plant opened in March 2019.", [("March 2019", "2019-03")]),
        ("The 1991 stampede killed 1,426.", [("1991", "1991")]),
        ("They met three days ago.", [("three days ago", "2024-11-26")]),
        ("The trial could begin on Tuesday, January 21.", [("Tuesday, January 21", "2025-01-21")]),
    ],
)
def test_resolves_against_publication(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert iso(sentence) == expected


def test_not_dates() -> None:
    assert iso("A 2000 year old tradition, with 2,019 people and 45% of May's votes.") == []
    assert iso("Officials may decide soon.") == []


def test_without_publication_date_only_absolute_dates() -> None:
    assert iso("On Wednesday, 29 November 2024, in March 2019.", None) == [
        ("29 November 2024", "2024-11-29"),
        ("March 2019", "2019-03"),
    ]


def test_spans_point_into_the_sentence() -> None:
    sentence = "Late on Sunday the vote was held, and on Monday it was counted."
    for mention in resolve_dates(sentence, FRIDAY):
        assert sentence[mention.start : mention.end] == mention.text


def test_event_day_skips_background_years() -> None:
    assert event_day("In 1991 a stampede killed 1,426; on Wednesday 345 died.", FRIDAY) == (
        resolve_dates("on Wednesday", FRIDAY)[0].first,
        "on Wednesday",
    )
    assert event_day("The treaty was signed in 1991.", FRIDAY) is None


def test_sentence_dates_cached_and_iso() -> None:
    assert sentence_dates("Yesterday, and last week.", FRIDAY) == (
        "2024-11-28",
        "2024-11-18/2024-11-24",
    )


def test_labelled_sample_is_large_and_mostly_right() -> None:
    labels = load_labels()
    assert len(labels) >= 100
    result = accuracy(labels)
    assert result["accuracy"] >= 0.9, result["wrong"]
