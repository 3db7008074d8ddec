"""The staff chat page: a Gradio Blocks app mounted at /ui in the FastAPI app.

Handlers call the same engine as the CLI and the API. Answers stream into the chat as plain text;
their sources (title, date, outlet, section, the passage with the supporting quote highlighted) are
rendered as escaped HTML beside the chat.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from index.formats.loaders import LoadError, LoadResult, load_file, parse_text, slugify
from index.store.store import StoreError
from qa.engine import Engine, QuestionError
from qa.settings import Settings
from qa.types import Answer, Filters, Turn
from ui.auth import KeyRing
from ui.page_render import (
    CSS,
    NO_SOURCES,
    chat_text,
    error_html,
    for_chat,
    from_chat,
    ingest_summary,
    sources_html,
)
from ui.page_time import NO_TIMELINE, TIMELINE_CSS, DateFieldError, date_filters, timeline_html

log = logging.getLogger("newsdesk.page")

PAGE_PATH = "/ui"
EXAMPLES = ["Why now?", "What major powers are at play?", "What about the government?"]
# Several staff at once; each answer holds a worker thread only for its few milliseconds of work.
CHAT_CONCURRENCY = 8
FORMAT_SUFFIX = {"text": ".txt", "markdown": ".md", "jsonl": ".jsonl"}

History = list[dict[str, Any]]


def _text(content: Any) -> str:
    """A chat message's text, whichever shape Gradio hands back."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("value") or "")
    if isinstance(content, list | tuple):
        return " ".join(_text(part) for part in content)
    return ""


def _denied(keys: KeyRing, token: str | None, scope: str) -> str | None:
    if not keys.enabled:
        return None
    key = keys.identify((token or "").strip())
    if key is None:
        return "Enter a valid API key in the field at the top of the page."
    if not key.allows(scope):
        return f"This API key does not have the '{scope}' scope."
    return None


