"""Property tests: whatever the text, chunks slice the body exactly and, with the page furniture
(bylines, credits, promos: index/news/furniture.py), together cover it."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.chunking import ChunkingConfig, chunk_article, page_furniture
from index.formats.loaders import ArticleError, parse_markdown, parse_plain
from index.types import Article

SAMPLES = [
    "مرحبا بالعالم. هذا نص.",  # right-to-left
    "👩‍👩‍👧 family emoji 🇸🇾 flag. ",
    "e\u0301\u0301 combining marks. ",
    "NUL\x00inside. ",
    "- Heading? -\n",
    "## Sub heading\n",
    "Mr. Smith went to Washington D.C. on Jan. 5. ",
    "x" * 300,  # a very long "word"
    "\u200b\u2028\u2029\ufeff",  # zero-width and separator characters
]
text_strategy = st.lists(
    st.one_of(
        st.sampled_from(SAMPLES),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
        st.text(alphabet=string.ascii_letters + " .!?\n", max_size=200),
    ),
    max_size=25,
).map("".join)


def check(article: Article, count) -> None:  # type: ignore[no-untyped-def]
    chunks = chunk_article(article, count, ChunkingConfig(max_tokens=48, overlap_tokens=12))
    covered = [False] * len(article.body)
    for chunk in chunks:
        assert article.body[chunk.start : chunk.end] == chunk.text
        assert chunk.text.strip()
        for a, b in chunk.sentences:
            assert chunk.start <= a < b <= chunk.end
        for i in range(chunk.start, chunk.end):
            covered[i] = True
    for start, end, _ in page_furniture(article):
        for i in range(start, end):
            covered[i] = True
    for section in article.sections:
        for i in range(section.start, section.end):
            assert covered[i] or article.body[i].isspace(), (i, article.body[i])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=text_strategy)
def test_plain_text_chunks_slice_and_cover_the_body(embedder, text: str) -> None:  # type: ignore[no-untyped-def]
    try:
        article = parse_plain(text, "prop.txt")
    except ArticleError:
        return  # empty title or body: rejected with a message, which is the contract
    check(article, embedder.count_tokens)


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=text_strategy)
def test_markdown_chunks_slice_and_cover_the_body(embedder, text: str) -> None:  # type: ignore[no-untyped-def]
    try:
        article = parse_markdown(f"---\ntitle: Property\n---\n{text}", "prop.md")
    except ArticleError:
        return
    check(article, embedder.count_tokens)
