"""The page's time controls in a real browser: the date range applied to questions, the dates next to
each citation, and the Timeline view (Debian chromium, over real Wikinews threads)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import test_page_browser as shared
from tests.test_page_browser import ask, serve_page

browser = shared.browser  # the fixtures of the other page tests, over this module's server
page = shared.page

THREADS = Path(__file__).parent / "data" / "wikinews_threads.jsonl"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from serve_page(tmp_path_factory, embedder, [THREADS])


def open_settings(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_text("Search settings").click()
    page.wait_for_selector("#nd-from textarea, #nd-from input", timeout=10_000)


def test_citations_show_their_dates(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "When did Navalny fall ill?")
    page.wait_for_selector("#nd-sources .nd-source", timeout=60_000)
    sources = page.locator("#nd-sources").inner_text()
    assert "2020-08-22" in sources  # the article's date beside its citation
    assert "Dates in the sentence:" in sources and "2020-08-20" in sources  # "on Thursday" resolved


def test_date_range_limits_the_answer(page) -> None:  # type: ignore[no-untyped-def]
    open_settings(page)
    page.fill("#nd-from textarea, #nd-from input", "2019-12-01")
    page.fill("#nd-to textarea, #nd-to input", "2019-12-31")
    ask(page, "How many measles cases has Samoa recorded?")
    page.wait_for_selector("#nd-sources .nd-source", timeout=60_000)
    heads = page.locator("#nd-sources .nd-head").all_inner_texts()
    assert heads and all("2019-12-07" in h for h in heads), heads  # not the 2020-01-01 article


def test_bad_date_is_a_clear_message(page) -> None:  # type: ignore[no-untyped-def]
    open_settings(page)
    page.fill("#nd-from textarea, #nd-from input", "last Tuesday")
    ask(page, "How many measles cases has Samoa recorded?")
    page.wait_for_selector("#nd-status .nd-error", timeout=30_000)
    assert "YYYY-MM-DD" in page.locator("#nd-status").inner_text()


def test_timeline_view(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_text("Timeline", exact=True).click()
    page.fill("#nd-timeline-q textarea, #nd-timeline-q input", "Alexei Navalny poisoned")
    page.click("#nd-timeline-go")
    page.wait_for_selector("#nd-timeline .nd-event", timeout=60_000)
    days = page.locator("#nd-timeline .nd-day").all_inner_texts()
    assert days == sorted(days) and "2020-08-20" in days and "2020-09-02" in days
    assert "Novichok" in page.locator("#nd-timeline").inner_text()