class Page:
    def __init__(self, settings: Settings, engine: Callable[[], Engine], keys: KeyRing) -> None:
        self.settings = settings
        self._engine = engine  # the app opens its engine at start-up, after the page is built
        self.keys = keys

    @property
    def engine(self) -> Engine:
        return self._engine()

    def article_choices(self) -> list[tuple[str, str]]:
        try:
            return [(f"{a.title} ({a.id})", a.id) for a in self.engine.articles()]
        except StoreError:
            return []

    def respond(
        self,
        message: str,
        history: History,
        token: str,
        article_ids: list[str] | None,
        top_k: float,
        backend: str,
        show_all: bool,
        date_from: str = "",
        date_to: str = "",
    ) -> Iterator[tuple[History, Any, str, str]]:
        """Yields (chat, sources, status, question box) as the answer streams in."""
        message = (message or "").strip()
        if not message:
            yield history, gr.skip(), error_html("Type a question first."), ""
            return
        if denied := _denied(self.keys, token, "query"):
            yield history, gr.skip(), error_html(denied), message
            return
        try:
            filters = date_filters(
                Filters(article_ids=tuple(article_ids or ())), date_from, date_to
            )
        except DateFieldError as err:
            yield history, gr.skip(), error_html(str(err)), message
            return
        turns = [Turn(m["role"], from_chat(_text(m["content"]))) for m in history if m.get("role")]
        history = [*history, {"role": "user", "content": for_chat(message)}]
        history.append({"role": "assistant", "content": "…"})
        yield history, gr.skip(), "", ""
        answer: Answer | None = None
        partial = ""
        try:
            for event in self.engine.ask_stream(
                message, int(top_k), filters, history=turns, backend=backend
            ):
                if isinstance(event, Answer):
                    answer = event
                else:
                    partial += event
                    history[-1] = {"role": "assistant", "content": for_chat(partial)}
                    yield history, gr.skip(), "", ""
        except QuestionError as err:
            history[-1] = {"role": "assistant", "content": for_chat(f"Cannot ask this: {err}")}
            yield history, NO_SOURCES, error_html(str(err)), ""
            return
        except Exception:  # the page shows a message, never a stack trace
            log.exception("answering from the page failed")
            history[-1] = {"role": "assistant", "content": "Something went wrong; try again."}
            yield history, NO_SOURCES, error_html("The answer failed; the error was logged."), ""
            return
        assert answer is not None
        history[-1] = {"role": "assistant", "content": chat_text(answer)}
        yield history, sources_html(answer, show_all), "", ""

    def timeline(self, query: str, token: str, date_from: str, date_to: str) -> str:
        """The Timeline view: a story's dated events, oldest first, grouped by day."""
        if denied := _denied(self.keys, token, "query"):
            return error_html(denied)
        if not (query or "").strip():
            return error_html("Name a story first, e.g. Hurricane Dorian.")
        try:
            filters = date_filters(Filters(), date_from, date_to)
            return timeline_html(self.engine.timeline(query.strip(), (), filters))
        except DateFieldError as err:
            return error_html(str(err))
        except QuestionError as err:
            return error_html(str(err))
        except Exception:  # the page shows a message, never a stack trace
            log.exception("the timeline failed")
            return error_html("The timeline failed; the error was logged.")

    def add_articles(
        self, pasted: str, fmt: str, paths: list[str] | None, token: str
    ) -> tuple[str, Any]:
        if denied := _denied(self.keys, token, "ingest"):
            return denied, gr.skip()
        loaded = LoadResult()
        limit = self.settings.server.max_article_chars
        if pasted and pasted.strip():
            if len(pasted) > limit:
                return f"The pasted text is longer than {limit} characters.", gr.skip()
            title = pasted.strip().split("\n", 1)[0]
            loaded.extend(parse_text(pasted, f"{slugify(title)}{FORMAT_SUFFIX[fmt]}", fmt))
        for path in paths or ():
            if Path(path).stat().st_size > limit * 4:  # UTF-8 needs at most 4 bytes a character
                loaded.errors.append(LoadError(Path(path).name, "file too large"))
                continue
            loaded.extend(load_file(Path(path)))
        if not loaded.articles and not loaded.errors and not loaded.skipped:
            return "Paste an article or choose a file first.", gr.skip()
        # Uploaded files live under a temporary folder: name them by their file name only.
        loaded.errors = [LoadError(Path(e.origin).name, e.message) for e in loaded.errors]
        loaded.skipped = [LoadError(Path(e.origin).name, e.message) for e in loaded.skipped]
        try:
            report = self.engine.ingest_loaded(loaded)
        except StoreError as err:
            return f"The index is unavailable: {err}", gr.skip()
        except Exception:
            log.exception("ingest from the page failed")
            return "Adding the articles failed; the error was logged.", gr.skip()
        return ingest_summary(report), gr.update(choices=self.article_choices())

    def blocks(self) -> gr.Blocks:
        settings = self.settings
        backends = ["extractive"] + (["openai"] if settings.llm.problem() is None else [])
        with gr.Blocks(title="newsdesk", analytics_enabled=False) as page:
            gr.Markdown(
                "## newsdesk\nAsk about the indexed news articles. Every statement cites its "
                "passage; when the articles don't say, newsdesk says so."
            )
            token = gr.Textbox(
                label="API key", type="password", visible=self.keys.enabled, elem_id="nd-key"
            )
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(
                        label="Conversation", height=460, render_markdown=False,
                        sanitize_html=True, elem_id="nd-chat", feedback_options=None,
                    )  # fmt: skip
                    question = gr.Textbox(
                        placeholder="Ask a question, e.g. Why now?", show_label=False,
                        elem_id="nd-question", lines=1, max_lines=4,
                    )  # fmt: skip
                    with gr.Row():
                        ask = gr.Button("Ask", variant="primary", elem_id="nd-ask")
                        clear = gr.Button("New conversation", elem_id="nd-clear")
                    status = gr.HTML("", elem_id="nd-status")
                    gr.Examples(EXAMPLES, inputs=question, label="Examples")
                with gr.Column(scale=2):
                    gr.Markdown("### Sources")
                    sources = gr.HTML(NO_SOURCES, elem_id="nd-sources")
            with gr.Accordion("Search settings", open=False):
                articles = gr.Dropdown(
                    choices=[], value=[], multiselect=True,
                    label="Search in (none chosen: all articles)", elem_id="nd-articles",
                )  # fmt: skip
                refresh = gr.Button("Refresh the article list", size="sm")
                top_k = gr.Slider(1, 20, value=settings.retrieval.top_k, step=1, label="Passages")
                backend = gr.Radio(backends, value=settings.backend if settings.backend in backends
                                   else "extractive", label="Answerer (offline: extractive)")  # fmt: skip
                show_all = gr.Checkbox(False, label="Show all retrieved passages")
                with gr.Row():
                    date_from = gr.Textbox(label="Published from (YYYY-MM-DD)", elem_id="nd-from")
                    date_to = gr.Textbox(label="Published to (YYYY-MM-DD)", elem_id="nd-to")
            with gr.Accordion("Timeline", open=False, elem_id="nd-timeline-panel"):
                story = gr.Textbox(label="Story", placeholder="e.g. Samoa measles outbreak",
                                   elem_id="nd-timeline-q")  # fmt: skip
                follow = gr.Button("Show the timeline", elem_id="nd-timeline-go")
                timeline = gr.HTML(NO_TIMELINE, elem_id="nd-timeline")
            with gr.Accordion("Add articles", open=False, elem_id="nd-add"):
                pasted = gr.Textbox(
                    lines=8, label="Paste an article (first line: title)", elem_id="nd-paste"
                )
                fmt = gr.Radio(list(FORMAT_SUFFIX), value="text", label="Format of the pasted text")
                files = gr.File(
                    file_count="multiple", type="filepath",
                    file_types=[".txt", ".md", ".jsonl", ".html", ".htm", ".xml", ".json"],
                    label="Or upload files: .txt .md .jsonl, HTML pages, RSS/Atom or NewsML-G2 .xml, ninjs .json",
                )  # fmt: skip
                add = gr.Button("Add", elem_id="nd-add-button")
                result = gr.Textbox(label="Result", interactive=False, lines=4, elem_id="nd-result")

            inputs = [question, chat, token, articles, top_k, backend, show_all, date_from, date_to]
            outputs = [chat, sources, status, question]
            for trigger in (ask.click, question.submit):
                trigger(self.respond, inputs, outputs, concurrency_limit=CHAT_CONCURRENCY)
            clear.click(lambda: ([], NO_SOURCES, ""), None, [chat, sources, status])
            refresh.click(lambda: gr.update(choices=self.article_choices()), None, articles)
            for trigger in (follow.click, story.submit):
                trigger(self.timeline, [story, token, date_from, date_to], timeline)
            add.click(self.add_articles, [pasted, fmt, files, token], [result, articles])
            page.load(lambda: gr.update(choices=self.article_choices()), None, articles)
        return page


def mount_page(app: FastAPI) -> None:
    """Serve the page at /ui inside the API's app (pass as one of `create_app`'s mounts)."""
    settings: Settings = app.state.settings
    page = Page(settings, lambda: app.state.engine, app.state.keys)
    blocks = page.blocks()
    blocks.queue(default_concurrency_limit=CHAT_CONCURRENCY)
    gr.mount_gradio_app(
        app, blocks, path=PAGE_PATH, css=CSS + TIMELINE_CSS, show_error=False, footer_links=[], ssr_mode=False,
        max_file_size=settings.server.max_article_chars * 4,
    )  # fmt: skip

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse(f"{PAGE_PATH}/")
