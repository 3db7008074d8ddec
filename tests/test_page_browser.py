"""The staff page in a real headless Chromium (Debian's), driven by Playwright, against a real server.

Screenshots land in tests/artifacts/. Without /usr/bin/chromium the tests are skipped locally and
fail in CI (.ci/run installs it).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS
from tests.served import in_thread

CHROMIUM = os.environ.get("NEWSDESK_TEST_CHROMIUM", "/usr/bin/chromium")  # tests of the skip
ARTIFACTS = ROOT / "tests" / "artifacts"
QUIET_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (see .ci/run)", pytrace=False)
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A real uvicorn server on a free loopback port serving the API app with the page."""
    yield from serve_page(tmp_path_factory, embedder, [SEEDS])


def serve_page(tmp_path_factory, embedder, paths) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The page served over an index of `paths` (other page tests use it with their articles)."""
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings
    from ui.api import create_app
    from ui.page import mount_page

    settings = Settings(data_dir=tmp_path_factory.mktemp("page") / "data")
    engine = Engine(settings, Store.open(settings.data_dir), embedder)
    engine.ingest_paths(paths)
    with in_thread(create_app(settings, engine, [mount_page]), ready="/ui/") as url:
        yield url
    engine.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server, request):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((server, "data:", "blob:")) else outside.append(r.url),
    )
    page.goto(f"{server}/")  # / leads to the page
    page.wait_for_selector("#nd-question textarea", timeout=30_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert outside == [], f"the page made requests beyond the server: {outside[:3]}"


def ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#nd-question textarea", question)
    page.click("#nd-ask")


def last_answer(page) -> str:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "() => { const m = document.querySelectorAll('#nd-chat .message.bot, #nd-chat [data-testid=bot]');"
        " return m.length && !m[m.length-1].innerText.trim().startsWith('…'); }",
        timeout=30_000,
    )
    return page.locator("#nd-chat [data-testid=bot]").last.inner_text()


def add_article(page, text: str) -> str:  # type: ignore[no-untyped-def]
    page.click("#nd-add")  # open the accordion
    page.fill("#nd-paste textarea", text)
    page.click("#nd-add-button")
    page.wait_for_function(
        "() => document.querySelector('#nd-result textarea').value.includes('added')",
        timeout=30_000,
    )
    return page.locator("#nd-result textarea").input_value()


def test_why_now_shows_markers_and_the_highlighted_quote(page) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    ask(page, "Why now?")
    page.wait_for_selector("#nd-sources mark", timeout=30_000)
    print(f"submit to answer with sources: {(time.perf_counter() - started) * 1000:.0f} ms")
    answer = last_answer(page)
    assert "[1]" in answer
    sources = page.locator("#nd-sources").inner_text()
    assert "Why now?" in sources and "[1]" in sources
    marks = page.locator("#nd-sources mark").all_inner_texts()
    assert marks and all(mark in answer for mark in marks)
    assert any(
        "Hezbollah-Israel truce" in s
        for s in page.locator("#nd-sources .nd-source").all_inner_texts()
    )


def test_refusal_looks_like_a_refusal(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "Who won the 2022 World Cup?")
    page.wait_for_selector("#nd-sources .nd-refusal", timeout=30_000)
    assert "do not contain enough information" in last_answer(page)
    assert page.locator("#nd-status .nd-error").count() == 0


def test_the_focus_of_an_answer_is_shown(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "What major powers are at play?")
    page.wait_for_selector("#nd-sources .nd-focus", timeout=30_000)
    focus = page.locator("#nd-sources .nd-focus").inner_text()
    assert focus.startswith("Focused on:") and "Syrian rebels" in focus


def test_article_added_in_the_panel_can_be_asked_about(page) -> None:  # type: ignore[no-untyped-def]
    result = add_article(
        page,
        "Harbour of Valletta reopens after storm\n"
        "The harbour of Valletta reopened on Thursday after storm Helios closed it for three days.\n"
        "Port officials said 14 cargo ships had waited offshore.",
    )
    assert "1 added" in result
    ask(page, "How many cargo ships waited offshore at Valletta?")
    page.wait_for_selector("#nd-sources mark", timeout=30_000)
    assert "14 cargo ships" in page.locator("#nd-sources mark").first.inner_text()


def test_hostile_article_is_shown_as_text_and_never_runs(page) -> None:  # type: ignore[no-untyped-def]
    hostile = (
        "Zanzibar clove exports <script>window.__pwned = 1</script>\n"
        'Zanzibar clove exports rose sharply <img src=x onerror="window.__pwned = 2"> this season.\n'
        "Traders said [click here](javascript:window.__pwned=3) for prices <b>bold</b>."
    )
    assert "1 added" in add_article(page, hostile)
    ask(page, "How did Zanzibar clove exports change this season?")
    page.wait_for_selector("#nd-sources .nd-source", timeout=30_000)
    answer = last_answer(page)
    for link in page.locator("#nd-chat a, #nd-sources a").all():
        link.click(timeout=2_000, no_wait_after=True)
    time.sleep(0.5)
    assert page.evaluate("() => window.__pwned") is None
    assert (
        page.locator("#nd-sources img, #nd-chat img, #nd-sources script, #nd-chat script").count()
        == 0
    )
    shown = '<img src=x onerror="window.__pwned = 2">'  # visible as text, in the chat and sources
    assert shown in page.locator("#nd-sources").inner_text() and shown in answer


def test_gradio_client_against_the_chat_endpoint(server: str, tmp_path: Path) -> None:
    from gradio_client import Client

    client = Client(
        f"{server}/ui/", verbose=False, download_files=str(tmp_path), analytics_enabled=False
    )
    chat, sources, status, box = client.predict(
        "What about the government?",
        [],
        "",
        [],
        5,
        "extractive",
        False,
        "",
        "",
        api_name="/respond",
    )
    from ui.page import _text

    assert "[1]" in _text(chat[-1]["content"]) and "nd-source" in sources
    assert status == "" and box == ""


def test_uploaded_html_copy_groups_with_the_seed_and_the_source_names_the_outlet(
    page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Upload an outlet's republication of the seed as an HTML page, plus a ninjs item: the
    copy joins the seed's story group, and the cited source says who else published it."""
    from html import escape

    seed = (SEEDS / "aleppo-offensive.txt").read_text().splitlines()
    paragraphs = "".join(
        f"<p>{escape(line)}</p>" for line in seed[1:-1] if not line.startswith("- ")
    )
    page_html = tmp_path / "france24-aleppo.html"
    page_html.write_text(
        "<html><head><meta charset='utf-8'><title>Syria's rebels in Aleppo: what we know</title>"
        "<meta property='og:site_name' content='France 24'></head><body><nav><a href='/'>Home</a>"
        f"</nav><article><h1>Syria's rebels in Aleppo: what we know</h1>{paragraphs}</article>"
        "</body></html>"
    )
    wire = tmp_path / "wire.json"
    wire.write_text(
        '{"uri": "urn:wire:ferry", "headline": "Island ferry gets a new hull",'
        ' "body_text": "The island ferry returned to service with a new hull on Monday."}'
    )
    page.click("#nd-add")
    page.locator("#nd-add input[type=file]").set_input_files([str(page_html), str(wire)])
    page.wait_for_timeout(500)
    page.click("#nd-add-button")
    page.wait_for_function(
        "() => document.querySelector('#nd-result textarea').value.includes('added')",
        timeout=60_000,
    )
    assert "2 added" in page.locator("#nd-result textarea").input_value()
    # Two stories are indexed now (Aleppo, the ferry): the question names the one it is about.
    ask(page, "Why did the rebels launch the Aleppo offensive now?")
    page.wait_for_selector("#nd-sources .nd-also", timeout=30_000)
    also = page.locator("#nd-sources .nd-also").first.inner_text()
    assert "Also published by: France 24" in also
    sources = page.locator("#nd-sources").inner_text()
    assert "IP" in sources  # cited from the original, not the copy
