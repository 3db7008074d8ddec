"""Which dates in a question bound the search (qa/asking/time_scope.py), on questions written for the test."""

from __future__ import annotations

from qa.asking.asked import read
from qa.asking.time_scope import WIDER_TOP_K, compares_reports, scoped, time_bounds
from qa.types import Filters

NEWEST = 20231224
OLDEST = 20230915


def test_a_question_about_one_period_is_bounded() -> None:
    assert time_bounds("What did the council decide after 5 August 2023?", NEWEST) == (
        20230806,
        None,
    )
    assert time_bounds("What had the mayor announced before 1 October 2023?", NEWEST) == (
        None,
        20230930,
    )
    assert time_bounds(
        "How many cases had the ministry reported as of 7 December 2023?", NEWEST
    ) == (
        None,
        20231207,
    )


def test_a_date_naming_an_event_bounds_by_the_event_inside_it() -> None:
    # not "after 2024" (from 2025: later than every article) but from the year's first day
    assert time_bounds("What happened after the 2024 election?", 20241201) == (20240101, None)
    assert time_bounds("What did he promise before the 2024 election?", 20241201) == (
        None,
        20241231,
    )
    assert time_bounds("What changed after the 5 August 2023 vote?", NEWEST) == (20230805, None)
    assert time_bounds("What happened after 2022?", NEWEST) == (20230101, None)  # a period


def test_a_question_comparing_reports_is_not_bounded_by_one_of_them() -> None:
    # The date says which of the two reports is meant; a bound would drop the other one.
    question = (
        "Was the Daily Post report on the strike published before 3 November 2023 consistent "
        "with the Evening Star article on the same talks?"
    )
    assert compares_reports(question)
    assert time_bounds(question, NEWEST) == (None, None)
    plural = "Did the reports by the Herald after 6 November 2023 and by the Tribune agree?"
    assert time_bounds(plural, NEWEST) == (None, None)
    assert not compares_reports("What had the ministry reported as of 7 December 2023?")


def test_since_after_a_superlative_or_ordinal_is_a_record_not_a_period() -> None:
    assert time_bounds("Which bank raised its rate to the highest level since 2001?", NEWEST) == (
        None,
        None,
    )
    assert time_bounds("Which team suffered its first home defeat since May 2013?", NEWEST) == (
        None,
        None,
    )
    assert time_bounds("What has the club done since May 2013?", NEWEST) == (20130501, None)


def test_a_bound_outside_the_dated_articles_is_dropped() -> None:
    # "by 2030" and "since 1990" leave every dated article in: as filters they would only drop
    # the articles whose date is unknown.
    filters, top_k = scoped(
        read("Which countries pledged to cut emissions by 2030?"), None, None, NEWEST, OLDEST
    )
    assert (filters.published_from, filters.published_to, top_k) == (None, None, None)
    filters, _ = scoped(read("What has the party won since 1990?"), None, None, NEWEST, OLDEST)
    assert filters.published_from is None
    filters, top_k = scoped(
        read("What did the court rule after 5 October 2023?"), None, None, NEWEST, OLDEST
    )
    assert (filters.published_from, top_k) == (20231006, WIDER_TOP_K)


def test_the_callers_narrower_bound_is_kept() -> None:
    mine = Filters(published_from=20231101)
    filters, _ = scoped(
        read("What did the court rule after 5 October 2023?"), mine, None, NEWEST, OLDEST
    )
    assert filters.published_from == 20231101


def test_the_latest_inside_a_comparison_of_reports_is_not_a_question_about_now() -> None:
    about_now = "What is the latest on the strike at the port?"
    assert scoped(read(about_now), None, None, NEWEST, OLDEST)[1] == WIDER_TOP_K
    described = (
        "Which company, named in a Herald article on the latest advances in batteries and in a "
        "Tribune report on factory jobs, cut its workforce?"
    )
    assert scoped(read(described), None, None, NEWEST, OLDEST)[1] is None
