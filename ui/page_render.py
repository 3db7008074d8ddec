"""Pure rendering for the page: answers as plain chat text, sources as escaped HTML.

Article text and model output are data, never markup: everything that comes from an article or an
answer goes through `html.escape` before it is placed in HTML, and the chat shows plain text.
"""

from __future__ import annotations

from html import escape, unescape

from index.ingest import IngestReport
from qa.types import Answer, Citation, Passage
from ui.page_time import sentence_dates_html

CSS = """
.nd-also { font-size: 0.85em; opacity: 0.8; margin-top: 4px; }
.nd-source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px;
  margin-bottom: 8px; }
.nd-head { font-size: 0.9em; margin-bottom: 4px; }
.nd-ref { font-weight: 700; margin-right: 4px; }
.nd-passage { white-space: pre-wrap; font-size: 0.92em; line-height: 1.4; }
.nd-passage mark { background: #fde68a; color: #111; padding: 0 1px; }
.nd-refusal { border-left: 4px solid #9ca3af; padding: 8px 10px; background: var(--background-fill-secondary); }
.nd-unverified { border-left: 4px solid #f59e0b; padding: 6px 10px; margin-bottom: 8px; }
.nd-noted { border-left: 4px solid #94a3b8; padding: 6px 10px; margin-bottom: 8px; }
.nd-reason { font-size: 0.88em; color: var(--body-text-color-subdued); }
.nd-degraded { border-left: 4px solid #f59e0b; padding: 6px 10px; margin-bottom: 8px; font-size: 0.9em; }
.nd-focus { border-left: 4px solid #3b82f6; padding: 6px 10px; margin-bottom: 8px; font-size: 0.9em; }
.nd-focus-reason { color: var(--body-text-color-subdued); }
.nd-error { border-left: 4px solid #dc2626; padding: 6px 10px; }
"""

UNVERIFIED_MARK = " ⚠ unverified"
NO_SOURCES = '<div class="nd-empty">Sources of the answer appear here.</div>'


def for_chat(text: str) -> str:
    """Gradio's chat renders message text as HTML even with markdown off: escape it, so an
    article's or a user's `<img onerror=...>` shows as text instead of becoming an element."""
    return escape(text, quote=False)


def from_chat(text: str) -> str:
    return unescape(text)


def chat_text(answer: Answer) -> str:
    """The answer as shown in the chat: sentences with their [n] markers; unverified ones marked."""
    if answer.refused or not answer.sentences:
        return for_chat(answer.answer)
    parts = []
    for sentence in answer.sentences:
        refs = "".join(f" [{r}]" for r in sentence.refs)
        parts.append(sentence.text + refs + ("" if sentence.supported else UNVERIFIED_MARK))
    return for_chat(" ".join(parts))


def _date(published: int | None) -> str | None:
    if not published:
        return None
    text = str(published)
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}"


def _highlighted(passage: str, quote: str) -> str:
    at = passage.find(quote) if quote else -1
    if at < 0:
        return escape(passage)
    before, after = passage[:at], passage[at + len(quote) :]
    return f"{escape(before)}<mark>{escape(quote)}</mark>{escape(after)}"


def _head(
    ref: str, title: str, published: int | None, source: str | None, section: str | None
) -> str:
    bits = [f"<b>{escape(title)}</b>"]
    bits += [escape(x) for x in (_date(published), source) if x]
    if section:
        bits.append(f"<i>{escape(section)}</i>")
    return f'<div class="nd-head"><span class="nd-ref">{escape(ref)}</span>{" · ".join(bits)}</div>'


def _passage_of(answer: Answer, citation: Citation) -> Passage | None:
    return next(
        (
            p
            for p in answer.passages
            if p.chunk.article_id == citation.article_id and p.text == citation.text
        ),
        None,
    )


