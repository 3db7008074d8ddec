"""The page's time controls: the date range of questions, and the Timeline view of a story.

Pure rendering (escaped HTML, like ui/page_render.py) and the parsing of the date fields.
"""

from __future__ import annotations

from html import escape
from typing import Any

from index.formats.loaders import ArticleError, parse_published
from qa.types import Answer, Filters

TIMELINE_CSS = """
.nd-day { margin: 10px 0 4px; font-weight: 700; }
.nd-event { border-left: 3px solid var(--border-color-primary); padding: 4px 10px; margin: 4px 0; }
.nd-event-meta { font-size: 0.85em; opacity: 0.8; }
.nd-dates { font-size: 0.85em; margin-bottom: 4px; opacity: 0.85; }
"""
NO_TIMELINE = '<div class="nd-empty">Name a story to see its dated events, oldest first.</div>'


class DateFieldError(ValueError):
    """A date field of the page holds something that is not YYYY-MM-DD."""


def date_filters(base: Filters, date_from: str | None, date_to: str | None) -> Filters:
    """`base` with the page's from/to fields (empty fields leave it unbounded)."""
    try:
        low = parse_published((date_from or "").strip() or None)
        high = parse_published((date_to or "").strip() or None)
    except ArticleError as err:
        raise DateFieldError(f"Dates are YYYY-MM-DD: {err}") from None
    return Filters(base.article_ids, base.sources, low, high)


def sentence_dates_html(answer: Answer, ref: int) -> str:
    """The dates the answer's sentences citing [ref] mention, resolved (next to that citation)."""
    dates = [d for s in answer.sentences if ref in s.refs for d in s.dates]
    if not dates:
        return ""
    return f'<div class="nd-dates">Dates in the sentence: {escape(", ".join(dict.fromkeys(dates)))}</div>'


def timeline_html(result: dict[str, Any]) -> str:
    if not result["days"]:
        return '<div class="nd-refusal">No dated events found for this story.</div>'
    blocks: list[str] = []
    for day in result["days"]:
        blocks.append(f'<div class="nd-day">{escape(day["date"])}</div>')
        for event in day["events"]:
            when = f"“{event['mention']}”" if event["mention"] else "dated by publication"
            meta = f"[{event['ref']}] {event['title']}, published {event['published']} ({when})"
            blocks.append(
                f'<div class="nd-event" data-article="{escape(event["article_id"])}">'
                f"{escape(event['quote'])}"
                f'<div class="nd-event-meta">{escape(meta)}</div></div>'
            )
    return "".join(blocks)