def _reasons_html(reasons: list[str]) -> str:
    """Why a sentence was flagged ("speaker differs: the passage quotes Dareen Khalifa")."""
    if not reasons:
        return ""
    return f'<div class="nd-reason">{escape("; ".join(reasons))}</div>'


def focus_html(answer: Answer) -> str:
    """Which story the answer was confined to, and why (or that a story is needed first)."""
    if answer.needs:
        return '<div class="nd-focus nd-needs">Name a story first: this question needs one.</div>'
    if not answer.focus:
        return ""
    titles = {p.chunk.article_id: p.chunk.title for p in answer.passages}
    names = ", ".join(escape(titles.get(i, i)) for i in answer.focus.article_ids)
    return (
        f'<div class="nd-focus">Focused on: <b>{names}</b> '
        f'<span class="nd-focus-reason">({escape(answer.focus.reason)})</span></div>'
    )


def sources_html(answer: Answer, show_all: bool = False) -> str:
    blocks: list[str] = [focus_html(answer)] if answer.focus or answer.needs else []
    if answer.degraded:
        blocks.append(
            f'<div class="nd-degraded">Answered offline instead: {escape(answer.degraded)}</div>'
        )
    if answer.refused and not answer.needs:
        blocks.append(
            '<div class="nd-refusal">No passage of the indexed articles answers this question, '
            "so newsdesk does not answer it.</div>"
        )
    unverified = [s for s in answer.sentences if not s.supported]
    if unverified and not answer.refused:
        items = "".join(f"<li>{escape(s.text)}{_reasons_html(s.reasons)}</li>" for s in unverified)
        blocks.append(
            '<div class="nd-unverified">These sentences are not supported by the passages they '
            f"cite:<ul>{items}</ul></div>"
        )
    noted = [s for s in answer.sentences if s.supported and s.reasons]
    if noted and not answer.refused:
        items = "".join(f"<li>{escape(s.text)}{_reasons_html(s.reasons)}</li>" for s in noted)
        blocks.append(
            '<div class="nd-noted">Supported, with notes from checks whose flags alone are not '
            f"evidence of an error:<ul>{items}</ul></div>"
        )
    for citation in answer.citations:
        passage = _passage_of(answer, citation)
        head = _head(
            f"[{citation.ref}]",
            citation.title,
            passage.published if passage else None,
            passage.source if passage else None,
            citation.section,
        )
        body = _highlighted(citation.text, citation.quote)
        head += sentence_dates_html(answer, citation.ref)  # the dates it mentions, resolved
        blocks.append(
            f'<div class="nd-source" id="nd-source-{citation.ref}">{head}'
            f'<div class="nd-passage">{body}</div>{_also_published(citation)}</div>'
        )
    if show_all and answer.passages:
        blocks.append("<h4>All retrieved passages</h4>")
        for rank, passage in enumerate(answer.passages, start=1):
            head = _head(
                f"#{rank}",
                passage.chunk.title,
                passage.published,
                passage.source,
                passage.chunk.section,
            )
            blocks.append(
                f'<div class="nd-source nd-retrieved">{head}'
                f'<div class="nd-passage">{escape(passage.text)}</div></div>'
            )
    return "".join(blocks) or NO_SOURCES


def _also_published(citation: Citation) -> str:
    outlets = getattr(citation, "also_published_by", None)
    if not outlets:
        return ""
    names = ", ".join(escape(o) for o in outlets)
    return f'<div class="nd-also">Also published by: {names}</div>'


def error_html(message: str) -> str:
    return f'<div class="nd-error">{escape(message)}</div>'


def ingest_summary(report: IngestReport) -> str:
    """Plain text (shown in a Textbox, never rendered as markup)."""
    lines = [report.summary()]
    for label, ids in (("added", report.added), ("updated", report.updated)):
        if ids:
            lines.append(f"{label}: {', '.join(ids)}")
    lines += [f"failed: {error}" for error in report.failed]
    lines += [f"not an article: {why}" for why in report.skipped]
    return "\n".join(lines)
